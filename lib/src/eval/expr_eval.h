// Evaluation of one expression for one entity in one year, with Kleene
// three-valued logic: what cannot be known is Unknown, with the reasons.
#ifndef ELIGO_SRC_EVAL_EXPR_EVAL_H_
#define ELIGO_SRC_EVAL_EXPR_EVAL_H_

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/panel.h"
#include "program.h"

namespace eligo {

// Why a value is unknown. Unknown values combine their reasons into a tree
// held by the Scratch, so recording them allocates nothing per row once the
// vectors have grown.
struct Why {
  enum Kind : unsigned char {
    kMissing,     // empty cell meaning unknown
    kNone,        // empty cell meaning none, used as a value
    kNoRow,       // no row for that year
    kConflict,    // two rows for that year
    kUnreadable,  // a cell that could not be read; its text says why
    kNoParam,     // parameter without a value for that year
    kDivZero,     // division by zero; node = the divisor
    kOverflow,    // result out of range; node = the operation
    kTooLong,     // year range too long, or evaluation budget spent
    kEmptyRange,  // min or max over no years
    kJoin,        // both `left` and `right`
  } kind;
  int symbol = -1;  // field or parameter
  int year = 0;
  int node = -1;
  int left = -1, right = -1;
};

struct Value {
  bool known = false;
  bool boolean = false;
  Decimal number;
  std::string_view text;
  int why = -1;  // when !known: index into Scratch::whys
};

// Per-evaluation working memory, reused across decisions.
struct Scratch {
  std::vector<Why> whys;
  std::deque<std::string> texts;  // text built by `+`; stable addresses
  long budget = 0;                // node evaluations left for this decision
  int spent = -1;                 // the Why once the budget is spent
  void Reset(long steps) {
    whys.clear();
    if (!texts.empty()) texts.clear();  // clear() of a deque is not free
    budget = steps;
    spent = -1;
  }
};

// Parameter values resolved to indices: [param] -> value for a year. Also
// the years each rule covers when parameters alone decide them, found once
// rather than for every decision.
class BoundParams {
 public:
  void Resize(size_t n) { tables_.resize(n); }
  void SetScalar(int param, const Decimal& v) { tables_[param].scalar = v; }
  void SetYear(int param, int year, const Decimal& v);
  const Decimal* Find(int param, int year) const;

  struct YearRange {
    int64_t first = 0, last = 0;
  };
  void SetRuleYears(size_t rule, const YearRange& years);
  // Null when the rule's years depend on the entity or the year decided,
  // or cannot be known (a parameter without a value).
  const YearRange* RuleYears(size_t rule) const {
    return rule < rule_years_.size() && rule_years_[rule] ? &*rule_years_[rule]
                                                          : nullptr;
  }

 private:
  struct Table {
    std::optional<Decimal> scalar;
    int first_year = 0;
    std::vector<std::optional<Decimal>> by_year;
  };
  std::vector<Table> tables_;
  std::vector<std::optional<YearRange>> rule_years_;  // by rule
};

// The rows of one entity, looked up by year.
class YearIndex {
 public:
  static constexpr int kFirstYear = 1, kLastYear = 9999;  // years decided

  // Indexes `panel`'s rows, reusing the storage of the last panel's.
  void Assign(const Panel& panel);
  // The row for `year`; nullptr when there is none or (with *conflict set)
  // when the year had conflicting rows.
  const Row* Find(int year, bool* conflict) const;
  int first_year() const { return first_; }

 private:
  int first_ = 0;
  std::vector<const Row*> rows_;
  std::vector<bool> conflict_;
};

// Notified of every field, parameter and derived value read; the trace is
// built by one of these. Plain evaluation passes none.
class ReadListener {
 public:
  virtual ~ReadListener() = default;
  virtual void OnRead(const Node& node, int year, const Value& value) = 0;
};

class ExprEvaluator {
 public:
  ExprEvaluator(const Program& program, const BoundParams& params,
                const YearIndex& rows, int kind, Scratch& scratch)
      : p_(program), params_(params), rows_(rows), kind_(kind), s_(scratch) {}

  void set_listener(ReadListener* listener) { listener_ = listener; }

  Value Eval(int node, int year);
  // Evaluates a condition to a truth value.
  Truth Test(int node, int year, int* why);

  // What lies behind `why`, appended to `gaps` without repeats.
  void Explain(int why, std::vector<Gap>& gaps) const;

  // The text of a value for people, following the type of `node`, into
  // `out` (whose storage is reused).
  void Show(const Node& node, const Value& v, std::string& out) const;

 private:
  Value Unknown(Why why);
  Value Join(const Value& a, const Value& b);
  Value Number(const Decimal& d) const;
  Value Read(const Node& n, int year);
  Value Arithmetic(const Node& n, int year);
  Value Aggregate(const Node& n, int year);
  Value Logic(const Node& n, int year);

  const Program& p_;
  const BoundParams& params_;
  const YearIndex& rows_;
  int kind_;
  Scratch& s_;
  ReadListener* listener_ = nullptr;
};

}  // namespace eligo

#endif  // ELIGO_SRC_EVAL_EXPR_EVAL_H_
