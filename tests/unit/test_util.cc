#include "test_util.h"

#include <stdexcept>

namespace eligo::testing {

std::shared_ptr<const RuleSet> LoadShipped(const std::string& name) {
  LoadResult result =
      LoadRuleSet(std::string(ELIGO_SOURCE_DIR) + "/rules/" + name);
  INFO(Dump(result));
  REQUIRE(result.ok());
  return result.rule_set;
}

LoadResult LoadText(const std::string& yaml, const std::string& name) {
  return LoadRuleSetFromString(yaml, name);
}

std::string Dump(const LoadResult& result) {
  std::string out;
  for (const Diagnostic& d : result.diagnostics) out += FormatDiagnostic(d);
  return out;
}

ParamValues FlatGrowth(const std::string& percent) {
  ParamValues p;
  for (int y = 2015; y <= 2025; ++y)
    p.Set("city_industrial_revenue_growth", y, D(percent));
  return p;
}

std::vector<Rendered> Score(const std::shared_ptr<const RuleSet>& rules,
                            const ParamValues& params, const std::string& kind,
                            const std::vector<RowText>& rows,
                            const std::vector<PastAward>& history, bool trace) {
  const EntitySchema* schema = rules->FindEntity(kind);
  REQUIRE(schema != nullptr);
  Panel panel(*schema, "TEST");
  for (const RowText& text : rows) {
    Row& row = panel.AddRow(std::stoi(text.at("year")));
    for (const auto& [field, value] : text) {
      Status s = panel.Set(row, field, value);
      INFO(field, " = ", value, ": ", s.message());
      REQUIRE(s.ok());
    }
  }
  Result<Evaluator> evaluator = Evaluator::Create(rules, params);
  INFO(evaluator.error());
  REQUIRE(evaluator.ok());
  EvalOptions options;
  options.trace = trace;
  return Render(evaluator->Evaluate(panel, history, options), *rules);
}

std::vector<Rendered> Render(const std::vector<Decision>& decisions,
                             const RuleSet& rules) {
  Renderer english(rules, Lang::kEn);
  std::vector<Rendered> out;
  for (const Decision& d : decisions) {
    Rendered& r = out.emplace_back();
    static_cast<Decision&>(r) = d;
    r.reason = english.Reason(d);
    r.missing = english.Missing(d);
  }
  return out;
}

template <typename D>
const D& FindIn(const std::vector<D>& decisions, const std::string& rule,
                int year) {
  for (const D& d : decisions) {
    if (d.rule == rule && d.year == year) return d;
  }
  FAIL("no decision for ", rule, " in ", year);
  throw std::logic_error("unreachable");
}

const Decision& Find(const std::vector<Decision>& decisions,
                     const std::string& rule, int year) {
  return FindIn(decisions, rule, year);
}

const Rendered& Find(const std::vector<Rendered>& decisions,
                     const std::string& rule, int year) {
  return FindIn(decisions, rule, year);
}

Decimal D(const std::string& text) {
  Result<Decimal> d = Decimal::Parse(text);
  REQUIRE(d.ok());
  return *d;
}

}  // namespace eligo::testing
