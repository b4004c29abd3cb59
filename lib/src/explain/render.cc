// The renderer: decisions' causes into words, in English or Chinese. This
// file's external interface is Renderer (eligo/render.h).
#include "eligo/render.h"

#include <fmt/format.h>

#include <iterator>

#include "program.h"

namespace eligo {
namespace {

// The rule a decision was made under: by index when the evaluator set it,
// else by id (a decision made by hand).
const Rule* RuleOf(const Program& p, const Decision& d) {
  if (d.rule_index >= 0 && static_cast<size_t>(d.rule_index) < p.rules.size())
    return &p.rules[static_cast<size_t>(d.rule_index)];
  for (const Rule& r : p.rules) {
    if (r.info.id == d.rule) return &r;
  }
  return nullptr;
}

const Condition* ConditionOf(const Rule& rule, const Cause& c) {
  const std::vector<Condition>* list = &rule.applies;
  if (c.kind == Cause::Kind::kNotReached) {
    if (c.tier < 0 || static_cast<size_t>(c.tier) >= rule.tiers.size())
      return nullptr;
    list = &rule.tiers[static_cast<size_t>(c.tier)].when;
  }
  if (c.condition < 0 || static_cast<size_t>(c.condition) >= list->size())
    return nullptr;
  return &(*list)[static_cast<size_t>(c.condition)];
}

std::string_view TierId(const Rule* rule, int tier) {
  if (rule == nullptr || tier < 0 ||
      static_cast<size_t>(tier) >= rule->tiers.size())
    return "";
  return rule->tiers[static_cast<size_t>(tier)].id;
}

// The conditions an eligible decision met: for a tiered rule the top
// tier's, for an untiered one the rule's own and its one tier's.
std::vector<const Condition*> MetConditions(const Rule& rule, const Cause& c) {
  std::vector<const Condition*> met;
  if (!rule.tiered) {
    for (const Condition& x : rule.applies) met.push_back(&x);
  }
  if (c.tier >= 0 && static_cast<size_t>(c.tier) < rule.tiers.size()) {
    for (const Condition& x : rule.tiers[static_cast<size_t>(c.tier)].when)
      met.push_back(&x);
  }
  return met;
}

// ---- English: the words of eligo 1.x, unchanged. ----

std::string EnGap(const Program& p, const Gap& g) {
  std::string_view src =
      g.node >= 0 ? p.nodes[static_cast<size_t>(g.node)].source : "";
  switch (g.kind) {
    case Gap::Kind::kMissing:
      return fmt::format("{}@{}", g.name, g.year);
    case Gap::Kind::kEmpty:
      return fmt::format("{}@{} (empty)", g.name, g.year);
    case Gap::Kind::kNoRow:
      return fmt::format("{}@{} (no row for {})", g.name, g.year, g.year);
    case Gap::Kind::kConflict:
      return fmt::format("{}@{} (duplicate rows for {})", g.name, g.year,
                         g.year);
    case Gap::Kind::kUnreadable:
      return fmt::format("{}@{}: {}", g.name, g.year, g.detail);
    case Gap::Kind::kNoParam:
      return fmt::format("{}@{} (no value supplied)", g.name, g.year);
    case Gap::Kind::kDivZero:
      return fmt::format("division by zero: `{}` is 0 in {}", src, g.year);
    case Gap::Kind::kOverflow:
      return fmt::format("out of range: `{}` in {}", src, g.year);
    case Gap::Kind::kTooLong:
      return fmt::format(
          "evaluation limit: `{}` in {} covers too many years or steps", src,
          g.year);
    case Gap::Kind::kEmptyRange:
      return fmt::format("`{}` covers no years in {}", src, g.year);
  }
  return "";
}

// ---- Chinese ----

// A field's name for people: its first alias with a character beyond
// ASCII (the Chinese header), else its name.
std::string_view FieldLabel(const FieldSchema& f) {
  for (const std::string& a : f.aliases) {
    for (unsigned char ch : a) {
      if (ch >= 0x80) return a;
    }
  }
  return f.name;
}

std::string_view GapLabel(const Program& p, const Rule* rule, const Gap& g) {
  if (g.kind == Gap::Kind::kNoParam || rule == nullptr || rule->kind < 0 ||
      g.symbol < 0)
    return g.name;
  const EntitySchema& e = p.entities[static_cast<size_t>(rule->kind)];
  if (static_cast<size_t>(g.symbol) >= e.fields.size()) return g.name;
  return FieldLabel(e.fields[static_cast<size_t>(g.symbol)]);
}

std::string ZhGap(const Program& p, const Rule* rule, const Gap& g) {
  std::string_view src =
      g.node >= 0 ? p.nodes[static_cast<size_t>(g.node)].source : "";
  std::string_view label = GapLabel(p, rule, g);
  switch (g.kind) {
    case Gap::Kind::kMissing:
      return fmt::format("{}({}年)缺失", label, g.year);
    case Gap::Kind::kEmpty:
      return fmt::format("{}({}年)为空", label, g.year);
    case Gap::Kind::kNoRow:
      return fmt::format("{}({}年)缺失：没有{}年的数据行", label, g.year,
                         g.year);
    case Gap::Kind::kConflict:
      return fmt::format("{}({}年)无法确定：{}年有重复的数据行", label, g.year,
                         g.year);
    case Gap::Kind::kUnreadable:
      return fmt::format("{}({}年)无法读取：{}", label, g.year, g.detail);
    case Gap::Kind::kNoParam:
      return fmt::format("参数{}({}年)未提供", label, g.year);
    case Gap::Kind::kDivZero:
      return fmt::format("除数为零：{}年`{}`为0", g.year, src);
    case Gap::Kind::kOverflow:
      return fmt::format("超出数值范围：{}年的`{}`", g.year, src);
    case Gap::Kind::kTooLong:
      return fmt::format("超出计算限度：{}年的`{}`涉及的年度或步骤过多", g.year,
                         src);
    case Gap::Kind::kEmptyRange:
      return fmt::format("{}年的`{}`不含任何年度", g.year, src);
  }
  return "";
}

// `source` with each run of spaces and line breaks as one space: a reason
// is one line, whatever the layout of the rule file.
void AppendOneLine(std::string_view source, std::string& out) {
  bool space = false;
  for (char c : source) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
}

// Where the values of fields come from when a reason shows them: the
// entity's panel and the year decided (none: the reason names no values).
struct ValuesFrom {
  const Panel* panel = nullptr;
  int year = 0;
};

// The value of field `f` in `year` as a clerk reads it, "" when the panel
// has none.
std::string CellWords(const ValuesFrom& from, const FieldSchema& f, int field,
                      int year) {
  if (from.panel == nullptr) return "";
  for (const Row& row : from.panel->rows()) {
    if (row.year != year || static_cast<size_t>(field) >= row.cells.size())
      continue;
    const Cell& cell = row.cells[static_cast<size_t>(field)];
    if (cell.state != Cell::State::kValue) return "";
    switch (f.type) {
      case FieldType::kMoney:
        return ChineseAmount(cell.number);
      case FieldType::kRatio:
        return cell.number.ToPercent();
      case FieldType::kBoolean:
        return cell.boolean ? "是" : "否";
      case FieldType::kInteger:
      case FieldType::kYear:
        return cell.number.ToString();
      default:
        return "";
    }
  }
  return "";
}

// An expression as a clerk reads it: fields by their Chinese headers (with
// their values, when known), comparisons with their signs, 上年 for the
// year before. `year_back`: the field is read that many years before the
// year decided (-1: some other year, whose value is not shown).
// `holds`, for a whole condition whose truth is known, words its
// comparison for that truth: 达到 or 未达到 rather than ≥.
void ZhExpr(const Program& p, const Rule& rule, int index,
            const ValuesFrom& from, std::string& out, int year_back = 0,
            std::optional<bool> holds = std::nullopt) {
  const Node& n = p.nodes[static_cast<size_t>(index)];
  auto binary = [&](std::string_view sign, std::string_view if_true = "",
                    std::string_view if_false = "") {
    ZhExpr(p, rule, n.a, from, out);
    out.append(!holds || if_true.empty() ? sign : *holds ? if_true : if_false);
    ZhExpr(p, rule, n.b, from, out);
  };
  switch (n.op) {
    case Op::kField: {
      const EntitySchema& e = p.entities[static_cast<size_t>(rule.kind)];
      const FieldSchema& f = e.fields[static_cast<size_t>(n.symbol)];
      out.append(FieldLabel(f));
      if (year_back >= 0) {
        std::string value = CellWords(from, f, n.symbol, from.year - year_back);
        if (!value.empty())
          out.append(f.type == FieldType::kBoolean ? "：" : " ").append(value);
      }
      return;
    }
    case Op::kAt: {
      const Node& y = p.nodes[static_cast<size_t>(n.b)];
      bool back_by_literal =
          y.op == Op::kSub &&
          p.nodes[static_cast<size_t>(y.a)].op == Op::kYear &&
          p.nodes[static_cast<size_t>(y.b)].op == Op::kLiteral;
      std::optional<int64_t> back =
          back_by_literal ? p.nodes[static_cast<size_t>(y.b)].number.ToInt64()
                          : std::nullopt;
      ZhExpr(p, rule, n.a, from, out,
             back && *back >= 0 && *back < 100 ? static_cast<int>(*back) : -1);
      if (back_by_literal) {
        const Decimal& back = p.nodes[static_cast<size_t>(y.b)].number;
        out.append(back == Decimal::FromInt(1)
                       ? "(上年)"
                       : fmt::format("({}年前)", back.ToString()));
      } else {
        out.append("(");
        AppendOneLine(y.source, out);
        out.append(")");
      }
      return;
    }
    case Op::kPresent:
      ZhExpr(p, rule, n.a, {}, out);
      out.append(holds && !*holds ? "为空" : "有值");
      return;
    case Op::kNot:
      out.append("并非");
      ZhExpr(p, rule, n.a, from, out);
      return;
    case Op::kAnd:
      return binary("，且");
    case Op::kOr:
      return binary("，或");
    case Op::kEq:
      return binary(" = ", " 为 ", " 不为 ");
    case Op::kNe:
      return binary(" ≠ ", " 不为 ", " 为 ");
    case Op::kLt:
      return binary(" < ", " 低于 ", " 不低于 ");
    case Op::kLe:
      return binary(" ≤ ", " 不超过 ", " 超过 ");
    case Op::kGt:
      return binary(" > ", " 超过 ", " 未超过 ");
    case Op::kGe:
      return binary(" ≥ ", " 达到 ", " 未达到 ");
    default:
      AppendOneLine(n.source, out);
      return;
  }
}

// A condition for people, worded for its truth ("年销售收入 5.5亿元 达到
// 5亿元"); one that failed is followed by the clause it enforces.
std::string ZhCondition(const Program& p, const Rule& rule, const Condition& c,
                        const ValuesFrom& from, bool holds) {
  std::string test;
  ZhExpr(p, rule, c.expr, from, test, 0, holds);
  if (holds || c.clause.empty()) return test;
  return fmt::format("{}（{}）", test, c.clause);
}

std::string_view ZhTierTitle(const Rule* rule, int tier) {
  if (rule == nullptr || tier < 0 ||
      static_cast<size_t>(tier) >= rule->tiers.size())
    return "";
  const Tier& t = rule->tiers[static_cast<size_t>(tier)];
  return t.title.empty() ? std::string_view(t.id) : std::string_view(t.title);
}

// The tiers of `joined` ("tier1+tier2") by their titles.
std::string ZhTiers(const Rule* rule, std::string_view joined) {
  std::string out;
  while (!joined.empty()) {
    size_t plus = joined.find('+');
    std::string_view id = joined.substr(0, plus);
    std::string_view title = id;
    if (rule != nullptr) {
      for (const Tier& t : rule->tiers) {
        if (t.id == id && !t.title.empty()) title = t.title;
      }
    }
    if (!out.empty()) out += '+';
    out.append(title);
    joined = plus == std::string_view::npos ? "" : joined.substr(plus + 1);
  }
  return out;
}

std::string TrimZeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

std::string_view FieldTitle(const EntitySchema& schema, std::string_view name) {
  int f = schema.FindField(name);
  return f < 0 ? name : FieldLabel(schema.fields[static_cast<size_t>(f)]);
}

std::optional<Lang> ParseLang(std::string_view text) {
  if (text == "en") return Lang::kEn;
  if (text == "zh") return Lang::kZh;
  return std::nullopt;
}

const char* LangName(Lang lang) { return lang == Lang::kZh ? "zh" : "en"; }

std::optional<AmountUnit> ParseAmountUnit(std::string_view text) {
  if (text == "元" || text == "yuan") return AmountUnit::kYuan;
  if (text == "万元" || text == "wan") return AmountUnit::kWan;
  return std::nullopt;
}

std::string ChineseAmount(const Decimal& yuan) {
  static const Decimal kYi = Decimal::FromInt(100'000'000);
  static const Decimal kWan = Decimal::FromInt(10'000);
  Decimal magnitude = yuan.sign() < 0 ? yuan.Negate() : yuan;
  auto in = [&](const Decimal& unit, const char* name) -> std::string {
    std::optional<Decimal> q = Decimal::Div(yuan, unit);
    // Only where it is exact in four places: more digits read better as
    // yuan than as a long fraction of 亿 or 万.
    if (!q) return "";
    std::optional<Decimal> r = q->Round(4, RoundingMode::kHalfUp);
    if (!r || *r != *q) return "";
    return TrimZeros(q->ToFixed(4)) + name;
  };
  if (magnitude >= kYi) {
    if (std::string s = in(kYi, "亿元"); !s.empty()) return s;
  }
  if (magnitude >= kWan) {
    if (std::string s = in(kWan, "万元"); !s.empty()) return s;
  }
  return (yuan.is_integer() ? yuan.ToString() : yuan.ToFixed(2)) + "元";
}

Renderer::Renderer(const RuleSet& rules, Lang lang, AmountUnit unit)
    : rules_(rules), lang_(lang), unit_(unit) {}

std::string Renderer::Reason(const Decision& d) const {
  std::string out;
  AppendReason(d, out);
  return out;
}

std::vector<std::string> Renderer::Missing(const Decision& d) const {
  const Program& p = rules_.program();
  const Rule* rule = RuleOf(p, d);
  std::vector<std::string> out;
  for (const Gap& g : d.gaps) {
    if (g.is_input())
      out.push_back(lang_ == Lang::kZh ? ZhGap(p, rule, g) : EnGap(p, g));
  }
  return out;
}

void Renderer::AppendReason(const Decision& d, std::string& out,
                            const Panel* panel) const {
  const ValuesFrom from{panel, d.year};
  const Program& p = rules_.program();
  const Rule* rule = RuleOf(p, d);
  const Cause& c = d.cause;
  const bool zh = lang_ == Lang::kZh;
  auto back = std::back_inserter(out);
  // Every gap, inputs first, joined for a reason.
  auto gaps = [&](std::string_view separator) {
    std::string text;
    for (int pass = 0; pass < 2; ++pass) {
      for (const Gap& g : d.gaps) {
        if (g.is_input() != (pass == 0)) continue;
        if (!text.empty()) text.append(separator);
        text.append(zh ? ZhGap(p, rule, g) : EnGap(p, g));
      }
    }
    return text;
  };
  std::string_view rule_id = rule != nullptr ? std::string_view(rule->info.id)
                                             : std::string_view(d.rule);
  // What an earlier-award cause names: the tier, or the rule.
  std::string what =
      d.tier.empty() ? (zh ? std::string(RuleName(d)) : std::string(rule_id))
                     : (zh ? TierName(d) : d.tier);
  auto earlier = [&] {
    if (zh) {
      return c.earlier_tier.empty()
                 ? fmt::format("已于{}年获得奖励", c.earlier_year)
                 : fmt::format("{}已于{}年获得", ZhTiers(rule, c.earlier_tier),
                               c.earlier_year);
    }
    return c.earlier_tier.empty() ? fmt::format("awarded in {}", c.earlier_year)
                                  : fmt::format("{} was awarded in {}",
                                                c.earlier_tier, c.earlier_year);
  };
  auto money = [&](const std::optional<Decimal>& v) {
    if (!v) return std::string();
    return zh ? ChineseAmount(*v) : v->ToFixed(2);
  };
  switch (c.kind) {
    case Cause::Kind::kOutsideYears:
      if (zh) {
        fmt::format_to(back, "本规则适用于{}—{}年，{}年不在其内", c.first,
                       c.last, d.year);
      } else {
        fmt::format_to(back, "the rule covers {}..{}; {} is outside", c.first,
                       c.last, d.year);
      }
      return;
    case Cause::Kind::kDoesNotApply:
    case Cause::Kind::kNotReached: {
      const Condition* cond = rule ? ConditionOf(*rule, c) : nullptr;
      if (cond == nullptr) return;
      if (zh) {
        const char* head = c.kind == Cause::Kind::kDoesNotApply ? "不适用"
                           : rule->tiered && !rule->staged ? "未达到任何档次"
                                                           : "条件未满足";
        fmt::format_to(back, "{}：{}", head,
                       ZhCondition(p, *rule, *cond, from, false));
      } else {
        const char* head = c.kind == Cause::Kind::kDoesNotApply
                               ? "does not apply"
                           : rule->tiered && !rule->staged ? "no tier reached"
                                                           : "not met";
        fmt::format_to(back, "{}: `{}` is false", head, cond->source);
      }
      return;
    }
    case Cause::Kind::kNoTierMatched:
      out.append(zh ? "未达到任何档次" : "no tier matched");
      return;
    case Cause::Kind::kNoStage: {
      std::string schedule;
      for (size_t t = 0; t < c.stage_years.size(); ++t) {
        if (t > 0) schedule.append(zh ? "，" : ", ");
        int tier = static_cast<int>(t);
        schedule.append(
            zh ? fmt::format("{}在{}年", ZhTierTitle(rule, tier),
                             c.stage_years[t])
               : fmt::format("{} in {}", TierId(rule, tier), c.stage_years[t]));
      }
      if (zh) {
        fmt::format_to(back, "{}年不是任何阶段的认定年度（{}）", d.year,
                       schedule);
      } else {
        fmt::format_to(back, "no stage is decided in {} ({})", d.year,
                       schedule);
      }
      return;
    }
    case Cause::Kind::kUndetermined: {
      std::string question;
      switch (c.question) {
        case Cause::Question::kYears:
          question = zh ? "无法确定本规则适用的年度"
                        : "cannot tell which years the rule covers";
          break;
        case Cause::Question::kApplies:
          question = zh ? "无法确定本规则是否适用"
                        : "cannot tell whether the rule applies";
          break;
        case Cause::Question::kStage:
          question = zh ? "无法确定当年认定哪一阶段"
                        : "cannot tell which stage is decided";
          break;
        case Cause::Question::kTier:
          question =
              zh ? fmt::format("无法确定是否达到{}", ZhTierTitle(rule, c.tier))
                 : fmt::format("cannot tell whether {} is reached",
                               TierId(rule, c.tier));
          break;
        case Cause::Question::kConditions:
          question = zh ? "无法确定条件是否满足"
                        : "cannot tell whether the conditions hold";
          break;
        case Cause::Question::kAmount:
          question = zh ? "无法确定金额" : "cannot tell the amount";
          break;
        case Cause::Question::kPayer:
          question = zh ? "无法确定支付单位" : "cannot tell the payer";
          break;
      }
      fmt::format_to(back, "{}{}{}", question, zh ? "：" : ": ",
                     gaps(zh ? "；" : "; "));
      return;
    }
    case Cause::Kind::kUniqueConflict:
      if (zh) {
        fmt::format_to(back, "规则错误：命中策略为 unique，但{}与{}同时满足",
                       ZhTierTitle(rule, c.tier),
                       ZhTierTitle(rule, c.other_tier));
      } else {
        fmt::format_to(
            back,
            "rule error: hit policy `unique`, but tiers {} and {} both match",
            TierId(rule, c.tier), TierId(rule, c.other_tier));
      }
      return;
    case Cause::Kind::kNonPositive:
      if (zh) {
        fmt::format_to(back, "规则错误：{}的金额为{}", what, money(c.value));
      } else {
        fmt::format_to(back, "rule error: the amount of {} is {}", what,
                       money(c.value));
      }
      return;
    case Cause::Kind::kNothingLeft:
      if (zh) {
        fmt::format_to(back, "达到{}，但本规则下此前已支付{}，无差额可补",
                       TierName(d), money(c.value));
      } else {
        fmt::format_to(back,
                       "{} reached, but {} was already paid under this rule",
                       d.tier, money(c.value));
      }
      return;
    case Cause::Kind::kReached:
    case Cause::Kind::kConditionsMet: {
      std::vector<const Condition*> met;
      if (rule != nullptr) met = MetConditions(*rule, c);
      std::string list;
      for (const Condition* m : met) {
        if (!list.empty()) list.append(zh ? "；" : " and ");
        list.append(zh ? ZhCondition(p, *rule, *m, from, true) : m->source);
      }
      if (c.kind == Cause::Kind::kReached) {
        if (zh) {
          fmt::format_to(back, "达到{}{}{}", TierName(d),
                         list.empty() ? "" : "：", list);
        } else {
          fmt::format_to(back, "{} reached{}{}", d.tier,
                         list.empty() ? "" : ": ", list);
        }
      } else if (list.empty()) {
        out.append(zh ? "本规则无条件，始终满足" : "no conditions: always met");
      } else {
        fmt::format_to(back, "{}{}",
                       zh ? "条件均满足：" : "conditions met: ", list);
      }
      if (c.value) {
        if (zh) {
          fmt::format_to(back, "；此前已支付{}，补足差额", money(c.value));
        } else {
          fmt::format_to(back, "; pays the difference after {} already paid",
                         money(c.value));
        }
      }
      return;
    }
    case Cause::Kind::kOnce:
      if (zh) {
        fmt::format_to(back, "每个{}限享受一次：{}", EntityKind(d), earlier());
      } else {
        fmt::format_to(back, "once per {}: already {}", d.entity_kind,
                       earlier());
      }
      return;
    case Cause::Kind::kOncePerTier:
      fmt::format_to(back, "{}{}",
                     zh ? "每档限享受一次：" : "once per tier: ", earlier());
      return;
    case Cause::Kind::kNotHigher:
      if (zh) {
        fmt::format_to(back, "达到{}，但{}；只有高于此前所获各档才予奖励",
                       TierName(d), earlier());
      } else {
        fmt::format_to(back,
                       "{} reached, but {}; a tier is paid only if higher than "
                       "every tier paid before",
                       d.tier, earlier());
      }
      return;
    case Cause::Kind::kUnsettledEarlier: {
      std::string want = gaps(zh ? "；" : "; ");
      if (zh) {
        fmt::format_to(back, "无法确定能否给予{}：本规则{}年的决定待定{}{}",
                       what, c.earlier_year, want.empty() ? "" : "，缺少",
                       want);
      } else {
        fmt::format_to(back,
                       "cannot tell whether {} may be paid: the decision of "
                       "{} under this rule is undetermined{}{}",
                       what, c.earlier_year,
                       want.empty() ? "" : " for want of ", want);
      }
      return;
    }
    case Cause::Kind::kUnplacedRow:
      if (zh) {
        fmt::format_to(back, "无法确定能否给予{}：{}", what, c.detail);
      } else {
        fmt::format_to(back, "cannot tell whether {} may be paid: {}", what,
                       c.detail);
      }
      return;
  }
}

std::string_view Renderer::Outcome(eligo::Outcome o) const {
  if (lang_ == Lang::kEn) return ToString(o);
  switch (o) {
    case Outcome::kEligible:
      return "符合";
    case Outcome::kIneligible:
      return "不符合";
    case Outcome::kUndetermined:
      return "待定";
  }
  return "";
}

std::string_view Renderer::Award(AwardKind k) const {
  if (lang_ == Lang::kEn) return ToString(k);
  switch (k) {
    case AwardKind::kNone:
      return "";
    case AwardKind::kMoney:
      return "资金奖励";
    case AwardKind::kCommendation:
      return "通报表彰";
    case AwardKind::kReferral:
      return "推荐";
    case AwardKind::kDesignation:
      return "认定";
  }
  return "";
}

std::string_view Renderer::RuleName(const Decision& d) const {
  const Rule* rule = RuleOf(rules_.program(), d);
  if (lang_ == Lang::kZh && rule != nullptr && !rule->info.title.empty())
    return rule->info.title;
  return d.rule;
}

std::string_view Renderer::RuleName(std::string_view rule_id) const {
  if (lang_ == Lang::kZh) {
    for (const RuleInfo& r : rules_.rules()) {
      if (r.id == rule_id && !r.title.empty()) return r.title;
    }
  }
  return rule_id;
}

std::string_view Renderer::InputName(std::string_view name) const {
  if (lang_ == Lang::kZh) {
    for (const EntitySchema& e : rules_.entities()) {
      if (e.FindField(name) >= 0) return FieldTitle(e, name);
    }
  }
  return name;
}

std::string Renderer::TierName(const Decision& d) const {
  if (lang_ == Lang::kEn) return d.tier;
  return ZhTiers(RuleOf(rules_.program(), d), d.tier);
}

std::string_view Renderer::EntityKind(const Decision& d) const {
  if (lang_ == Lang::kZh) {
    for (const EntitySchema& e : rules_.entities()) {
      if (e.kind == d.entity_kind && !e.title.empty()) return e.title;
    }
  }
  return d.entity_kind;
}

std::string Renderer::Amount(const Decimal& yuan) const {
  if (unit_ == AmountUnit::kYuan) return yuan.ToFixed(2);
  std::optional<Decimal> wan = Decimal::Div(yuan, Decimal::FromInt(10'000));
  if (!wan) return yuan.ToFixed(2);
  // Two places, or up to six when the fen need them: nothing is rounded.
  std::string text = wan->ToFixed(6);
  while (text.size() > 3 && text.back() == '0' && text[text.size() - 3] != '.')
    text.pop_back();
  return text;
}

std::string_view Renderer::CsvHeader() const {
  if (lang_ == Lang::kZh) {
    return unit_ == AmountUnit::kWan
               ? "主体类型,统一社会信用代码/机构代码,名称,所属县区,年度,规则,"
                 "档次,结果,奖励类型,金额(万元),支付单位,政策条款,理由,备注,"
                 "决定编号"
               : "主体类型,统一社会信用代码/机构代码,名称,所属县区,年度,规则,"
                 "档次,结果,奖励类型,金额(元),支付单位,政策条款,理由,备注,"
                 "决定编号";
  }
  return unit_ == AmountUnit::kWan
             ? "entity_kind,id,name,county,year,rule,tier,outcome,award,"
               "amount_wan,payer,citation,reason,notes,decision_id"
             : "entity_kind,id,name,county,year,rule,tier,outcome,award,"
               "amount,payer,citation,reason,notes,decision_id";
}

}  // namespace eligo
