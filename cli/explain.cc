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
  AddRunOptions(options);
  AddWordOptions(options);
  options.add_options()("id", po::value<std::string>()->required(),
                        "the entity's key (credit code, institution code)")(
      "year", po::value<int>(), "only this year")(
      "rule", po::value<std::string>()->default_value(""), "only this rule")(
      "format", po::value<std::string>()->default_value("text"),
      "text or json");
  po::variables_map vm;
  if (!ParseArgs(args, options, {}, kHelp, vm)) return kOk;
  std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json")
    throw UsageError{"--format must be text or json"};

  std::optional<Run> run = LoadRun(vm);
  if (!run) return kUsage;
  std::string id = vm["id"].as<std::string>();
  std::string rule = vm["rule"].as<std::string>();
  std::optional<int> year;
  if (vm.count("year")) year = vm["year"].as<int>();

  std::unique_ptr<OutputFile> out = std::move(OutputFile::Create("-")).value();
  WriteOptions write;
  write.format = OutputFormat::kJsonLines;
  write.trace = true;
  DecisionWriter json(run->evaluator.rules(), write);
  Renderer words(run->evaluator.rules(), LangOf(vm, run->evaluator.rules()),
                 AmountUnitOf(vm));
  std::string line;
  EvalOptions eval;
  eval.trace = true;
  int shown = 0;
  for (const Panel& panel : run->batch.panels) {
    if (panel.id() != id) continue;
    for (const Decision& d :
         run->evaluator.Evaluate(panel, AwardsOf(run->history, panel), eval)) {
      if ((year && d.year != *year) || (!rule.empty() && d.rule != rule))
        continue;
      ++shown;
      if (format == "json") {
        line.clear();
        json.Append(d, panel, line);
        out->Write(line);
      } else {
        out->Write(TraceToText(d, words) + "\n");
      }
    }
  }
  for (const RejectedRow& r : run->batch.rejects) {
    if (std::find(r.cells.begin(), r.cells.end(), id) != r.cells.end()) {
      std::cerr << fmt::format(
          "note: {}:{} for {} was {}: {}\n", r.file, r.line, id,
          r.status == RejectedRow::Status::kPartlyRead ? "partly read"
                                                       : "rejected",
          r.reason);
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
