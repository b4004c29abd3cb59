// eligo test: run rule tests written as data (rules/README.md, "Rule
// tests") and report every case that fails.
#include <fmt/format.h>

#include <iostream>

#include "common.h"
#include "eligo/rule_test.h"

namespace eligo::cli {
namespace {

constexpr const char* kHelp = R"(usage: eligo test RULES TESTFILE...

Runs the cases of each test file against the rule file RULES (or a variant
of it that a case names) and prints each failure: the case name and
file:line, the expected and the actual decision, and the trace of the actual
one. Ends with the line `N passed, M failed` (N and M count cases).
Exit status 0 when every case passed, 1 when some case failed, 2 for a
mistake in the rule file or a test file (printed as file:line:col).

example:
  eligo test rules/luohe-2017.yaml rules/tests/luohe-2017.test.yaml

  where the test file holds, e.g.:
    eligo-test: 1
    params:
      city_industrial_revenue_growth: {2017: 8.5%, 2018: 9.2%}
    cases:
      - name: R1 tier1 is met exactly, to the fen
        entity: enterprise
        rows:
          - {year: 2017, sales_revenue: "100000000.00", local_tax: "2000000.00",
             in_cultivation_list: 是, county: 源汇区}
        expect:
          - {rule: scale-tier-award, year: 2017, outcome: eligible,
             tier: tier1, amount: "100000.00", payer: 源汇区人民政府}
)";

// `text` with each line indented by `indent`.
std::string Indent(const std::string& text, const std::string& indent) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string::npos ? text.size() : nl;
    out += indent + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

}  // namespace

int Test(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("help,h", "show this help")(
      "rules", po::value<std::string>(),
      "rule file under test (first positional)")(
      "tests", po::value<std::vector<std::string>>(),
      "test files (positional, after RULES)");
  po::positional_options_description positional;
  positional.add("rules", 1).add("tests", -1);
  po::variables_map vm;
  if (!ParseArgs(args, options, positional, kHelp, vm)) return kOk;
  if (!vm.count("rules") || !vm.count("tests"))
    throw UsageError{"give the rule file, then at least one test file"};

  TestReport report = RunRuleTests(vm["rules"].as<std::string>(),
                                   vm["tests"].as<std::vector<std::string>>());
  for (const Diagnostic& d : report.diagnostics)
    std::cerr << FormatDiagnostic(d);
  for (const TestFailure& f : report.failures) {
    std::string out =
        fmt::format("FAIL {} ({}:{})\n", f.case_name, f.file, f.line);
    if (!f.expected.empty()) out += fmt::format("  expected: {}\n", f.expected);
    if (!f.actual.empty()) out += fmt::format("  actual:   {}\n", f.actual);
    if (!f.message.empty()) out += Indent(f.message, "  ");
    if (!f.trace.empty()) out += "  trace:\n" + Indent(f.trace, "    ");
    std::cout << out << "\n";
  }
  std::cout << fmt::format("{} passed, {} failed\n", report.passed,
                           report.failed);
  if (HasErrors(report.diagnostics)) return kUsage;
  return report.failed == 0 ? kOk : kRejected;
}

}  // namespace eligo::cli
