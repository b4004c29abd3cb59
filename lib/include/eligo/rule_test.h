// Rule tests as data: YAML files of cases, each an entity panel with its
// parameter values and earlier awards, and the decisions it must produce.
// The file format is described in rules/README.md, "Rule tests"; `eligo test`
// runs such files.
#ifndef ELIGO_RULE_TEST_H_
#define ELIGO_RULE_TEST_H_

#include <string>
#include <string_view>
#include <vector>

#include "eligo/diagnostic.h"

namespace eligo {

// One way a case did not pass: an expectation that did not match the
// decision, or a case that could not be run at all.
struct TestFailure {
  std::string case_name;  // the case's `name`
  std::string file;       // the test file the case is in
  int line = 0;           // line of the expectation, or of the case when the
                          // case could not be run
  // The expectation as one line, e.g. "scale-tier-award 2017: outcome
  // eligible, tier tier1, amount 100000.00"; only the keys it checks.
  // Empty when the case could not be run.
  std::string expected;
  // The actual decision in the same form ("... : no decision" when the
  // evaluation made none for that rule and year); empty when the case could
  // not be run.
  std::string actual;
  // What differed ("amount: expected 100000.00, got 900000.00; ..."), or why
  // the case could not be run (a row that cannot be read, a variant rule file
  // that does not load).
  std::string message;
  std::string trace;  // TraceToText of the actual decision; "" if none
};

// The outcome of running test files. Counts are of cases: a case passes when
// every one of its expectations matches.
struct TestReport {
  int passed = 0;
  int failed = 0;
  std::vector<TestFailure> failures;  // in file order, then case order
  // Mistakes in the rule file or the test files (unknown keys, bad values,
  // unknown rules, fields or parameters), with file:line:col. Cases with such
  // mistakes are not run and count as failed; when the rule file itself does
  // not load, no case is run.
  std::vector<Diagnostic> diagnostics;

  // True when every case passed and no diagnostic is an error.
  bool ok() const { return failed == 0 && !HasErrors(diagnostics); }
};

// Loads the rule file at `rules_path`, then runs every case of each file in
// `test_files`. A case may name a variant rule file (a bare file name in the
// directory of `rules_path`); each variant is loaded once.
TestReport RunRuleTests(const std::string& rules_path,
                        const std::vector<std::string>& test_files);

// The same for one test file given as text; `name` stands for the file in
// diagnostics and failures.
TestReport RunRuleTestsFromString(const std::string& rules_path,
                                  std::string_view text,
                                  const std::string& name);

}  // namespace eligo

#endif  // ELIGO_RULE_TEST_H_
