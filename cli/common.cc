#include "common.h"

#include <fmt/format.h>

#include <iostream>

namespace eligo::cli {

namespace {

void Print(const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& d : diagnostics) std::cerr << FormatDiagnostic(d);
}

}  // namespace

std::optional<Evaluator> LoadEvaluator(const std::string& rules_path,
                                       const std::string& params_path) {
  LoadResult loaded = LoadRuleSet(rules_path);
  Print(loaded.diagnostics);
  if (!loaded.ok()) return std::nullopt;
  ParamValues values;
  if (!params_path.empty()) {
    ParamsResult params = LoadParams(params_path, *loaded.rule_set);
    Print(params.diagnostics);
    if (!params.ok()) return std::nullopt;
    values = std::move(params.values);
  } else {
    for (const std::string& name : loaded.rule_set->RuntimeParameters()) {
      std::cerr << fmt::format(
          "warning: no --params file: decisions that need `{}` will be "
          "undetermined\n",
          name);
    }
  }
  Result<Evaluator> evaluator = Evaluator::Create(loaded.rule_set, values);
  if (!evaluator.ok()) {
    std::cerr << "error: " << evaluator.error() << "\n";
    return std::nullopt;
  }
  return std::move(evaluator).value();
}

InputFile ParseInput(const std::string& spec) {
  size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0) return InputFile{spec, ""};
  return InputFile{spec.substr(eq + 1), spec.substr(0, eq)};
}

bool ParseArgs(const std::vector<std::string>& args,
               const po::options_description& options,
               const po::positional_options_description& positional,
               const char* usage, po::variables_map& vm) {
  try {
    po::store(po::command_line_parser(args)
                  .options(options)
                  .positional(positional)
                  .run(),
              vm);
    if (vm.count("help")) {
      std::cout << usage << "\n" << options << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError{e.what()};
  }
  return true;
}

}  // namespace eligo::cli
