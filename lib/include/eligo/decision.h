// Evaluator and Decision: what an entity is owed in each year, and why.
#ifndef ELIGO_DECISION_H_
#define ELIGO_DECISION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/decimal.h"
#include "eligo/panel.h"
#include "eligo/rule_set.h"
#include "eligo/status.h"

namespace eligo {

// Kleene's three truth values: missing data makes a condition unknown.
enum class Truth : unsigned char { kFalse, kTrue, kUnknown };

// What a decision says: the entity is owed the award, is not, or cannot be
// decided from the data given (missing values, or a rule error at run time).
enum class Outcome : unsigned char { kEligible, kIneligible, kUndetermined };
// What an eligible decision gives: money (with an amount), a commendation, a
// referral or a designation.
enum class AwardKind : unsigned char {
  kNone,
  kMoney,
  kCommendation,
  kReferral,
  kDesignation
};

const char* ToString(Truth t);      // "false", "true", "unknown"
const char* ToString(Outcome o);    // "eligible", "ineligible", "undetermined"
const char* ToString(AwardKind k);  // "", "money", "commendation", ...

// One value a condition read: `name@year = value` (value "missing" or
// "empty" when there was none).
struct TraceRead {
  std::string name;
  int year = 0;
  std::string value;
};

// One condition as evaluated: its expression, the clause text it enforces,
// its truth value and the values it read.
struct TraceCondition {
  std::string expr;
  std::string clause;
  Truth result = Truth::kUnknown;
  std::vector<TraceRead> reads;
};

// One tier (or stage) of a rule as evaluated.
struct TraceTier {
  std::string id;
  Truth result = Truth::kUnknown;  // of its conditions together
  bool evaluated = false;          // false when a first-match stopped before it
  std::vector<TraceCondition> conditions;
  std::string note;  // e.g. "tier1 already awarded in 2017"
};

// Everything an auditor needs to follow one decision.
struct Trace {
  std::vector<TraceCondition> applies;  // the rule's own conditions
  std::vector<TraceTier> tiers;
  std::vector<std::string> history;   // prior awards consulted
  std::vector<TraceCondition> notes;  // note conditions that held
};

// An award under a rule, made in an earlier year (from this evaluation or
// from a previous run's output).
struct PastAward {
  std::string rule;
  std::string tier;  // "" for a rule without tiers
  int year = 0;
  std::optional<Decimal> amount;
};

// Why a value a decision needed is unknown. Inputs not given come first
// in the list below; the rest are arithmetic that had no value.
struct Gap {
  enum class Kind : unsigned char {
    kMissing,     // an empty cell meaning unknown
    kEmpty,       // an empty cell meaning none, used as a value
    kNoRow,       // no row for that year
    kConflict,    // two rows for that year
    kUnreadable,  // a cell that could not be read; `detail` says why
    kNoParam,     // a parameter without a value for that year
    kDivZero,     // division by zero; `node` is the divisor
    kOverflow,    // a result out of range; `node` is the operation
    kTooLong,     // a year range too long, or the step budget spent
    kEmptyRange,  // min or max over no years
  };
  Kind kind = Kind::kMissing;
  int symbol = -1;        // the field (of the entity's kind) or parameter
  int year = 0;           // the year of the value
  int node = -1;          // the expression, for arithmetic gaps
  std::string_view name;  // of the field or parameter; views the rule set
  std::string detail;     // an unreadable cell's reason

  // A value not given (a cell, a row or a parameter), not arithmetic.
  bool is_input() const { return kind <= Kind::kNoParam; }
  friend bool operator==(const Gap&, const Gap&) = default;
};

// Why a decision came out as it did, as data: the kind of reason and the
// parts of the rule it names. Words are made of it on request (render.h),
// so that deciding builds no strings.
struct Cause {
  enum class Kind : unsigned char {
    kOutsideYears,      // `year` is outside first..last
    kDoesNotApply,      // condition `condition` of the rule's own is false
    kNotReached,        // condition `condition` of tier `tier` is false
    kNoTierMatched,     // no tier matched, none named
    kNoStage,           // no stage is decided in the year (`stage_years`)
    kUndetermined,      // `question` cannot be answered: see the gaps
    kUniqueConflict,    // tiers `tier` and `other_tier` both match
    kNonPositive,       // rule error: the amount computed is `value`
    kNothingLeft,       // top-up: `value` was already paid
    kReached,           // tiered: tier `tier` (and the others paid) reached
    kConditionsMet,     // untiered: every condition holds
    kOnce,              // once: awarded before (`earlier_*`)
    kOncePerTier,       // once per tier: this tier awarded before
    kNotHigher,         // higher-only or top-up: not above what was paid
    kUnsettledEarlier,  // an earlier decision it is limited by is undetermined
    kUnplacedRow,       // a row whose year could not be read (`detail`)
  };
  // What an undetermined decision could not tell.
  enum class Question : unsigned char {
    kYears,
    kApplies,
    kStage,
    kTier,  // whether tier `tier` is reached
    kConditions,
    kAmount,
    kPayer,
  };
  Kind kind = Kind::kNoTierMatched;
  Question question = Question::kConditions;
  int condition = -1;            // index in the rule's conditions or the tier's
  int tier = -1;                 // index in the rule's tiers
  int other_tier = -1;           // kUniqueConflict
  int64_t first = 0, last = 0;   // kOutsideYears
  int earlier_year = 0;          // the earlier award or decision
  std::string earlier_tier;      // its tier, as recorded ("" if none)
  std::optional<Decimal> value;  // kNonPositive, kNothingLeft; top-up
  std::string detail;            // kUnplacedRow: the row's reason
  std::vector<int64_t> stage_years;  // kNoStage: the year of each stage
};

// The decision of one rule for one entity in one year.
struct Decision {
  std::string rule;
  int rule_index = -1;  // in the rule set's rules(); -1 when made by hand
  std::string entity_kind;
  std::string entity_id;
  int year = 0;
  Outcome outcome = Outcome::kIneligible;
  // The tier reached ("" if none; a collect table joins tiers with '+'); for
  // a staged rule, the stage decided in this year, whatever the outcome.
  std::string tier;
  AwardKind award = AwardKind::kNone;
  std::optional<Decimal> amount;  // money awards only; in yuan
  std::string payer;
  std::string citation;   // the clause number
  Cause cause;            // why, as data
  std::vector<Gap> gaps;  // what an undetermined outcome lacks
  std::vector<std::string> notes;
  std::shared_ptr<const Trace> trace;  // set when tracing was asked for
};

struct EvalOptions {
  bool trace = false;  // record a Trace in every decision
};

class BoundParams;  // private to the library

// Binds a rule set to run-time parameter values and decides panels. Create
// once, then call Evaluate from any number of threads.
class Evaluator {
 public:
  // Fails when a value names an unknown parameter or does not fit its type.
  // Parameters left without values make decisions needing them undetermined.
  static Result<Evaluator> Create(std::shared_ptr<const RuleSet> rules,
                                  const ParamValues& params);

  // One decision per row of `panel` and rule of the panel's kind, in year
  // order then rule-file order. `history` lists awards already made to this
  // entity in earlier runs; entries for a year and rule this panel decides
  // again are ignored. A panel made from another rule set's schema gets no
  // decisions, and rows whose year is outside 1..9999 or whose cells do not
  // match the schema are left out (rows from AddRow() always match).
  std::vector<Decision> Evaluate(const Panel& panel,
                                 const std::vector<PastAward>& history = {},
                                 const EvalOptions& options = {}) const;
  // The same into `out`, reusing the decisions (and their strings' storage)
  // it holds: for callers that evaluate many panels in a loop. A decision's
  // trace is reused too when `out` holds the only reference to it; a trace
  // the caller kept a copy of is left as it was.
  void Evaluate(const Panel& panel, const std::vector<PastAward>& history,
                const EvalOptions& options, std::vector<Decision>& out) const;

  const RuleSet& rules() const { return *rules_; }

 private:
  Evaluator() = default;
  std::shared_ptr<const RuleSet> rules_;
  std::shared_ptr<const BoundParams> params_;
};

// The trace as JSON (an object). As text for people: TraceToText in
// eligo/render.h.
std::string TraceToJson(const Trace& trace);

}  // namespace eligo

#endif  // ELIGO_DECISION_H_
