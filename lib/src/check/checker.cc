// The checker. This file's external interface is Check.
#include "check/checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "base/edit_distance.h"
#include "eligo/panel.h"
#include "load/limits.h"

namespace eligo {
namespace {

bool IsNumeric(Type t) {
  return t == Type::kMoney || t == Type::kNumber || t == Type::kYear;
}

class Checker {
 public:
  Checker(Program& program, DiagnosticSink& sink) : p_(program), sink_(sink) {}

  void Run() {
    IndexNames();
    if (p_.info.id.empty())
      sink_.Error(Mark{0, 1, 1}, "the rule file needs `ruleset: {id: ...}`");
    for (size_t e = 0; e < p_.entities.size(); ++e)
      CheckEntity(static_cast<int>(e));
    for (Parameter& param : p_.params) CheckParameter(param);
    // Every derived value's kind first: a use may come before the definition.
    for (Derived& d : p_.derived) d.kind = p_.FindEntity(d.kind_name);
    MeasureDerived();
    derived_state_.assign(p_.derived.size(), kUnvisited);
    for (size_t d = 0; d < p_.derived.size(); ++d)
      DerivedType(static_cast<int>(d), p_.derived[d].mark);
    for (Rule& rule : p_.rules) CheckRule(rule);
  }

 private:
  enum State { kUnvisited, kVisiting, kDone };

  // Names are looked up once per name in every expression: by hash, so a
  // rule set at the limits (200,000 parts, 1,000 fields, parameters and
  // derived values) checks in linear time. The first of two equal names
  // wins, as in Program::Find*.
  void IndexNames() {
    fields_.resize(p_.entities.size());
    for (size_t e = 0; e < p_.entities.size(); ++e) {
      const std::vector<FieldSchema>& fields = p_.entities[e].fields;
      for (size_t f = 0; f < fields.size(); ++f)
        fields_[e].emplace(fields[f].name, static_cast<int>(f));
    }
    for (size_t i = 0; i < p_.params.size(); ++i)
      params_.emplace(p_.params[i].name, static_cast<int>(i));
    for (size_t i = 0; i < p_.derived.size(); ++i)
      derived_.emplace(p_.derived[i].name, static_cast<int>(i));
  }
  static int Lookup(const std::unordered_map<std::string_view, int>& names,
                    std::string_view name) {
    auto it = names.find(name);
    return it == names.end() ? -1 : it->second;
  }
  int FieldOf(int kind, std::string_view name) const {
    return Lookup(fields_[static_cast<size_t>(kind)], name);
  }
  int ParamOf(std::string_view name) const { return Lookup(params_, name); }
  int DerivedOf(std::string_view name) const { return Lookup(derived_, name); }

  // --- Depth limits --------------------------------------------------------
  // The type checker and the evaluator recurse through an expression and
  // through each derived value it uses. Before any of that, this measures
  // every derived value, following chains one derived value per frame: a
  // chain longer than kMaxDerivedChain, or a derived value deeper than
  // kMaxEvalDepth with the ones it uses expanded, is an error, and such a
  // derived value (and whatever uses it) is not typed further.
  static constexpr int kBad = -2;  // depth_ of a derived value reported

  void MeasureDerived() {
    depth_.assign(p_.derived.size(), -1);
    chain_.assign(p_.derived.size(), 0);
    next_.assign(p_.derived.size(), -1);
    measure_state_.assign(p_.derived.size(), kUnvisited);
    std::vector<int> path;
    for (size_t d = 0; d < p_.derived.size(); ++d)
      MeasureOne(static_cast<int>(d), path);
  }

  // Measures derived value `index`, reached through `path`: first the
  // derived values it uses (at most kMaxDerivedChain frames deep), then the
  // longest chain below it and its depth.
  void MeasureOne(int index, std::vector<int>& path) {
    if (measure_state_[index] != kUnvisited) return;  // done, or a cycle
    const Derived& d = p_.derived[index];
    if (path.size() >= static_cast<size_t>(limits::kMaxDerivedChain)) {
      path.push_back(index);
      ReportChain(path);
      path.pop_back();
      depth_[index] = kBad;
      measure_state_[index] = kDone;
      return;
    }
    measure_state_[index] = kVisiting;
    path.push_back(index);
    int chain = 1;
    bool bad = false;
    for (int used : DerivedUsedBy(d.expr, d.kind)) {
      MeasureOne(used, path);
      if (depth_[used] == kBad) bad = true;
      if (measure_state_[used] == kDone && chain_[used] + 1 > chain) {
        chain = chain_[used] + 1;
        next_[index] = used;
      }
    }
    path.pop_back();
    measure_state_[index] = kDone;
    chain_[index] = chain;
    if (bad) {
      depth_[index] = kBad;  // uses one reported already
      return;
    }
    if (chain > limits::kMaxDerivedChain) {
      std::vector<int> names{index};
      while (next_[names.back()] >= 0 && names.size() <= p_.derived.size())
        names.push_back(next_[names.back()]);
      ReportChain(names);
      depth_[index] = kBad;
      return;
    }
    int depth = d.expr == kNoNode ? 0 : Depth(d.expr, d.kind);
    if (depth > limits::kMaxEvalDepth) {
      sink_.Error(d.mark,
                  fmt::format("derived value `{}` is more than {} levels deep "
                              "with the derived values it uses",
                              d.name, limits::kMaxEvalDepth));
      depth = kBad;
    }
    depth_[index] = depth;
  }

  // One error for the first chain of derived values found too long,
  // `chain` listing them from the one that uses the next.
  void ReportChain(const std::vector<int>& chain) {
    if (chain_reported_) return;
    chain_reported_ = true;
    std::vector<std::string> names;
    for (size_t i = 0; i < chain.size(); ++i) {
      if (i == 4 && chain.size() > 6) {
        names.push_back("...");
        i = chain.size() - 2;
      }
      names.push_back(p_.derived[chain[i]].name);
    }
    sink_.Error(
        p_.derived[chain.front()].mark,
        fmt::format("derived values use each other more than {} deep: {}",
                    limits::kMaxDerivedChain, fmt::join(names, " -> ")));
  }

  // The derived values expression `root` names, for entity kind `kind`
  // (names resolve to a field first); walked without recursion.
  std::vector<int> DerivedUsedBy(int root, int kind) const {
    std::vector<int> out, stack;
    if (root != kNoNode) stack.push_back(root);
    while (!stack.empty()) {
      const Node& n = p_.nodes[stack.back()];
      stack.pop_back();
      if (int d = NamedDerived(n, kind); d >= 0) out.push_back(d);
      for (int child : {n.a, n.b, n.c}) {
        if (child != kNoNode) stack.push_back(child);
      }
    }
    return out;
  }

  // The derived value node `n` refers to, or -1.
  int NamedDerived(const Node& n, int kind) const {
    if (n.op == Op::kDerived) return n.symbol;
    if (n.op != Op::kName) return -1;
    if (kind >= 0 && FieldOf(kind, n.text) >= 0) return -1;
    return DerivedOf(n.text);
  }

  // The depth of expression `index` with the derived values it uses
  // expanded (each measured already); kBad when one of them was reported.
  // Recurses only as deep as the expression's own tree.
  int Depth(int index, int kind) const {
    const Node& n = p_.nodes[index];
    int depth = 1;
    if (int d = NamedDerived(n, kind); d >= 0) {
      if (depth_[d] == kBad) return kBad;
      depth = 1 + std::max(depth_[d], 0);  // -1: a cycle, reported later
    }
    for (int child : {n.a, n.b, n.c}) {
      if (child == kNoNode) continue;
      int c = Depth(child, kind);
      if (c == kBad) return kBad;
      depth = std::max(depth, 1 + c);
    }
    return std::min(depth, limits::kMaxEvalDepth + 1);
  }

  // An expression of a rule, with the derived values it uses expanded:
  // false when too deep (reported) or using one reported already.
  bool CheckDepth(int root, int kind) {
    int depth = Depth(root, kind);
    if (depth == kBad) return false;
    if (depth > limits::kMaxEvalDepth) {
      sink_.Error(p_.nodes[root].mark,
                  fmt::format("`{}` is more than {} levels deep with the "
                              "derived values it uses",
                              p_.nodes[root].source, limits::kMaxEvalDepth));
      return false;
    }
    return true;
  }

  // --- Year ranges ---------------------------------------------------------
  // A bound as `year` times 0 or 1, plus a constant: literals, parameters
  // with one value, `year`, and their sums and differences.
  struct Affine {
    int year = 0;
    Decimal constant;
  };

  std::optional<Affine> AffineOf(int index) const {
    const Node& n = p_.nodes[index];
    switch (n.op) {
      case Op::kLiteral:
        if (n.type != Type::kNumber) return std::nullopt;
        return Affine{0, n.number};
      case Op::kYear:
        return Affine{1, Decimal()};
      case Op::kParam: {
        const Parameter& param = p_.params[n.symbol];
        if (param.runtime || !param.by_year.empty() || !param.scalar)
          return std::nullopt;
        return Affine{0, *param.scalar};
      }
      case Op::kNeg: {
        std::optional<Affine> a = AffineOf(n.a);
        if (!a || a->year != 0) return std::nullopt;
        return Affine{0, a->constant.Negate()};
      }
      case Op::kAdd:
      case Op::kSub: {
        std::optional<Affine> a = AffineOf(n.a), b = AffineOf(n.b);
        if (!a || !b) return std::nullopt;
        int year = n.op == Op::kAdd ? a->year + b->year : a->year - b->year;
        std::optional<Decimal> c = n.op == Op::kAdd
                                       ? Decimal::Add(a->constant, b->constant)
                                       : Decimal::Sub(a->constant, b->constant);
        if (!c || (year != 0 && year != 1)) return std::nullopt;
        return Affine{year, *c};
      }
      default:
        return std::nullopt;
    }
  }

  // all/any/count/sum/min/max over F .. T: when the number of years is
  // known now, more than kMaxYearSpan is an error here (not only an
  // undetermined decision at run time); so are constant bounds outside
  // 0..kMaxYear.
  void CheckYearSpan(const Node& n) {
    std::optional<Affine> from = AffineOf(n.a), to = AffineOf(n.b);
    if (!from || !to || from->year != to->year) return;
    std::optional<Decimal> span = Decimal::Sub(to->constant, from->constant);
    std::optional<Decimal> years =
        span ? Decimal::Add(*span, Decimal::FromInt(1)) : std::nullopt;
    if (!years || *years > Decimal::FromInt(limits::kMaxYearSpan)) {
      sink_.Error(n.mark,
                  fmt::format("`{}` covers {} years; a range covers at most {}",
                              n.source, years ? years->ToString() : "too many",
                              limits::kMaxYearSpan));
      return;
    }
    if (from->year == 0) {
      for (const Decimal& bound : {from->constant, to->constant}) {
        if (bound < Decimal() || bound > Decimal::FromInt(limits::kMaxYear) ||
            !bound.is_integer()) {
          sink_.Error(n.mark,
                      fmt::format("`{}` has a bound that is not a year in "
                                  "0..{}",
                                  n.source, limits::kMaxYear));
          return;
        }
      }
    }
  }

  void CheckEntity(int index) {
    EntitySchema& e = p_.entities[index];
    const Mark& at = p_.entity_marks[index];
    auto require = [&](const std::string& field, const char* key,
                       std::initializer_list<FieldType> types) {
      if (field.empty()) {
        if (std::string_view(key) == "key" ||
            std::string_view(key) == "period") {
          sink_.Error(at, fmt::format("entity `{}` needs `{}`", e.kind, key));
        }
        return;
      }
      int f = FieldIndex(e, field);
      if (f < 0) {
        sink_.Error(
            at, fmt::format("`{}: {}` of entity `{}` is not one of its fields",
                            key, field, e.kind));
      } else if (std::find(types.begin(), types.end(), e.fields[f].type) ==
                 types.end()) {
        sink_.Error(
            p_.field_marks[index][f],
            fmt::format(
                "field `{}` is the {} of `{}` and cannot have this type", field,
                key, e.kind));
      }
    };
    require(e.key, "key", {FieldType::kText, FieldType::kCreditCode});
    require(e.period, "period", {FieldType::kYear});
    require(e.name_field, "name", {FieldType::kText});
    require(e.county_field, "county", {FieldType::kText});
    std::map<std::string, std::string> headers;  // header -> field
    for (size_t f = 0; f < e.fields.size(); ++f) {
      FieldSchema& field = e.fields[f];
      const Mark& fm = p_.field_marks[index][f];
      if (field.unit_scale != Decimal::FromInt(1) &&
          field.type != FieldType::kMoney) {
        sink_.Error(fm, fmt::format("field `{}` has a unit but is not money",
                                    field.name));
      }
      if ((field.min || field.max) &&
          FieldValueType(field.type) != Type::kMoney &&
          FieldValueType(field.type) != Type::kNumber &&
          FieldValueType(field.type) != Type::kYear) {
        sink_.Error(fm,
                    fmt::format("field `{}` has min/max but is not a number",
                                field.name));
      }
      if (field.empty == EmptyMeaning::kDefault) {
        std::string warning;
        FieldSchema plain =
            field;  // the default is written in the field's unit
        plain.empty = EmptyMeaning::kMissing;
        Result<Cell> cell =
            ParseCell(plain, field.default_text, field.unit_scale, &warning);
        if (!cell.ok()) {
          sink_.Error(
              fm, fmt::format("`empty: {}` of field `{}` is not missing, none, "
                              "or a valid value: {}",
                              field.default_text, field.name, cell.error()));
        }
      }
      for (const std::string* header : ListHeaders(field)) {
        auto [it, inserted] = headers.emplace(*header, field.name);
        if (!inserted) {
          sink_.Error(fm,
                      fmt::format("column header `{}` names both `{}` and `{}`",
                                  *header, it->second, field.name));
        }
      }
      if (ParamOf(field.name) >= 0 || DerivedOf(field.name) >= 0) {
        sink_.Error(
            fm,
            fmt::format("`{}` is both a field and a parameter or derived value",
                        field.name));
      }
    }
  }

  static std::vector<const std::string*> ListHeaders(const FieldSchema& field) {
    std::vector<const std::string*> out{&field.name};
    for (const std::string& a : field.aliases) out.push_back(&a);
    return out;
  }

  static int FieldIndex(const EntitySchema& e, std::string_view name) {
    for (size_t f = 0; f < e.fields.size(); ++f) {
      if (e.fields[f].name == name) return static_cast<int>(f);
    }
    return -1;
  }

  void CheckParameter(const Parameter& param) {
    if (!param.runtime && !param.has_value) {
      sink_.Error(
          param.mark,
          fmt::format("parameter `{}` has no value: give `value`, `by_year`, "
                      "or `runtime: true` to take it from a params file",
                      param.name));
    }
    if (DerivedOf(param.name) >= 0) {
      sink_.Error(param.mark,
                  fmt::format("`{}` is both a parameter and a derived value",
                              param.name));
    }
  }

  Type DerivedType(int index, const Mark& used_at) {
    Derived& d = p_.derived[index];
    if (depth_[index] == kBad) return Type::kError;  // reported already
    if (derived_state_[index] == kDone)
      return d.expr == kNoNode ? Type::kError : p_.nodes[d.expr].type;
    if (derived_state_[index] == kVisiting) {
      std::vector<std::string> names;
      bool in_cycle = false;
      for (int i : derived_stack_) {
        in_cycle = in_cycle || i == index;
        if (in_cycle) names.push_back(p_.derived[i].name);
      }
      names.push_back(d.name);
      sink_.Error(used_at, fmt::format("cycle among derived values: {}",
                                       fmt::join(names, " -> ")));
      return Type::kError;
    }
    derived_state_[index] = kVisiting;
    derived_stack_.push_back(index);
    Type type = Type::kError;
    d.kind = p_.FindEntity(d.kind_name);
    if (d.kind_name.empty()) {
      sink_.Error(d.mark, fmt::format("derived value `{}` needs `entity:` (the "
                                      "kind whose fields it reads)",
                                      d.name));
    } else if (d.kind < 0) {
      sink_.Error(d.mark,
                  fmt::format("derived value `{}`: unknown entity kind `{}`",
                              d.name, d.kind_name));
    } else if (d.expr == kNoNode) {
      sink_.Error(d.mark,
                  fmt::format("derived value `{}` needs an `expr`", d.name));
    } else {
      type = Expr(d.expr, d.kind);
      if (d.declared != Type::kError && type != Type::kError &&
          type != d.declared) {
        sink_.Error(
            d.mark,
            fmt::format(
                "derived value `{}` is declared {} but its expression is {}",
                d.name, TypeName(d.declared), TypeName(type)));
      }
    }
    derived_stack_.pop_back();
    derived_state_[index] = kDone;
    if (d.expr != kNoNode) p_.nodes[d.expr].type = type;
    return type;
  }

  void CheckRule(Rule& rule) {
    const std::string& id = rule.info.id;
    rule.kind = p_.FindEntity(rule.info.kind);
    if (rule.info.kind.empty()) {
      sink_.Error(
          rule.mark,
          fmt::format(
              "rule `{}` needs `entity:` (which kind of entity it decides)",
              id));
      return;
    }
    if (rule.kind < 0) {
      sink_.Error(KeyMark(rule, "entity"),
                  fmt::format("rule `{}`: unknown entity kind `{}`", id,
                              rule.info.kind));
      return;
    }
    if (rule.info.title.empty())
      sink_.Error(rule.mark, fmt::format("rule `{}` needs a `title`", id));
    if (rule.info.citation.clause.empty()) {
      sink_.Error(
          rule.mark,
          fmt::format(
              "rule `{}` needs a `citation` naming the clause it enforces",
              id));
    }
    for (int year : {rule.years_from, rule.years_to}) {
      if (year != kNoNode) ExpectType(year, rule.kind, Type::kYear, "`years`");
    }
    for (Condition& c : rule.applies) CheckCondition(c, rule.kind);
    for (Note& n : rule.notes) {
      if (n.when.expr != kNoNode) CheckCondition(n.when, rule.kind);
    }
    if (rule.tiers.empty()) {
      sink_.Error(
          rule.mark,
          fmt::format("rule `{}` needs `tiers`, or `when` and `award`", id));
      return;
    }
    std::set<std::string> tier_ids;
    int staged = 0;
    for (Tier& tier : rule.tiers) {
      if (rule.tiered && !tier_ids.insert(tier.id).second) {
        sink_.Error(
            tier.mark,
            fmt::format("duplicate tier id `{}` in rule `{}`", tier.id, id));
      }
      if (tier.decided_in != kNoNode) {
        ++staged;
        ExpectType(tier.decided_in, rule.kind, Type::kYear, "`decided_in`");
      }
      for (Condition& c : tier.when) CheckCondition(c, rule.kind);
      CheckAward(tier.award, rule);
    }
    rule.staged = staged > 0;
    if (staged > 0 && staged != static_cast<int>(rule.tiers.size())) {
      sink_.Error(
          rule.mark,
          fmt::format(
              "rule `{}`: either every tier has `decided_in` (stages) or none",
              id));
    }
    if (rule.limit == Limit::kTopUp) {
      for (const Tier& tier : rule.tiers) {
        if (tier.award.kind != AwardKind::kMoney) {
          sink_.Error(
              KeyMark(rule, "limit"),
              fmt::format("rule `{}`: `limit: top-up` needs money awards", id));
          break;
        }
      }
    }
    if ((rule.limit == Limit::kHigherOnly || rule.limit == Limit::kTopUp ||
         rule.limit == Limit::kOncePerTier) &&
        !rule.tiered) {
      sink_.Error(
          KeyMark(rule, "limit"),
          fmt::format(
              "rule `{}`: this limit compares tiers, but the rule has none "
              "(use `once`)",
              id));
    }
    RuleInfo& info = rule.info;
    info.tiers.clear();
    info.tier_titles.clear();
    for (const Tier& tier : rule.tiers) {
      if (!rule.tiered) continue;
      info.tiers.push_back(tier.id);
      info.tier_titles.push_back(tier.title);
    }
  }

  void CheckAward(Award& award, const Rule& rule) {
    if (award.mark.line == 0) {  // never written
      sink_.Error(rule.mark,
                  fmt::format("rule `{}` needs an `award`", rule.info.id));
      return;
    }
    if (award.kind == AwardKind::kMoney) {
      if (award.amount == kNoNode) {
        sink_.Error(award.mark, "a money award needs an `amount`");
      } else {
        ExpectType(award.amount, rule.kind, Type::kMoney, "the amount");
      }
      if (award.payer == kNoNode)
        sink_.Error(award.mark, "a money award needs a `payer`");
    } else if (award.amount != kNoNode && award.kind != AwardKind::kNone) {
      sink_.Error(p_.nodes[award.amount].mark,
                  "only a money award has an `amount`");
    }
    if (award.payer != kNoNode)
      ExpectType(award.payer, rule.kind, Type::kText, "the payer");
  }

  void CheckCondition(Condition& c, int kind) {
    if (c.expr == kNoNode) return;  // a syntax error, already reported
    ExpectType(c.expr, kind, Type::kBool, "a condition");
  }

  void ExpectType(int node, int kind, Type want, std::string_view what) {
    if (node == kNoNode || !CheckDepth(node, kind)) return;
    Type got = Expr(node, kind);
    if (got == Type::kError || got == want) return;
    if (want == Type::kYear && got == Type::kNumber)
      return;  // a year written as a number
    sink_.Error(
        p_.nodes[node].mark,
        fmt::format("{} must be {}, but `{}` is {}", what, Article(want),
                    p_.nodes[node].source, Article(got)));
  }

  static std::string Article(Type t) {
    std::string name = TypeName(t);
    return (name == "year" || name == "text" || name == "money") ? name
                                                                 : "a " + name;
  }

  // Types expression `index` for entity kind `kind`; kError after reporting.
  Type Expr(int index, int kind) {
    Node& n = p_.nodes[index];
    Type t = Infer(n, kind);
    n.type = t;
    return t;
  }

  Type Infer(Node& n, int kind) {
    switch (n.op) {
      case Op::kLiteral:
        return n.type;
      case Op::kYear:
        return Type::kYear;
      case Op::kName:
        return Resolve(n, kind);
      case Op::kField:
        return FieldValueType(p_.entities[kind].fields[n.symbol].type);
      case Op::kParam:
        return p_.params[n.symbol].type;
      case Op::kDerived:
        return DerivedType(n.symbol, n.mark);
      case Op::kNot:
        return Want(n.a, kind, Type::kBool, "`not`") ? Type::kBool
                                                     : Type::kError;
      case Op::kPresent:
        return Expr(n.a, kind) == Type::kError ? Type::kError : Type::kBool;
      case Op::kAnd:
      case Op::kOr: {
        bool ok =
            Want(n.a, kind, Type::kBool, n.op == Op::kAnd ? "`and`" : "`or`");
        ok =
            Want(n.b, kind, Type::kBool, n.op == Op::kAnd ? "`and`" : "`or`") &&
            ok;
        return ok ? Type::kBool : Type::kError;
      }
      case Op::kNeg: {
        Type a = Expr(n.a, kind);
        if (a == Type::kMoney || a == Type::kNumber || a == Type::kError)
          return a;
        return Mismatch(n, fmt::format("cannot negate {}", Article(a)));
      }
      case Op::kAdd:
      case Op::kSub:
      case Op::kMul:
      case Op::kDiv:
        return Arithmetic(n, Expr(n.a, kind), Expr(n.b, kind));
      case Op::kEq:
      case Op::kNe:
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe:
        return Compare(n, Expr(n.a, kind), Expr(n.b, kind));
      case Op::kIf: {
        bool ok = Want(n.a, kind, Type::kBool, "the condition of `if`");
        Type yes = Expr(n.b, kind), no = Expr(n.c, kind);
        if (!ok || yes == Type::kError || no == Type::kError)
          return Type::kError;
        if (yes == no) return yes;
        if (Same(yes, no)) return Type::kYear;
        return Mismatch(n, fmt::format("the branches of `if` differ: {} and {}",
                                       Article(yes), Article(no)));
      }
      case Op::kAt: {
        Type value = Expr(n.a, kind);
        bool ok = WantYear(n.b, kind, "the year after `@`");
        return ok ? value : Type::kError;
      }
      case Op::kRound: {
        Type a = Expr(n.a, kind);
        if (a == Type::kMoney || a == Type::kNumber || a == Type::kError)
          return a;
        return Mismatch(
            n,
            fmt::format("round() needs money or a number, not {}", Article(a)));
      }
      case Op::kMin:
      case Op::kMax:
        if (n.c == kNoNode) {  // min(a, b)
          Type a = Expr(n.a, kind), b = Expr(n.b, kind);
          if (a == Type::kError || b == Type::kError) return Type::kError;
          if (IsNumeric(a) && Same(a, b)) return a == b ? a : Type::kYear;
          return Mismatch(n, fmt::format("cannot take min/max of {} and {}",
                                         Article(a), Article(b)));
        }
        [[fallthrough]];
      case Op::kAll:
      case Op::kAny:
      case Op::kCount:
      case Op::kSum: {
        bool ok = WantYear(n.a, kind, "the first year of the range");
        ok = WantYear(n.b, kind, "the last year of the range") && ok;
        if (ok) CheckYearSpan(n);
        Type body = Expr(n.c, kind);
        if (!ok || body == Type::kError) return Type::kError;
        if (n.op == Op::kAll || n.op == Op::kAny || n.op == Op::kCount) {
          if (body != Type::kBool)
            return Mismatch(
                n, fmt::format(
                       "the body of all/any/count must be a condition, not {}",
                       Article(body)));
          return n.op == Op::kCount ? Type::kNumber : Type::kBool;
        }
        if (body != Type::kMoney && body != Type::kNumber) {
          return Mismatch(
              n, fmt::format("sum/min/max need money or a number, not {}",
                             Article(body)));
        }
        return body;
      }
      case Op::kCall:
        return Type::kError;
    }
    return Type::kError;
  }

  Type Resolve(Node& n, int kind) {
    const EntitySchema& e = p_.entities[kind];
    if (int f = FieldOf(kind, n.text); f >= 0) {
      n.op = Op::kField;
      n.symbol = f;
      return FieldValueType(e.fields[f].type);
    }
    if (int d = DerivedOf(n.text); d >= 0) {
      if (p_.derived[d].kind >= 0 && p_.derived[d].kind != kind) {
        return Mismatch(
            n, fmt::format("derived value `{}` is for `{}`, not `{}`", n.text,
                           p_.derived[d].kind_name, e.kind));
      }
      n.op = Op::kDerived;
      n.symbol = d;
      return DerivedType(d, n.mark);
    }
    if (int p = ParamOf(n.text); p >= 0) {
      n.op = Op::kParam;
      n.symbol = p;
      return p_.params[p].type;
    }
    std::string best;
    size_t best_distance = 3;
    auto consider = [&](const std::string& name) {
      size_t longer = std::max(name.size(), n.text.size());
      if (longer - std::min(name.size(), n.text.size()) >= best_distance ||
          longer > 64) {
        return;  // cannot be close enough: skip the quadratic distance
      }
      size_t d = EditDistance(n.text, name);
      if (d < best_distance) best_distance = d, best = name;
    };
    if (!sink_.full()) {  // no hint for errors that will not be shown
      for (const FieldSchema& f : e.fields) consider(f.name);
      for (const Parameter& p : p_.params) consider(p.name);
      for (const Derived& d : p_.derived) consider(d.name);
    }
    return Mismatch(
        n, fmt::format(
               "unknown field or parameter `{}` for `{}`{}", n.text, e.kind,
               best.empty() ? "" : fmt::format(" (did you mean `{}`?)", best)));
  }

  // Year and Number mix: a year may be written as a plain number.
  static bool Same(Type a, Type b) {
    return a == b || (a == Type::kYear && b == Type::kNumber) ||
           (a == Type::kNumber && b == Type::kYear);
  }

  Type Arithmetic(Node& n, Type a, Type b) {
    if (a == Type::kError || b == Type::kError) return Type::kError;
    using T = Type;
    switch (n.op) {
      case Op::kAdd:
        if (a == T::kText && b == T::kText) return T::kText;
        [[fallthrough]];
      case Op::kSub:
        if (a == b && (a == T::kMoney || a == T::kNumber)) return a;
        if (a == T::kYear && b == T::kNumber) return T::kYear;
        if (a == T::kNumber && b == T::kYear && n.op == Op::kAdd)
          return T::kYear;
        if (a == T::kYear && b == T::kYear && n.op == Op::kSub)
          return T::kNumber;
        break;
      case Op::kMul:
        if (a == T::kNumber && b == T::kNumber) return T::kNumber;
        if ((a == T::kMoney && b == T::kNumber) ||
            (a == T::kNumber && b == T::kMoney))
          return T::kMoney;
        break;
      case Op::kDiv:
        if (a == T::kMoney && b == T::kMoney) return T::kNumber;
        if ((a == T::kMoney || a == T::kNumber) && b == T::kNumber) return a;
        break;
      default:
        break;
    }
    std::string hint;
    if ((a == T::kMoney && b == T::kNumber) ||
        (a == T::kNumber && b == T::kMoney)) {
      hint = "; write money literals with a unit, e.g. 200万元";
    }
    return Mismatch(n, fmt::format("cannot combine {} and {} in `{}`{}",
                                   Article(a), Article(b), n.source, hint));
  }

  Type Compare(Node& n, Type a, Type b) {
    if (a == Type::kError || b == Type::kError) return Type::kError;
    bool equality = n.op == Op::kEq || n.op == Op::kNe;
    if (Same(a, b) && (IsNumeric(a) || equality)) return Type::kBool;
    std::string hint;
    if ((a == Type::kMoney && b == Type::kNumber) ||
        (a == Type::kNumber && b == Type::kMoney)) {
      hint = "; write money literals with a unit, e.g. 1亿元 or 2000000元";
    }
    if (Same(a, b))
      return Mismatch(
          n, fmt::format("{} can only be compared with == or !=", Article(a)));
    return Mismatch(n, fmt::format("cannot compare {} with {} in `{}`{}",
                                   Article(a), Article(b), n.source, hint));
  }

  bool Want(int node, int kind, Type want, std::string_view what) {
    Type got = Expr(node, kind);
    if (got == Type::kError) return false;
    if (got == want) return true;
    sink_.Error(p_.nodes[node].mark,
                fmt::format("{} needs {}, but `{}` is {}", what, Article(want),
                            p_.nodes[node].source, Article(got)));
    return false;
  }

  bool WantYear(int node, int kind, std::string_view what) {
    Type got = Expr(node, kind);
    if (got == Type::kError) return false;
    if (got == Type::kYear || got == Type::kNumber) return true;
    sink_.Error(p_.nodes[node].mark,
                fmt::format("{} must be a year, but `{}` is {}", what,
                            p_.nodes[node].source, Article(got)));
    return false;
  }

  Type Mismatch(const Node& n, std::string message) {
    sink_.Error(n.mark, std::move(message));
    return Type::kError;
  }

  Mark KeyMark(const Rule& rule, const std::string& key) const {
    auto it = rule.key_marks.find(key);
    return it == rule.key_marks.end() ? rule.mark : it->second;
  }

  Program& p_;
  DiagnosticSink& sink_;
  std::vector<std::unordered_map<std::string_view, int>> fields_;  // by kind
  std::unordered_map<std::string_view, int> params_, derived_;
  std::vector<State> derived_state_;
  std::vector<int> derived_stack_;
  std::vector<int> depth_;  // of each derived value, expanded; kBad
  std::vector<int> chain_;  // the longest chain of derived values from each
  std::vector<int> next_;   // the next derived value in that chain, or -1
  std::vector<State> measure_state_;
  bool chain_reported_ = false;
};

}  // namespace

void Check(Program& program, DiagnosticSink& sink) {
  Checker(program, sink).Run();
}

}  // namespace eligo
