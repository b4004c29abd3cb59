// Program: the rule set as the loader builds it, the checker resolves it
// and the evaluator runs it. Expressions are a flat vector of nodes that
// refer to their children and to fields, parameters and derived values by
// index, so evaluation does no name lookups.
#ifndef ELIGO_SRC_PROGRAM_H_
#define ELIGO_SRC_PROGRAM_H_

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/decimal.h"
#include "eligo/decision.h"
#include "eligo/rule_set.h"

namespace eligo {

// A place in a rule file; `file` indexes Program::files.
struct Mark {
  int file = 0;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
};

// Static types of expressions. Money is yuan; Number is a plain or
// fractional quantity (ratios, growth rates, counts); a Year is an integer.
enum class Type : unsigned char {
  kError,
  kBool,
  kMoney,
  kNumber,
  kYear,
  kText
};
const char* TypeName(Type t);

enum class Op : unsigned char {
  kLiteral,  // value in Node::number / boolean / text
  kName,     // an identifier the checker has not resolved yet
  kField,    // symbol = field index of the rule's entity kind
  kParam,    // symbol = parameter index
  kDerived,  // symbol = derived value index
  kYear,     // the year being evaluated
  kNot,
  kNeg,
  kPresent,
  kAnd,
  kOr,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kIf,     // a ? b : c
  kAt,     // a evaluated in year b
  kRound,  // round(a, digits = symbol, mode)
  kAll,
  kAny,
  kCount,
  kSum,
  kMin,
  kMax,   // over years a..b of body c
  kCall,  // a function name the checker has not resolved yet (name)
};

inline constexpr int kNoNode = -1;

struct Node {
  Op op = Op::kLiteral;
  Type type = Type::kError;
  RoundingMode mode = RoundingMode::kHalfUp;
  bool boolean = false;
  int a = kNoNode, b = kNoNode, c = kNoNode;
  int symbol = -1;
  Decimal number;
  std::string text;       // literal text, or the identifier as written
  std::vector<int> args;  // kCall only, before checking
  Mark mark;
  // The node's own source text, for messages: a view into the expression's
  // text, which Program::sources keeps (one copy per expression, not one
  // per node).
  std::string_view source;
};

// A condition: an expression with the clause text it enforces.
struct Condition {
  int expr = kNoNode;
  std::string source;  // as written
  std::string clause;
  Mark mark;
  // Set by the compiler for a tier's condition: the note of its tier in a
  // trace when this condition is the one that failed.
  std::string note_if_false;
};

struct Award {
  AwardKind kind = AwardKind::kNone;
  int amount = kNoNode;  // money awards: a Money expression
  int payer = kNoNode;   // a Text expression
  Mark mark;
};

struct Tier {
  std::string id;  // "" for the single implicit tier of an untiered rule
  std::string title;  // for people, e.g. 一档; "" when not given
  int rank = 0;
  int decided_in = kNoNode;  // stages: the Year it is decided in
  std::vector<Condition> when;
  Award award;
  Mark mark;
};

enum class HitPolicy : unsigned char { kFirst, kUnique, kCollect };
enum class Limit : unsigned char {
  kNone,
  kOnce,
  kOncePerTier,
  kHigherOnly,
  kTopUp
};

struct Note {
  Condition when;
  std::string text;
};

struct Rule {
  RuleInfo info;
  int kind = -1;                                 // index into Program::entities
  int years_from = kNoNode, years_to = kNoNode;  // Year expressions
  std::vector<Condition> applies;
  HitPolicy hit = HitPolicy::kFirst;
  Limit limit = Limit::kNone;
  std::vector<Tier> tiers;  // at least one
  bool tiered = false;      // false: one implicit tier with id ""
  bool staged = false;      // tiers have decided_in
  bool complete = false;    // the author says some tier always matches
  std::vector<Note> notes;
  Mark mark;
  std::map<std::string, Mark> key_marks;  // where each key was written
};

struct Parameter {
  std::string name;
  Type type = Type::kNumber;
  Citation citation;
  std::string description;
  std::optional<Decimal> scalar;   // one value for every year
  std::map<int, Decimal> by_year;  // values by year
  bool runtime = false;            // values come from a params file
  bool has_value = false;          // `value` or `by_year` was written
  bool is_ratio = false;           // shown as a percentage
  Mark mark;
};

struct Derived {
  std::string name;
  int kind = -1;
  std::string kind_name;
  int expr = kNoNode;
  Type declared = Type::kError;  // kError when not declared
  bool is_ratio = false;         // shown as a percentage
  std::string description;
  Mark mark;
};

class Program {
 public:
  Program() = default;
  // Nodes view texts in `sources`: moving keeps them where they are, a copy
  // would not, so there is none.
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;
  Program(Program&&) = default;
  Program& operator=(Program&&) = default;

  RuleSetInfo info;
  std::vector<EntitySchema> entities;
  std::vector<Mark> entity_marks;
  std::vector<std::vector<Mark>> field_marks;  // [entity][field]
  std::vector<Parameter> params;
  std::vector<Derived> derived;
  std::vector<Rule> rules;
  std::vector<RuleInfo> rule_infos;
  std::vector<Node> nodes;
  std::vector<std::string> files;   // names of the files read, for marks
  std::string digest;               // SHA-256 of their texts, in load order
  std::deque<std::string> sources;  // the texts Node::source views
  bool too_many_nodes = false;      // the node limit has been reported

  int AddNode(Node n) {
    nodes.push_back(std::move(n));
    return static_cast<int>(nodes.size()) - 1;
  }
  int FindParam(std::string_view name) const;
  int FindDerived(std::string_view name) const;
  int FindEntity(std::string_view kind) const;
};

// Type of a field's values in expressions.
Type FieldValueType(FieldType t);

}  // namespace eligo

#endif  // ELIGO_SRC_PROGRAM_H_
