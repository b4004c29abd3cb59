// eligo score: every decision for CSV panels, as CSV or JSON Lines.
#include "eligo/score.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <optional>

#include "common.h"
#include "eligo/provenance.h"

namespace eligo::cli {
namespace {

constexpr const char* kHelp =
    R"(usage: eligo score --rules RULES [--params PARAMS] --input [KIND=]PATH... [options]

Decides every rule for every entity and year of the input panels: one
decision per entity, year and rule of its kind, in input order, then year,
then rule-file order.

Inputs are .xlsx workbooks (the first sheet, or --sheet NAME) or CSV,
UTF-8 (with or without BOM) or GBK/GB18030, headers as field names or
Chinese aliases in any order, money units in headers such as
年销售收入(万元) or in a unit row (单位：万元) above the header. The header is
found among the first 30 rows (--header-row N says which); rows above it,
blank rows and totals rows (合计) are skipped and counted. The kind of each
file is recognised from its header; KIND=PATH forces it; - reads standard
input. A field the rules read with no column is an error, unless
--absent-column FIELD says it is absent on purpose.

A cell that cannot be read makes that value unknown (decisions that need
it are undetermined) and the row partly read; a row whose key or year
cannot be read is rejected. Both go to --rejects with their line and
reason (the first ten to stderr without it); the run goes on. Output
files appear under their final name only when complete; two outputs, or
an output and a file read, may not name the same file.

exit status: 0 every row scored; 1 some rows rejected or partly read; 2
usage error or invalid rule, params or input file (nothing written); 3
an output could not be written.

example:
  eligo score --rules rules/luohe-2017.yaml --params examples/params.yaml \
      --input examples/enterprises.csv --input examples/lenders.csv \
      --output decisions.csv --rejects rejects.csv --summary summary.json
)";

// What this run read: the rule, params and history files, hashed as soon
// as they are loaded (ScoreFiles adds the inputs' digests as it reads them).
Result<RunRecord> Record(const std::vector<std::string>& args,
                         const po::variables_map& vm) {
  RunRecord record;
  record.arguments = {"eligo", "score"};
  record.arguments.insert(record.arguments.end(), args.begin(), args.end());
  for (const char* role : {"rules", "params", "history"}) {
    std::string path = vm[role].as<std::string>();
    if (path.empty()) continue;
    // A pipe read once cannot be hashed again: its record would be wrong.
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
      return Status::Error(fmt::format(
          "--{} {} is not a regular file, whose SHA-256 the run's record "
          "needs",
          role, path));
    }
    Result<std::string> sha = Sha256File(path);
    if (!sha.ok()) return sha.status();
    record.files.push_back({role, path, *sha});
  }
  return record;
}

// Ends the run as `signal` would have, once the outputs' temporary files
// are gone.
void RemoveOutputsAndDie(int signal) {
  OutputFile::RemoveUnfinished();
  raise(signal);  // delivered on return, with the default action (below)
}

// SIGINT (Ctrl-C), SIGTERM, SIGHUP and SIGPIPE leave no temporary file. A
// signal the caller ignores (nohup, trap '') stays ignored.
void RemoveOutputsOnSignals() {
  for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {
    struct sigaction old = {};
    if (sigaction(signal, nullptr, &old) != 0 || old.sa_handler != SIG_DFL)
      continue;
    struct sigaction on = {};
    on.sa_handler = RemoveOutputsAndDie;
    sigemptyset(&on.sa_mask);
    on.sa_flags = SA_RESETHAND;
    sigaction(signal, &on, nullptr);
  }
}

}  // namespace

int Score(const std::vector<std::string>& args) {
  po::options_description options("options");
  AddRunOptions(options);
  AddWordOptions(options);
  options.add_options()("output,o",
                        po::value<std::string>()->default_value("-"),
                        "decisions file, - for standard output")(
      "format", po::value<std::string>()->default_value("csv"), "csv or jsonl")(
      "rejects", po::value<std::string>()->default_value(""),
      "file for rows that could not be read (CSV)")(
      "only", po::value<std::string>()->default_value(""),
      "`eligible`: keep eligible decisions only")(
      "trace", po::bool_switch(), "JSON Lines: add each decision's trace")(
      "excel", po::bool_switch(),
      "CSV for spreadsheets: UTF-8 BOM, formula-like cells escaped")(

      "summary", po::value<std::string>()->default_value(""),
      "write the run summary as JSON here (default: text on stderr)")(
      "threads", po::value<int>()->default_value(1),
      "threads that read rows, evaluate and format (output is the same)")(
      "max-memory", po::value<long>()->default_value(4096),
      "MB an input not grouped by key may take to group in memory");
  po::variables_map vm;
  if (!ParseArgs(args, options, {}, kHelp, vm)) return kOk;

  WriteOptions write;
  std::string format = vm["format"].as<std::string>();
  if (format == "jsonl") {
    write.format = OutputFormat::kJsonLines;
  } else if (format != "csv") {
    throw UsageError{
        fmt::format("--format must be csv or jsonl, not `{}`", format)};
  }
  std::string only = vm["only"].as<std::string>();
  if (!only.empty() && only != "eligible")
    throw UsageError{"--only takes one value: eligible"};
  write.trace = vm["trace"].as<bool>();
  write.excel = vm["excel"].as<bool>();
  int threads = vm["threads"].as<int>();
  long max_memory = vm["max-memory"].as<long>();
  if (max_memory < 1 || static_cast<unsigned long>(max_memory) > SIZE_MAX >> 20)
    throw UsageError{fmt::format("--max-memory must be between 1 and {} (MB)",
                                 SIZE_MAX >> 20)};

  std::optional<Run> run = LoadRun(vm, /*read_panels=*/false);
  if (!run) return kUsage;
  Result<RunRecord> record = Record(args, vm);
  if (!record.ok()) {
    std::cerr << "error: " << record.error() << "\n";
    return kUsage;
  }
  const RuleSet& rules = run->evaluator.rules();
  write.lang = LangOf(vm, rules);
  write.amount_unit = AmountUnitOf(vm);

  ScoreOptions score;
  score.inputs = Inputs(vm);
  score.read = ReadOptionsOf(vm);
  score.read.max_memory_bytes = static_cast<size_t>(max_memory) << 20;
  score.write = write;
  score.only_eligible = !only.empty();
  score.threads = threads;
  score.output = vm["output"].as<std::string>();
  score.rejects = vm["rejects"].as<std::string>();
  score.summary = vm["summary"].as<std::string>();
  score.record = std::move(record).value();
  bool progress = isatty(STDERR_FILENO);
  if (progress) {
    score.on_progress = [](long entities) {
      std::cerr << fmt::format("\rscored {} entities", entities);
    };
  }
  RemoveOutputsOnSignals();
  Result<ScoreReport> report = ScoreFiles(run->evaluator, run->history, score);
  if (progress) std::cerr << "\n";
  if (!report.ok()) {
    std::cerr << "error: " << report.error() << "\n";
    return report.status().code() == StatusCode::kWriteFailed ? kWriteFailed
                                                              : kUsage;
  }
  const PanelBatch& batch = report->batch;
  if (report->restarted) {
    std::cerr << "note: the input is not grouped by its key after all (the "
                 "rows of one entity come back after others); its rows were "
                 "grouped in memory and scored again (sort the file to save "
                 "this)\n";
  }
  for (const std::string& note : batch.notes) std::cerr << note << "\n";
  if (score.rejects.empty()) PrintRowReports(batch);
  if (score.summary.empty()) {
    std::cerr << report->summary.ToText(
        Renderer(rules, write.lang, write.amount_unit));
  }
  bool all_read = batch.count(RejectedRow::Status::kRejected) == 0 &&
                  batch.count(RejectedRow::Status::kPartlyRead) == 0;
  return all_read ? kOk : kRejected;
}

}  // namespace eligo::cli
