// The limits of the rule language (rules/README.md, "Security and limits"):
// every hostile or oversized rule file, params file or expression ends in a
// clear error, in bounded memory and time, and never crashes. The largest
// inputs run in a child process whose peak memory and time are measured.
#include "load/limits.h"

#include <doctest/doctest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "../unit/test_util.h"
#include "diagnostic_sink.h"
#include "eligo/decision.h"
#include "eligo/rule_set.h"
#include "load/expr_parser.h"
#include "program.h"

namespace eligo::testing {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// What a child process used.
struct Usage {
  bool passed = false;  // it exited 0: its own checks held
  long peak_mb = 0;     // peak resident memory, more than an idle child's
  double seconds = 0;
};

long PeakKb(const std::function<bool()>& work, bool* passed, double* seconds) {
  std::fflush(nullptr);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) _exit(work() ? 0 : 1);
  int status = 0;
  struct rusage usage = {};
  REQUIRE(wait4(pid, &status, 0, &usage) == pid);
  *seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  *passed = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return usage.ru_maxrss;
}

// Runs `work` in a child process: did it pass, how much memory beyond an
// idle child's did it take, and how long.
Usage InChild(const std::function<bool()>& work) {
  bool idle_passed = false;
  double idle_seconds = 0;
  long idle = PeakKb([] { return true; }, &idle_passed, &idle_seconds);
  Usage u;
  long peak = PeakKb(work, &u.passed, &u.seconds);
  u.peak_mb = (peak - idle) / 1024;
  return u;
}

// Bounds for one hostile input: generous (sanitizers slow everything and
// keep freed memory in quarantine), far below what the unbounded loader
// took (gigabytes, tens of seconds, or a crash).
constexpr long kMaxMb = kSanitized ? 1024 : 256;
constexpr double kMaxSeconds = kSanitized ? 60 : 10;

bool Has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// True when `r` failed with an error containing `part`.
bool FailsWith(const LoadResult& r, std::string_view part) {
  if (r.ok()) return false;
  for (const Diagnostic& d : r.diagnostics) {
    if (d.severity == Severity::kError && Has(d.message, part)) return true;
  }
  return false;
}

// Loads `text` in a child and checks there that it fails naming `part`;
// checks here that it did so within the bounds.
void ExpectBoundedFailure(const std::function<std::string()>& make,
                          const std::string& part) {
  Usage u = InChild([&] {
    LoadResult r = LoadText(make());
    bool ok = FailsWith(r, part);
    if (!ok) std::fprintf(stderr, "%s", Dump(r).substr(0, 2000).c_str());
    return ok;
  });
  INFO("expected an error containing: ", part);
  CHECK(u.passed);
  CHECK(u.peak_mb < kMaxMb);
  CHECK(u.seconds < kMaxSeconds);
  MESSAGE("peak ", u.peak_mb, " MB over an idle child, ", u.seconds, " s");
}

std::string Repeat(std::string_view s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

// A rule set with one entity kind `e`; rules follow.
constexpr std::string_view kHead = R"(eligo: 1
ruleset: {id: limits}
entities:
  e:
    key: id
    period: year
    fields:
      id: {type: text}
      year: {type: year}
      p: {type: boolean}
      m: {type: money}
      t: {type: text}
      since: {type: year, empty: none}
parameters:
  first: {type: year, value: 2017}
  last: {type: year, value: 2400}
  rate: {type: ratio, value: 5%}
)";

// `text` as a YAML single-quoted scalar.
std::string Quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string RuleYaml(const std::string& id, std::string_view when) {
  return "  - id: " + id +
         "\n    title: t\n    citation: c\n    entity: e\n"
         "    award: {kind: designation}\n    when: " +
         Quoted(when) + "\n";
}

// The rule set whose one rule has the condition `when`.
std::string WithCondition(std::string_view when,
                          std::string_view derived = "") {
  std::string out(kHead);
  if (!derived.empty()) out += "derived:\n" + std::string(derived);
  return out + "rules:\n" + RuleYaml("r", when);
}

// Parses one expression on its own, as the loader does.
struct Parsed {
  int root = kNoNode;
  std::string errors;
  size_t nodes = 0;
};
Parsed Parse(std::string_view text) {
  Program program;
  DiagnosticSink sink;
  int file = sink.AddFile("expr", "");
  std::vector<Mark> marks(text.size() + 1, Mark{file, 1, 1});
  Parsed p;
  p.root = ParseExpression(text, marks, program, sink);
  for (const Diagnostic& d : sink.diagnostics()) p.errors += d.message + "\n";
  p.nodes = program.nodes.size();
  return p;
}

// The outcome of the rule of `rules` for one entity with one row.
Outcome Decide(const std::shared_ptr<const RuleSet>& rules,
               const RowText& cells) {
  RowText row = cells;
  row["year"] = "2020";
  return Find(Score(rules, ParamValues{}, "e", {row}), "r", 2020).outcome;
}

// --- Expressions -------------------------------------------------------------

TEST_CASE("limits: 900,000 chained `not`s are an error, not a stack overflow") {
  std::string text = Repeat("not ", 900000) + "p";
  Parsed p = Parse(text);
  CHECK(p.root == kNoNode);
  CHECK(Has(p.errors, "bytes long; the limit is 10000"));
  CHECK(p.nodes == 0);
  // Within the length limit, the nesting limit stops `not` too.
  std::string deep = Repeat("not ", 65) + "p";
  Parsed q = Parse(deep);
  CHECK(q.root == kNoNode);
  CHECK(Has(q.errors, "nested deeper than 64 levels"));
  // A file with them: the YAML value is too big before it is an expression.
  ExpectBoundedFailure([&] { return WithCondition(text); },
                       "the limit is 65536");
}

TEST_CASE("limits: 64 nested `not`s and brackets still load and decide") {
  auto rules = LoadText(WithCondition(Repeat("not ", 64) + "p"));
  INFO(Dump(rules));
  REQUIRE(rules.ok());
  CHECK(Decide(rules.rule_set, {{"p", "true"}}) == Outcome::kEligible);
  auto brackets =
      LoadText(WithCondition(Repeat("(", 63) + "p" + Repeat(")", 63)));
  INFO(Dump(brackets));
  CHECK(brackets.ok());
  auto too_many =
      LoadText(WithCondition(Repeat("(", 65) + "p" + Repeat(")", 65)));
  CHECK(FailsWith(too_many, "nested deeper than 64 levels"));
}

TEST_CASE("limits: an expression is at most 10,000 bytes") {
  // t == "xxx...": exactly the limit loads, one byte more does not
  std::string prefix = "t == \"", suffix = "\"";
  size_t fill = limits::kMaxExpressionBytes - prefix.size() - suffix.size();
  std::string at_limit = prefix + std::string(fill, 'x') + suffix;
  REQUIRE(at_limit.size() == 10000);
  LoadResult ok = LoadText(WithCondition(at_limit));
  INFO(Dump(ok));
  CHECK(ok.ok());
  LoadResult over =
      LoadText(WithCondition(prefix + std::string(fill + 1, 'x') + suffix));
  CHECK(FailsWith(over,
                  "the expression is 10001 bytes long; the limit is "
                  "10000 (split it into derived values)"));
  // the error points at the expression
  REQUIRE_FALSE(over.diagnostics.empty());
  CHECK(over.diagnostics[0].line > 1);
}

TEST_CASE("limits: long operator chains are bounded: depth 256, not memory") {
  // 255 `and`s make a tree 256 deep: the limit; one more is an error
  std::string chain = "p" + Repeat(" and p", 255);
  LoadResult ok = LoadText(WithCondition(chain));
  INFO(Dump(ok));
  REQUIRE(ok.ok());
  CHECK(Decide(ok.rule_set, {{"p", "true"}}) == Outcome::kEligible);
  CHECK(FailsWith(LoadText(WithCondition(chain + " and p")),
                  "expression deeper than 256 levels, counting each operator "
                  "of a chain such as `a and b and c`"));
  // the other chains
  for (std::string_view link : {" + m", " - m", " * 1", " / 1"}) {
    std::string sum = "m" + Repeat(link, 300) + " > 0元";
    INFO(sum.substr(0, 20));
    CHECK(FailsWith(LoadText(WithCondition(sum)), "deeper than 256 levels"));
  }
  CHECK(FailsWith(LoadText(WithCondition("p" + Repeat(" or p", 300))),
                  "deeper than 256 levels"));
  CHECK(
      FailsWith(LoadText(WithCondition("m" + Repeat("@2017", 300) + " > 0元")),
                "deeper than 256 levels"));
  // 20,000 `and`s (1.2 GB before the limits) and 100,000 `+`: the length
  // limit, with little memory
  ExpectBoundedFailure(
      [] { return WithCondition("p" + Repeat(" and p", 20000)); },
      "the limit is");
  ExpectBoundedFailure(
      [] { return WithCondition("1元" + Repeat("+1元", 100000) + " > 0元"); },
      "the limit is");
}

TEST_CASE("limits: a node's source text is a view, not a copy per node") {
  // 2,400 operators in one expression, each node's source up to the whole
  // text: views keep the memory linear
  Program program;
  DiagnosticSink sink;
  std::string sum = "(" + Repeat("m + ", 240) + "m)";
  std::string big = sum + Repeat(" + " + sum, 9);
  std::vector<Mark> marks(big.size() + 1);
  int root = ParseExpression(big, marks, program, sink);
  INFO(big.size());
  REQUIRE(root != kNoNode);
  size_t viewed = 0;
  for (const Node& n : program.nodes) {
    CHECK(n.source.data() >= program.sources.back().data());
    CHECK(n.source.data() + n.source.size() <=
          program.sources.back().data() + program.sources.back().size());
    viewed += n.source.size();
  }
  CHECK(program.sources.size() == 1);
  CHECK(viewed > 10 * big.size());  // what copies would have cost
  CHECK(program.nodes[static_cast<size_t>(root)].source == big);
}

TEST_CASE("limits: the expressions of a rule set have at most 200,000 parts") {
  // 100 rules of 100 conditions, each of 39 parts: 390,000 parts
  std::string text(kHead);
  text += "rules:\n";
  std::string condition = "m > 1元" + Repeat(" and m > 1元", 9);
  for (int r = 0; r < 100; ++r) {
    text += "  - id: r" + std::to_string(r) +
            "\n    title: t\n    citation: c\n    entity: e\n"
            "    award: {kind: designation}\n    when:\n";
    for (int c = 0; c < 100; ++c) text += "      - " + condition + "\n";
  }
  REQUIRE(text.size() < limits::kMaxRuleFileBytes);
  ExpectBoundedFailure([&] { return text; },
                       "the expressions of this rule set have more than "
                       "200000 parts in all");
  LoadResult r = LoadText(text);
  size_t reported = 0;
  for (const Diagnostic& d : r.diagnostics)
    reported += Has(d.message, "200000 parts") ? 1 : 0;
  CHECK(reported == 1);  // once, not once per expression
}

TEST_CASE("limits: a year range over more than 200 years is a check error") {
  auto fails = [](std::string_view when, std::string_view part) {
    LoadResult r = LoadText(WithCondition(when));
    INFO(when, "\n", Dump(r));
    CHECK(FailsWith(r, part));
  };
  fails("sum(1 .. 1000000000, m) > 0元",
        "`sum(1 .. 1000000000, m)` covers 1000000000 years; a range covers "
        "at most 200");
  fails("sum(year - 1000000000 .. year, m) > 0元", "covers 1000000001 years");
  fails("all(first .. last, p)", "covers 384 years");
  fails("count(1820 .. 2020, p) > 0", "covers 201 years");
  fails("any(year .. year + 200, p)", "covers 201 years");
  fails("max(year - 300 .. year - 100, m) > 0元", "covers 201 years");
  fails("min(-5 .. 10, m) > 0元", "has a bound that is not a year in 0..9999");
  fails("all(9990 .. 10010, p)", "not a year in 0..9999");
  fails("sum(1 .. 99999999999999999999999999999, m) > 0元", "covers");
  // 200 years, or bounds known only from the data: loads
  for (std::string_view when :
       {"count(1821 .. 2020, p) == 200", "all(year - 199 .. year, p)",
        "all(since .. year, p)", "all(first .. first + 199, p)",
        "all(2020 .. 1000, p)"}) {
    LoadResult r = LoadText(WithCondition(when));
    INFO(when, "\n", Dump(r));
    CHECK(r.ok());
  }
  // and at run time a range from the data is still capped, not walked
  LoadResult r = LoadText(WithCondition("all(since .. year, p)"));
  REQUIRE(r.ok());
  CHECK(Decide(r.rule_set, {{"since", "1900"}, {"p", "true"}}) ==
        Outcome::kUndetermined);
}

TEST_CASE("limits: literals beyond the decimal range are errors, not wrapped") {
  for (std::string_view when :
       {"m > 1000000000000000000000000000000元",
        "m > 99999999999999999999999999999999999999999亿元",
        "m > 0.000000000000000000000000000000000000000001元",
        "round(m, 999999999999, half_up) > 0元"}) {
    LoadResult r = LoadText(WithCondition(when));
    INFO(when, "\n", Dump(r));
    CHECK_FALSE(r.ok());
  }
  // 30 significant digits are exact
  LoadResult r =
      LoadText(WithCondition("m < 999999999999999999999999999999元"));
  INFO(Dump(r));
  REQUIRE(r.ok());
  CHECK(Decide(r.rule_set, {{"m", "999999999999999999999999999998"}}) ==
        Outcome::kEligible);
}

// --- Derived values ----------------------------------------------------------

// d0 = m; d1 = d0 + m; ... the chain of `n` derived values, the last used by
// the rule.
std::string DerivedChain(int n, std::string_view link = " + m") {
  std::string derived = "  d0: {entity: e, expr: m}\n";
  for (int i = 1; i < n; ++i) {
    derived += "  d" + std::to_string(i) + ": {entity: e, expr: 'd" +
               std::to_string(i - 1) + std::string(link) + "'}\n";
  }
  return WithCondition("d" + std::to_string(n - 1) + " >= 0元", derived);
}

TEST_CASE("limits: derived values use each other at most 64 deep") {
  LoadResult ok = LoadText(DerivedChain(64));
  INFO(Dump(ok));
  REQUIRE(ok.ok());
  CHECK(Decide(ok.rule_set, {{"m", "1"}}) == Outcome::kEligible);
  LoadResult deep = LoadText(DerivedChain(65));
  CHECK(FailsWith(deep,
                  "derived values use each other more than 64 deep: "
                  "d64 -> d63 -> "));
  size_t errors = 0;
  for (const Diagnostic& d : deep.diagnostics)
    errors += d.severity == Severity::kError ? 1 : 0;
  CHECK(errors == 1);  // one error for the chain, not one per derived value
  // 1,000 derived values in a chain: one error, quickly
  ExpectBoundedFailure([] { return DerivedChain(1000); }, "more than 64 deep");
}

TEST_CASE("limits: 60,000 chained derived values are refused at once") {
  // 36 s to load, then a stack overflow in evaluation, before the limits;
  // now the YAML is too big (6 nodes each), and so is the count
  ExpectBoundedFailure([] { return DerivedChain(60000); },
                       "more than 200000 nodes");
  ExpectBoundedFailure([] { return DerivedChain(1001); },
                       "1001 derived values; the limit is 1000");
  // listed from the last, the chain is followed from its top: still one
  // error, no deep recursion
  std::string reversed = "  d0: {entity: e, expr: m}\n";
  for (int i = 1; i <= 999; ++i) {
    reversed.insert(0, "  d" + std::to_string(i) + ": {entity: e, expr: 'd" +
                           std::to_string(i - 1) + " + m'}\n");
  }
  LoadResult r = LoadText(WithCondition("d999 >= 0元", reversed));
  CHECK(FailsWith(r, "more than 64 deep: d999 -> d998 -> "));
}

TEST_CASE("limits: an expression with its derived values is at most 512 deep") {
  // d0 is a chain 250 deep; d1 = d0 + m + ... puts d0 at the bottom of
  // another such chain: 500 deep; d2 would be 750, and the rule over d3 is
  // not checked further (one error)
  std::string tail = Repeat(" + m", 249);
  std::string derived = "  d0: {entity: e, expr: 'm" + tail + "'}\n";
  for (int i = 1; i <= 3; ++i) {
    derived += "  d" + std::to_string(i) + ": {entity: e, expr: 'd" +
               std::to_string(i - 1) + tail + "'}\n";
  }
  LoadResult deep = LoadText(WithCondition("d3 > 0元", derived));
  CHECK(FailsWith(deep,
                  "derived value `d2` is more than 512 levels deep "
                  "with the derived values it uses"));
  size_t errors = 0;
  for (const Diagnostic& d : deep.diagnostics)
    errors += d.severity == Severity::kError ? 1 : 0;
  CHECK(errors == 1);
  // a rule expression that is too deep only with its derived values
  LoadResult rule =
      LoadText(WithCondition("d1" + Repeat(" + m", 20) + " > 0元", derived));
  CHECK(FailsWith(rule,
                  "is more than 512 levels deep with the derived "
                  "values it uses"));
  // 511 deep: loads, and evaluates without running out of stack, also in
  // the sanitizer build
  std::string near = "  d0: {entity: e, expr: 'm" + tail + "'}\n" +
                     "  d1: {entity: e, expr: 'd0" + tail + "'}\n";
  LoadResult ok =
      LoadText(WithCondition("d1" + Repeat(" + m", 9) + " > 0元", near));
  INFO(Dump(ok));
  REQUIRE(ok.ok());
  CHECK(Decide(ok.rule_set, {{"m", "1"}}) == Outcome::kEligible);
}

TEST_CASE("limits: a derived value whose expression failed is not used") {
  // found by the rules fuzzer: the checker read node -1
  LoadResult r =
      LoadText(WithCondition("d0 > 0元", "  d0: {entity: e, expr: 'm +'}\n"));
  CHECK_FALSE(r.ok());
  CHECK(FailsWith(r, "the expression ended where a value was expected"));
}

// --- YAML --------------------------------------------------------------------

// A billion laughs: each level a list of ten aliases of the one before.
std::string Laughs(int levels, std::string_view where) {
  std::string out(kHead);
  out += "x:\n";
  out += "  - &l0 " + std::string(where) + "\n";
  for (int i = 1; i < levels; ++i) {
    out += "  - &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k)
      out += std::string(k ? ", " : "") + "*l" + std::to_string(i - 1);
    out += "]\n";
  }
  return out;
}

TEST_CASE("limits: a billion laughs stops at 200,000 nodes") {
  ExpectBoundedFailure([] { return Laughs(10, "lol"); },
                       "the document has more than 200000 nodes, counting "
                       "each alias as the nodes it repeats");
  // the text counts too: 64 KiB repeated
  ExpectBoundedFailure(
      [] { return Laughs(4, std::string(60000, 'x')); },
      "the document's values hold more than 16777216 bytes, counting each "
      "alias as the text it repeats");
}

TEST_CASE("limits: anchors cannot turn 33 KB into a million conditions") {
  // 1,000 rules sharing one list of 1,000 conditions
  std::string text(kHead);
  text += "rules:\n";
  for (int r = 0; r < 1000; ++r) {
    text += "  - id: r" + std::to_string(r) +
            "\n    title: t\n    citation: c\n    entity: e\n"
            "    award: {kind: designation}\n    when: ";
    if (r == 0) {
      text += "&c [" + Repeat("p, ", 999) + "p]\n";
    } else {
      text += "*c\n";
    }
  }
  CHECK(text.size() < 200000);
  ExpectBoundedFailure([&] { return text; }, "more than 200000 nodes");
  // and fewer aliases load, each counted
  std::string small(kHead);
  small += "rules:\n";
  for (int r = 0; r < 3; ++r) {
    small += "  - id: r" + std::to_string(r) +
             "\n    title: t\n    citation: c\n    entity: e\n"
             "    award: {kind: designation}\n    when: " +
             (r == 0 ? std::string("&c [p, p]") : std::string("*c")) + "\n";
  }
  LoadResult ok = LoadText(small);
  INFO(Dump(ok));
  CHECK(ok.ok());
}

TEST_CASE("limits: YAML nesting, huge values and self-containing aliases") {
  CHECK(FailsWith(LoadText(std::string(kHead) + "x: " + Repeat("[", 65) +
                           Repeat("]", 65) + "\n"),
                  "YAML nested deeper than 64 levels"));
  ExpectBoundedFailure(
      [] {
        return std::string(kHead) + "x: " + Repeat("[", 1000000) +
               Repeat("]", 1000000) + "\n";
      },
      "YAML nested deeper than 64 levels");
  ExpectBoundedFailure(
      [] {
        return std::string(kHead) + "x:\n" + Repeat("  - ", 1) +
               Repeat("- ", 100000) + "a\n";
      },
      "YAML nested deeper than 64 levels");
  LoadResult huge =
      LoadText(std::string(kHead) + "x: " + std::string(100000, 'x') + "\n");
  CHECK(FailsWith(huge, "a value of 100000 bytes; the limit is 65536"));
  REQUIRE_FALSE(huge.diagnostics.empty());
  CHECK(huge.diagnostics[0].line ==
        1 + std::count(kHead.begin(), kHead.end(), '\n'));
  CHECK(FailsWith(LoadText(std::string(kHead) + "x: &a [1, *a]\n"),
                  "an alias refers to a node that contains it"));
  CHECK(FailsWith(LoadText(std::string(kHead) + "x: &a {k: *a}\n"),
                  "an alias refers to a node that contains it"));
}

TEST_CASE("limits: rule files of many megabytes") {
  // over 4 MiB: refused before parsing
  std::string big = std::string(kHead) + "#" + std::string(5 << 20, 'x');
  ExpectBoundedFailure([&] { return big; }, "the rule file is " +
                                                std::to_string(big.size()) +
                                                " bytes; the limit is 4194304");
  // just under 4 MiB of list items: the node limit, not gigabytes
  ExpectBoundedFailure(
      [] {
        std::string text(kHead);
        text += "x: [";
        while (text.size() < (4 << 20) - 10) text += "1,";
        return text + "1]\n";
      },
      "more than 200000 nodes");
  // a mistake on a line over 1,000 bytes: reported, the line not quoted
  LoadResult one_line =
      LoadText(std::string(kHead) +
               "rules:\n  - {id: r, title: t, citation: c, entity: e, when: p, "
               "award: {kind: designation}, bogus: '" +
               std::string(2000, 'x') + "'}\n");
  CHECK(FailsWith(one_line, "unknown key `bogus`"));
  for (const Diagnostic& d : one_line.diagnostics) CHECK(d.source_line.empty());
}

TEST_CASE("limits: counts of rules, tiers, conditions, parameters, derived") {
  std::string text(kHead);
  text += "rules:\n";
  for (int r = 0; r < 1001; ++r) text += RuleYaml("r" + std::to_string(r), "p");
  CHECK(FailsWith(LoadText(text), "1001 rules; the limit is 1000"));

  std::string tiers(kHead);
  tiers +=
      "rules:\n  - id: r\n    title: t\n    citation: c\n    entity: e\n"
      "    tiers:\n";
  for (int t = 0; t < 101; ++t)
    tiers += "      - {id: t" + std::to_string(t) +
             ", when: p, award: {kind: designation}}\n";
  CHECK(FailsWith(LoadText(tiers), "101 tiers; the limit is 100"));

  CHECK(FailsWith(LoadText(std::string(kHead) + "rules:\n" +
                           RuleYaml("r", "p").substr(
                               0, RuleYaml("r", "p").find("    when:")) +
                           "    when: [" + Repeat("p, ", 1000) + "p]\n"),
                  "1001 conditions; the limit is 1000"));

  std::string params(kHead);
  for (int i = 0; i < 1001; ++i)
    params += "  x" + std::to_string(i) + ": {value: 1}\n";
  CHECK(FailsWith(LoadText(params), "1004 parameters; the limit is 1000"));

  std::string by_year(kHead);
  by_year += "  table:\n    by_year: {";
  for (int y = 0; y < 6; ++y)
    by_year += std::to_string(1000 + 200 * y) + ".." +
               std::to_string(1199 + 200 * y) + ": 1, ";
  by_year += "9999: 1}\n";
  CHECK(FailsWith(LoadText(by_year),
                  "`by_year` of `table` gives more than 1000 years"));
  CHECK(FailsWith(
      LoadText(std::string(kHead) + "  y:\n    by_year: {20000: 1}\n"),
      "`20000` is not a year or a range of years"));
}

TEST_CASE("limits: a thousand mistakes are reported, then counted") {
  std::string text(kHead);
  text += "rules:\n";
  for (int r = 0; r < 500; ++r) {
    text += RuleYaml("r" + std::to_string(r),
                     "nope" + std::to_string(r) + " and nada" +
                         std::to_string(r) + " and zilch");
  }
  Usage u = InChild([&] {
    LoadResult r = LoadText(text);
    return r.diagnostics.size() == limits::kMaxDiagnostics + 1 &&
           Has(r.diagnostics.back().message,
               "500 more errors and warnings from here on are not shown") &&
           r.diagnostics.back().severity == Severity::kError;
  });
  CHECK(u.passed);
  CHECK(u.seconds < kMaxSeconds);
}

// --- Params files ------------------------------------------------------------

TEST_CASE("limits: a params file is bounded like a rule file") {
  std::string rules_text = std::string(kHead) + "rules:\n" + RuleYaml("r", "p");
  LoadResult rules = LoadText(rules_text);
  INFO(Dump(rules));
  REQUIRE(rules.ok());
  std::string laughs = "rate:\n  2017: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    std::string prev = "a" + std::to_string(i - 1);
    if (i == 1) prev = "a";
    laughs += "  " + std::to_string(2017 + i) + ": &a" + std::to_string(i) +
              " [" + Repeat("*" + prev + ", ", 9) + "*" + prev + "]\n";
  }
  Usage u = InChild([&] {
    ParamsResult p = LoadParamsFromString(laughs, "p.yaml", *rules.rule_set);
    for (const Diagnostic& d : p.diagnostics) {
      if (Has(d.message, "more than 200000 nodes")) return true;
    }
    return false;
  });
  CHECK(u.passed);
  CHECK(u.peak_mb < kMaxMb);
  CHECK(u.seconds < kMaxSeconds);
  ParamsResult deep = LoadParamsFromString(
      "rate: " + Repeat("{a: ", 100) + "1" + Repeat("}", 100) + "\n", "p.yaml",
      *rules.rule_set);
  CHECK_FALSE(deep.ok());
}

// --- Files -------------------------------------------------------------------

// A temporary directory, removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "eligo-limits.XXXXXX")
            .string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
  }
};

TEST_CASE("limits: `extends` refuses symbolic links and other files") {
  TempDir dir, outside;
  std::string base = std::string(kHead) + "rules:\n" + RuleYaml("r", "p");
  dir.Write("base.yaml", base);
  outside.Write("secret.yaml", base);
  auto variant = [&](const std::string& target) {
    dir.Write("variant.yaml",
              "eligo: 1\nextends: " + target + "\nruleset: {id: v}\n");
    return LoadRuleSet((dir.path / "variant.yaml").string());
  };
  LoadResult plain = variant("base.yaml");
  INFO(Dump(plain));
  CHECK(plain.ok());

  std::filesystem::create_symlink("base.yaml", dir.path / "link.yaml");
  CHECK(FailsWith(variant("link.yaml"),
                  "`extends: link.yaml` is a symbolic link; a rule file "
                  "extends only a regular file in its own directory"));
  std::filesystem::create_symlink(outside.path / "secret.yaml",
                                  dir.path / "away.yaml");
  CHECK(FailsWith(variant("away.yaml"), "is a symbolic link"));
  std::filesystem::create_symlink("/etc/passwd", dir.path / "passwd");
  CHECK(FailsWith(variant("passwd"), "is a symbolic link"));
  // a FIFO would block a read forever; a directory is no file
  REQUIRE(mkfifo((dir.path / "fifo.yaml").c_str(), 0600) == 0);
  CHECK(FailsWith(variant("fifo.yaml"), "is not a regular file"));
  std::filesystem::create_directory(dir.path / "sub");
  CHECK(FailsWith(variant("sub"), "is not a regular file"));
  CHECK(FailsWith(variant(".."), "is not a regular file"));
  // outside the directory by name, as before
  CHECK(FailsWith(variant((outside.path / "secret.yaml").string()),
                  "must name a rule file in the same directory"));
  CHECK(FailsWith(variant("../x.yaml"),
                  "must name a rule file in the same directory"));
  CHECK(FailsWith(variant("missing.yaml"), "cannot read"));
}

TEST_CASE("limits: rule files read no environment and include nothing") {
  setenv("ELIGO_LIMITS_SECRET", "leaked", 1);
  std::string text(kHead);
  text +=
      "rules:\n  - id: r\n    title: $ELIGO_LIMITS_SECRET ${HOME} $(id) `id` "
      "%s %n\n    citation: !include /etc/passwd\n    entity: e\n"
      "    award: {kind: money, amount: 1元, payer: $ELIGO_LIMITS_SECRET}\n"
      "    when: p\n";
  LoadResult r = LoadText(text);
  INFO(Dump(r));
  REQUIRE(r.ok());
  const RuleInfo& rule = r.rule_set->rules()[0];
  CHECK(rule.title == "$ELIGO_LIMITS_SECRET ${HOME} $(id) `id` %s %n");
  CHECK(rule.citation.clause == "/etc/passwd");  // a tag, not an include
  std::vector<Rendered> d = Score(r.rule_set, ParamValues{}, "e",
                                  {{{"year", "2020"}, {"p", "true"}}});
  REQUIRE(d.size() == 1);
  CHECK(d[0].payer == "$ELIGO_LIMITS_SECRET");
  // in an expression, `$` is no character of the language
  CHECK(FailsWith(LoadText(WithCondition("t == $ELIGO_LIMITS_SECRET")),
                  "unexpected character `$`"));
  // nor can `extends` name anything but a file beside the rule file
  for (std::string_view target :
       {"$HOME", "~/rules.yaml", "/etc/passwd", "file:///etc/passwd"}) {
    LoadResult v = LoadRuleSetFromString(
        "eligo: 1\nextends: " + std::string(target) + "\n", "v.yaml",
        std::string(ELIGO_SOURCE_DIR) + "/rules");
    INFO(target);
    CHECK_FALSE(v.ok());
  }
  unsetenv("ELIGO_LIMITS_SECRET");
}

TEST_CASE("limits: a variant and its bases count together") {
  TempDir dir;
  // 4 files of 300 rules each: each within the limit, 1,200 in all
  for (int f = 0; f < 4; ++f) {
    std::string text =
        f == 0 ? std::string(kHead)
               : "eligo: 1\nextends: f" + std::to_string(f - 1) + ".yaml\n";
    text += "rules:\n";
    for (int r = 0; r < 300; ++r)
      text += RuleYaml("f" + std::to_string(f) + "r" + std::to_string(r), "p");
    dir.Write("f" + std::to_string(f) + ".yaml", text);
  }
  CHECK(FailsWith(LoadRuleSet((dir.path / "f3.yaml").string()),
                  "with the files it extends, the rule set has 1200 rules; "
                  "the limit is 1000"));
  LoadResult three = LoadRuleSet((dir.path / "f2.yaml").string());
  INFO(Dump(three));
  CHECK(three.ok());
}

TEST_CASE("limits: a rule file larger than it says is read only to the limit") {
  // /proc files say they are empty; /dev/zero never ends
  LoadResult zero = LoadRuleSet("/dev/zero");
  CHECK_FALSE(zero.ok());
  LoadResult proc = LoadRuleSet("/proc/self/status");
  CHECK_FALSE(proc.ok());  // read (it is not a rule file), not refused
  REQUIRE_FALSE(proc.diagnostics.empty());
  CHECK_FALSE(Has(proc.diagnostics[0].message, "cannot read"));
}

}  // namespace
}  // namespace eligo::testing
