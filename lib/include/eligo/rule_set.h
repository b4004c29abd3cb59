// RuleSet: a rule file loaded, checked and compiled, ready to evaluate; and
// ParamValues, the run-time parameter values that go with it.
#ifndef ELIGO_RULE_SET_H_
#define ELIGO_RULE_SET_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/decimal.h"
#include "eligo/diagnostic.h"
#include "eligo/status.h"

namespace eligo {

// The type of an input field, as declared in the rule file.
enum class FieldType {
  kText,
  kBoolean,
  kInteger,
  kYear,
  kMoney,
  kRatio,
  kCreditCode
};

// What an empty input cell means for a field.
enum class EmptyMeaning {
  kMissing,  // the value is unknown: decisions that need it are undetermined
  kNone,     // known to be absent (e.g. "never upgraded"); known(x) is false
  kDefault,  // the declared default value
};

// An input field of an entity kind: its type, the column headers it is
// read from and what its cells may hold.
struct FieldSchema {
  std::string name;
  FieldType type = FieldType::kText;
  std::vector<std::string> aliases;          // other accepted column headers
  Decimal unit_scale = Decimal::FromInt(1);  // yuan per input unit, money only
  bool required = false;                     // a row without it is rejected
  EmptyMeaning empty = EmptyMeaning::kMissing;
  std::string default_text;         // the default as written, when kDefault
  std::optional<Decimal> min, max;  // constraints on numbers, inclusive
  // Where most values of a money column lie (in yuan): a column whose
  // values fit only once scaled by 10^4 or 10^8 was likely given in another
  // unit, and the reader warns.
  std::optional<Decimal> typical_min, typical_max;
  bool optional = false;  // a file may lack its column: cells read as empty
  bool read_by_rules = false;  // some rule reads it (set when compiled)
};

// An entity kind (e.g. "enterprise") and the columns of its panel.
struct EntitySchema {
  std::string kind;
  std::string title;       // for people, e.g. 企业; "" when not given
  std::string key;         // field that identifies an entity, e.g. credit_code
  std::string period;      // field that holds the year
  std::string name_field;  // field shown as the entity's name ("" if none)
  std::string county_field;  // field shown as its county ("" if none)
  std::vector<FieldSchema> fields;

  // Index of the field called `name` or having it as an alias; -1 if none.
  int FindField(std::string_view name) const;
};

// Where a rule comes from in the policy text.
struct Citation {
  std::string clause;  // e.g. "四(六)2"
  std::string text;    // the original clause text
};

// What a rule is, for people and reports (its logic stays compiled).
struct RuleInfo {
  std::string id;
  std::string title;
  std::string kind;  // entity kind the rule decides
  Citation citation;
  std::vector<std::string> tiers;        // tier or stage ids, in file order
  std::vector<std::string> tier_titles;  // their titles ("" where none)
};

// The `ruleset` metadata of the rule file.
struct RuleSetInfo {
  std::string id, title, source, issued, version;
  std::string lang;  // of words for people: "zh", "en" or "" (English)
  int effective_from = 0, effective_to = 0;  // years; 0 when not stated
};

// Parameter values supplied at run time: name -> year -> value. Values are
// checked against the rule set when an Evaluator is created.
struct ParamValues {
  std::map<std::string, std::map<int, Decimal>> by_year;
  void Set(const std::string& name, int year, const Decimal& value) {
    by_year[name][year] = value;
  }
};

class Program;  // the compiled form; private to the library

// A checked, compiled rule set. Immutable once loaded, so one RuleSet may be
// shared by any number of threads evaluating at once.
class RuleSet {
 public:
  explicit RuleSet(std::unique_ptr<const Program> program);
  ~RuleSet();
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  // The rule file's metadata, its entity kinds and its rules, in file order.
  const RuleSetInfo& info() const;
  const std::vector<EntitySchema>& entities() const;
  const std::vector<RuleInfo>& rules() const;
  // The schema of `kind`, or nullptr when the rule set has no such kind.
  const EntitySchema* FindEntity(std::string_view kind) const;
  // SHA-256 (hex) of the rule file and every file it extends, in load
  // order: what decision ids are derived from.
  const std::string& digest() const;
  // Names of the parameters that need values at run time.
  std::vector<std::string> RuntimeParameters() const;

  // The compiled form; its type is private to the library.
  const Program& program() const { return *program_; }

 private:
  std::unique_ptr<const Program> program_;
};

// What loading a rule file produced: a rule set when there were no errors,
// and every error and warning found (all of them, not just the first).
struct LoadResult {
  std::shared_ptr<const RuleSet> rule_set;  // null when any error was found
  std::vector<Diagnostic> diagnostics;
  bool ok() const { return rule_set != nullptr; }
};

// Loads, checks and compiles the rule file at `path`. A file may extend
// another in its own directory (see rules/README.md, "Variants"). A file
// that cannot be read is an error diagnostic like any other mistake, and so
// is a failure inside the loader: neither function throws.
LoadResult LoadRuleSet(const std::string& path);
// The same from text; `name` stands for the file in diagnostics. `extends`
// is resolved relative to `base_dir` (not allowed when base_dir is empty).
LoadResult LoadRuleSetFromString(std::string_view text, const std::string& name,
                                 const std::string& base_dir = "");

// Reads a params file (`name: {YEAR: VALUE}`, VALUE a decimal or a
// percentage such as "8.5%") and checks it against `rules`: unknown
// parameters and bad values are diagnostics with line and column.
struct ParamsResult {
  ParamValues values;
  std::vector<Diagnostic> diagnostics;
  bool ok() const { return !HasErrors(diagnostics); }
};
ParamsResult LoadParams(const std::string& path, const RuleSet& rules);
ParamsResult LoadParamsFromString(std::string_view text,
                                  const std::string& name,
                                  const RuleSet& rules);

// The library version, e.g. "2.0.0": project(eligo VERSION) in
// CMakeLists.txt. The C interface has it as eligo_version().
const char* Version();

}  // namespace eligo

#endif  // ELIGO_RULE_SET_H_
