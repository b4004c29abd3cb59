// The C interface (eligo/c.h): error codes and messages for every kind
// of failure, decisions as the JSON Lines of `eligo score`, handles that
// keep their rule set alive, and one evaluator shared by threads.
#include <doctest/doctest.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "eligo/decision.h"
#include "eligo/c.h"
#include "eligo/io.h"
#include "eligo/panel.h"
#include "eligo/rule_set.h"
#include "test_util.h"

namespace eligo::testing {
namespace {

const std::string kRulesPath =
    std::string(ELIGO_SOURCE_DIR) + "/rules/luohe-2017.yaml";
const std::string kParamsPath =
    std::string(ELIGO_SOURCE_DIR) + "/examples/params.yaml";

// Owns a string returned by the C interface.
std::string Take(char* s) {
  REQUIRE(s != nullptr);
  std::string out(s);
  eligo_string_free(s);
  return out;
}

// The Luohe rules, an evaluator with the example params, and the panel of
// one enterprise over 2016..2018, made through the C interface.
struct CFixture {
  CFixture() {
    REQUIRE(eligo_rules_load(kRulesPath.c_str(), &rules) == ELIGO_OK);
    CHECK(std::string(eligo_last_error()).empty());
    REQUIRE(eligo_evaluator_new(rules, &evaluator) == ELIGO_OK);
    REQUIRE(eligo_evaluator_load_params(evaluator, kParamsPath.c_str()) ==
            ELIGO_OK);
    REQUIRE(eligo_panel_new(rules, "enterprise", "91411102MA3X4K7P2F",
                            &panel) == ELIGO_OK);
    struct Year {
      int year;
      const char *revenue, *tax;
    };
    for (const Year& y : {Year{2016, "80,000,000", "1500000"},
                          Year{2017, "120000000.00", "2500000"},
                          Year{2018, "550000000", "6000000"}}) {
      size_t row = 99;
      REQUIRE(eligo_panel_add_row(panel, y.year, &row) == ELIGO_OK);
      CHECK(row == static_cast<size_t>(y.year - 2016));
      REQUIRE(eligo_panel_set(panel, row, "name", "漯河市恒达食品有限公司") ==
              ELIGO_OK);
      REQUIRE(eligo_panel_set(panel, row, "所属县区", "源汇区") == ELIGO_OK);
      REQUIRE(eligo_panel_set(panel, row, "sales_revenue", y.revenue) ==
              ELIGO_OK);
      REQUIRE(eligo_panel_set(panel, row, "local_tax", y.tax) == ELIGO_OK);
      REQUIRE(eligo_panel_set(panel, row, "in_cultivation_list", "是") ==
              ELIGO_OK);
    }
  }
  ~CFixture() {
    eligo_panel_free(panel);
    eligo_evaluator_free(evaluator);
    eligo_rules_free(rules);
  }
  std::string Json(int trace = 1) const {
    char* json = nullptr;
    eligo_status s = eligo_evaluate_json(evaluator, panel, trace, &json);
    INFO(eligo_last_error());
    REQUIRE(s == ELIGO_OK);
    return Take(json);
  }
  eligo_rules* rules = nullptr;
  eligo_evaluator* evaluator = nullptr;
  eligo_panel* panel = nullptr;
};

const nlohmann::json& FindDecision(const nlohmann::json& decisions,
                                   const std::string& rule, int year) {
  for (const nlohmann::json& d : decisions) {
    if (d["rule"] == rule && d["year"] == year) return d;
  }
  FAIL("no decision for ", rule, " in ", year);
  return decisions;
}

TEST_CASE("eligo_version is the library's version") {
  CHECK(std::string(eligo_version()) == Version());
  CHECK(std::strchr(eligo_version(), '.') != nullptr);
}

TEST_CASE_FIXTURE(CFixture, "decisions come back as a JSON array") {
  nlohmann::json decisions = nlohmann::json::parse(Json());
  REQUIRE(decisions.is_array());
  CHECK(decisions.size() == 3 * 5);  // years x enterprise rules
  const nlohmann::json& d = FindDecision(decisions, "scale-tier-award", 2018);
  CHECK(d["entity_kind"] == "enterprise");
  CHECK(d["id"] == "91411102MA3X4K7P2F");
  CHECK(d["name"] == "漯河市恒达食品有限公司");
  CHECK(d["county"] == "源汇区");
  CHECK(d["outcome"] == "eligible");
  CHECK(d["tier"] == "tier2");
  CHECK(d["award"] == "money");
  CHECK(d["amount"] == "500000.00");
  CHECK(d["payer"] == "源汇区人民政府");
  CHECK(d["citation"] == "四(六)2");
  CHECK(d["decision_id"].get<std::string>().size() == 20);
  REQUIRE(d.contains("trace"));
  CHECK(d["trace"]["tiers"][1]["id"] == "tier2");
  CHECK(d["trace"]["tiers"][1]["result"] == "true");
  CHECK(d["trace"]["history"][0] == "tier1 awarded in 2017 (100000.00)");

  nlohmann::json plain = nlohmann::json::parse(Json(0));
  CHECK_FALSE(plain[0].contains("trace"));
}

TEST_CASE_FIXTURE(CFixture, "the JSON is that of eligo score --format jsonl") {
  // The same panel and params through the C++ API, written by
  // DecisionWriter: each object of the array is one of its lines.
  std::shared_ptr<const RuleSet> shipped = LoadShipped();
  ParamsResult params = LoadParams(kParamsPath, *shipped);
  REQUIRE(params.ok());
  Result<Evaluator> ev = Evaluator::Create(shipped, params.values);
  REQUIRE(ev.ok());
  Panel p(*shipped->FindEntity("enterprise"), "91411102MA3X4K7P2F");
  for (const auto& [year, revenue, tax] :
       {std::tuple{2016, "80000000", "1500000"},
        std::tuple{2017, "120000000", "2500000"},
        std::tuple{2018, "550000000", "6000000"}}) {
    Row& row = p.AddRow(year);
    REQUIRE(p.Set(row, "name", "漯河市恒达食品有限公司").ok());
    REQUIRE(p.Set(row, "county", "源汇区").ok());
    REQUIRE(p.Set(row, "sales_revenue", revenue).ok());
    REQUIRE(p.Set(row, "local_tax", tax).ok());
    REQUIRE(p.Set(row, "in_cultivation_list", "true").ok());
  }
  DecisionWriter writer(
      *shipped,
      {.format = OutputFormat::kJsonLines, .trace = true, .excel = false});
  std::string lines;
  for (const Decision& d : ev->Evaluate(p, {}, {.trace = true}))
    writer.Append(d, p, lines);
  std::string expected = "[" + lines;
  // Lines become array elements: "}\n{" -> "},\n{", and a closing bracket.
  for (size_t at = 0; (at = expected.find("}\n{", at)) != std::string::npos;
       at += 3)
    expected.replace(at, 3, "},\n{");
  expected.insert(expected.size() - 1, "]");
  CHECK(Json() == expected);
}

TEST_CASE_FIXTURE(CFixture, "past awards are consulted") {
  // With tier2 paid in 2015, reaching tier2 again in 2018 pays nothing.
  REQUIRE(eligo_panel_add_past_award(panel, "scale-tier-award", "tier2", 2015,
                                     "500000") == ELIGO_OK);
  nlohmann::json decisions = nlohmann::json::parse(Json());
  const nlohmann::json& d = FindDecision(decisions, "scale-tier-award", 2018);
  CHECK(d["outcome"] == "ineligible");
  CHECK(d["reason"].get<std::string>().find("tier2 was awarded in 2015") !=
        std::string::npos);

  CHECK(eligo_panel_add_past_award(panel, "no-such-rule", "", 2015, nullptr) ==
        ELIGO_ERROR_NOT_FOUND);
  CHECK(eligo_panel_add_past_award(panel, "scale-tier-award", "tier1", 2015,
                                   "lots") == ELIGO_ERROR_VALUE);
}

TEST_CASE_FIXTURE(CFixture, "decisions as text for people") {
  char* text = nullptr;
  REQUIRE(eligo_evaluate_text(evaluator, panel, 1, &text) == ELIGO_OK);
  std::string s = Take(text);
  CHECK(s.find("2018 scale-tier-award — enterprise 91411102MA3X4K7P2F") !=
        std::string::npos);
  CHECK(s.find("outcome: eligible, tier2, money 500000.00 yuan, paid by "
               "源汇区人民政府") != std::string::npos);
  CHECK(s.find("sales_revenue@2018 = 550000000.00") != std::string::npos);
}

TEST_CASE_FIXTURE(CFixture, "each failure has its code and message") {
  const size_t kNoRow = 12345;
  CHECK(eligo_panel_set(panel, kNoRow, "local_tax", "1") ==
        ELIGO_ERROR_ARGUMENT);
  CHECK(std::string(eligo_last_error()) ==
        "row 12345 does not exist (the panel has 3)");
  CHECK(eligo_panel_set(panel, 0, "no_such_field", "1") ==
        ELIGO_ERROR_NOT_FOUND);
  CHECK(std::string(eligo_last_error()) ==
        "`enterprise` has no field `no_such_field`");
  CHECK(eligo_panel_set(panel, 0, "local_tax", "-5") == ELIGO_ERROR_VALUE);
  CHECK(std::string(eligo_last_error()) ==
        "negative money `-5` in `local_tax`");
  CHECK(eligo_panel_set(panel, 0, "in_cultivation_list", "maybe") ==
        ELIGO_ERROR_VALUE);
  CHECK(eligo_panel_add_row(panel, 0, nullptr) == ELIGO_ERROR_ARGUMENT);
  CHECK(eligo_panel_add_row(panel, 2147483647, nullptr) ==
        ELIGO_ERROR_ARGUMENT);

  CHECK(eligo_evaluator_set_param(evaluator, "no_such_param", 2018, "1") ==
        ELIGO_ERROR_NOT_FOUND);
  CHECK(std::string(eligo_last_error()) == "unknown parameter `no_such_param`");
  CHECK(eligo_evaluator_set_param(evaluator, "city_industrial_revenue_growth",
                                  2018, "lots") == ELIGO_ERROR_VALUE);
  CHECK(eligo_evaluator_set_param(evaluator, "city_industrial_revenue_growth",
                                  -1, "1%") == ELIGO_ERROR_VALUE);
  CHECK(eligo_evaluator_set_param(evaluator, "city_industrial_revenue_growth",
                                  2018, "8%") == ELIGO_OK);
  CHECK(std::string(eligo_last_error()).empty());  // cleared by a success

  eligo_panel* other = nullptr;
  CHECK(eligo_panel_new(rules, "bank", "X", &other) == ELIGO_ERROR_NOT_FOUND);
  CHECK(other == nullptr);
  CHECK(std::string(eligo_last_error()) ==
        "the rule set has no entity kind `bank`");

  // NULL handles and out-parameters.
  char* json = nullptr;
  CHECK(eligo_evaluate_json(nullptr, panel, 0, &json) == ELIGO_ERROR_ARGUMENT);
  CHECK(eligo_evaluate_json(evaluator, nullptr, 0, &json) ==
        ELIGO_ERROR_ARGUMENT);
  CHECK(eligo_evaluate_json(evaluator, panel, 0, nullptr) ==
        ELIGO_ERROR_ARGUMENT);
  CHECK(json == nullptr);
  CHECK(eligo_rules_load(nullptr, &rules) == ELIGO_ERROR_ARGUMENT);
  CHECK(eligo_panel_set(nullptr, 0, "a", "b") == ELIGO_ERROR_ARGUMENT);
  CHECK(std::string(eligo_rules_warnings(nullptr)).empty());
  eligo_rules_free(nullptr);
  eligo_evaluator_free(nullptr);
  eligo_panel_free(nullptr);
  eligo_string_free(nullptr);
}

TEST_CASE("a rule file with mistakes lists every one") {
  eligo_rules* rules = nullptr;
  CHECK(eligo_rules_load("/no/such/rules.yaml", &rules) == ELIGO_ERROR_RULES);
  CHECK(rules == nullptr);
  CHECK(std::string(eligo_last_error())
            .starts_with("/no/such/rules.yaml:1:1: error: cannot read"));

  const char* broken = R"(eligo: 1
ruleset: {id: broken}
entities:
  firm:
    key: code
    period: year
    fields:
      code: {type: text}
      year: {type: year}
      revenue: {type: money}
rules:
  - id: big
    citation: 一(1)
    entity: firm
    when:
      - {expr: revenue >= 100000000, clause: 收入达到1亿元}
      - {expr: staff > 10, clause: 职工}
    award: {kind: money, amount: 10万元, payer: 市财政}
)";
  CHECK(eligo_rules_load_string(broken, "broken.yaml", nullptr, &rules) ==
        ELIGO_ERROR_RULES);
  CHECK(rules == nullptr);
  std::string message = eligo_last_error();
  CHECK(message.find("broken.yaml:16:") != std::string::npos);
  CHECK(message.find("broken.yaml:17:") != std::string::npos);

  // `extends` needs a base directory.
  CHECK(eligo_rules_load_string("eligo: 1\nextends: luohe-2017.yaml\n",
                                "variant.yaml", nullptr,
                                &rules) == ELIGO_ERROR_RULES);
  std::string dir = std::string(ELIGO_SOURCE_DIR) + "/rules";
  REQUIRE(eligo_rules_load_string("eligo: 1\nextends: luohe-2017.yaml\n",
                                  "variant.yaml", dir.c_str(),
                                  &rules) == ELIGO_OK);
  CHECK(std::string(eligo_rules_warnings(rules)).empty());
  eligo_rules_free(rules);
}

TEST_CASE("a condition without expr is a diagnostic, not an exception") {
  // yaml-cpp throws on this shape inside the loader; nothing may escape
  // LoadRuleSetFromString nor the C interface.
  const std::string text = R"(eligo: 1
ruleset: {id: x}
entities:
  firm:
    key: code
    period: year
    fields:
      code: {type: text}
      year: {type: year}
rules:
  - id: r
    citation: 一(1)
    entity: firm
    when:
      - {clause: no expression here}
    award: {kind: designation}
)";
  LoadResult loaded;
  CHECK_NOTHROW(loaded = LoadRuleSetFromString(text, "x.yaml"));
  CHECK_FALSE(loaded.ok());
  CHECK(HasErrors(loaded.diagnostics));
  eligo_rules* rules = nullptr;
  CHECK(eligo_rules_load_string(text.c_str(), "x.yaml", nullptr, &rules) ==
        ELIGO_ERROR_RULES);
  CHECK(std::string(eligo_last_error()).starts_with("x.yaml:"));
}

TEST_CASE("handles keep their rule set alive, and panels fit only their own") {
  eligo_rules* rules = nullptr;
  REQUIRE(eligo_rules_load(kRulesPath.c_str(), &rules) == ELIGO_OK);
  eligo_evaluator* ev = nullptr;
  eligo_panel* panel = nullptr;
  REQUIRE(eligo_evaluator_new(rules, &ev) == ELIGO_OK);
  REQUIRE(eligo_panel_new(rules, "lender", "L1", &panel) == ELIGO_OK);
  eligo_rules_free(rules);  // the evaluator and panel still hold it
  REQUIRE(eligo_panel_add_row(panel, 2018, nullptr) == ELIGO_OK);
  REQUIRE(eligo_panel_set(panel, 0, "new_local_loans", "1000") == ELIGO_OK);
  REQUIRE(eligo_panel_set(panel, 0, "new_local_industrial_loans", "200") ==
          ELIGO_OK);
  char* json = nullptr;
  REQUIRE(eligo_evaluate_json(ev, panel, 0, &json) == ELIGO_OK);
  nlohmann::json decisions = nlohmann::json::parse(Take(json));
  CHECK(decisions.size() == 1);
  CHECK(decisions[0]["rule"] == "lender-industrial-ratio");

  // A panel of another rule set (even one loaded from the same file) does
  // not fit this evaluator.
  eligo_rules* again = nullptr;
  REQUIRE(eligo_rules_load(kRulesPath.c_str(), &again) == ELIGO_OK);
  eligo_panel* foreign = nullptr;
  REQUIRE(eligo_panel_new(again, "lender", "L2", &foreign) == ELIGO_OK);
  CHECK(eligo_evaluate_json(ev, foreign, 0, &json) == ELIGO_ERROR_ARGUMENT);
  CHECK(std::string(eligo_last_error()) ==
        "the panel was made from another rule set than the evaluator");
  eligo_panel_free(foreign);
  eligo_rules_free(again);
  eligo_panel_free(panel);
  eligo_evaluator_free(ev);
}

TEST_CASE_FIXTURE(CFixture, "threads share one evaluator and one panel") {
  const std::string expected = Json();
  std::vector<std::string> got(6);
  std::vector<int> codes(got.size(), -1);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        char* json = nullptr;
        codes[t] = eligo_evaluate_json(evaluator, panel, 1, &json);
        if (codes[t] != ELIGO_OK) return;
        got[t] = json;
        eligo_string_free(json);
        if (got[t] != expected) return;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t t = 0; t < got.size(); ++t) {
    CHECK(codes[t] == ELIGO_OK);
    CHECK(got[t] == expected);
  }
}

}  // namespace
}  // namespace eligo::testing
