#include "common.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>

namespace eligo::cli {

namespace {

void Print(const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& d : diagnostics) std::cerr << FormatDiagnostic(d);
}

// Rules bound to params, or nullopt after printing every diagnostic.
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

}  // namespace

void AddRunOptions(po::options_description& options) {
  options.add_options()("help,h", "show this help")(
      "rules", po::value<std::string>()->required(), "rule file (YAML)")(
      "params", po::value<std::string>()->default_value(""),
      "run-time parameter values (YAML)")(
      "input", po::value<std::vector<std::string>>()->required(),
      "CSV panel: PATH, KIND=PATH or - (repeatable)")(
      "history", po::value<std::string>()->default_value(""),
      "decisions of an earlier run (eligo CSV or JSONL)")(
      "encoding", po::value<std::string>()->default_value("auto"),
      "input encoding: auto, utf-8, gbk, gb18030")(
      "sheet", po::value<std::string>()->default_value(""),
      "worksheet of an .xlsx input (default: the first)")(
      "header-row", po::value<long>()->default_value(0),
      "line (workbook row) of the header; default: found among the first "
      "30")(
      "absent-column",
      po::value<std::vector<std::string>>()->default_value({}, ""),
      "FIELD the rules read that the input lacks on purpose: its cells read "
      "as empty (repeatable)");
}

void AddWordOptions(po::options_description& options) {
  options.add_options()(
      "lang", po::value<std::string>()->default_value(""),
      "words for people: zh or en (default: the rule set's, else en)")(
      "amount-unit", po::value<std::string>()->default_value("元"),
      "amounts for people in 元 or 万元");
}

Lang LangOf(const po::variables_map& vm, const RuleSet& rules) {
  std::string text = vm["lang"].as<std::string>();
  if (text.empty()) text = rules.info().lang;
  if (text.empty()) return Lang::kEn;
  std::optional<Lang> lang = ParseLang(text);
  if (!lang)
    throw UsageError{fmt::format("--lang must be zh or en, not `{}`", text)};
  return *lang;
}

AmountUnit AmountUnitOf(const po::variables_map& vm) {
  std::string text = vm["amount-unit"].as<std::string>();
  std::optional<AmountUnit> unit = ParseAmountUnit(text);
  if (!unit) {
    throw UsageError{
        fmt::format("--amount-unit must be 元 or 万元, not `{}`", text)};
  }
  return *unit;
}

ReadOptions ReadOptionsOf(const po::variables_map& vm) {
  ReadOptions read;
  read.encoding = vm["encoding"].as<std::string>();
  read.sheet = vm["sheet"].as<std::string>();
  read.header_row = vm["header-row"].as<long>();
  if (read.header_row < 0) throw UsageError{"--header-row must be 1 or more"};
  read.absent_columns = vm["absent-column"].as<std::vector<std::string>>();
  return read;
}

void PrintRowReports(const PanelBatch& batch) {
  constexpr size_t kShown = 10;
  size_t shown = 0, count = 0;
  for (const RejectedRow& r : batch.rejects) {
    if (r.status == RejectedRow::Status::kSkipped) continue;
    ++count;
    if (shown++ < kShown) {
      std::cerr << fmt::format(
          "{}:{}: {}{}\n", r.file, r.line,
          r.status == RejectedRow::Status::kPartlyRead ? "partly read: " : "",
          r.reason);
    }
  }
  if (count > 0) {
    std::cerr << fmt::format(
        "{} rows rejected or partly read{}; name a --rejects file to keep "
        "them all with their cells\n",
        count,
        count > kShown ? fmt::format(" (the first {} above)", kShown)
                       : std::string());
  }
}

std::vector<InputFile> Inputs(const po::variables_map& vm) {
  std::vector<InputFile> inputs;
  for (const std::string& spec : vm["input"].as<std::vector<std::string>>()) {
    inputs.push_back(ParseInputFile(spec));
  }
  return inputs;
}

std::optional<Run> LoadRun(const po::variables_map& vm, bool read_panels) {
  std::optional<Evaluator> evaluator = LoadEvaluator(
      vm["rules"].as<std::string>(), vm["params"].as<std::string>());
  if (!evaluator) return std::nullopt;
  PanelBatch batch;
  if (read_panels) {
    ReadOptions read = ReadOptionsOf(vm);
    Result<PanelBatch> panels =
        ReadPanels(Inputs(vm), evaluator->rules(), read);
    if (!panels.ok()) {
      std::cerr << "error: " << panels.error() << "\n";
      return std::nullopt;
    }
    batch = std::move(panels).value();
  }
  History history;
  if (std::string path = vm["history"].as<std::string>(); !path.empty()) {
    Result<History> read_history = ReadHistory(path, &evaluator->rules());
    if (!read_history.ok()) {
      std::cerr << "error: " << read_history.error() << "\n";
      return std::nullopt;
    }
    history = std::move(read_history).value();
  }
  return Run{std::move(*evaluator), std::move(batch), std::move(history)};
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
