// Static analysis: each check on a rule set that has the problem (a warning
// with a counterexample that really is one) and on one that does not.
#include <doctest/doctest.h>

#include <string>

#include "test_util.h"

namespace eligo::testing {
namespace {

// One entity kind with money `a`, `b` (min 0) and a boolean `flag`; `tiers`
// and `extra` are spliced into the single rule.
std::string RuleSetWith(const std::string& rule_keys,
                        const std::string& parameters = "") {
  return R"(eligo: 1
ruleset: {id: analysis}
entities:
  firm:
    key: code
    period: year
    fields:
      code: {type: text}
      year: {type: year}
      a: {type: money, min: 0}
      b: {type: money, min: 0}
      flag: {type: boolean}
parameters:
  unused_rate: {type: ratio, value: 5%}
)" + parameters +
         R"(rules:
  - id: r
    title: t
    citation: c
    entity: firm
)" + rule_keys;
}

std::vector<std::string> Warnings(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) {
    if (d.severity == Severity::kWarning) out.push_back(d.message);
  }
  return out;
}

bool AnyHas(const std::vector<std::string>& messages, const std::string& part) {
  for (const std::string& m : messages) {
    if (m.find(part) != std::string::npos) return true;
  }
  return false;
}

// Evaluates the rule of `r` for one row with a = A, b = B.
Rendered Decide(const LoadResult& r, const std::string& a,
                const std::string& b) {
  auto ds = Score(r.rule_set, ParamValues{}, "firm",
                  {{{"code", "X"}, {"year", "2020"}, {"a", a}, {"b", b}}});
  return Find(ds, "r", 2020);
}

constexpr const char* kTwoTiers = R"(    hit: %HIT%
    tiers:
      - id: high
        when: [%HIGH%]
        award: {kind: designation}
      - id: low
        when: [%LOW%]
        award: {kind: designation}
)";

std::string Tiers(const std::string& hit, const std::string& high,
                  const std::string& low, const std::string& more = "") {
  std::string s = kTwoTiers;
  s.replace(s.find("%HIT%"), 5, hit);
  s.replace(s.find("%HIGH%"), 6, high);
  s.replace(s.find("%LOW%"), 5, low);
  return s + more;
}

TEST_CASE(
    "overlapping tiers of a unique table, with a counterexample that "
    "overlaps") {
  LoadResult r =
      LoadText(RuleSetWith(Tiers("unique", "a >= 20元", "a >= 10元")));
  INFO(Dump(r));
  REQUIRE(r.ok());
  auto w = Warnings(r);
  REQUIRE(AnyHas(w, "tiers high and low of `r` overlap"));
  CHECK(AnyHas(w, "both match when a = 20.00"));
  // The counterexample really makes both tiers match: a run-time error.
  auto d = Decide(r, "20", "0");
  CHECK(d.outcome == Outcome::kUndetermined);
  CHECK(d.reason.find("tiers high and low both match") != std::string::npos);
}

TEST_CASE("tiers of a unique table cut into ranges do not overlap") {
  LoadResult r = LoadText(
      RuleSetWith(Tiers("unique", "a >= 20元", "a >= 10元 and a < 20元")));
  INFO(Dump(r));
  REQUIRE(r.ok());
  CHECK_FALSE(AnyHas(Warnings(r), "overlap"));
}

TEST_CASE("a gap in a table marked complete, with an input no tier matches") {
  LoadResult r = LoadText(RuleSetWith(
      Tiers("first", "a >= 10元", "a < 5元", "    complete: true\n")));
  INFO(Dump(r));
  REQUIRE(r.ok());
  auto w = Warnings(r);
  REQUIRE(
      AnyHas(w, "`r` is marked complete, but no tier matches when a = 5.00"));
  auto d = Decide(r, "5", "0");
  CHECK(d.outcome == Outcome::kIneligible);
  CHECK(d.reason.find("no tier reached") != std::string::npos);
}

TEST_CASE("a complete table without gaps gives no warning") {
  LoadResult r = LoadText(RuleSetWith(
      Tiers("first", "a >= 10元", "a < 10元", "    complete: true\n")));
  INFO(Dump(r));
  REQUIRE(r.ok());
  CHECK(Warnings(r).size() == 3);  // only the unused parameter and fields
  CHECK_FALSE(AnyHas(Warnings(r), "complete"));
}

TEST_CASE("a tier an earlier tier of a first-match table always catches") {
  LoadResult r =
      LoadText(RuleSetWith(Tiers("first", "a >= 10元", "a >= 20元")));
  INFO(Dump(r));
  REQUIRE(r.ok());
  auto w = Warnings(r);
  REQUIRE(AnyHas(w,
                 "tier low of `r` never matches: an earlier tier always "
                 "matches first, e.g. when a = 20.00 "
                 "(then high matches first)"));
  auto d = Decide(r, "20", "0");
  CHECK(d.tier == "high");
}

TEST_CASE("tiers listed highest first are all reachable") {
  LoadResult r = LoadText(RuleSetWith(
      Tiers("first", "a >= 20元 and b >= 2元", "a >= 10元 and b >= 1元")));
  INFO(Dump(r));
  REQUIRE(r.ok());
  CHECK_FALSE(AnyHas(Warnings(r), "never matches"));
}

TEST_CASE(
    "conditions always true or never true under the fields' constraints") {
  LoadResult always = LoadText(
      RuleSetWith("    when: [a >= 0元]\n    award: {kind: designation}\n"));
  INFO(Dump(always));
  REQUIRE(always.ok());
  CHECK(AnyHas(Warnings(always),
               "`a >= 0元` is always true given the fields' constraints"));
  LoadResult never =
      LoadText(RuleSetWith("    when: [a < 0元 or flag and not flag]\n    "
                           "award: {kind: designation}\n"));
  REQUIRE(never.ok());
  CHECK(AnyHas(Warnings(never), "is never true given the fields' constraints"));
  LoadResult fine = LoadText(RuleSetWith(
      "    when: [a >= 1元 or flag]\n    award: {kind: designation}\n"));
  REQUIRE(fine.ok());
  CHECK_FALSE(AnyHas(Warnings(fine), "always true"));
  CHECK_FALSE(AnyHas(Warnings(fine), "never true"));
}

TEST_CASE("parameters, fields and derived values nothing uses") {
  LoadResult r = LoadText(
      RuleSetWith("    when: [a >= 1元]\n    award: {kind: designation}\n"));
  REQUIRE(r.ok());
  auto w = Warnings(r);
  CHECK(AnyHas(w, "parameter `unused_rate` is never used"));
  CHECK(AnyHas(w, "field `b` of `firm` is never read by a rule"));
  CHECK(AnyHas(w, "field `flag` of `firm` is never read by a rule"));
  CHECK_FALSE(AnyHas(w, "field `a`"));
  CHECK_FALSE(AnyHas(w, "field `code`"));  // the key is used to identify
}

TEST_CASE("the shipped rules have no findings") {
  for (const char* file :
       {"luohe-2017.yaml", "luohe-2017-top-up.yaml",
        "luohe-2017-every-tier.yaml", "luohe-2017-window-from-upgrade.yaml"}) {
    LoadResult r =
        LoadRuleSet(std::string(ELIGO_SOURCE_DIR) + "/rules/" + file);
    INFO(file, Dump(r));
    CHECK(r.ok());
    CHECK(r.diagnostics.empty());
  }
}

TEST_CASE("a parameter without a value for a year the rule covers") {
  std::string rule =
      "    years: 2017..2020\n    when: [a >= floor, b >= 0元 or flag]\n    "
      "award: {kind: designation}\n";
  LoadResult gap = LoadText(RuleSetWith(
      rule, "  floor: {type: money, by_year: {2017..2018: 1元, 2020: 2元}}\n"));
  INFO(Dump(gap));
  REQUIRE(gap.ok());
  CHECK(AnyHas(Warnings(gap),
               "`floor` has no value for 2019, a year rule `r` covers"));
  LoadResult full = LoadText(RuleSetWith(
      rule, "  floor: {type: money, by_year: {2017..2020: 1元}}\n"));
  REQUIRE(full.ok());
  CHECK_FALSE(AnyHas(Warnings(full), "has no value"));

  // A run-time parameter: the params file is checked against the years.
  LoadResult runtime =
      LoadText(RuleSetWith(rule, "  floor: {type: money, runtime: true}\n"));
  REQUIRE(runtime.ok());
  ParamsResult partial = LoadParamsFromString("floor: {2017: 1元, 2018: 1元}\n",
                                              "p.yaml", *runtime.rule_set);
  REQUIRE(partial.diagnostics.size() == 1);
  CHECK(partial.diagnostics[0].severity == Severity::kWarning);
  CHECK(partial.diagnostics[0].line == 1);
  CHECK(partial.diagnostics[0].message.find("no value of `floor` for 2019") !=
        std::string::npos);
  ParamsResult complete = LoadParamsFromString(
      "floor: {2017: 1元, 2018: 1元, 2019: 1元, 2020: 1元}\n", "p.yaml",
      *runtime.rule_set);
  CHECK(complete.diagnostics.empty());
}

}  // namespace
}  // namespace eligo::testing
