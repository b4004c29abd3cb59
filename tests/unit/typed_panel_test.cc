// Panels built in code with typed values (Panel::SetNumber, SetBoolean,
// SetText): each setter checks the field's type and constraints, and a
// typed panel decides exactly as the same panel given as spreadsheet text.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "eligo/decision.h"
#include "eligo/panel.h"
#include "eligo/rule_set.h"
#include "test_util.h"

namespace eligo::testing {
namespace {

constexpr const char* kRules = R"(eligo: 1
ruleset: {id: typed}
entities:
  firm:
    key: code
    period: year
    fields:
      code: {type: credit_code}
      name: {type: text}
      year: {type: year}
      revenue: {type: money, unit: 万元, alias: [年销售收入], min: 0}
      share: {type: ratio, max: 1}
      staff: {type: integer, min: 1}
      founded: {type: year}
      listed: {type: boolean}
rules:
  - id: big
    title: 大企业奖励
    citation: 一(1)
    entity: firm
    when:
      - {expr: listed and revenue >= 1亿元, clause: 收入达到1亿元}
    award: {kind: money, amount: 10万元, payer: 市财政}
)";

struct Fixture {
  Fixture() {
    LoadResult loaded = LoadText(kRules);
    INFO(Dump(loaded));
    REQUIRE(loaded.ok());
    rules = loaded.rule_set;
  }
  std::shared_ptr<const RuleSet> rules;
  Panel NewPanel() const {
    return Panel(*rules->FindEntity("firm"), "91411102MA3X4K7P2F");
  }
};

TEST_CASE_FIXTURE(Fixture, "SetNumber stores money in yuan, scaled like Set") {
  Panel panel = NewPanel();
  Row& row = panel.AddRow(2018);
  // revenue is given in 万元: 1.5万元 is 15000 yuan, with SetNumber as with
  // Set, and through an alias too.
  REQUIRE(panel.SetNumber(row, "revenue", D("1.5")).ok());
  CHECK(row.cells[3].number == D("15000"));
  REQUIRE(panel.SetNumber(row, "年销售收入", D("2")).ok());
  CHECK(row.cells[3].number == D("20000"));
  Row text_row;
  text_row.cells = row.cells;
  REQUIRE(panel.Set(text_row, "revenue", "1.5").ok());
  CHECK(text_row.cells[3].number == D("15000"));

  REQUIRE(panel.SetNumber(row, "share", D("0.085")).ok());
  CHECK(row.cells[4].number == D("0.085"));
  REQUIRE(panel.SetNumber(row, "staff", D("12")).ok());
  REQUIRE(panel.SetNumber(row, "founded", D("1998")).ok());
  CHECK(row.cells[6].state == Cell::State::kValue);
}

TEST_CASE_FIXTURE(Fixture, "SetNumber checks the field's constraints") {
  Panel panel = NewPanel();
  Row& row = panel.AddRow(2018);
  REQUIRE(panel.SetNumber(row, "revenue", D("5")).ok());

  Status s = panel.SetNumber(row, "revenue", D("-1"));
  CHECK_FALSE(s.ok());
  CHECK(s.message() == "negative money `-1` in `revenue`");
  CHECK(row.cells[3].number == D("50000"));  // unchanged

  CHECK(panel.SetNumber(row, "share", D("1.5")).message() ==
        "`1.5` of `share` is above its maximum 1");
  CHECK(panel.SetNumber(row, "staff", D("0")).message() ==
        "`0` of `staff` is below its minimum 1");
  CHECK(panel.SetNumber(row, "staff", D("2.5")).message() ==
        "`2.5` of `staff` is not a whole number");
  CHECK(panel.SetNumber(row, "founded", D("1066")).message() ==
        "`1066` of `founded` is not a year");
  CHECK(panel.SetNumber(row, "listed", D("1")).message() ==
        "`listed` is a boolean field; SetNumber cannot set it");
  CHECK(panel.SetNumber(row, "nope", D("1")).message() ==
        "`firm` has no field `nope`");
  Row foreign;  // not made by AddRow: no cells
  CHECK_FALSE(panel.SetNumber(foreign, "revenue", D("1")).ok());
}

TEST_CASE_FIXTURE(Fixture, "SetBoolean and SetText check the field's type") {
  Panel panel = NewPanel();
  Row& row = panel.AddRow(2018);
  REQUIRE(panel.SetBoolean(row, "listed", true).ok());
  CHECK(row.cells[7].boolean);
  CHECK(panel.SetBoolean(row, "revenue", true).message() ==
        "`revenue` is a money field; SetBoolean cannot set it");

  REQUIRE(panel.SetText(row, "name", " 漯河市恒达食品有限公司").ok());
  CHECK(row.cells[1].text == " 漯河市恒达食品有限公司");  // as given
  CHECK(panel.SetText(row, "listed", "yes").message() ==
        "`listed` is a boolean field; SetText cannot set it");

  // A credit code is checked; only a wrong check character is let through.
  REQUIRE(panel.SetText(row, "code", "91411102MA3X4K7P2F").ok());
  CHECK(panel.SetText(row, "code", "91411102MA3X4K7P2X").ok());
  CHECK(panel.SetText(row, "code", "9141").message() ==
        "credit code `9141` has 4 characters; a unified social credit code "
        "has 18");
  CHECK(row.cells[0].text == "91411102MA3X4K7P2X");
}

TEST_CASE("a typed panel decides as the same panel given as text") {
  std::shared_ptr<const RuleSet> rules = LoadShipped();
  const EntitySchema& schema = *rules->FindEntity("enterprise");
  Panel typed(schema, "91411102MA3X4K7P2F"), text(schema, "91411102MA3X4K7P2F");
  struct Year {
    int year;
    const char *revenue, *tax;
    bool listed;
  };
  for (const Year& y : {Year{2016, "80000000", "1500000", true},
                        Year{2017, "120000000.00", "2500000", true},
                        Year{2018, "550000000", "6000000", true},
                        Year{2019, "1100000000", "11000000", false}}) {
    Row& t = typed.AddRow(y.year);
    REQUIRE(typed.SetText(t, "county", "源汇区").ok());
    REQUIRE(typed.SetNumber(t, "sales_revenue", D(y.revenue)).ok());
    REQUIRE(typed.SetNumber(t, "local_tax", D(y.tax)).ok());
    REQUIRE(typed.SetBoolean(t, "in_cultivation_list", y.listed).ok());
    Row& s = text.AddRow(y.year);
    REQUIRE(text.Set(s, "county", "源汇区").ok());
    REQUIRE(text.Set(s, "sales_revenue", y.revenue).ok());
    REQUIRE(text.Set(s, "local_tax", y.tax).ok());
    REQUIRE(text.Set(s, "in_cultivation_list", y.listed ? "是" : "否").ok());
  }
  Result<Evaluator> evaluator = Evaluator::Create(rules, FlatGrowth());
  REQUIRE(evaluator.ok());
  std::vector<Decision> a = evaluator->Evaluate(typed, {}, {.trace = true});
  std::vector<Decision> b = evaluator->Evaluate(text, {}, {.trace = true});
  REQUIRE(a.size() == b.size());
  int eligible = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].outcome == b[i].outcome);
    CHECK(a[i].tier == b[i].tier);
    CHECK(a[i].amount == b[i].amount);
    CHECK(a[i].payer == b[i].payer);
    Renderer words(*rules, Lang::kZh);
    CHECK(words.Reason(a[i]) == words.Reason(b[i]));
    CHECK(TraceToJson(*a[i].trace) == TraceToJson(*b[i].trace));
    eligible += a[i].outcome == Outcome::kEligible;
  }
  CHECK(eligible > 0);
  const Decision& d = Find(a, "scale-tier-award", 2018);
  CHECK(d.outcome == Outcome::kEligible);
  CHECK(d.tier == "tier2");
  CHECK(d.payer == "源汇区人民政府");
}

}  // namespace
}  // namespace eligo::testing
