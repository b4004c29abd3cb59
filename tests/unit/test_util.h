// Helpers for tests: load shipped rules, build panels from text, find
// decisions.
#ifndef ELIGO_TESTS_UNIT_TEST_UTIL_H_
#define ELIGO_TESTS_UNIT_TEST_UTIL_H_

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "eligo/decision.h"
#include "eligo/panel.h"
#include "eligo/render.h"
#include "eligo/rule_set.h"

namespace eligo::testing {

using RowText = std::map<std::string, std::string>;  // field -> cell text

// Loads rules/NAME from the source tree; fails the test on any error.
std::shared_ptr<const RuleSet> LoadShipped(
    const std::string& name = "luohe-2017.yaml");

// Loads rules from text; returns the result so tests can read diagnostics.
LoadResult LoadText(const std::string& yaml,
                    const std::string& name = "test.yaml");

// The diagnostics of `result`, formatted, for failure messages.
std::string Dump(const LoadResult& result);

// Illustrative city growth values used by the policy tests: 8% every year.
ParamValues FlatGrowth(const std::string& percent = "8%");

// A decision with its reason and missing inputs in English, rendered while
// its rule set lived (a decision is read with the rule set that made it).
struct Rendered : Decision {
  std::string reason;
  std::vector<std::string> missing;
};
std::vector<Rendered> Render(const std::vector<Decision>& decisions,
                             const RuleSet& rules);

// Evaluates one entity whose rows are given as text (each row needs "year").
std::vector<Rendered> Score(const std::shared_ptr<const RuleSet>& rules,
                            const ParamValues& params, const std::string& kind,
                            const std::vector<RowText>& rows,
                            const std::vector<PastAward>& history = {},
                            bool trace = false);

// The decision of `rule` in `year`; fails the test when there is none.
const Decision& Find(const std::vector<Decision>& decisions,
                     const std::string& rule, int year);
const Rendered& Find(const std::vector<Rendered>& decisions,
                     const std::string& rule, int year);

Decimal D(const std::string& text);

}  // namespace eligo::testing

#endif  // ELIGO_TESTS_UNIT_TEST_UTIL_H_
