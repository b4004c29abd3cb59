// embed: evaluates the Luohe rules for an enterprise whose panel is built in
// code, not read from CSV, and prints each decision with its trace.
//
// usage: embed RULES.yaml   (e.g. rules/luohe-2017.yaml)
#include <eligo/decision.h>
#include <eligo/panel.h>
#include <eligo/render.h>
#include <eligo/rule_set.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

// Exact decimals from text: money, ratios and percentages never pass
// through binary floating point. Parse fails (with a message) on text that
// is not a plain decimal; the literals here are.
eligo::Decimal Exact(const std::string& text) {
  eligo::Result<eligo::Decimal> d = eligo::Decimal::Parse(text);
  if (!d.ok()) {
    std::cerr << text << ": " << d.error() << "\n";
    std::exit(1);
  }
  return *d;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: embed RULES.yaml\n";
    return 2;
  }
  std::cout << "eligo " << eligo::Version() << "\n";

  // Mistakes in a rule file are diagnostics (all of them), not exceptions.
  eligo::LoadResult loaded = eligo::LoadRuleSet(argv[1]);
  for (const eligo::Diagnostic& d : loaded.diagnostics)
    std::cerr << eligo::FormatDiagnostic(d);
  if (!loaded.ok()) return 1;
  const eligo::RuleSet& rules = *loaded.rule_set;

  // Run-time parameters, supplied in code instead of a params file.
  eligo::ParamValues params;
  params.Set("city_industrial_revenue_growth", 2019, Exact("7.8%"));
  params.Set("city_industrial_revenue_growth", 2020, Exact("3.1%"));
  eligo::Result<eligo::Evaluator> evaluator =
      eligo::Evaluator::Create(loaded.rule_set, params);
  if (!evaluator.ok()) {
    std::cerr << evaluator.error() << "\n";
    return 1;
  }

  // One enterprise over two years, with typed values; each setter checks the
  // field's type and constraints.
  const eligo::EntitySchema* schema = rules.FindEntity("enterprise");
  if (schema == nullptr) {
    std::cerr << "the rules have no enterprise\n";
    return 1;
  }
  eligo::Panel panel(*schema, "91411103MA40B8Q1DU");
  struct Year {
    int year;
    const char* revenue;  // yuan
    const char* tax;      // yuan
  };
  for (const Year& y : {Year{2019, "600000000.00", "6000000.00"},
                        Year{2020, "1050000000.00", "10500000.00"}}) {
    eligo::Row& row = panel.AddRow(y.year);  // valid until the next AddRow
    for (const eligo::Status& s :
         {panel.SetText(row, "name", "漯河市示例食品有限公司"),
          panel.SetText(row, "county", "郾城区"),
          panel.SetNumber(row, "sales_revenue", Exact(y.revenue)),
          panel.SetNumber(row, "local_tax", Exact(y.tax)),
          panel.SetBoolean(row, "in_cultivation_list", true)}) {
      if (!s.ok()) {
        std::cerr << s.message() << "\n";
        return 1;
      }
    }
  }

  // What earlier runs paid this enterprise: tier2 of the scale award in
  // 2018, so only a higher tier can be paid now.
  std::vector<eligo::PastAward> history = {
      {"scale-tier-award", "tier2", 2018, Exact("500000")}};

  // Evaluate with traces, and print each decision as an auditor reads it;
  // the fields are there for programs too.
  for (const eligo::Decision& d :
       evaluator->Evaluate(panel, history, {.trace = true})) {
    std::cout << "\n"
              << eligo::TraceToText(d,
                                    eligo::Renderer(rules, eligo::Lang::kEn));
    if (d.outcome == eligo::Outcome::kEligible && d.amount)
      std::cout << "  => pay " << d.amount->ToFixed(2) << " yuan (" << d.payer
                << ")\n";
  }
  return 0;
}
