// eligo explain: every decision for one entity, for an auditor.
#include <fmt/format.h>

#include <iostream>

#include "common.h"

namespace eligo::cli {
namespace {

constexpr const char* kHelp =
    R"(usage: eligo explain --rules RULES [--params PARAMS] --input [KIND=]PATH... --id CODE [options]

Prints, for one entity, every decision with the clause it comes from (and
its Chinese text), each condition with the values it read, the tier
reached and why higher tiers were not, the earlier awards consulted, and
any note.

example:
  eligo explain --rules rules/luohe-2017.yaml --params examples/params.yaml \
      --input examples/enterprises.csv --id 91411102MA3X4K7P2F --year 2018
)";

}  // namespace

int Explain(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("help,h", "show this help")(
      "rules", po::value<std::string>()->required(), "rule file (YAML)")(
      "params", po::value<std::string>()->default_value(""),
      "run-time parameter values (YAML)")(
      "input", po::value<std::vector<std::string>>()->required(),
      "CSV panel: PATH, KIND=PATH or - (repeatable)")(
      "id", po::value<std::string>()->required(),
      "the entity's key (credit code, institution code)")(
      "year", po::value<int>(), "only this year")(
      "rule", po::value<std::string>()->default_value(""), "only this rule")(
      "history", po::value<std::string>()->default_value(""),
      "decisions of an earlier run (eligo CSV or JSONL)")(
      "encoding", po::value<std::string>()->default_value("auto"),
      "input encoding: auto, utf-8, gbk, gb18030")(
      "format", po::value<std::string>()->default_value("text"),
      "text or json");
  po::variables_map vm;
  if (!ParseArgs(args, options, {}, kHelp, vm)) return kOk;
  std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json")
    throw UsageError{"--format must be text or json"};

  std::optional<Evaluator> evaluator = LoadEvaluator(
      vm["rules"].as<std::string>(), vm["params"].as<std::string>());
  if (!evaluator) return kUsage;
  std::vector<InputFile> inputs;
  for (const std::string& spec : vm["input"].as<std::vector<std::string>>())
    inputs.push_back(ParseInput(spec));
  ReadOptions read;
  read.encoding = vm["encoding"].as<std::string>();
  Result<PanelBatch> batch = ReadPanels(inputs, evaluator->rules(), read);
  if (!batch.ok()) {
    std::cerr << "error: " << batch.error() << "\n";
    return kUsage;
  }
  History history;
  if (std::string path = vm["history"].as<std::string>(); !path.empty()) {
    Result<History> h = ReadHistory(path);
    if (!h.ok()) {
      std::cerr << "error: " << h.error() << "\n";
      return kUsage;
    }
    history = std::move(h).value();
  }
  std::string id = vm["id"].as<std::string>();
  std::string rule = vm["rule"].as<std::string>();
  std::optional<int> year;
  if (vm.count("year")) year = vm["year"].as<int>();

  std::unique_ptr<OutputFile> out = std::move(OutputFile::Create("-")).value();
  WriteOptions write;
  write.format = OutputFormat::kJsonLines;
  write.trace = true;
  DecisionWriter json(*out, write);
  EvalOptions eval;
  eval.trace = true;
  int shown = 0;
  for (const Panel& panel : batch->panels) {
    if (panel.id() != id) continue;
    auto past = history.find(HistoryKey(panel.schema().kind, panel.id()));
    std::vector<PastAward> none;
    for (const Decision& d : evaluator->Evaluate(
             panel, past == history.end() ? none : past->second, eval)) {
      if ((year && d.year != *year) || (!rule.empty() && d.rule != rule))
        continue;
      ++shown;
      if (format == "json") {
        json.Write(d, panel);
      } else {
        out->Write(TraceToText(d, evaluator->rules()) + "\n");
      }
    }
  }
  for (const RejectedRow& r : batch->rejects) {
    if (std::find(r.cells.begin(), r.cells.end(), id) != r.cells.end()) {
      std::cerr << fmt::format("note: {}:{} for {} was rejected: {}\n", r.file,
                               r.line, id, r.reason);
    }
  }
  if (Status s = out->Commit(); !s.ok()) {
    std::cerr << "error: " << s.message() << "\n";
    return kWriteFailed;
  }
  if (shown == 0) {
    std::cerr << fmt::format(
        "no decision for `{}`{}{} in the inputs\n", id,
        year ? fmt::format(" in {}", *year) : "",
        rule.empty() ? "" : fmt::format(" under `{}`", rule));
    return kUsage;
  }
  return kOk;
}

}  // namespace eligo::cli
