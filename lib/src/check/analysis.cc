// Static analysis. This file's external interface is Analyze (and two
// helpers the params loader shares).
//
// Table checks work on conditions built from comparisons of a field of the
// current year with a constant, joined by and/or/not. For such conditions
// the truth of every condition is constant between consecutive thresholds,
// so evaluating them on one point of each interval (the thresholds, points
// between them and beyond them, within the field's min/max) decides every
// question exactly: a counterexample found is real, and "never" is proved.
// Conditions of any other shape are left alone rather than guessed about.
#include "check/analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace eligo {
namespace {

constexpr size_t kMaxAssignments = 200000;  // beyond this, skip the table

// A value of the small evaluator: a truth value or a number.
struct Val {
  bool boolean = false;
  Decimal number;
};

// An input the analysis varies: a field of the current year.
struct Var {
  int field = -1;
  std::vector<Decimal> thresholds;
  std::vector<Val> points;  // filled by Grid
};

class TableAnalyzer {
 public:
  TableAnalyzer(const Program& p, int kind) : p_(p), kind_(kind) {}

  // The value of `node` without entity data: literals, parameters with one
  // value for every year, arithmetic on those.
  std::optional<Decimal> Constant(int node) const {
    const Node& n = p_.nodes[node];
    switch (n.op) {
      case Op::kLiteral:
        if (n.type == Type::kMoney || n.type == Type::kNumber) return n.number;
        return std::nullopt;
      case Op::kParam: {
        const Parameter& param = p_.params[n.symbol];
        if (param.runtime || !param.by_year.empty() || !param.scalar)
          return std::nullopt;
        return *param.scalar;
      }
      case Op::kNeg: {
        std::optional<Decimal> a = Constant(n.a);
        if (!a) return std::nullopt;
        return a->Negate();
      }
      case Op::kAdd:
      case Op::kSub:
      case Op::kMul:
      case Op::kDiv: {
        std::optional<Decimal> a = Constant(n.a), b = Constant(n.b);
        if (!a || !b) return std::nullopt;
        if (n.op == Op::kAdd) return Decimal::Add(*a, *b);
        if (n.op == Op::kSub) return Decimal::Sub(*a, *b);
        if (n.op == Op::kMul) return Decimal::Mul(*a, *b);
        return Decimal::Div(*a, *b);
      }
      default:
        return std::nullopt;
    }
  }

  // Registers the variables of condition `node`; false when its shape is
  // outside what the analysis decides.
  bool Collect(int node) {
    const Node& n = p_.nodes[node];
    switch (n.op) {
      case Op::kLiteral:
        return n.type == Type::kBool;
      case Op::kField:
        if (n.type != Type::kBool) return false;
        VarOf(n.symbol);
        return true;
      case Op::kNot:
        return Collect(n.a);
      case Op::kAnd:
      case Op::kOr:
        return Collect(n.a) && Collect(n.b);
      case Op::kEq:
      case Op::kNe:
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe: {
        const Node& a = p_.nodes[n.a];
        const Node& b = p_.nodes[n.b];
        const Node* field =
            a.op == Op::kField ? &a : (b.op == Op::kField ? &b : nullptr);
        int other = field == &a ? n.b : n.a;
        if (field == nullptr) return Constant(n.a) && Constant(n.b);
        if (field->type == Type::kText || field->type == Type::kBool)
          return false;
        std::optional<Decimal> c = Constant(other);
        if (!c) return false;
        VarOf(field->symbol).thresholds.push_back(*c);
        return true;
      }
      default:
        return false;
    }
  }

  // Candidate points for every variable: one in each interval.
  void Grid() {
    for (Var& v : vars_) {
      const FieldSchema& f = p_.entities[kind_].fields[v.field];
      if (f.type == FieldType::kBoolean) {
        v.points = {Val{false, {}}, Val{true, {}}};
        continue;
      }
      bool integral =
          f.type == FieldType::kYear || f.type == FieldType::kInteger;
      std::vector<Decimal> t = v.thresholds;
      std::sort(t.begin(), t.end());
      t.erase(std::unique(t.begin(), t.end()), t.end());
      std::vector<Decimal> points;
      Decimal one = Decimal::FromInt(1), two = Decimal::FromInt(2);
      for (size_t i = 0; i < t.size(); ++i) {
        points.push_back(t[i]);
        if (i == 0) points.push_back(*Decimal::Sub(t[i], one));
        if (i + 1 == t.size()) {
          points.push_back(*Decimal::Add(t[i], one));
        } else if (integral) {
          points.push_back(*Decimal::Add(t[i], one));
          points.push_back(*Decimal::Sub(t[i + 1], one));
        } else {
          points.push_back(*Decimal::Div(*Decimal::Add(t[i], t[i + 1]), two));
        }
      }
      if (t.empty()) points.push_back(Decimal());
      if (f.min) points.push_back(*f.min);
      if (f.max) points.push_back(*f.max);
      for (const Decimal& d : points) {
        if ((f.min && d < *f.min) || (f.max && d > *f.max)) continue;
        if (integral && !d.is_integer()) continue;
        bool seen = false;
        for (const Val& existing : v.points)
          seen = seen || existing.number == d;
        if (!seen) v.points.push_back(Val{false, d});
      }
    }
  }

  size_t Assignments() const {
    size_t total = 1;
    for (const Var& v : vars_) {
      total *= std::max<size_t>(1, v.points.size());
      if (total > kMaxAssignments) return total;
    }
    return total;
  }

  // Sets the variables to the `index`-th assignment.
  void Assign(size_t index) {
    current_.assign(p_.entities[kind_].fields.size(), Val{});
    for (const Var& v : vars_) {
      size_t n = std::max<size_t>(1, v.points.size());
      if (!v.points.empty()) current_[v.field] = v.points[index % n];
      index /= n;
    }
  }

  bool Holds(int node) const { return Eval(node).boolean; }

  // "sales_revenue = 1000000000.00, local_tax = 10000000.00"
  std::string Describe() const {
    std::vector<std::string> parts;
    for (const Var& v : vars_) {
      const FieldSchema& f = p_.entities[kind_].fields[v.field];
      const Val& val = current_[v.field];
      std::string text = f.type == FieldType::kBoolean
                             ? (val.boolean ? "true" : "false")
                         : f.type == FieldType::kMoney ? val.number.ToFixed(2)
                                                       : val.number.ToString();
      parts.push_back(fmt::format("{} = {}", f.name, text));
    }
    return fmt::format("{}", fmt::join(parts, ", "));
  }

  bool empty() const { return vars_.empty(); }

 private:
  Var& VarOf(int field) {
    for (Var& v : vars_) {
      if (v.field == field) return v;
    }
    vars_.push_back(Var{field, {}, {}});
    return vars_.back();
  }

  Val Eval(int node) const {
    const Node& n = p_.nodes[node];
    Val out;
    switch (n.op) {
      case Op::kLiteral:
        out.boolean = n.boolean;
        out.number = n.number;
        return out;
      case Op::kField:
        return current_[n.symbol];
      case Op::kNot:
        out.boolean = !Eval(n.a).boolean;
        return out;
      case Op::kAnd:
        out.boolean = Eval(n.a).boolean && Eval(n.b).boolean;
        return out;
      case Op::kOr:
        out.boolean = Eval(n.a).boolean || Eval(n.b).boolean;
        return out;
      default:
        break;
    }
    if (std::optional<Decimal> c = Constant(node)) {
      out.number = *c;
      return out;
    }
    Val a = Eval(n.a), b = Eval(n.b);
    auto order = a.number <=> b.number;
    bool bools = p_.nodes[n.a].type == Type::kBool;
    switch (n.op) {
      case Op::kEq:
        out.boolean = bools ? a.boolean == b.boolean : order == 0;
        break;
      case Op::kNe:
        out.boolean = bools ? a.boolean != b.boolean : order != 0;
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
      case Op::kGe:
        out.boolean = order >= 0;
        break;
      default:
        break;
    }
    return out;
  }

  const Program& p_;
  int kind_;
  std::vector<Var> vars_;
  std::vector<Val> current_;
};

bool AllHold(const TableAnalyzer& t, const std::vector<Condition>& conditions) {
  for (const Condition& c : conditions) {
    if (!t.Holds(c.expr)) return false;
  }
  return true;
}

// The fields, parameters and derived values an expression reads, following
// derived values.
struct Uses {
  std::set<int> fields, params, derived;
};

void Walk(const Program& p, int node, Uses& uses) {
  if (node == kNoNode) return;
  const Node& n = p.nodes[node];
  if (n.op == Op::kField) uses.fields.insert(n.symbol);
  if (n.op == Op::kParam) uses.params.insert(n.symbol);
  if (n.op == Op::kDerived && uses.derived.insert(n.symbol).second) {
    Walk(p, p.derived[n.symbol].expr, uses);
  }
  for (int child : {n.a, n.b, n.c}) Walk(p, child, uses);
}

// Every expression of a rule.
std::vector<int> RuleRoots(const Rule& rule) {
  std::vector<int> roots{rule.years_from, rule.years_to};
  for (const Condition& c : rule.applies) roots.push_back(c.expr);
  for (const Note& note : rule.notes) roots.push_back(note.when.expr);
  for (const Tier& t : rule.tiers) {
    roots.push_back(t.decided_in);
    roots.push_back(t.award.amount);
    roots.push_back(t.award.payer);
    for (const Condition& c : t.when) roots.push_back(c.expr);
  }
  return roots;
}

class Analyzer {
 public:
  Analyzer(const Program& p, DiagnosticSink& sink) : p_(p), sink_(sink) {}

  void Run() {
    for (const Rule& rule : p_.rules) {
      CheckConditions(rule);
      if (!rule.staged) CheckTable(rule);
      CheckParameterYears(rule);
    }
    CheckUnused();
  }

 private:
  // Conditions that hold for every input, or for none.
  void CheckConditions(const Rule& rule) {
    std::vector<const Condition*> all;
    for (const Condition& c : rule.applies) all.push_back(&c);
    for (const Tier& t : rule.tiers) {
      for (const Condition& c : t.when) all.push_back(&c);
    }
    for (const Condition* c : all) {
      TableAnalyzer t(p_, rule.kind);
      if (!t.Collect(c->expr)) continue;
      t.Grid();
      size_t n = t.Assignments();
      if (n > kMaxAssignments) continue;
      bool any_true = false, any_false = false;
      for (size_t i = 0; i < n; ++i) {
        t.Assign(i);
        (t.Holds(c->expr) ? any_true : any_false) = true;
      }
      if (!any_false) {
        sink_.Warning(
            c->mark,
            fmt::format("`{}` is always true given the fields' constraints "
                        "(rule `{}`)",
                        c->source, rule.info.id));
      } else if (!any_true) {
        sink_.Warning(
            c->mark,
            fmt::format("`{}` is never true given the fields' constraints "
                        "(rule `{}`)",
                        c->source, rule.info.id));
      }
    }
  }

  // Overlaps of a unique table, gaps of a complete one, tiers a first-match
  // table never reaches.
  void CheckTable(const Rule& rule) {
    if (!rule.tiered || rule.tiers.size() < 2) return;
    TableAnalyzer t(p_, rule.kind);
    bool applies_known = true;
    for (const Condition& c : rule.applies)
      applies_known = t.Collect(c.expr) && applies_known;
    for (const Tier& tier : rule.tiers) {
      for (const Condition& c : tier.when) {
        if (!t.Collect(c.expr)) return;
      }
    }
    t.Grid();
    size_t n = t.Assignments();
    if (n > kMaxAssignments) return;
    size_t count = rule.tiers.size();
    std::vector<bool> reachable(count, false), ever(count, false);
    std::vector<std::string> shadow(
        count);  // an input where an earlier tier wins
    bool overlap_reported = false, gap_reported = false;
    for (size_t i = 0; i < n; ++i) {
      t.Assign(i);
      std::vector<size_t> hits;
      for (size_t k = 0; k < count; ++k) {
        if (AllHold(t, rule.tiers[k].when)) hits.push_back(k);
      }
      for (size_t h : hits) {
        ever[h] = true;
        if (h == hits.front()) {
          reachable[h] = true;
        } else if (shadow[h].empty()) {
          shadow[h] = fmt::format("{} (then {} matches first)", t.Describe(),
                                  rule.tiers[hits.front()].id);
        }
      }
      if (rule.hit == HitPolicy::kUnique && hits.size() > 1 &&
          !overlap_reported) {
        overlap_reported = true;
        sink_.Warning(
            rule.tiers[hits[1]].mark,
            fmt::format("tiers {} and {} of `{}` overlap, and its hit policy "
                        "is unique: both "
                        "match when {}",
                        rule.tiers[hits[0]].id, rule.tiers[hits[1]].id,
                        rule.info.id, t.Describe()));
      }
      if (rule.complete && hits.empty() && applies_known &&
          AllHold(t, rule.applies) && !gap_reported) {
        gap_reported = true;
        sink_.Warning(
            rule.mark,
            fmt::format("`{}` is marked complete, but no tier matches when {}",
                        rule.info.id, t.Describe()));
      }
    }
    if (rule.hit != HitPolicy::kFirst) return;
    for (size_t k = 0; k < count; ++k) {
      if (ever[k] && !reachable[k]) {
        sink_.Warning(rule.tiers[k].mark,
                      fmt::format("tier {} of `{}` never matches: an earlier "
                                  "tier always matches first, "
                                  "e.g. when {}",
                                  rule.tiers[k].id, rule.info.id, shadow[k]));
      } else if (!ever[k]) {
        sink_.Warning(
            rule.tiers[k].mark,
            fmt::format("tier {} of `{}` can never match given the fields' "
                        "constraints",
                        rule.tiers[k].id, rule.info.id));
      }
    }
  }

  // A parameter without a value for a year the rule covers.
  void CheckParameterYears(const Rule& rule) {
    std::optional<std::pair<int, int>> years = ConstantYears(p_, rule);
    if (!years) return;
    for (int index : ParamsUsedBy(p_, rule)) {
      const Parameter& param = p_.params[index];
      if (param.runtime || param.scalar || param.by_year.empty()) continue;
      for (int y = years->first; y <= years->second; ++y) {
        if (param.by_year.count(y) == 0) {
          sink_.Warning(
              param.mark,
              fmt::format(
                  "`{}` has no value for {}, a year rule `{}` covers: its "
                  "decisions for {} will be undetermined",
                  param.name, y, rule.info.id, y));
          break;
        }
      }
    }
  }

  void CheckUnused() {
    std::vector<Uses> uses(p_.entities.size());  // by kind
    Uses all;
    for (const Rule& rule : p_.rules) {
      for (int root : RuleRoots(rule)) Walk(p_, root, uses[rule.kind]);
    }
    for (const Uses& u : uses) {
      all.params.insert(u.params.begin(), u.params.end());
      all.derived.insert(u.derived.begin(), u.derived.end());
    }
    for (size_t e = 0; e < p_.entities.size(); ++e) {
      const EntitySchema& schema = p_.entities[e];
      for (size_t f = 0; f < schema.fields.size(); ++f) {
        const std::string& name = schema.fields[f].name;
        if (uses[e].fields.count(static_cast<int>(f)) || name == schema.key ||
            name == schema.period || name == schema.name_field ||
            name == schema.county_field) {
          continue;
        }
        sink_.Warning(p_.field_marks[e][f],
                      fmt::format("field `{}` of `{}` is never read by a rule",
                                  name, schema.kind));
      }
    }
    for (size_t i = 0; i < p_.params.size(); ++i) {
      if (!all.params.count(static_cast<int>(i))) {
        sink_.Warning(
            p_.params[i].mark,
            fmt::format("parameter `{}` is never used", p_.params[i].name));
      }
    }
    for (size_t i = 0; i < p_.derived.size(); ++i) {
      if (!all.derived.count(static_cast<int>(i))) {
        sink_.Warning(p_.derived[i].mark,
                      fmt::format("derived value `{}` is never used",
                                  p_.derived[i].name));
      }
    }
  }

 private:
  const Program& p_;
  DiagnosticSink& sink_;
};

}  // namespace

std::optional<std::pair<int, int>> ConstantYears(const Program& program,
                                                 const Rule& rule) {
  if (rule.years_from == kNoNode) return std::nullopt;
  TableAnalyzer t(program, rule.kind);
  std::optional<Decimal> from = t.Constant(rule.years_from),
                         to = t.Constant(rule.years_to);
  if (!from || !to) return std::nullopt;
  std::optional<int64_t> a = from->ToInt64(), b = to->ToInt64();
  if (!a || !b || *a > *b || *b - *a > 200) return std::nullopt;
  return std::make_pair(static_cast<int>(*a), static_cast<int>(*b));
}

std::set<int> FieldsReadBy(const Program& program, int kind) {
  Uses uses;
  for (const Rule& rule : program.rules) {
    if (rule.kind != kind) continue;
    for (int root : RuleRoots(rule)) Walk(program, root, uses);
  }
  return uses.fields;
}

std::set<int> ParamsUsedBy(const Program& program, const Rule& rule) {
  Uses uses;
  for (int root : RuleRoots(rule)) Walk(program, root, uses);
  return uses.params;
}

void Analyze(const Program& program, DiagnosticSink& sink) {
  Analyzer(program, sink).Run();
}

}  // namespace eligo
