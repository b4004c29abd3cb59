// eligo score: every decision for CSV panels, as CSV or JSON Lines.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "common.h"
#include "eligo/provenance.h"

namespace eligo::cli {
namespace {

constexpr const char* kHelp =
    R"(usage: eligo score --rules RULES [--params PARAMS] --input [KIND=]PATH... [options]

Decides every rule for every entity and year of the input panels: one
decision per entity, year and rule of its kind, in input order, then year,
then rule-file order.

Inputs are CSV, UTF-8 (with or without BOM) or GBK/GB18030, headers as
field names or Chinese aliases in any order, money units in headers such
as 年销售收入(万元). The kind of each file is recognised from its header;
KIND=PATH forces it; - reads standard input.

Rows that cannot be read go to --rejects with their line and reason; the
run goes on. Output files appear under their final name only when
complete.

exit status: 0 every row scored; 1 some rows rejected; 2 usage error or
invalid rule, params or input file (nothing written); 3 an output could
not be written.

example:
  eligo score --rules rules/luohe-2017.yaml --params examples/params.yaml \
      --input examples/enterprises.csv --input examples/lenders.csv \
      --output decisions.csv --rejects rejects.csv --summary summary.json
)";

struct Outputs {
  std::unique_ptr<OutputFile> decisions, rejects, summary;
  std::vector<std::unique_ptr<OutputFile>> sidecars;  // OUTPUT.run.json
};

// An output written to a regular file gets a provenance sidecar.
bool WantsSidecar(const std::string& path) {
  if (path.empty() || path == "-") return false;
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  return ec || status.type() == std::filesystem::file_type::not_found ||
         status.type() == std::filesystem::file_type::regular;
}

std::string NowUtc() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// What this run read: the rule, params, input and history files, hashed.
Result<RunRecord> Record(const std::vector<std::string>& args,
                         const po::variables_map& vm, const Run& run) {
  RunRecord record;
  record.version = Version();
  record.rule_set_digest = run.evaluator.rules().digest();
  record.arguments = {"eligo", "score"};
  record.arguments.insert(record.arguments.end(), args.begin(), args.end());
  for (const char* role : {"rules", "params", "history"}) {
    std::string path = vm[role].as<std::string>();
    if (path.empty()) continue;
    Result<std::string> sha = Sha256File(path);
    if (!sha.ok()) return sha.status();
    record.files.push_back({role, path, *sha});
  }
  for (const auto& [path, sha] : run.batch.digests) {
    record.files.push_back({"input", path, sha});
  }
  return record;
}

// Opens an output, or returns null after saying why.
std::unique_ptr<OutputFile> Open(const std::string& path) {
  Result<std::unique_ptr<OutputFile>> file = OutputFile::Create(path);
  if (!file.ok()) {
    std::cerr << "error: " << file.error() << "\n";
    return nullptr;
  }
  return std::move(file).value();
}

}  // namespace

int Score(const std::vector<std::string>& args) {
  std::string started = NowUtc();
  auto clock = std::chrono::steady_clock::now();
  po::options_description options("options");
  AddRunOptions(options);
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
      "write the run summary as JSON here (default: text on stderr)");
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
  if (write.trace && write.format != OutputFormat::kJsonLines)
    throw UsageError{"--trace needs --format jsonl"};
  if (write.excel && write.format != OutputFormat::kCsv)
    throw UsageError{"--excel needs --format csv"};

  std::optional<Run> run = LoadRun(vm);
  if (!run) return kUsage;
  const PanelBatch* batch = &run->batch;

  Outputs out;
  out.decisions = Open(vm["output"].as<std::string>());
  if (out.decisions == nullptr) return kWriteFailed;
  for (auto [option, file] : {std::pair{"rejects", &out.rejects},
                              std::pair{"summary", &out.summary}}) {
    std::string path = vm[option].as<std::string>();
    if (path.empty()) continue;
    *file = Open(path);
    if (*file == nullptr) return kWriteFailed;
  }

  DecisionWriter writer(*out.decisions, run->evaluator.rules(), write);
  writer.WriteHeader();
  RunSummary summary;
  summary.SetRows(*batch);
  EvalOptions eval;
  eval.trace = write.trace;
  bool progress = isatty(STDERR_FILENO) && batch->panels.size() >= 10000;
  for (size_t i = 0; i < batch->panels.size(); ++i) {
    const Panel& panel = batch->panels[i];
    for (const Decision& d :
         run->evaluator.Evaluate(panel, run->HistoryOf(panel), eval)) {
      summary.Add(d);
      if (only.empty() || d.outcome == Outcome::kEligible)
        writer.Write(d, panel);
    }
    if (progress && i % 5000 == 0)
      std::cerr << fmt::format("\rscored {} of {} entities", i,
                               batch->panels.size());
  }
  if (progress)
    std::cerr << fmt::format("\rscored {0} of {0} entities\n",
                             batch->panels.size());
  if (out.rejects) WriteRejects(*out.rejects, batch->rejects, write.excel);
  Result<RunRecord> record = Record(args, vm, *run);
  if (!record.ok()) {
    std::cerr << "error: " << record.error() << "\n";
    return kUsage;
  }
  record.value().started_utc = started;
  record.value().elapsed_ms =
      static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - clock)
                            .count());
  std::string run_json = RunRecordToJson(*record);
  summary.SetRun(run_json);
  if (out.summary) out.summary->Write(summary.ToJson() + "\n");
  for (const char* option : {"output", "rejects", "summary"}) {
    std::string path = vm[option].as<std::string>();
    if (!WantsSidecar(path)) continue;
    out.sidecars.push_back(Open(path + ".run.json"));
    if (out.sidecars.back() == nullptr) return kWriteFailed;
    out.sidecars.back()->Write(run_json + "\n");
  }

  // All or nothing: every output is complete on disk before any is renamed.
  std::vector<OutputFile*> files = {out.decisions.get(), out.rejects.get(),
                                    out.summary.get()};
  for (auto& sidecar : out.sidecars) files.push_back(sidecar.get());
  for (bool rename : {false, true}) {
    for (OutputFile* file : files) {
      if (file == nullptr) continue;
      Status s = rename ? file->Commit() : file->Finish();
      if (!s.ok()) {
        std::cerr << "error: " << s.message() << "\n";
        return kWriteFailed;
      }
    }
  }
  if (!out.summary) std::cerr << summary.ToText();
  if (!batch->rejects.empty() && !out.rejects) {
    std::cerr << fmt::format(
        "{} rows rejected; name a --rejects file to keep them\n",
        batch->rejects.size());
  }
  return batch->rejects.empty() ? kOk : kRejected;
}

}  // namespace eligo::cli
