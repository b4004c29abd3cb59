// The limits that keep loading and checking a rule file (or a params or
// rule-test file) bounded in memory, time and stack, whatever its bytes.
// Each ends in a diagnostic saying which limit was reached; rules/README.md
// ("Security and limits") lists them.
#ifndef ELIGO_SRC_LOAD_LIMITS_H_
#define ELIGO_SRC_LOAD_LIMITS_H_

#include <cstddef>

namespace eligo::limits {

// Files.
inline constexpr size_t kMaxRuleFileBytes = size_t{4} << 20;
inline constexpr size_t kMaxParamsFileBytes = size_t{1} << 20;
inline constexpr int kMaxExtendsDepth = 4;

// YAML documents, counting every alias as the nodes and text it repeats.
inline constexpr size_t kMaxYamlNodes = 200000;
inline constexpr int kMaxYamlDepth = 64;
inline constexpr size_t kMaxScalarBytes = size_t{64} << 10;
inline constexpr size_t kMaxYamlTextBytes = size_t{16} << 20;

// Expressions.
inline constexpr size_t kMaxExpressionBytes = 10000;
inline constexpr int kMaxNesting = 64;     // brackets, calls, if, not, unary -
inline constexpr int kMaxTreeDepth = 256;  // counting each chained operator
inline constexpr size_t kMaxExpressionNodes = 200000;  // in a rule set
// A year range over at most this many years (all/any/count/sum/min/max, and
// `by_year` ranges).
inline constexpr int kMaxYearSpan = 200;
inline constexpr int kMaxYear = 9999;  // years are 0..9999
// A derived value using another that uses another...: at most this many.
inline constexpr int kMaxDerivedChain = 64;
// An expression's depth with the derived values it uses expanded: what the
// evaluator recurses through.
inline constexpr int kMaxEvalDepth = 512;

// Counts in a rule set (the file and the files it extends).
inline constexpr size_t kMaxEntityKinds = 100;
inline constexpr size_t kMaxFields = 1000;  // per entity kind
inline constexpr size_t kMaxAliases = 100;  // per field
inline constexpr size_t kMaxParameters = 1000;
inline constexpr size_t kMaxByYearYears = 1000;  // per parameter
inline constexpr size_t kMaxDerived = 1000;
inline constexpr size_t kMaxRules = 1000;
inline constexpr size_t kMaxTiers = 100;        // per rule
inline constexpr size_t kMaxConditions = 1000;  // per `when`, `applies`
inline constexpr size_t kMaxNotes = 100;        // per rule

// Diagnostics kept for one load; more are summarised in one line.
inline constexpr size_t kMaxDiagnostics = 1000;

}  // namespace eligo::limits

#endif  // ELIGO_SRC_LOAD_LIMITS_H_
