// The expression evaluator. Kleene logic: `false and unknown` is false,
// `true or unknown` is true; everything else that touches an unknown value
// is unknown and carries the reasons.
#include "eval/expr_eval.h"

#include <fmt/format.h>

#include <algorithm>

namespace eligo {
namespace {

constexpr int kMaxYearSpan = 200;  // longest year range an aggregate walks

}  // namespace

void BoundParams::SetYear(int param, int year, const Decimal& v) {
  Table& t = tables_[param];
  if (t.by_year.empty()) t.first_year = year;
  if (year < t.first_year) {
    t.by_year.insert(t.by_year.begin(),
                     static_cast<size_t>(t.first_year - year), std::nullopt);
    t.first_year = year;
  }
  size_t i = static_cast<size_t>(year - t.first_year);
  if (i >= t.by_year.size()) t.by_year.resize(i + 1);
  t.by_year[i] = v;
}

void BoundParams::SetRuleYears(size_t rule, const YearRange& years) {
  if (rule >= rule_years_.size()) rule_years_.resize(rule + 1);
  rule_years_[rule] = years;
}

const Decimal* BoundParams::Find(int param, int year) const {
  const Table& t = tables_[param];
  int i = year - t.first_year;
  if (!t.by_year.empty() && i >= 0 && i < static_cast<int>(t.by_year.size()) &&
      t.by_year[i]) {
    return &*t.by_year[i];
  }
  return t.scalar ? &*t.scalar : nullptr;
}

void YearIndex::Assign(const Panel& panel) {
  // Only years 1..9999 with a full row count: anything else cannot come
  // from the schema the rules were checked against.
  auto usable = [&](int year) {
    return year >= kFirstYear && year <= kLastYear;
  };
  size_t width = panel.schema().fields.size();
  int first = kLastYear + 1, last = kFirstYear - 1;
  for (const Row& r : panel.rows()) {
    if (usable(r.year) && r.cells.size() == width)
      first = std::min(first, r.year), last = std::max(last, r.year);
  }
  for (int y : panel.conflict_years()) {
    if (usable(y)) first = std::min(first, y), last = std::max(last, y);
  }
  first_ = 0;
  rows_.clear();
  conflict_.clear();
  if (first > last) return;
  first_ = first;
  rows_.assign(static_cast<size_t>(last - first) + 1, nullptr);
  conflict_.assign(rows_.size(), false);
  for (const Row& r : panel.rows()) {
    if (!usable(r.year) || r.cells.size() != width) continue;
    size_t i = static_cast<size_t>(r.year - first);
    if (rows_[i] != nullptr) conflict_[i] = true;  // two rows for one year
    rows_[i] = &r;
  }
  for (int y : panel.conflict_years()) {
    if (usable(y)) conflict_[static_cast<size_t>(y - first)] = true;
  }
}

const Row* YearIndex::Find(int year, bool* conflict) const {
  *conflict = false;
  long i = static_cast<long>(year) - first_;
  if (i < 0 || i >= static_cast<long>(rows_.size())) return nullptr;
  if (conflict_[static_cast<size_t>(i)]) {
    *conflict = true;
    return nullptr;
  }
  return rows_[static_cast<size_t>(i)];
}

Value ExprEvaluator::Unknown(Why why) {
  s_.whys.push_back(why);
  Value v;
  v.why = static_cast<int>(s_.whys.size()) - 1;
  return v;
}

Value ExprEvaluator::Join(const Value& a, const Value& b) {
  if (a.known) return b;
  if (b.known || a.why == b.why) return a;
  if (a.why < 0) return b;
  if (b.why < 0) return a;
  return Unknown(Why{.kind = Why::kJoin, .left = a.why, .right = b.why});
}

Value ExprEvaluator::Number(const Decimal& d) const {
  Value v;
  v.known = true;
  v.number = d;
  return v;
}

Truth ExprEvaluator::Test(int node, int year, int* why) {
  Value v = Eval(node, year);
  *why = v.why;
  if (!v.known) return Truth::kUnknown;
  return v.boolean ? Truth::kTrue : Truth::kFalse;
}

Value ExprEvaluator::Eval(int index, int year) {
  const Node& n = p_.nodes[index];
  if (--s_.budget < 0) {  // one reason for everything after, not one each
    if (s_.spent < 0) {
      s_.spent =
          Unknown(Why{.kind = Why::kTooLong, .year = year, .node = index}).why;
    }
    Value spent;
    spent.why = s_.spent;
    return spent;
  }
  switch (n.op) {
    case Op::kLiteral: {
      Value v = Number(n.number);
      v.boolean = n.boolean;
      v.text = n.text;
      return v;
    }
    case Op::kYear:
      return Number(Decimal::FromInt(year));
    case Op::kField:
    case Op::kParam:
    case Op::kDerived: {
      Value v = Read(n, year);
      if (listener_ != nullptr) listener_->OnRead(n, year, v);
      return v;
    }
    case Op::kNot: {
      Value v = Eval(n.a, year);
      v.boolean = !v.boolean;
      return v;
    }
    case Op::kPresent: {
      // True with a value, false when empty means none; missing data stays
      // unknown, so it can never turn into a silent "no".
      Value v = Eval(n.a, year);
      if (!v.known && s_.whys[static_cast<size_t>(v.why)].kind != Why::kNone) {
        return v;
      }
      Value out = Number(Decimal());
      out.boolean = v.known;
      return out;
    }
    case Op::kAnd:
    case Op::kOr:
      return Logic(n, year);
    case Op::kNeg: {
      Value v = Eval(n.a, year);
      if (v.known) v.number = v.number.Negate();
      return v;
    }
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
    case Op::kDiv:
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
      return Arithmetic(n, year);
    case Op::kIf: {
      Value c = Eval(n.a, year);
      if (!c.known) return c;
      return Eval(c.boolean ? n.b : n.c, year);
    }
    case Op::kAt: {
      Value at = Eval(n.b, year);
      if (!at.known) return at;
      std::optional<int64_t> y = at.number.ToInt64();
      if (!y || *y < 0 || *y > 9999)
        return Unknown(Why{.kind = Why::kOverflow, .year = year, .node = n.b});
      return Eval(n.a, static_cast<int>(*y));
    }
    case Op::kRound: {
      Value v = Eval(n.a, year);
      if (!v.known) return v;
      std::optional<Decimal> r = v.number.Round(n.symbol, n.mode);
      if (!r)
        return Unknown(
            Why{.kind = Why::kOverflow, .year = year, .node = index});
      return Number(*r);
    }
    case Op::kAll:
    case Op::kAny:
    case Op::kCount:
    case Op::kSum:
    case Op::kMin:
    case Op::kMax:
      return Aggregate(n, year);
    case Op::kName:
    case Op::kCall:
      break;  // the checker resolved these
  }
  return Unknown(Why{.kind = Why::kOverflow, .year = year, .node = index});
}

Value ExprEvaluator::Read(const Node& n, int year) {
  if (n.op == Op::kParam) {
    const Decimal* v = params_.Find(n.symbol, year);
    if (v == nullptr)
      return Unknown(Why{
          .kind = Why::kNoParam, .symbol = n.symbol, .year = year, .node = -1});
    return Number(*v);
  }
  if (n.op == Op::kDerived) return Eval(p_.derived[n.symbol].expr, year);
  bool conflict = false;
  const Row* row = rows_.Find(year, &conflict);
  if (row == nullptr) {
    return Unknown(Why{.kind = conflict ? Why::kConflict : Why::kNoRow,
                       .symbol = n.symbol,
                       .year = year});
  }
  const Cell& cell = row->cells[static_cast<size_t>(n.symbol)];
  switch (cell.state) {
    case Cell::State::kMissing:
      return Unknown(
          Why{.kind = Why::kMissing, .symbol = n.symbol, .year = year});
    case Cell::State::kNone:
      return Unknown(Why{.kind = Why::kNone, .symbol = n.symbol, .year = year});
    case Cell::State::kUnreadable:
      return Unknown(
          Why{.kind = Why::kUnreadable, .symbol = n.symbol, .year = year});
    case Cell::State::kValue:
      break;
  }
  Value v = Number(cell.number);
  v.boolean = cell.boolean;
  v.text = cell.text;
  return v;
}

Value ExprEvaluator::Logic(const Node& n, int year) {
  // The left side decides alone when it is false for `and`, true for `or`.
  bool decisive = n.op == Op::kOr;
  Value a = Eval(n.a, year);
  if (a.known && a.boolean == decisive) return a;
  Value b = Eval(n.b, year);
  if (b.known && b.boolean == decisive) return b;
  if (a.known && b.known) return b;  // both non-decisive
  return Join(a, b);
}

Value ExprEvaluator::Arithmetic(const Node& n, int year) {
  Value a = Eval(n.a, year);
  Value b = Eval(n.b, year);
  if (!a.known || !b.known) return Join(a, b);
  Type operand = p_.nodes[n.a].type;
  Value out = Number(Decimal());
  std::optional<Decimal> r;
  switch (n.op) {
    case Op::kAdd:
      if (operand == Type::kText) {
        s_.texts.push_back(std::string(a.text) + std::string(b.text));
        out.text = s_.texts.back();
        return out;
      }
      r = Decimal::Add(a.number, b.number);
      break;
    case Op::kSub:
      r = Decimal::Sub(a.number, b.number);
      break;
    case Op::kMul:
      r = Decimal::Mul(a.number, b.number);
      break;
    case Op::kDiv:
      if (b.number.is_zero())
        return Unknown(Why{.kind = Why::kDivZero, .year = year, .node = n.b});
      r = Decimal::Div(a.number, b.number);
      break;
    default: {  // comparisons
      bool equal;
      std::strong_ordering order = std::strong_ordering::equal;
      if (operand == Type::kText) {
        equal = a.text == b.text;
      } else if (operand == Type::kBool) {
        equal = a.boolean == b.boolean;
      } else {
        order = a.number <=> b.number;
        equal = order == 0;
      }
      switch (n.op) {
        case Op::kEq:
          out.boolean = equal;
          break;
        case Op::kNe:
          out.boolean = !equal;
          break;
        case Op::kLt:
          out.boolean = order < 0;
          break;
        case Op::kLe:
          out.boolean = order <= 0;
          break;
        case Op::kGt:
          out.boolean = order > 0;
          break;
        default:
          out.boolean = order >= 0;
          break;
      }
      return out;
    }
  }
  if (!r)
    return Unknown(Why{.kind = Why::kOverflow,
                       .year = year,
                       .node = static_cast<int>(&n - p_.nodes.data())});
  out.number = *r;
  return out;
}

Value ExprEvaluator::Aggregate(const Node& n, int year) {
  Value from = Eval(n.a, year);
  Value to = Eval(n.b, year);
  if (n.c == kNoNode) {  // min(a, b) / max(a, b)
    if (!from.known || !to.known) return Join(from, to);
    bool a_smaller = from.number < to.number;
    return (n.op == Op::kMin) == a_smaller ? from : to;
  }
  if (!from.known || !to.known) return Join(from, to);
  std::optional<int64_t> first = from.number.ToInt64(),
                         last = to.number.ToInt64();
  int self = static_cast<int>(&n - p_.nodes.data());
  if (!first || !last || *last - *first >= kMaxYearSpan || *first < 0 ||
      *last > 9999) {
    return Unknown(Why{.kind = Why::kTooLong, .year = year, .node = self});
  }
  // all: false decides; any: true decides; count/sum/min/max need every year.
  Value result = Number(Decimal());
  result.boolean = n.op == Op::kAll;
  bool have = false;
  Value unknown;
  unknown.why = -1;
  bool any_unknown = false;
  for (int64_t y = *first; y <= *last; ++y) {
    Value v = Eval(n.c, static_cast<int>(y));
    if (!v.known) {
      unknown = any_unknown ? Join(unknown, v) : v;
      any_unknown = true;
      continue;
    }
    switch (n.op) {
      case Op::kAll:
        if (!v.boolean) return v;
        break;
      case Op::kAny:
        if (v.boolean) return v;
        break;
      case Op::kCount:
        if (v.boolean)
          result.number = *Decimal::Add(result.number, Decimal::FromInt(1));
        break;
      case Op::kSum: {
        std::optional<Decimal> s = Decimal::Add(result.number, v.number);
        if (!s)
          return Unknown(
              Why{.kind = Why::kOverflow, .year = year, .node = self});
        result.number = *s;
        break;
      }
      default:  // min, max
        if (!have || (n.op == Op::kMin ? v.number < result.number
                                       : v.number > result.number)) {
          result.number = v.number;
        }
        break;
    }
    have = true;
  }
  if (any_unknown) return unknown;
  if (!have && (n.op == Op::kMin || n.op == Op::kMax)) {
    return Unknown(Why{.kind = Why::kEmptyRange, .year = year, .node = self});
  }
  return result;
}

void ExprEvaluator::Explain(int why, std::vector<Gap>& gaps) const {
  if (why < 0) return;
  const Why& w = s_.whys[static_cast<size_t>(why)];
  if (w.kind == Why::kJoin) {
    Explain(w.left, gaps);
    Explain(w.right, gaps);
    return;
  }
  static constexpr Gap::Kind kGapOf[] = {
      Gap::Kind::kMissing,   Gap::Kind::kEmpty,      Gap::Kind::kNoRow,
      Gap::Kind::kConflict,  Gap::Kind::kUnreadable, Gap::Kind::kNoParam,
      Gap::Kind::kDivZero,   Gap::Kind::kOverflow,   Gap::Kind::kTooLong,
      Gap::Kind::kEmptyRange};
  Gap gap;
  gap.kind = kGapOf[w.kind];
  gap.year = w.year;
  if (gap.kind == Gap::Kind::kNoParam) {
    gap.symbol = w.symbol;
    gap.name = p_.params[static_cast<size_t>(w.symbol)].name;
  } else if (gap.is_input()) {
    gap.symbol = w.symbol;
    gap.name = p_.entities[kind_].fields[static_cast<size_t>(w.symbol)].name;
  } else {
    gap.node = w.node;
  }
  if (gap.kind == Gap::Kind::kUnreadable) {
    bool conflict = false;
    const Row* row = rows_.Find(w.year, &conflict);
    gap.detail = row->cells[static_cast<size_t>(w.symbol)].text;
  }
  if (std::find(gaps.begin(), gaps.end(), gap) == gaps.end())
    gaps.push_back(std::move(gap));
}

void ExprEvaluator::Show(const Node& n, const Value& v,
                         std::string& out) const {
  if (!v.known) {
    const Why& w = s_.whys[static_cast<size_t>(v.why)];
    out = w.kind == Why::kNone         ? "empty"
          : w.kind == Why::kNoRow      ? "missing (no row)"
          : w.kind == Why::kConflict   ? "missing (duplicate rows)"
          : w.kind == Why::kUnreadable ? "unreadable"
          : w.kind == Why::kNoParam    ? "missing (no value supplied)"
          : w.kind == Why::kDivZero    ? "undefined (division by zero)"
          : w.kind == Why::kMissing    ? "missing"
                                       : "unknown";
    return;
  }
  bool ratio = false;
  if (n.op == Op::kField)
    ratio = p_.entities[kind_].fields[static_cast<size_t>(n.symbol)].type ==
            FieldType::kRatio;
  if (n.op == Op::kParam)
    ratio = p_.params[static_cast<size_t>(n.symbol)].is_ratio;
  if (n.op == Op::kDerived)
    ratio = p_.derived[static_cast<size_t>(n.symbol)].is_ratio;
  switch (n.type) {
    case Type::kBool:
      out = v.boolean ? "true" : "false";
      return;
    case Type::kText:
      out.assign(1, '"').append(v.text).append(1, '"');
      return;
    case Type::kMoney:
      out = v.number.ToFixed(2);
      return;
    case Type::kYear:
      out = v.number.ToString();
      return;
    default:
      out = ratio ? v.number.ToPercent() : v.number.ToString();
      return;
  }
}

}  // namespace eligo
