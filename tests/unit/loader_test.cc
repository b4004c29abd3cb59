// The loader's diagnostics: every kind of mistake in a rule file or a params
// file is reported with its file, line and column (1-based, counted in code
// points) and a message that names the problem.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eligo/diagnostic.h"
#include "eligo/rule_set.h"
#include "test_util.h"

namespace eligo::testing {
namespace {

// A valid rule set. Most tests below replace one of its lines with a
// mistake; the list after it gives the numbers of the lines they change.
constexpr std::string_view kBase = R"(eligo: 1
ruleset: {id: base}
entities:
  firm:
    key: code
    period: year
    fields:
      code: {type: text}
      year: {type: year}
      revenue: {type: money}
      listed: {type: boolean}
parameters:
  min_revenue: {type: money, value: 1亿元}
rules:
  - id: big
    title: 大企业奖励
    citation: 一(1)
    entity: firm
    when:
      - {expr: listed and revenue >= min_revenue, clause: 收入达到1亿元}
    award: {kind: money, amount: 10万元, payer: 市财政}
)";
//  1 eligo: 1
//  2 ruleset: ...
// 13   min_revenue: ...          (the parameter)
// 16     title: ...
// 18     entity: firm
// 20       - {expr: ...}         (the rule's condition)
// 21     award: ...

// kBase with each listed line replaced by the given text. A replacement may
// hold several lines, which moves the lines after it down.
std::string Edit(const std::vector<std::pair<int, std::string>>& edits) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < kBase.size()) {
    size_t nl = kBase.find('\n', start);
    lines.emplace_back(kBase.substr(start, nl - start));
    start = nl + 1;
  }
  for (const auto& [line, text] : edits) {
    REQUIRE(line >= 1);
    REQUIRE(line <= static_cast<int>(lines.size()));
    lines[static_cast<size_t>(line - 1)] = text;
  }
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

std::string Edit(int line, const std::string& text) {
  return Edit({{line, text}});
}

// "file:line:column", to compare a diagnostic's place in one assertion.
std::string Where(const Diagnostic& d) {
  return d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column);
}

bool Has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// The one diagnostic of a load that should have failed on a single mistake.
Diagnostic Only(const LoadResult& result) {
  INFO(Dump(result));
  CHECK_FALSE(result.ok());
  CHECK(result.diagnostics.size() == 1);
  REQUIRE_FALSE(result.diagnostics.empty());
  CHECK(result.diagnostics[0].severity == Severity::kError);
  return result.diagnostics[0];
}

TEST_CASE("the base rule set of these tests loads without diagnostics") {
  LoadResult r = LoadText(std::string(kBase));
  INFO(Dump(r));
  CHECK(r.ok());
  CHECK(r.diagnostics.empty());
}

TEST_CASE(
    "`lang` and the titles of entity kinds are loaded; a bad lang is "
    "an error at its place") {
  LoadResult r = LoadText(Edit(
      {{2, "ruleset: {id: base, lang: zh}"}, {4, "  firm:\n    title: 企业"}}));
  INFO(Dump(r));
  REQUIRE(r.ok());
  CHECK(r.rule_set->info().lang == "zh");
  CHECK(r.rule_set->entities()[0].title == "企业");

  Diagnostic d = Only(LoadText(Edit(2, "ruleset: {id: base, lang: fr}")));
  CHECK(Where(d) == "test.yaml:2:27");
  CHECK(d.message == "`lang` is `zh` or `en`, not `fr`");
}

TEST_CASE("a tier's title is kept for people beside its id") {
  LoadResult r = LoadText(Edit(
      {{19, "    tiers:\n      - id: high\n        title: 高档\n        when:"},
       {20, "          - {expr: listed, clause: 上市}"},
       {21, "        award: {kind: money, amount: 10万元, payer: 市财政}"}}));
  INFO(Dump(r));
  REQUIRE(r.ok());
  const RuleInfo& rule = r.rule_set->rules()[0];
  CHECK(rule.tiers == std::vector<std::string>{"high"});
  CHECK(rule.tier_titles == std::vector<std::string>{"高档"});
}

TEST_CASE("a YAML syntax error is reported at its place") {
  LoadResult r = LoadText(Edit(18, "    entity: firm: x"));
  INFO(Dump(r));
  CHECK_FALSE(r.ok());
  REQUIRE_FALSE(r.diagnostics.empty());
  const Diagnostic& d = r.diagnostics[0];
  CHECK(d.severity == Severity::kError);
  CHECK(Where(d) == "test.yaml:18:17");  // the second `:`
  CHECK(Has(d.message, "YAML syntax error"));
  CHECK(Has(d.message, "illegal map value"));
  CHECK(d.source_line == "    entity: firm: x");
}

TEST_CASE("a YAML syntax error is the only diagnostic of its file") {
  // The file is a map; nothing may also say that it is not.
  LoadResult r = LoadText(Edit(18, "    entity: firm: x"));
  INFO(Dump(r));
  CHECK(r.diagnostics.size() == 1);
}

TEST_CASE("columns count code points on lines with Chinese text") {
  // 大企业奖励 is five code points (fifteen bytes): the `:` after it is
  // column 17, not 27.
  LoadResult yaml = LoadText(Edit(16, "    title: 大企业奖励: x"));
  INFO(Dump(yaml));
  REQUIRE_FALSE(yaml.diagnostics.empty());
  CHECK(Where(yaml.diagnostics[0]) == "test.yaml:16:17");
  CHECK(Has(yaml.diagnostics[0].message, "YAML syntax error"));

  // In an expression after a Chinese clause: `revenu` starts at column 44.
  const Diagnostic expr = Only(LoadText(
      Edit(20,
           "      - {clause: 收入达到一亿元, expr: listed and revenu >= "
           "1亿元}")));
  CHECK(Where(expr) == "test.yaml:20:44");
  CHECK(Has(expr.message, "unknown field or parameter `revenu`"));

  // And in a Chinese clause before an unknown key: `extra` is column 63.
  const Diagnostic key = Only(LoadText(
      Edit(20,
           "      - {expr: listed and revenue >= min_revenue, clause: 收入, "
           "extra: 1}")));
  CHECK(Where(key) == "test.yaml:20:63");
  CHECK(Has(key.message, "unknown key `extra` in a condition"));
}

TEST_CASE("an unknown key in a rule") {
  const Diagnostic d = Only(LoadText(Edit(17,
                                          "    citation: 一(1)\n"
                                          "    payer: 市财政")));  // line 18
  CHECK(Where(d) == "test.yaml:18:5");
  CHECK(Has(d.message, "unknown key `payer` in a rule"));
  CHECK(Has(d.message, "allowed: id, title, citation, entity"));
}

TEST_CASE("a field's optional and typical keys") {
  LoadResult ok = LoadText(
      Edit({{10,
             "      revenue: {type: money, typical: {min: 100万元, max: "
             "5000亿元}}"},
            {11, "      listed: {type: boolean, optional: true}"}}));
  INFO(Dump(ok));
  REQUIRE(ok.ok());
  const FieldSchema& revenue = ok.rule_set->entities()[0].fields[2];
  CHECK(revenue.typical_min->ToString() == "1000000");
  CHECK(revenue.typical_max->ToString() == "500000000000");
  CHECK_FALSE(revenue.optional);
  CHECK(revenue.read_by_rules);
  CHECK(ok.rule_set->entities()[0].fields[3].optional);
  CHECK_FALSE(ok.rule_set->entities()[0].fields[0].read_by_rules);

  const Diagnostic d = Only(
      LoadText(Edit(11, "      listed: {type: boolean, typical: {min: 1}}")));
  CHECK(Where(d) == "test.yaml:11:40");  // at the map
  CHECK(Has(d.message, "`typical` is for money fields"));
  const Diagnostic k = Only(LoadText(
      Edit(10, "      revenue: {type: money, typical: {least: 100万元}}")));
  CHECK(Where(k) == "test.yaml:10:40");
  CHECK(Has(k.message, "unknown key `least` in `typical`"));
}

TEST_CASE("an unknown field in an expression suggests the field meant") {
  const Diagnostic d = Only(LoadText(Edit(
      20, "      - {expr: listed and revenu >= min_revenue, clause: 收入}")));
  CHECK(Where(d) == "test.yaml:20:27");  // at `revenu`
  CHECK(Has(d.message, "unknown field or parameter `revenu` for `firm`"));
  CHECK(Has(d.message, "(did you mean `revenue`?)"));
}

TEST_CASE(
    "an unknown parameter in an expression suggests the parameter meant") {
  const Diagnostic d = Only(LoadText(Edit(
      20, "      - {expr: listed and revenue >= min_revenu, clause: 收入}")));
  CHECK(Where(d) == "test.yaml:20:38");  // at `min_revenu`
  CHECK(Has(d.message, "unknown field or parameter `min_revenu` for `firm`"));
  CHECK(Has(d.message, "(did you mean `min_revenue`?)"));

  // Nothing close: no suggestion.
  const Diagnostic far = Only(LoadText(Edit(
      20, "      - {expr: listed and turnover >= min_revenue, clause: x}")));
  CHECK(Where(far) == "test.yaml:20:27");
  CHECK(Has(far.message, "unknown field or parameter `turnover`"));
  CHECK_FALSE(Has(far.message, "did you mean"));
}

TEST_CASE("money compared with a number without a unit is a type error") {
  const Diagnostic d = Only(LoadText(Edit(
      20, "      - {expr: listed and revenue >= 100000000, clause: 收入}")));
  CHECK(Where(d) == "test.yaml:20:27");  // the comparison starts at `revenue`
  CHECK(Has(d.message,
            "cannot compare money with a number in `revenue >= 100000000`"));
  CHECK(Has(d.message, "write money literals with a unit, e.g. 1亿元"));
}

TEST_CASE("money compared with a ratio parameter is a type error") {
  // The mistake is the declaration on line 13; the error is where the ratio
  // meets money.
  const Diagnostic d =
      Only(LoadText(Edit(13, "  min_revenue: {type: ratio, value: 10%}")));
  CHECK(Where(d) == "test.yaml:20:27");
  CHECK(Has(d.message,
            "cannot compare money with a number in `revenue >= min_revenue`"));
}

TEST_CASE("a cycle among derived values is reported once, naming the cycle") {
  const std::string yaml = R"(eligo: 1
ruleset: {id: cycle}
entities:
  firm:
    key: code
    period: year
    fields:
      code: {type: text}
      year: {type: year}
      revenue: {type: money}
derived:
  a: {entity: firm, type: money, expr: b + revenue}
  b: {entity: firm, type: money, expr: a - revenue}
rules:
  - id: big
    title: 大企业奖励
    citation: 一(1)
    entity: firm
    when: a >= 1亿元
    award: {kind: designation}
)";
  const Diagnostic d = Only(LoadText(yaml, "cycle.yaml"));
  CHECK(Where(d) == "cycle.yaml:13:40");  // at `a` in b's expression
  CHECK(Has(d.message, "cycle among derived values: a -> b -> a"));
}

TEST_CASE("a derived value of another entity kind is refused, in any order") {
  // `c` (for firm) reads `d` (for bank). Declaring `d` before or after `c`
  // must not matter.
  auto yaml = [](bool d_first) {
    std::string c = "  c: {entity: firm, type: money, expr: d}\n";
    std::string d = "  d: {entity: bank, type: money, expr: loans}\n";
    return std::string(R"(eligo: 1
ruleset: {id: kinds}
entities:
  firm:
    key: code
    period: year
    fields:
      code: {type: text}
      year: {type: year}
      revenue: {type: money}
  bank:
    key: code
    period: year
    fields:
      code: {type: text}
      year: {type: year}
      loans: {type: money}
derived:
)") + (d_first ? d + c : c + d) +
           R"(rules:
  - id: big
    title: 大企业奖励
    citation: 一(1)
    entity: firm
    when: c >= 1亿元
    award: {kind: designation}
)";
  };
  SUBCASE("declared before its use") {
    const Diagnostic d = Only(LoadText(yaml(true)));
    CHECK(Where(d) == "test.yaml:20:40");  // at `d` in c's expression
    CHECK(Has(d.message, "derived value `d` is for `bank`, not `firm`"));
  }
  SUBCASE("declared after its use") {
    const Diagnostic d = Only(LoadText(yaml(false)));
    CHECK(Where(d) == "test.yaml:19:40");
    CHECK(Has(d.message, "derived value `d` is for `bank`, not `firm`"));
  }
}

TEST_CASE("duplicate rule ids") {
  const std::string yaml = std::string(kBase) + R"(  - id: big
    title: 又一条
    citation: 一(2)
    entity: firm
    when: listed
    award: {kind: designation}
)";
  const Diagnostic d = Only(LoadText(yaml));
  CHECK(Where(d) == "test.yaml:22:9");  // the second `big`
  CHECK(Has(d.message, "duplicate rule id `big`"));
}

TEST_CASE("duplicate tier ids") {
  const std::string yaml = R"(eligo: 1
ruleset: {id: tiers}
entities:
  firm:
    key: code
    period: year
    fields:
      code: {type: text}
      year: {type: year}
      revenue: {type: money}
rules:
  - id: scale
    title: 规模奖励
    citation: 一(1)
    entity: firm
    tiers:
      - id: high
        when: revenue >= 5亿元
        award: {kind: designation}
      - id: high
        when: revenue >= 1亿元
        award: {kind: designation}
)";
  const Diagnostic d = Only(LoadText(yaml, "tiers.yaml"));
  CHECK(Where(d) == "tiers.yaml:20:9");  // the second tier
  CHECK(Has(d.message, "duplicate tier id `high` in rule `scale`"));
}

TEST_CASE("an unknown hit policy") {
  const Diagnostic d =
      Only(LoadText(Edit(18, "    entity: firm\n    hit: fist")));  // line 19
  CHECK(Where(d) == "test.yaml:19:10");
  CHECK(Has(d.message, "unknown hit policy `fist`"));
  CHECK(Has(d.message, "expected one of: first, unique, collect"));
}

TEST_CASE("an unknown limit") {
  const Diagnostic d = Only(
      LoadText(Edit(18, "    entity: firm\n    limit: twice")));  // line 19
  CHECK(Where(d) == "test.yaml:19:12");
  CHECK(Has(d.message, "unknown limit `twice`"));
  CHECK(Has(d.message, "once-per-tier, higher-only, top-up"));
}

TEST_CASE("an unknown award kind") {
  const Diagnostic d =
      Only(LoadText(Edit(21, "    award: {kind: medal, payer: 市财政}")));
  CHECK(Where(d) == "test.yaml:21:19");  // at `medal`
  CHECK(Has(d.message, "unknown award kind `medal`"));
  CHECK(Has(d.message, "money, commendation, referral, designation"));
}

TEST_CASE("a money award without an amount") {
  const Diagnostic d =
      Only(LoadText(Edit(21, "    award: {kind: money, payer: 市财政}")));
  CHECK(Where(d) == "test.yaml:21:12");  // at the award's `{`
  CHECK(Has(d.message, "a money award needs an `amount`"));
}

TEST_CASE("an unknown entity kind in a rule") {
  const Diagnostic d = Only(LoadText(Edit(18, "    entity: company")));
  // At the `entity` key (the value `company` is column 13).
  CHECK(Where(d) == "test.yaml:18:5");
  CHECK(Has(d.message, "rule `big`: unknown entity kind `company`"));
}

TEST_CASE("an expression syntax error points at the offending token") {
  SUBCASE("plain scalar") {
    const Diagnostic d = Only(LoadText(
        Edit(20, "      - {expr: listed and revenue >= * 1亿元, clause: x}")));
    CHECK(Where(d) == "test.yaml:20:38");  // at `*`
    CHECK(Has(d.message, "unexpected `*` where a value was expected"));
  }
  SUBCASE("double-quoted scalar: one column further, past the quote") {
    const Diagnostic d = Only(LoadText(Edit(
        20, "      - {expr: \"listed and revenue >= * 1亿元\", clause: x}")));
    CHECK(Where(d) == "test.yaml:20:39");
    CHECK(Has(d.message, "unexpected `*` where a value was expected"));
  }
  SUBCASE("single-quoted scalar") {
    const Diagnostic d = Only(LoadText(Edit(
        20, "      - {expr: 'listed and revenue >= * 1亿元', clause: x}")));
    CHECK(Where(d) == "test.yaml:20:39");
  }
  SUBCASE("an unclosed parenthesis is reported where the expression ends") {
    const Diagnostic d = Only(LoadText(
        Edit(20, "      - {expr: listed and (revenue >= 1亿元, clause: x}")));
    CHECK(Where(d) == "test.yaml:20:42");  // just after `1亿元`
    CHECK(Has(d.message, "expected `)` but the expression ended"));
  }
}

TEST_CASE("columns stay right after escapes in a quoted expression") {
  // The scalar's text is shorter than what is written (\" is one character,
  // '' is one quote); the column must count what is written: `revenu`
  // starts at column 35 on both lines.
  SUBCASE("double-quoted with \\\"") {
    const Diagnostic d = Only(LoadText(Edit(
        20,
        R"(      - {expr: "code == \"x\" and revenu >= 1亿元", clause: x})")));
    CHECK(Where(d) == "test.yaml:20:35");
    CHECK(Has(d.message, "unknown field or parameter `revenu`"));
  }
  SUBCASE("single-quoted with ''") {
    const Diagnostic d = Only(LoadText(Edit(
        20, "      - {expr: 'code == ''x'' and revenu >= 1亿元', clause: x}")));
    CHECK(Where(d) == "test.yaml:20:35");
    CHECK(Has(d.message, "unknown field or parameter `revenu`"));
  }
}

TEST_CASE("an error on a later line of a multi-line expression points there") {
  // In each form `revenu` starts the expression's last line, at column 11.
  SUBCASE("folded block scalar") {
    const Diagnostic d = Only(LoadText(Edit({{20,
                                              "      - expr: >-\n"
                                              "          listed and\n"
                                              "          revenu >= 1亿元"}})));
    CHECK(Where(d) == "test.yaml:22:11");
    CHECK(Has(d.message, "unknown field or parameter `revenu`"));
  }
  SUBCASE("literal block scalar") {
    const Diagnostic d = Only(LoadText(Edit({{20,
                                              "      - expr: |-\n"
                                              "          listed and\n"
                                              "          revenu >= 1亿元"}})));
    CHECK(Where(d) == "test.yaml:22:11");
  }
  SUBCASE("plain scalar over two lines") {
    const Diagnostic d = Only(LoadText(Edit({{20,
                                              "      - expr: listed and\n"
                                              "          revenu >= 1亿元"}})));
    CHECK(Where(d) == "test.yaml:21:11");
  }
}

TEST_CASE("a parameter with no value that is not runtime") {
  const Diagnostic d = Only(LoadText(Edit(13, "  min_revenue: {type: money}")));
  CHECK(Where(d) == "test.yaml:13:3");  // at the parameter's name
  CHECK(Has(d.message, "parameter `min_revenue` has no value"));
  CHECK(Has(d.message, "`runtime: true`"));
  // Declared runtime, it loads.
  CHECK(LoadText(Edit(13, "  min_revenue: {type: money, runtime: true}")).ok());
}

TEST_CASE("a chained comparison") {
  const Diagnostic d = Only(LoadText(
      Edit(20, "      - {expr: min_revenue <= revenue < 5亿元, clause: x}")));
  CHECK(Where(d) == "test.yaml:20:39");  // at the second comparison, `<`
  CHECK(Has(d.message, "comparisons cannot be chained; join them with `and`"));
}

TEST_CASE("`=` instead of `==`") {
  const Diagnostic d = Only(LoadText(
      Edit(20, "      - {expr: listed and revenue = min_revenue, clause: x}")));
  CHECK(Where(d) == "test.yaml:20:35");  // at `=`
  CHECK(Has(d.message, "`=` is not an operator; write `==` to compare"));
}

TEST_CASE("one load reports every independent mistake") {
  LoadResult r = LoadText(Edit({
      {2, "ruleset: {id: base, titel: 基础}"},             // unknown key
      {13, "  min_revenue: {type: money}"},                // no value
      {20, "      - {expr: listed and revenu >= 1亿元}"},  // unknown field
      {21, "    award: {kind: medal, payer: 市财政}"},     // unknown kind
  }));
  INFO(Dump(r));
  CHECK_FALSE(r.ok());
  REQUIRE(r.diagnostics.size() == 4);
  std::vector<std::pair<int, int>> places;
  for (const Diagnostic& d : r.diagnostics) {
    CHECK(d.severity == Severity::kError);
    CHECK(d.file == "test.yaml");
    places.emplace_back(d.line, d.column);
  }
  std::sort(places.begin(), places.end());
  CHECK(places ==
        std::vector<std::pair<int, int>>{{2, 21}, {13, 3}, {20, 27}, {21, 19}});
}

TEST_CASE("warnings alone do not fail a load") {
  Diagnostic warning;
  warning.severity = Severity::kWarning;
  warning.file = "rules.yaml";
  warning.line = 3;
  warning.column = 7;
  warning.message = "something to look at";
  Diagnostic error = warning;
  error.severity = Severity::kError;
  CHECK_FALSE(HasErrors({}));
  CHECK_FALSE(HasErrors({warning, warning}));
  CHECK(HasErrors({warning, error}));
  CHECK(FormatDiagnostic(warning) ==
        "rules.yaml:3:7: warning: something to look at\n");
}

TEST_CASE("`extends` may only name a file in the rule file's own directory") {
  SUBCASE("no directory at all (loaded from a string)") {
    const Diagnostic d = Only(LoadRuleSetFromString(
        "eligo: 1\nextends: x.yaml\nruleset: {id: v}\n", "variant.yaml", ""));
    CHECK(Where(d) == "variant.yaml:2:10");
    CHECK(Has(d.message,
              "`extends: x.yaml` must name a rule file in the same directory"));
  }
  const std::string rules_dir = std::string(ELIGO_SOURCE_DIR) + "/rules";
  SUBCASE("a path leading out of the directory") {
    const Diagnostic d = Only(LoadRuleSetFromString(
        "eligo: 1\nextends: ../rules/luohe-2017.yaml\nruleset: {id: v}\n",
        "variant.yaml", rules_dir));
    CHECK(Where(d) == "variant.yaml:2:10");
    CHECK(Has(d.message, "must name a rule file in the same directory"));
  }
  SUBCASE("an absolute path") {
    const Diagnostic d =
        Only(LoadRuleSetFromString("eligo: 1\nextends: " + rules_dir +
                                       "/luohe-2017.yaml\nruleset: {id: v}\n",
                                   "variant.yaml", rules_dir));
    CHECK(Where(d) == "variant.yaml:2:10");
    CHECK(Has(d.message, "must name a rule file in the same directory"));
  }
  SUBCASE("a file beside it is read") {
    LoadResult r = LoadRuleSetFromString(
        "eligo: 1\nextends: luohe-2017.yaml\nruleset: {id: v}\n",
        "variant.yaml", rules_dir);
    INFO(Dump(r));
    REQUIRE(r.ok());
    CHECK(r.rule_set->info().id == "v");
    CHECK(r.rule_set->rules().size() == 6);
  }
}

TEST_CASE("FormatDiagnostic prints the place, the source line and a caret") {
  const Diagnostic d = Only(LoadText(
      Edit(20, "      - {expr: listed and revenu >= min_revenue, clause: x}")));
  const std::string head =
      "test.yaml:20:27: error: unknown field or parameter `revenu` for `firm` "
      "(did you mean `revenue`?)\n";
  const std::string source =
      "        - {expr: listed and revenu >= min_revenue, clause: x}\n";
  const std::string caret = std::string(2 + 26, ' ') + "^\n";  // column 27
  CHECK(FormatDiagnostic(d) == head + source + caret);
  Diagnostic no_source = d;
  no_source.source_line.clear();
  CHECK(FormatDiagnostic(no_source) == head);
}

// --- Params files ------------------------------------------------------------

std::shared_ptr<const RuleSet> ParamsRules() {
  LoadResult r = LoadText(R"(eligo: 1
ruleset: {id: params}
entities:
  firm:
    key: code
    period: year
    fields:
      code: {type: text}
      year: {type: year}
      revenue: {type: money}
parameters:
  growth: {type: ratio, runtime: true}
  bonus: {type: money, runtime: true}
rules:
  - id: big
    title: 大企业奖励
    citation: 一(1)
    entity: firm
    when: revenue >= bonus
    award: {kind: designation}
)");
  INFO(Dump(r));
  REQUIRE(r.ok());
  return r.rule_set;
}

Diagnostic OnlyParams(const ParamsResult& result) {
  std::string all;
  for (const Diagnostic& d : result.diagnostics) all += FormatDiagnostic(d);
  INFO(all);
  CHECK_FALSE(result.ok());
  CHECK(result.diagnostics.size() == 1);
  REQUIRE_FALSE(result.diagnostics.empty());
  CHECK(result.diagnostics[0].severity == Severity::kError);
  return result.diagnostics[0];
}

TEST_CASE("params: an unknown parameter") {
  auto rules = ParamsRules();
  const Diagnostic d = OnlyParams(LoadParamsFromString(
      "growth: {2017: 8%}\ngrowht: {2018: 8.5%}\n", "params.yaml", *rules));
  CHECK(Where(d) == "params.yaml:2:1");
  CHECK(Has(d.message, "unknown parameter `growht`"));
}

TEST_CASE("params: a value that is not a number") {
  auto rules = ParamsRules();
  const Diagnostic d = OnlyParams(LoadParamsFromString(
      "growth: {2017: 8%, 2018: abc}\n", "params.yaml", *rules));
  CHECK(Where(d) == "params.yaml:1:26");  // at `abc`
  CHECK(Has(d.message, "`growth`: \"abc\" is not a decimal number"));
}

TEST_CASE("params: money without a unit, and a unit on a ratio") {
  auto rules = ParamsRules();
  const Diagnostic d = OnlyParams(
      LoadParamsFromString("bonus: {2017: 100000}\n", "params.yaml", *rules));
  CHECK(Where(d) == "params.yaml:1:15");
  CHECK(Has(d.message, "`bonus` is money: write the unit, e.g. `100000元`"));
  const Diagnostic ratio = OnlyParams(
      LoadParamsFromString("growth: {2017: 10万元}\n", "params.yaml", *rules));
  CHECK(Where(ratio) == "params.yaml:1:16");
  CHECK(Has(ratio.message, "`growth` is a number, not money"));
}

TEST_CASE("params: percentages, plain decimals and money units are exact") {
  auto rules = ParamsRules();
  ParamsResult p = LoadParamsFromString(
      "growth: {2017: 8.5%, 2018: 0.092, 2019: \"7%\"}\n"
      "bonus: {2017: 10万元, 2018: 2000000元, 2019: 0.5亿元}\n",
      "params.yaml", *rules);
  std::string all;
  for (const Diagnostic& d : p.diagnostics) all += FormatDiagnostic(d);
  INFO(all);
  REQUIRE(p.ok());
  CHECK(p.diagnostics.empty());
  const auto& growth = p.values.by_year.at("growth");
  CHECK(growth.at(2017) == D("0.085"));
  CHECK(growth.at(2017).ToString() == "0.085");
  CHECK(growth.at(2018) == D("0.092"));
  CHECK(growth.at(2019) == D("0.07"));
  const auto& bonus = p.values.by_year.at("bonus");
  CHECK(bonus.at(2017) == D("100000"));
  CHECK(bonus.at(2018) == D("2000000"));
  CHECK(bonus.at(2019) == D("50000000"));
}

TEST_CASE("the language version must be eligo: 1") {
  Diagnostic d = Only(LoadText(Edit(1, "eligo: 2")));
  CHECK(Where(d) == "test.yaml:1:8");
  CHECK(Has(d.message, "`eligo: 1`"));
}

TEST_CASE("a key written twice is an error, not a silent patch") {
  Diagnostic d = Only(LoadText(Edit(
      11, "      listed: {type: boolean}\n      listed: {type: boolean}")));
  CHECK(Where(d) == "test.yaml:12:7");
  CHECK(Has(d.message, "duplicate key `listed`"));
}

TEST_CASE("a rule without an award is an error") {
  Diagnostic d = Only(LoadText(Edit(21, "")));
  CHECK(Where(d) == "test.yaml:15:5");
  CHECK(Has(d.message, "rule `big` needs an `award`"));
}

TEST_CASE("a negative amount is a rule error at run time, never a payment") {
  auto rules = LoadText(Edit(
      21, "    award: {kind: money, amount: 0元 - revenue, payer: 市财政}"));
  INFO(Dump(rules));
  REQUIRE(rules.ok());
  auto ds = Score(rules.rule_set, ParamValues{}, "firm",
                  {{{"code", "A"},
                    {"year", "2020"},
                    {"revenue", "200000000"},
                    {"listed", "1"}}});
  const auto& d = Find(ds, "big", 2020);
  CHECK(d.outcome == Outcome::kUndetermined);
  CHECK(Has(d.reason, "rule error: the amount of big is -200000000.00"));
}

TEST_CASE(
    "a parameter's value is the fallback for years by_year does not give") {
  auto rules = LoadText(Edit(
      13,
      "  min_revenue: {type: money, value: 1亿元, by_year: {2020: 3亿元}}"));
  INFO(Dump(rules));
  REQUIRE(rules.ok());
  std::vector<RowText> rows{{{"code", "A"},
                             {"year", "2019"},
                             {"revenue", "200000000"},
                             {"listed", "1"}},
                            {{"code", "A"},
                             {"year", "2020"},
                             {"revenue", "200000000"},
                             {"listed", "1"}}};
  auto ds = Score(rules.rule_set, ParamValues{}, "firm", rows);
  CHECK(Find(ds, "big", 2019).outcome == Outcome::kEligible);
  CHECK(Find(ds, "big", 2020).outcome == Outcome::kIneligible);
}

TEST_CASE("text after a complete expression is one error, not two") {
  Diagnostic d = Only(
      LoadText(Edit(20, "      - {expr: 'revenue > 1,000元', clause: x}")));
  CHECK(Has(d.message, "unexpected `,` after the end of the expression"));
}

}  // namespace
}  // namespace eligo::testing
