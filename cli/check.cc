// eligo check: every mistake in rule files and a params file.
#include <fmt/format.h>

#include <iostream>

#include "common.h"

namespace eligo::cli {
namespace {

constexpr const char* kHelp = R"(usage: eligo check RULES... [--params PARAMS]

Loads and checks each rule file (and the params file against it), printing
every problem as file:line:col: error: message, with the line and a caret.
Exit status 0 when there are no errors (warnings allowed), 2 otherwise.

example:
  eligo check rules/luohe-2017.yaml --params examples/params.yaml
)";

}  // namespace

int Check(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("help,h", "show this help")(
      "rules", po::value<std::vector<std::string>>()->required(),
      "rule files (positional)")("params",
                                 po::value<std::string>()->default_value(""),
                                 "params file to check against each rule file");
  po::positional_options_description positional;
  positional.add("rules", -1);
  po::variables_map vm;
  if (!ParseArgs(args, options, positional, kHelp, vm)) return kOk;
  int errors = 0, warnings = 0;
  auto count = [&](const std::vector<Diagnostic>& diagnostics) {
    for (const Diagnostic& d : diagnostics) {
      std::cerr << FormatDiagnostic(d);
      (d.severity == Severity::kError ? errors : warnings)++;
    }
  };
  std::string params = vm["params"].as<std::string>();
  for (const std::string& path : vm["rules"].as<std::vector<std::string>>()) {
    LoadResult loaded = LoadRuleSet(path);
    count(loaded.diagnostics);
    if (loaded.ok() && !params.empty())
      count(LoadParams(params, *loaded.rule_set).diagnostics);
    if (loaded.ok()) {
      std::cout << fmt::format("{}: {} rules, {} entity kinds\n", path,
                               loaded.rule_set->rules().size(),
                               loaded.rule_set->entities().size());
    }
  }
  std::cerr << fmt::format("{} errors, {} warnings\n", errors, warnings);
  return errors == 0 ? kOk : kUsage;
}

}  // namespace eligo::cli
