// RunRuleTests: rule tests written as data (rules/README.md, "Rule tests").
#include "eligo/rule_test.h"

#include <doctest/doctest.h>

#include <string>

namespace eligo::testing {
namespace {

const std::string kRules =
    std::string(ELIGO_SOURCE_DIR) + "/rules/luohe-2017.yaml";

// A test file with one case of one row (tier1 figures met exactly in 2017)
// and the expectation `expect`, plus optional extra case keys.
std::string OneCase(const std::string& expect, const std::string& extra = "") {
  return R"(eligo-test: 1
params:
  city_industrial_revenue_growth: {2017: 8%}
cases:
  - name: tier1 exactly
    entity: enterprise
)" + extra +
         R"(    rows:
      - {year: 2017, county: 源汇区, sales_revenue: "100000000.00", local_tax: "2000000.00", in_cultivation_list: 是}
    expect:
      - )" +
         expect + "\n";
}

std::string Dump(const TestReport& r) {
  std::string out;
  for (const Diagnostic& d : r.diagnostics) out += FormatDiagnostic(d);
  for (const TestFailure& f : r.failures) {
    out += f.case_name + " line " + std::to_string(f.line) + ": " + f.expected +
           " / " + f.actual + " / " + f.message + "\n";
  }
  return out;
}

TEST_CASE("rule tests: a passing case") {
  TestReport r = RunRuleTestsFromString(
      kRules,
      OneCase("{rule: scale-tier-award, year: 2017, outcome: eligible, tier: "
              "tier1, amount: \"100000.00\", payer: 源汇区人民政府}"),
      "t.yaml");
  INFO(Dump(r));
  CHECK(r.passed == 1);
  CHECK(r.failed == 0);
  CHECK(r.failures.empty());
  CHECK(r.diagnostics.empty());
  CHECK(r.ok());
}

TEST_CASE("rule tests: amounts compare as exact decimals") {
  TestReport r = RunRuleTestsFromString(
      kRules,
      OneCase("{rule: scale-tier-award, year: 2017, amount: \"100000\"}"),
      "t.yaml");
  INFO(Dump(r));
  CHECK(r.passed == 1);
}

TEST_CASE("rule tests: a wrong amount fails with both decisions and a trace") {
  TestReport r = RunRuleTestsFromString(
      kRules,
      OneCase("{rule: scale-tier-award, year: 2017, outcome: eligible, "
              "amount: \"100000.01\"}"),
      "t.yaml");
  INFO(Dump(r));
  CHECK(r.passed == 0);
  CHECK(r.failed == 1);
  CHECK_FALSE(r.ok());
  REQUIRE(r.failures.size() == 1);
  const TestFailure& f = r.failures[0];
  CHECK(f.case_name == "tier1 exactly");
  CHECK(f.file == "t.yaml");
  CHECK(f.line == 10);
  CHECK(f.expected ==
        "scale-tier-award 2017: outcome eligible, amount 100000.01");
  CHECK(f.actual.find("outcome eligible, tier tier1, amount 100000.00") !=
        std::string::npos);
  CHECK(f.message == "amount: expected 100000.01, got 100000.00");
  CHECK(f.trace.find("sales_revenue@2017 = 100000000.00") != std::string::npos);
}

TEST_CASE("rule tests: a wrong tier fails; tier \"\" checks for no tier") {
  TestReport wrong = RunRuleTestsFromString(
      kRules, OneCase("{rule: scale-tier-award, year: 2017, tier: tier2}"),
      "t.yaml");
  REQUIRE(wrong.failures.size() == 1);
  CHECK(wrong.failures[0].message == "tier: expected tier2, got tier1");
  TestReport none = RunRuleTestsFromString(
      kRules,
      OneCase("{rule: scale-tier-award, year: 2017, tier: \"\", amount: none}"),
      "t.yaml");
  REQUIRE(none.failures.size() == 1);
  CHECK(none.failures[0].message ==
        "tier: expected no tier, got tier1; amount: expected no amount, got "
        "100000.00");
}

TEST_CASE("rule tests: reason is a substring; missing an exact list") {
  TestReport ok = RunRuleTestsFromString(
      kRules,
      OneCase("{rule: upgrade-growth-award, year: 2017, outcome: ineligible, "
              "reason: \"does not apply\", missing: []}"),
      "t.yaml");
  INFO(Dump(ok));
  CHECK(ok.passed == 1);
  TestReport bad = RunRuleTestsFromString(
      kRules,
      OneCase("{rule: upgrade-growth-award, year: 2017, reason: \"applies\", "
              "missing: [local_tax@2017]}"),
      "t.yaml");
  REQUIRE(bad.failures.size() == 1);
  CHECK(bad.failures[0].message ==
        "reason: \"does not apply: `present(upgrade_year)` is false\" does "
        "not contain \"applies\"; missing: expected [local_tax@2017], got []");
}

TEST_CASE("rule tests: no decision for the rule and year is a failure") {
  TestReport r = RunRuleTestsFromString(
      kRules, OneCase("{rule: scale-tier-award, year: 2018}"), "t.yaml");
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].actual == "scale-tier-award 2018: no decision");
  CHECK(r.failures[0].trace.empty());
}

TEST_CASE("rule tests: a case may load a variant rule file") {
  std::string text = R"(eligo-test: 1
cases:
  - name: top-up
    rules: luohe-2017-top-up.yaml
    entity: enterprise
    rows:
      - {year: 2017, county: 源汇区, sales_revenue: "150000000", local_tax: "2500000", in_cultivation_list: 是}
      - {year: 2018, county: 源汇区, sales_revenue: "1200000000", local_tax: "12000000", in_cultivation_list: 是}
    expect:
      - {rule: scale-tier-award, year: 2018, outcome: eligible, tier: tier3, amount: "900000"}
  - name: base
    entity: enterprise
    rows:
      - {year: 2017, county: 源汇区, sales_revenue: "150000000", local_tax: "2500000", in_cultivation_list: 是}
      - {year: 2018, county: 源汇区, sales_revenue: "1200000000", local_tax: "12000000", in_cultivation_list: 是}
    expect:
      - {rule: scale-tier-award, year: 2018, outcome: eligible, tier: tier3, amount: "1000000"}
  - name: no such variant
    rules: luohe-2017-nonexistent.yaml
    entity: enterprise
    rows: [{year: 2017}]
    expect: [{rule: scale-tier-award, year: 2017}]
)";
  TestReport r = RunRuleTestsFromString(kRules, text, "t.yaml");
  INFO(Dump(r));
  CHECK(r.passed == 2);
  CHECK(r.failed == 1);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].case_name == "no such variant");
  CHECK(r.failures[0].line == 19);
  CHECK(r.failures[0].message.find(
            "the variant rule file `luohe-2017-nonexistent.yaml` does not "
            "load") == 0);
  CHECK(r.diagnostics.empty());
}

TEST_CASE("rule tests: unknown keys are diagnostics with line and column") {
  TestReport r = RunRuleTestsFromString(
      kRules,
      OneCase("{rule: scale-tier-award, year: 2017, amuont: \"100000\"}",
              "    colour: blue\n"),
      "t.yaml");
  INFO(Dump(r));
  REQUIRE(r.diagnostics.size() == 2);
  CHECK(r.diagnostics[0].file == "t.yaml");
  CHECK(r.diagnostics[0].line == 7);
  CHECK(r.diagnostics[0].column == 5);
  CHECK(r.diagnostics[0].message.find("unknown key `colour` in a case") == 0);
  CHECK(r.diagnostics[1].line == 11);
  CHECK(r.diagnostics[1].column == 46);
  CHECK(r.diagnostics[1].message.find("unknown key `amuont`") == 0);
  CHECK(r.failed == 1);  // not run
  CHECK_FALSE(r.ok());
}

TEST_CASE("rule tests: unknown fields, rules and parameters are diagnostics") {
  std::string text = R"(eligo-test: 1
params:
  city_growth: {2017: 8%}
cases:
  - name: typos
    entity: enterprise
    rows:
      - {year: 2017, sales_revenu: "1"}
    expect:
      - {rule: scale-tier-awrd, year: 2017}
)";
  TestReport r = RunRuleTestsFromString(kRules, text, "t.yaml");
  INFO(Dump(r));
  REQUIRE(r.diagnostics.size() == 3);
  CHECK(r.diagnostics[0].line == 8);
  CHECK(r.diagnostics[0].message == "`enterprise` has no field `sales_revenu`");
  CHECK(r.diagnostics[1].line == 10);
  CHECK(r.diagnostics[1].message.find("unknown rule `scale-tier-awrd`") == 0);
  CHECK(r.diagnostics[2].line == 3);
  CHECK(r.diagnostics[2].message == "unknown parameter `city_growth`");
  CHECK(r.failed == 1);
}

TEST_CASE("rule tests: a row that cannot be read fails its case") {
  TestReport r = RunRuleTestsFromString(kRules,
                                        R"(eligo-test: 1
cases:
  - name: negative revenue
    entity: enterprise
    rows:
      - {year: 2017, sales_revenue: "-5"}
    expect:
      - {rule: scale-tier-award, year: 2017}
)",
                                        "t.yaml");
  INFO(Dump(r));
  CHECK(r.diagnostics.empty());
  CHECK(r.failed == 1);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].line == 6);
  CHECK(r.failures[0].message.find(
            "the row for 2017 (line 6) cannot be read") == 0);
}

}  // namespace
}  // namespace eligo::testing
