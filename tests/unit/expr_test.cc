// The expression language, through one-rule rule sets evaluated on tiny
// panels: a condition that is true makes the rule eligible, false makes it
// ineligible and unknown makes it undetermined.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace eligo::testing {
namespace {

// An entity with a field of each kind. p, q: booleans whose empty cell is
// unknown; m, n: money (empty is missing); x, y: ratios; t: text; since: a
// year whose empty cell means none; gone: money whose empty cell means none;
// wan: money entered in 万元.
constexpr const char* kSchema = R"(eligo: 1
ruleset: {id: expr-test}
entities:
  item:
    key: id
    period: year
    fields:
      id: {type: text}
      year: {type: year}
      p: {type: boolean, empty: missing}
      q: {type: boolean, empty: missing}
      m: {type: money}
      n: {type: money}
      x: {type: ratio}
      y: {type: ratio}
      t: {type: text}
      since: {type: year, empty: none}
      gone: {type: money, empty: none}
      wan: {type: money, unit: 万元}
parameters:
  half: {type: ratio, value: 50%}
rules:
  - id: r
    title: 表达式测试
    citation: t
    entity: item
    award: {kind: designation}
    when: )";

// The rule set whose one rule has the condition `expr`.
std::shared_ptr<const RuleSet> Rules(const std::string& expr) {
  std::string quoted;  // a single-quoted YAML scalar
  for (char c : expr)
    quoted += c == '\'' ? std::string("''") : std::string(1, c);
  LoadResult r = LoadText(std::string(kSchema) + "'" + quoted + "'\n");
  INFO(expr, "\n", Dump(r));
  REQUIRE(r.ok());
  return r.rule_set;
}

// The decision of the rule `when: expr` in `year` on the panel `rows`.
Rendered Decide(const std::string& expr, const std::vector<RowText>& rows,
                int year = 2020) {
  INFO("when: ", expr);
  return Find(Score(Rules(expr), ParamValues{}, "item", rows), "r", year);
}

// The outcome of `expr` on one row for 2020 with `cells` set.
Outcome Eval(const std::string& expr, RowText cells = {}) {
  cells["year"] = "2020";
  return Decide(expr, {cells}).outcome;
}

constexpr Outcome kYes = Outcome::kEligible;
constexpr Outcome kNo = Outcome::kIneligible;
constexpr Outcome kUnknown = Outcome::kUndetermined;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// --- Kleene logic ------------------------------------------------------------

// Cell text giving each truth value of a boolean field with `empty: missing`.
const char* CellFor(Truth t) {
  return t == Truth::kTrue ? "1" : t == Truth::kFalse ? "0" : "";
}

constexpr Truth T = Truth::kTrue, F = Truth::kFalse, U = Truth::kUnknown;

Outcome Of(Truth t) { return t == T ? kYes : t == F ? kNo : kUnknown; }

struct Row3 {
  Truth p, q, result;
};

TEST_CASE("`and` follows Kleene's truth table") {
  // clang-format off
  const Row3 table[] = {{T, T, T}, {T, F, F}, {T, U, U},
                        {F, T, F}, {F, F, F}, {F, U, F},
                        {U, T, U}, {U, F, F}, {U, U, U}};
  // clang-format on
  for (const Row3& row : table) {
    INFO(ToString(row.p), " and ", ToString(row.q));
    CHECK(Eval("p and q", {{"p", CellFor(row.p)}, {"q", CellFor(row.q)}}) ==
          Of(row.result));
  }
}

TEST_CASE("`or` follows Kleene's truth table") {
  // clang-format off
  const Row3 table[] = {{T, T, T}, {T, F, T}, {T, U, T},
                        {F, T, T}, {F, F, F}, {F, U, U},
                        {U, T, T}, {U, F, U}, {U, U, U}};
  // clang-format on
  for (const Row3& row : table) {
    INFO(ToString(row.p), " or ", ToString(row.q));
    CHECK(Eval("p or q", {{"p", CellFor(row.p)}, {"q", CellFor(row.q)}}) ==
          Of(row.result));
  }
}

TEST_CASE("`not` follows Kleene's truth table") {
  CHECK(Eval("not p", {{"p", "1"}}) == kNo);
  CHECK(Eval("not p", {{"p", "0"}}) == kYes);
  CHECK(Eval("not p", {{"p", ""}}) == kUnknown);
  // `not` binds looser than a comparison, tighter than `and`.
  CHECK(Eval("not x > 1 and p", {{"x", "0.5"}, {"p", "1"}}) == kYes);
}

TEST_CASE("an unknown condition names the missing input") {
  auto d = Decide("p and m > 0元", {{{"year", "2020"}, {"p", "1"}}});
  CHECK(d.outcome == kUnknown);
  CHECK(d.missing == std::vector<std::string>{"m@2020"});
  CHECK(d.reason == "cannot tell whether the conditions hold: m@2020");
  // Comparing unknowns is unknown too, even `x == x`.
  CHECK(Eval("x == x") == kUnknown);
}

// --- Arithmetic --------------------------------------------------------------

TEST_CASE("decimal arithmetic is exact") {
  CHECK(Eval("0.1 + 0.2 == 0.3") == kYes);
  CHECK(Eval("x + y == 0.3", {{"x", "0.1"}, {"y", "0.2"}}) == kYes);
  CHECK(Eval("x * 3 == 0.3", {{"x", "0.1"}}) == kYes);
  CHECK(Eval("m - n == 0.01元", {{"m", "100000000.01"}, {"n", "100000000"}}) ==
        kYes);
  CHECK(Eval("m * x == 1234.57元", {{"m", "12345.7"}, {"x", "10%"}}) == kYes);
}

TEST_CASE("a / b > c is decided exactly, with fractions like 1/3") {
  RowText third{{"x", "1"}, {"y", "3"}};
  CHECK(Eval("x / y * 3 == 1", third) == kYes);
  CHECK(Eval("x / y > 0.333333333333333333333333333", third) == kYes);
  CHECK(Eval("x / y < 0.333333333333333333333333334", third) == kYes);
  CHECK(Eval("x / y == 0.3333333333", third) == kNo);
  // Money over money is a number: 2/3 of the way there.
  CHECK(Eval("m / n > 2 / 3", {{"m", "200000000.01"}, {"n", "300000000"}}) ==
        kYes);
  CHECK(Eval("m / n > 2 / 3", {{"m", "200000000"}, {"n", "300000000"}}) == kNo);
}

TEST_CASE("division by zero is undetermined and says so") {
  auto d = Decide("m / n > 1", {{{"year", "2020"}, {"m", "5"}, {"n", "0"}}});
  CHECK(d.outcome == kUnknown);
  CHECK(Has(d.reason, "division by zero: `n` is 0 in 2020"));
  CHECK(d.missing.empty());  // nothing is missing: the value is 0
  CHECK(Eval("x / (y - y) == 0", {{"x", "1"}, {"y", "2"}}) == kUnknown);
}

// --- Years -------------------------------------------------------------------

TEST_CASE("`@` reads the previous year and a year given by a field") {
  std::vector<RowText> rows{
      {{"year", "2018"}, {"m", "100"}, {"since", "2018"}},
      {{"year", "2019"}, {"m", "150"}, {"since", "2018"}},
      {{"year", "2020"}, {"m", "120"}, {"since", "2018"}}};
  auto grew = Score(Rules("m > m@(year - 1)"), ParamValues{}, "item", rows);
  CHECK(Find(grew, "r", 2019).outcome == kYes);
  CHECK(Find(grew, "r", 2020).outcome == kNo);
  const auto& first = Find(grew, "r", 2018);  // no row for 2017
  CHECK(first.outcome == kUnknown);
  CHECK(first.missing == std::vector<std::string>{"m@2017 (no row for 2017)"});

  // The year after `since`, from any year of the panel.
  auto after =
      Score(Rules("m@(since + 1) == 150元"), ParamValues{}, "item", rows);
  CHECK(Find(after, "r", 2018).outcome == kYes);
  CHECK(Find(after, "r", 2020).outcome == kYes);
  CHECK(Decide("m@since == 100元", rows, 2020).outcome == kYes);
  CHECK(Decide("m@2019 - m@2018 == 50元", rows, 2018).outcome == kYes);
  CHECK(Decide("year == 2020 and since@2019 == 2018", rows).outcome == kYes);
}

TEST_CASE("aggregates over a range of years") {
  std::vector<RowText> rows{{{"year", "2018"}, {"x", "1"}, {"m", "100.10"}},
                            {{"year", "2019"}, {"x", "2"}, {"m", "200.20"}},
                            {{"year", "2020"}, {"x", "3"}, {"m", "300.30"}}};
  auto eval = [&](const std::string& expr) {
    return Decide(expr, rows).outcome;
  };
  CHECK(eval("all(2018 .. 2020, x > 0)") == kYes);
  CHECK(eval("all(2018 .. 2020, x > 1)") == kNo);
  CHECK(eval("any(2018 .. 2020, x > 2)") == kYes);
  CHECK(eval("any(2018 .. 2020, x > 3)") == kNo);
  CHECK(eval("count(2018 .. 2020, x >= 2) == 2") == kYes);
  CHECK(eval("sum(2018 .. 2020, x) == 6") == kYes);
  CHECK(eval("sum(year - 2 .. year, m) == 600.60元") == kYes);
  CHECK(eval("min(2018 .. 2020, x) == 1 and max(2018 .. 2020, x) == 3") ==
        kYes);
  CHECK(eval("min(2018..2020, m) == 100.1元") == kYes);  // `..` needs no spaces
  CHECK(eval("min(x, 0.5) == 0.5 and max(m, 1000元) == 1000元") == kYes);
}

TEST_CASE("all, any and count with a missing year follow Kleene logic") {
  // 2019 has no value of x.
  auto rows = [](const std::string& x2018, const std::string& x2020) {
    return std::vector<RowText>{{{"year", "2018"}, {"x", x2018}},
                                {{"year", "2019"}},
                                {{"year", "2020"}, {"x", x2020}}};
  };
  // A false year decides `all`, whichever side of the missing year it is on.
  CHECK(Decide("all(2018 .. 2020, x > 0)", rows("1", "0")).outcome == kNo);
  CHECK(Decide("all(2018 .. 2020, x > 0)", rows("0", "1")).outcome == kNo);
  // Every known year true: the missing one decides, so it is unknown.
  auto d = Decide("all(2018 .. 2020, x > 0)", rows("1", "1"));
  CHECK(d.outcome == kUnknown);
  CHECK(d.missing == std::vector<std::string>{"x@2019"});
  // `any` is decided by a true year, unknown when the rest are false.
  CHECK(Decide("any(2018 .. 2020, x > 0)", rows("0", "1")).outcome == kYes);
  CHECK(Decide("any(2018 .. 2020, x > 0)", rows("0", "0")).outcome == kUnknown);
  // count, sum, min and max need every year.
  CHECK(Decide("count(2018 .. 2020, x > 0) >= 0", rows("1", "1")).outcome ==
        kUnknown);
  CHECK(Decide("sum(2018 .. 2020, x) > 0", rows("1", "1")).outcome == kUnknown);
  CHECK(Decide("max(2018 .. 2020, x) > 0", rows("1", "1")).outcome == kUnknown);
  // A year outside the panel is missing too.
  CHECK(Decide("all(2017 .. 2020, x >= 0)", rows("1", "1")).missing ==
        std::vector<std::string>{"x@2017 (no row for 2017)", "x@2019"});
}

TEST_CASE("a year range longer than 200 years is undetermined, not a hang") {
  // (Ranges whose length is known when the file is checked are refused
  // then: tests/unit/limits_test.cc.)
  auto d = Decide("sum(since .. 5000, x) > 0",
                  {{{"year", "2020"}, {"x", "1"}, {"since", "1900"}}});
  CHECK(d.outcome == kUnknown);
  CHECK(Has(d.reason, "too many years"));
  CHECK(Has(d.reason, "sum(since .. 5000, x)"));
  // 200 years are walked; 201 are not.
  CHECK(Eval("count(1821 .. 2020, year > 0) == 200") == kYes);
  CHECK(Eval("count(since - 101 .. 2020, year > 0) == 201",
             {{"since", "1921"}}) == kUnknown);
  // A range computed from the data is capped the same way.
  CHECK(Eval("all(since - 100000 .. since, year > 0)", {{"since", "2000"}}) ==
        kUnknown);
  // Nested ranges within the cap, 199^3 steps in all, run out of the
  // evaluation budget instead.
  CHECK(Eval("all(1 .. 199, all(1 .. 199, all(1 .. 199, year > 0)))") ==
        kUnknown);
}

// --- Functions ---------------------------------------------------------------

TEST_CASE("round() with each of the six modes on ties") {
  struct Case {
    const char* mode;
    const char* up_tie;    // round(2.5, 0)
    const char* down_tie;  // round(-2.5, 0)
  };
  const Case cases[] = {{"half_up", "3", "-3"}, {"half_even", "2", "-2"},
                        {"down", "2", "-2"},    {"up", "3", "-3"},
                        {"floor", "2", "-3"},   {"ceiling", "3", "-2"}};
  for (const Case& c : cases) {
    INFO("mode ", c.mode);
    std::string mode = c.mode;
    CHECK(Eval("round(x, 0, " + mode + ") == " + c.up_tie, {{"x", "2.5"}}) ==
          kYes);
    CHECK(Eval("round(x, 0, " + mode + ") == " + c.down_tie, {{"x", "-2.5"}}) ==
          kYes);
  }
  // half_even on the other parity, and a tie at two decimal places of money.
  CHECK(Eval("round(x, 0, half_even) == 4", {{"x", "3.5"}}) == kYes);
  CHECK(Eval("round(m, 2, half_up) == 1.01元", {{"m", "1.005"}}) == kYes);
  CHECK(Eval("round(m, 2, half_even) == 1元", {{"m", "1.005"}}) == kYes);
  CHECK(Eval("round(x / y, 4, half_up) == 0.6667", {{"x", "2"}, {"y", "3"}}) ==
        kYes);
  CHECK(Eval("round(x, 0, up) == 3", {{"x", ""}}) == kUnknown);
}

TEST_CASE("if/then/else picks a branch, and is unknown on an unknown test") {
  const std::string expr = "(if p then x else y) == 1";
  CHECK(Eval(expr, {{"p", "1"}, {"x", "1"}, {"y", "2"}}) == kYes);
  CHECK(Eval(expr, {{"p", "0"}, {"x", "1"}, {"y", "2"}}) == kNo);
  CHECK(Eval(expr, {{"p", "0"}, {"x", "2"}, {"y", "1"}}) == kYes);
  CHECK(Eval(expr, {{"p", ""}, {"x", "1"}, {"y", "1"}}) == kUnknown);
  // The branch not taken is not read.
  CHECK(Eval(expr, {{"p", "1"}, {"x", "1"}, {"y", ""}}) == kYes);
  CHECK(Eval("if p then x > 1 else true", {{"p", "0"}}) == kYes);
}

TEST_CASE("text concatenation and equality") {
  CHECK(Eval(R"(t + "人民政府" == "源汇区人民政府")", {{"t", "源汇区"}}) ==
        kYes);
  CHECK(Eval(R"(t + "人民政府" == "源汇区人民政府")", {{"t", "郾城区"}}) ==
        kNo);
  CHECK(Eval(R"(t != "市直")", {{"t", "市直"}}) == kNo);
  CHECK(Eval(R"("a" + "b" + "c" == "abc")") == kYes);
  CHECK(Eval(R"((if t == "市直" then "市" else t) + "政府" == "市政府")",
             {{"t", "市直"}}) == kYes);
  CHECK(Eval(R"(t == "x")", {{"t", ""}}) == kUnknown);
}

// --- Empty cells -------------------------------------------------------------

TEST_CASE("present() tells a value from an empty `none` cell") {
  CHECK(Eval("present(since)", {{"since", "2018"}}) == kYes);
  CHECK(Eval("present(since)", {{"since", ""}}) == kNo);
  CHECK(Eval("not present(gone)", {{"gone", ""}}) == kYes);
  // Guarded by present(), an absent value decides the rule instead of leaving
  // it undetermined.
  const std::string guarded = "present(since) and since >= 2017";
  CHECK(Eval(guarded, {{"since", ""}}) == kNo);
  CHECK(Eval(guarded, {{"since", "2018"}}) == kYes);
  CHECK(Eval(guarded, {{"since", "2016"}}) == kNo);
}

TEST_CASE("empty: none and empty: missing are both unknown as values") {
  auto none = Decide("gone > 0元", {{{"year", "2020"}}});
  CHECK(none.outcome == kUnknown);
  CHECK(none.missing == std::vector<std::string>{"gone@2020 (empty)"});
  auto missing = Decide("m > 0元", {{{"year", "2020"}}});
  CHECK(missing.outcome == kUnknown);
  CHECK(missing.missing == std::vector<std::string>{"m@2020"});
  // A value in the cell decides.
  CHECK(Eval("gone > 0元", {{"gone", "1"}}) == kYes);
  CHECK(Eval("m > 0元", {{"m", "0"}}) == kNo);
}

// --- Money -------------------------------------------------------------------

TEST_CASE("money literals in 万元 and 亿元 are exact yuan") {
  CHECK(Eval("1亿元 == 10000万元 and 1万元 == 10000元") == kYes);
  CHECK(Eval("m >= 1.5万元", {{"m", "15000"}}) == kYes);
  CHECK(Eval("m >= 1.5万元", {{"m", "14999.99"}}) == kNo);
  CHECK(Eval("m >= 0.01亿元 and m < 0.010001亿元", {{"m", "1000000"}}) == kYes);
  CHECK(Eval("m == 2000000元", {{"m", "2,000,000.00"}}) == kYes);
  // A column entered in 万元 holds yuan.
  CHECK(Eval("wan == 12345元", {{"wan", "1.2345"}}) == kYes);
  CHECK(Eval("wan == 1.2345亿元", {{"wan", "12345"}}) == kYes);
  // A ratio parameter: 50% of money is money.
  CHECK(Eval("m * half == 5万元", {{"m", "100000"}}) == kYes);
}

// --- The years a rule covers -------------------------------------------------

// Years set by parameters are found once for all entities; years that read
// a field or the year decided are found per decision, and a parameter
// without a value leaves them unknown.
TEST_CASE("a rule's years come from parameters, fields or the year decided") {
  LoadResult r = LoadText(R"(eligo: 1
ruleset: {id: years-test}
entities:
  item:
    key: id
    period: year
    fields:
      id: {type: text}
      year: {type: year}
      since: {type: year, empty: none}
parameters:
  first: {type: year, value: 2019}
  last: {type: year, runtime: true, citation: t}
rules:
  - {id: by-param, title: 参数, citation: t, entity: item,
     years: first .. first + 1, award: {kind: designation}, when: true}
  - {id: by-field, title: 字段, citation: t, entity: item,
     years: since .. since + 1, award: {kind: designation}, when: true}
  - {id: by-year, title: 年度, citation: t, entity: item,
     years: 2019 .. year, award: {kind: designation}, when: true}
  - {id: unknown, title: 未知, citation: t, entity: item,
     years: 2017 .. last, award: {kind: designation}, when: true}
)");
  INFO(Dump(r));
  REQUIRE(r.ok());
  auto score = [&](const std::string& since) {
    std::vector<RowText> rows;
    for (int year = 2018; year <= 2021; ++year)
      rows.push_back(
          {{"id", "a"}, {"year", std::to_string(year)}, {"since", since}});
    return Score(r.rule_set, {}, "item", rows);
  };
  for (std::string since : {"2018", "2020"}) {
    INFO("since " << since);
    std::vector<Rendered> ds = score(since);
    for (int year = 2018; year <= 2021; ++year) {
      INFO("year " << year);
      const auto& param = Find(ds, "by-param", year);
      CHECK((param.outcome == Outcome::kEligible) ==
            (year == 2019 || year == 2020));
      const auto& field = Find(ds, "by-field", year);
      int from = std::stoi(since);
      CHECK((field.outcome == Outcome::kEligible) ==
            (year == from || year == from + 1));
      if (field.outcome != Outcome::kEligible) {
        CHECK(field.reason == fmt::format("the rule covers {}..{}; {} is "
                                          "outside",
                                          from, from + 1, year));
      }
      CHECK((Find(ds, "by-year", year).outcome == Outcome::kEligible) ==
            (year >= 2019));
      const auto& unknown = Find(ds, "unknown", year);
      CHECK(unknown.outcome == Outcome::kUndetermined);
      CHECK(unknown.missing == std::vector<std::string>{fmt::format(
                                   "last@{} (no value supplied)", year)});
    }
  }
  CHECK(Find(score("2018"), "by-param", 2018).reason ==
        "the rule covers 2019..2020; 2018 is outside");
}

}  // namespace
}  // namespace eligo::testing
