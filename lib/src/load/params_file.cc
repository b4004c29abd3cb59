// The params-file loader: `name: {YEAR: VALUE}`, checked
// against the rule set's parameters. Its interface is LoadParams
// (eligo/rule_set.h).
#include <fmt/format.h>

#include <charconv>
#include <map>

#include "check/analysis.h"
#include "diagnostic_sink.h"
#include "eligo/rule_set.h"
#include "load/expr_parser.h"
#include "load/rule_file.h"
#include "load/yaml_reader.h"
#include "program.h"

namespace eligo {
namespace {

constexpr size_t kMaxParamsFileBytes = 1 << 20;

void ReadValue(YamlReader& yaml, const Parameter& param, const YAML::Node& node,
               int year, ParamValues& out) {
  std::optional<std::string> text =
      yaml.Scalar(node, fmt::format("the value of `{}`", param.name));
  if (!text) return;
  bool is_money = false;
  std::string error;
  std::optional<Decimal> v = ParseQuantity(*text, &is_money, &error);
  if (!v) {
    yaml.sink().Error(yaml.MarkOf(node),
                      fmt::format("`{}`: {}", param.name, error));
  } else if (is_money != (param.type == Type::kMoney)) {
    yaml.sink().Error(
        yaml.MarkOf(node),
        param.type == Type::kMoney
            ? fmt::format("`{}` is money: write the unit, e.g. `{}元`",
                          param.name, *text)
            : fmt::format("`{}` is a {}, not money", param.name,
                          TypeName(param.type)));
  } else {
    out.Set(param.name, year, *v);
  }
}

// A run-time parameter a rule reads but neither file gives for a year the
// rule covers: its decisions for that year would be undetermined.
void WarnMissingYears(const Program& p, const ParamValues& values,
                      const std::map<std::string, Mark>& marks, int file,
                      DiagnosticSink& sink) {
  for (const Rule& rule : p.rules) {
    std::optional<std::pair<int, int>> years = ConstantYears(p, rule);
    if (!years) continue;
    for (int index : ParamsUsedBy(p, rule)) {
      const Parameter& param = p.params[static_cast<size_t>(index)];
      if (!param.runtime || param.scalar) continue;
      auto given = values.by_year.find(param.name);
      for (int y = years->first; y <= years->second; ++y) {
        if (param.by_year.count(y) ||
            (given != values.by_year.end() && given->second.count(y))) {
          continue;
        }
        auto at = marks.find(param.name);
        sink.Warning(at == marks.end() ? Mark{file, 1, 1} : at->second,
                     fmt::format("no value of `{}` for {}, a year rule `{}` "
                                 "covers: its decisions for {} will be "
                                 "undetermined",
                                 param.name, y, rule.info.id, y));
        break;
      }
    }
  }
}

}  // namespace

ParamsResult LoadParamsFromString(std::string_view text,
                                  const std::string& name,
                                  const RuleSet& rules) {
  DiagnosticSink sink;
  ParamsResult result;
  int file = sink.AddFile(name, std::string(text));
  YamlReader yaml(file, text, sink);
  std::optional<YAML::Node> parsed = yaml.Parse();
  YAML::Node root = parsed ? *parsed : YAML::Node();
  const Program& p = rules.program();
  std::map<std::string, Mark> marks;  // where each parameter was given
  if (root && !root.IsNull() && !root.IsMap()) {
    sink.Error(yaml.MarkOf(root),
               "a params file maps parameter names to values by year");
  } else if (root && root.IsMap()) {
    for (const auto& kv : root) {
      std::string param_name = kv.first.Scalar();
      int index = p.FindParam(param_name);
      if (index < 0) {
        sink.Error(yaml.MarkOf(kv.first),
                   fmt::format("unknown parameter `{}`", param_name));
        continue;
      }
      const Parameter& param = p.params[static_cast<size_t>(index)];
      marks[param_name] = yaml.MarkOf(kv.first);
      if (!param.runtime) {
        sink.Warning(
            yaml.MarkOf(kv.first),
            fmt::format("`{}` is not a run-time parameter: these values "
                        "override the rule file's",
                        param_name));
      }
      if (!kv.second.IsMap()) {
        sink.Error(yaml.MarkOf(kv.second),
                   fmt::format("`{}` needs values by year, e.g. {{2017: 8.5%}}",
                               param_name));
        continue;
      }
      for (const auto& entry : kv.second) {
        std::string key = entry.first.Scalar();
        int year = 0;
        auto [end, ec] =
            std::from_chars(key.data(), key.data() + key.size(), year);
        if (ec != std::errc() || end != key.data() + key.size() ||
            year < 1900 || year > 2200) {
          sink.Error(yaml.MarkOf(entry.first),
                     fmt::format("`{}` is not a year", key));
          continue;
        }
        ReadValue(yaml, param, entry.second, year, result.values);
      }
    }
  }
  WarnMissingYears(p, result.values, marks, file, sink);
  result.diagnostics = std::move(sink.diagnostics());
  return result;
}

ParamsResult LoadParams(const std::string& path, const RuleSet& rules) {
  Result<std::string> text = ReadFile(path, kMaxParamsFileBytes);
  if (!text.ok()) {
    ParamsResult result;
    result.diagnostics.push_back(
        Diagnostic{Severity::kError, path, 1, 1, text.error(), ""});
    return result;
  }
  return LoadParamsFromString(*text, path, rules);
}

}  // namespace eligo
