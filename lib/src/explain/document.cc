// A rule set described for people who do not read YAML. One walk over the
// Program builds a Document (headings, paragraphs, quotes, lists, tables);
// Markdown and HTML are two renderings of it. Expressions are put into
// words by a recursive walk over their nodes.
#include "eligo/document.h"

#include <fmt/format.h>

#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "program.h"

namespace eligo {
namespace {

// --- The document, independent of its format -----------------------------

// A piece of text with an optional bold label before it.
struct Line {
  std::string label;
  std::string text;
};

struct Table {
  std::vector<std::string> header;
  std::vector<bool> numeric;  // per column: right-aligned
  std::vector<std::vector<std::string>> rows;
};

struct Block {
  enum class Kind { kHeading, kParagraph, kQuote, kList, kTable };
  Kind kind = Kind::kParagraph;
  int level = 0;            // kHeading: 1..3
  Line line;                // kHeading (text only), kParagraph, kQuote
  std::vector<Line> items;  // kList
  Table table;              // kTable
};

struct Document {
  std::string title;
  std::vector<Block> blocks;

  void Heading(int level, std::string text) {
    Block b;
    b.kind = Block::Kind::kHeading;
    b.level = level;
    b.line.text = std::move(text);
    blocks.push_back(std::move(b));
  }
  void Paragraph(std::string label, std::string text) {
    Block b;
    b.line = {std::move(label), std::move(text)};
    blocks.push_back(std::move(b));
  }
  void Quote(std::string text) {
    Block b;
    b.kind = Block::Kind::kQuote;
    b.line.text = std::move(text);
    blocks.push_back(std::move(b));
  }
  void List(std::vector<Line> items) {
    Block b;
    b.kind = Block::Kind::kList;
    b.items = std::move(items);
    blocks.push_back(std::move(b));
  }
  void AddTable(Table table) {
    Block b;
    b.kind = Block::Kind::kTable;
    b.table = std::move(table);
    blocks.push_back(std::move(b));
  }
};

// --- Numbers -------------------------------------------------------------

// Inserts thousands separators into the integer part of a formatted
// number ("-1234567.50" -> "-1,234,567.50").
std::string Group(const std::string& number) {
  size_t start = number.empty() || number[0] != '-' ? 0 : 1;
  size_t end = start;
  while (end < number.size() && number[end] >= '0' && number[end] <= '9') ++end;
  std::string out = number.substr(0, start);
  for (size_t i = start; i < end; ++i) {
    if (i > start && (end - i) % 3 == 0) out += ',';
    out += number[i];
  }
  return out + number.substr(end);
}

// Yuan with two decimals: "1,000,000.00".
std::string Yuan(const Decimal& d) { return Group(d.ToFixed(2)); }

// The same amount in 万元, exactly: "100", "0.5".
std::string Wan(const Decimal& d) {
  std::optional<Decimal> wan = Decimal::Div(d, Decimal::FromInt(10000));
  return wan ? Group(wan->ToString()) : "?";
}

// "1,000,000,000.00 yuan (100,000 万元)".
std::string Money(const Decimal& d) {
  return fmt::format("{} yuan ({} 万元)", Yuan(d), Wan(d));
}

// A constant of type `t`, as people write it. Plain numbers are grouped
// from five digits on, so that a year used as a number stays "2017".
std::string Constant(const Decimal& d, Type t, bool ratio) {
  if (t == Type::kMoney) return Money(d);
  if (t == Type::kYear) return d.ToString();
  if (ratio) return d.ToPercent();
  std::string plain = d.ToString();
  size_t digits = plain.find_first_not_of("-0123456789");
  if (digits == std::string::npos) digits = plain.size();
  return digits - (plain[0] == '-' ? 1 : 0) > 4 ? Group(plain) : plain;
}

// --- Words ---------------------------------------------------------------

// The parts joined, in order. Unlike the arguments of a function call, the
// elements of a braced list are evaluated left to right, so the first
// mention of a name (which says what it is) comes first in the text too.
std::string Cat(std::initializer_list<std::string> parts) {
  std::string out;
  for (const std::string& part : parts) out += part;
  return out;
}

const char* AwardWords(AwardKind kind) {
  switch (kind) {
    case AwardKind::kMoney:
      return "money";
    case AwardKind::kCommendation:
      return "commendation (表彰), no amount";
    case AwardKind::kReferral:
      return "referral to other regulations, no amount";
    case AwardKind::kDesignation:
      return "designation (a status, such as 一企一策), no amount";
    case AwardKind::kNone:
      break;
  }
  return "none";
}

const char* HitWords(HitPolicy hit) {
  switch (hit) {
    case HitPolicy::kFirst:
      return "the first tier that is met, in the order listed; later tiers "
             "are not considered.";
    case HitPolicy::kUnique:
      return "the one tier that is met; if two tiers are met at once, the "
             "decision is a rule error.";
    case HitPolicy::kCollect:
      return "every tier that is met; their amounts are added.";
  }
  return "";
}

std::string LimitWords(Limit limit, const std::string& kind) {
  switch (limit) {
    case Limit::kNone:
      return "none: every year is decided on its own.";
    case Limit::kOnce:
      return fmt::format(
          "once per entity: at most one award to each {} under this rule.",
          kind);
    case Limit::kOncePerTier:
      return fmt::format(
          "once per tier: each tier is awarded at most once to each {}.", kind);
    case Limit::kHigherOnly:
      return "only a tier higher than every tier already paid (就高不重复); "
             "that tier's full amount is paid.";
    case Limit::kTopUp:
      return "top-up: pays the difference to what was already paid, for a "
             "tier higher than every tier already paid, when the difference "
             "is positive.";
  }
  return "";
}

const char* RoundingWords(RoundingMode mode) {
  switch (mode) {
    case RoundingMode::kHalfUp:
      return "half up (四舍五入)";
    case RoundingMode::kHalfEven:
      return "half to even";
    case RoundingMode::kDown:
      return "towards zero";
    case RoundingMode::kUp:
      return "away from zero";
    case RoundingMode::kFloor:
      return "down (floor)";
    case RoundingMode::kCeiling:
      return "up (ceiling)";
  }
  return "";
}

// How tightly an expression's words bind, loosest first; an operand that
// binds more loosely than its operator needs is put in brackets.
int Precedence(const Node& n) {
  switch (n.op) {
    case Op::kIf:
    case Op::kAll:
    case Op::kAny:
    case Op::kCount:
    case Op::kSum:
      return 1;  // phrases that run to the end of the words
    case Op::kMin:
    case Op::kMax:
      return n.c == kNoNode ? 10 : 1;
    case Op::kOr:
      return 2;
    case Op::kAnd:
      return 3;
    case Op::kNot:
      return 4;
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
      return 5;
    case Op::kAdd:
    case Op::kSub:
      return 6;
    case Op::kMul:
    case Op::kDiv:
      return 7;
    case Op::kNeg:
      return 8;
    default:
      return 10;
  }
}

// The document of one Program.
class Describer {
 public:
  explicit Describer(const Program& p) : p_(p) {}

  Document Build() {
    BuildIntro();
    for (size_t i = 0; i < p_.rules.size(); ++i) BuildRule(i);
    BuildParameters();
    BuildDerived();
    return std::move(doc_);
  }

 private:
  // --- Expressions -------------------------------------------------------

  // Words for the value of expression `node` of entity kind `kind`.
  std::string Value(int node, int kind) {
    Begin(kind);
    const Node& n = p_.nodes[node];
    return n.type == Type::kBool ? Test(node, false) : Words(node, false);
  }

  // Words for a condition, with the clause it enforces.
  std::string ConditionWords(const Condition& c, int kind) {
    std::string out = Value(c.expr, kind);
    if (!c.clause.empty()) out += " — clause: " + c.clause;
    return out;
  }

  void Begin(int kind) {
    kind_ = kind;
    range_depth_ = 0;
    seen_.clear();
  }

  bool IsRatio(int node) const {
    const Node& n = p_.nodes[node];
    switch (n.op) {
      case Op::kLiteral:
        return n.type == Type::kNumber &&
               n.source.find('%') != std::string::npos;
      case Op::kField:
        return kind_ >= 0 &&
               p_.entities[kind_].fields[n.symbol].type == FieldType::kRatio;
      case Op::kParam:
        return p_.params[n.symbol].is_ratio;
      case Op::kDerived:
        return p_.derived[n.symbol].is_ratio;
      case Op::kAt:
      case Op::kRound:
        return IsRatio(n.a);
      default:
        return false;
    }
  }

  // Words for `node`, in brackets when it binds more loosely than `min`.
  std::string Operand(int node, int min, bool ratio) {
    std::string s = Words(node, ratio);
    return Precedence(p_.nodes[node]) < min ? "(" + s + ")" : s;
  }
  std::string TestOperand(int node, int min, bool negated) {
    std::string s = Test(node, negated);
    // `not` has no words of its own: what binds is what it turns into.
    while (p_.nodes[node].op == Op::kNot) {
      node = p_.nodes[node].a;
      negated = !negated;
    }
    const Node& n = p_.nodes[node];
    int prec = Precedence(n);
    if (negated && (n.op == Op::kAnd || n.op == Op::kOr)) prec = 4;  // not (..)
    return prec < min ? "(" + s + ")" : s;
  }

  // The first mention of a name in an expression says what it is.
  bool FirstMention(Op op, int symbol) {
    return seen_.insert({static_cast<int>(op), symbol}).second;
  }

  std::string ParamNote(const Parameter& p) const {
    if (p.runtime) return "supplied at run time";
    if (!p.by_year.empty()) return "set by year, see Parameters";
    if (!p.scalar) return "no value";
    if (p.type == Type::kMoney)
      return fmt::format("{} yuan = {} 万元", Yuan(*p.scalar), Wan(*p.scalar));
    return Constant(*p.scalar, p.type, p.is_ratio);
  }

  // Words for a year range's bounds: "from A to B".
  std::string Range(const Node& n) {
    return Cat({"from ", Words(n.a, false), " to ", Words(n.b, false)});
  }

  // Words for the value of `node`; `ratio`: plain numbers are percentages.
  std::string Words(int node, bool ratio) {
    const Node& n = p_.nodes[node];
    switch (n.op) {
      case Op::kLiteral:
        switch (n.type) {
          case Type::kMoney:
            return Money(n.number);
          case Type::kText:
            return fmt::format("\"{}\"", n.text);
          case Type::kBool:
            return n.boolean ? "true" : "false";
          case Type::kYear:
            return n.number.ToString();
          default:
            return Constant(n.number, n.type, ratio || IsRatio(node));
        }
      case Op::kYear:
        return range_depth_ > 0 ? "that year" : "the current year";
      case Op::kField: {
        if (kind_ < 0) return n.text;
        const FieldSchema& f = p_.entities[kind_].fields[n.symbol];
        if (f.aliases.empty() || !FirstMention(n.op, n.symbol)) return f.name;
        return fmt::format("{} ({})", f.name, f.aliases[0]);
      }
      case Op::kParam: {
        const Parameter& p = p_.params[n.symbol];
        if (!FirstMention(n.op, n.symbol)) return p.name;
        return fmt::format("{} ({})", p.name, ParamNote(p));
      }
      case Op::kDerived: {
        const Derived& d = p_.derived[n.symbol];
        if (!FirstMention(n.op, n.symbol)) return d.name;
        return d.name + " (defined under Derived values)";
      }
      case Op::kNeg:
        return "minus " + Operand(n.a, 10, ratio);
      case Op::kAdd:
      case Op::kSub:
      case Op::kMul:
      case Op::kDiv: {
        int prec = Precedence(n);
        bool r = n.op == Op::kAdd || n.op == Op::kSub
                     ? ratio || IsRatio(n.a) || IsRatio(n.b)
                     : false;
        const char* word = n.op == Op::kAdd   ? "plus"
                           : n.op == Op::kSub ? "minus"
                           : n.op == Op::kMul ? "times"
                                              : "divided by";
        if (n.op == Op::kAdd && n.type == Type::kText) word = "followed by";
        bool left_assoc_only = n.op == Op::kSub || n.op == Op::kDiv;
        return Cat({Operand(n.a, prec, r), " ", word, " ",
                    Operand(n.b, left_assoc_only ? prec + 1 : prec, r)});
      }
      case Op::kIf:
        return Cat({"if ", Test(n.a, false), " then ", Operand(n.b, 2, ratio),
                    ", otherwise ", Operand(n.c, 2, ratio)});
      case Op::kAt:
        return At(n, ratio);
      case Op::kRound:
        return fmt::format("{} rounded to {} decimal places, {}",
                           Operand(n.a, 10, ratio), n.symbol,
                           RoundingWords(n.mode));
      case Op::kMin:
      case Op::kMax: {
        const char* which = n.op == Op::kMin ? "smaller" : "larger";
        if (n.c == kNoNode) {
          bool r = ratio || IsRatio(n.a) || IsRatio(n.b);
          return Cat({"the ", which, " of ", Operand(n.a, 2, r), " and ",
                      Operand(n.b, 2, r)});
        }
        std::string range = Range(n);
        ++range_depth_;
        std::string body = Operand(n.c, 2, ratio);
        --range_depth_;
        return fmt::format("the {} of {} over the years {}",
                           n.op == Op::kMin ? "smallest" : "largest", body,
                           range);
      }
      case Op::kSum: {
        std::string range = Range(n);
        ++range_depth_;
        std::string body = Operand(n.c, 2, ratio);
        --range_depth_;
        return fmt::format("the total of {} over the years {}", body, range);
      }
      case Op::kCount: {
        std::string range = Range(n);
        ++range_depth_;
        std::string body = Test(n.c, false);
        --range_depth_;
        return fmt::format("the number of years {} in which {}", range, body);
      }
      default:  // conditions
        return Test(node, false);
    }
  }

  // `x@Y`: "x in the previous year", "x in 2017", "x in year Y".
  std::string At(const Node& n, bool ratio) {
    std::string value = Operand(n.a, 10, ratio);
    const Node& y = p_.nodes[n.b];
    if (y.op == Op::kYear) return value + " in " + Words(n.b, false);
    if ((y.op == Op::kSub || y.op == Op::kAdd) &&
        p_.nodes[y.a].op == Op::kYear && p_.nodes[y.b].op == Op::kLiteral &&
        p_.nodes[y.b].number.is_integer() && p_.nodes[y.b].number.sign() > 0) {
      const Decimal& k = p_.nodes[y.b].number;
      bool one = k == Decimal::FromInt(1);
      if (y.op == Op::kSub)
        return value + (one ? " in the previous year"
                            : fmt::format(" {} years earlier", k.ToString()));
      return value + (one ? " in the following year"
                          : fmt::format(" {} years later", k.ToString()));
    }
    if (y.op == Op::kLiteral) return value + " in " + Words(n.b, false);
    return fmt::format("{} in year {}", value, Operand(n.b, 10, false));
  }

  // Words for the condition `node`, or for its opposite when `negated`.
  std::string Test(int node, bool negated) {
    const Node& n = p_.nodes[node];
    switch (n.op) {
      case Op::kNot:
        return Test(n.a, !negated);
      case Op::kAnd:
      case Op::kOr: {
        int prec = Precedence(n);
        std::string s = Cat({TestOperand(n.a, prec, false),
                             n.op == Op::kAnd ? " and " : " or ",
                             TestOperand(n.b, prec + 1, false)});
        return negated ? "not (" + s + ")" : s;
      }
      case Op::kEq:
      case Op::kNe:
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe: {
        static constexpr std::pair<Op, const char*> kWords[] = {
            {Op::kEq, "is"},           {Op::kNe, "is not"},
            {Op::kLt, "is less than"}, {Op::kLe, "is at most"},
            {Op::kGt, "is more than"}, {Op::kGe, "is at least"}};
        static constexpr std::pair<Op, Op> kOpposite[] = {
            {Op::kEq, Op::kNe}, {Op::kNe, Op::kEq}, {Op::kLt, Op::kGe},
            {Op::kLe, Op::kGt}, {Op::kGt, Op::kLe}, {Op::kGe, Op::kLt}};
        Op op = n.op;
        if (negated) {
          for (auto [from, to] : kOpposite)
            if (from == n.op) op = to;
        }
        const char* word = "";
        for (auto [o, w] : kWords)
          if (o == op) word = w;
        bool ratio = IsRatio(n.a) || IsRatio(n.b);
        return Cat(
            {Operand(n.a, 6, ratio), " ", word, " ", Operand(n.b, 6, ratio)});
      }
      case Op::kPresent:
        return Operand(n.a, 10, false) +
               (negated ? " is not given" : " is given");
      case Op::kAll:
      case Op::kAny: {
        std::string range = Range(n);
        ++range_depth_;
        // not all = in some year not; not any = in no year.
        bool all = n.op == Op::kAll;
        std::string body = Test(n.c, all && negated);
        --range_depth_;
        const char* quantifier =
            !negated ? (all ? "every" : "some") : (all ? "some" : "no");
        return fmt::format("in {} year {}, {}", quantifier, range, body);
      }
      case Op::kIf:
        return Cat({"if ", Test(n.a, false), " then ",
                    TestOperand(n.b, 2, negated), ", otherwise ",
                    TestOperand(n.c, 2, negated)});
      case Op::kLiteral:
        return n.boolean != negated ? "always" : "never";
      default:  // a field, parameter, derived value or @ of one
        return Words(node, false) + (negated ? " is false" : " is true");
    }
  }

  // --- Sections ----------------------------------------------------------

  void BuildIntro() {
    const RuleSetInfo& info = p_.info;
    doc_.title = info.title.empty() ? info.id : info.title;
    doc_.Heading(1, doc_.title);
    std::vector<Line> facts;
    facts.push_back({"Rule set:", info.id});
    if (!info.version.empty()) facts.push_back({"Version:", info.version});
    if (!info.source.empty()) facts.push_back({"Source:", info.source});
    if (!info.issued.empty()) facts.push_back({"Issued:", info.issued});
    if (info.effective_from != 0 || info.effective_to != 0) {
      facts.push_back(
          {"Effective:",
           fmt::format("{} to {}", info.effective_from, info.effective_to)});
    }
    doc_.List(std::move(facts));
    doc_.Paragraph(
        "",
        "This document is generated from the rule file by eligo doc; change "
        "the rule file, not this document. Amounts are in yuan (元) and also "
        "in 万元 (1 万元 = 10,000 yuan); ratios are percentages. A name in "
        "a condition is a column of the input data (its Chinese header in "
        "brackets), a parameter (its value in brackets) or a derived value. "
        "When the data needed to decide a condition are missing, the "
        "decision is undetermined, never a silent no.");
    doc_.Heading(2, "Contents");
    std::vector<Line> contents;
    for (size_t i = 0; i < p_.rules.size(); ++i) {
      const RuleInfo& r = p_.rules[i].info;
      contents.push_back(
          {fmt::format("R{}", i + 1),
           fmt::format("{} ({}, {})", r.title, r.id, r.citation.clause)});
    }
    contents.push_back({"", "Parameters"});
    if (!p_.derived.empty()) contents.push_back({"", "Derived values"});
    doc_.List(std::move(contents));
  }

  std::string AwardCell(const Award& a) {
    if (a.kind != AwardKind::kMoney || a.amount == kNoNode)
      return AwardWords(a.kind);
    return "money";
  }

  // The amount in yuan and in 万元: numbers for a fixed amount, words (and
  // "—") for one computed from the data.
  std::pair<std::string, std::string> AmountCells(const Award& a, int kind) {
    if (a.amount == kNoNode) return {"—", "—"};
    const Node& n = p_.nodes[a.amount];
    if (n.op == Op::kLiteral) return {Yuan(n.number), Wan(n.number)};
    return {Value(a.amount, kind), "—"};
  }

  std::string PayerWords(const Award& a, int kind) {
    if (a.payer == kNoNode) return "—";
    const Node& n = p_.nodes[a.payer];
    if (n.op == Op::kLiteral) return n.text;
    return Value(a.payer, kind);
  }

  std::vector<Line> ConditionList(const std::vector<Condition>& conditions,
                                  int kind) {
    std::vector<Line> items;
    items.reserve(conditions.size());
    for (const Condition& c : conditions)
      items.push_back({"", ConditionWords(c, kind)});
    return items;
  }

  void BuildRule(size_t index) {
    const Rule& rule = p_.rules[index];
    const RuleInfo& info = rule.info;
    int kind = rule.kind;
    const std::string& kind_name = info.kind;
    doc_.Heading(2, fmt::format("R{}: {}", index + 1, info.title));

    std::vector<Line> facts;
    facts.push_back({"Rule id:", info.id});
    facts.push_back({"Clause:", info.citation.clause});
    facts.push_back(
        {"Decides:", fmt::format("each {}, year by year", kind_name)});
    std::string years;
    if (rule.years_from == kNoNode) {
      years = "every year of the data";
    } else if (rule.years_from == rule.years_to) {
      years = "only " + Value(rule.years_from, kind);
    } else {
      Begin(kind);
      years = Cat({"from ", Words(rule.years_from, false), " to ",
                   Words(rule.years_to, false)});
    }
    facts.push_back({"Years:", years});
    doc_.List(std::move(facts));
    if (!info.citation.text.empty()) doc_.Quote(info.citation.text);

    if (rule.applies.empty()) {
      doc_.Paragraph("Applies:", fmt::format("to every {}.", kind_name));
    } else {
      doc_.Paragraph(
          "Applies",
          fmt::format("when all of these hold (otherwise the rule does not "
                      "concern the {} that year):",
                      kind_name));
      doc_.List(ConditionList(rule.applies, kind));
    }

    if (!rule.tiered) {
      const Tier& only = rule.tiers.front();
      if (only.when.empty()) {
        doc_.Paragraph("Conditions:",
                       "none beyond the above: the award follows whenever "
                       "the rule applies.");
      } else {
        doc_.Paragraph("Conditions:", "all of these must hold:");
        doc_.List(ConditionList(only.when, kind));
      }
      std::string award = AwardCell(only.award);
      auto [yuan, wan] = AmountCells(only.award, kind);
      if (only.award.kind == AwardKind::kMoney) {
        const Node* n = only.award.amount == kNoNode
                            ? nullptr
                            : &p_.nodes[only.award.amount];
        award += n != nullptr && n->op == Op::kLiteral
                     ? fmt::format(", {} yuan ({} 万元)", yuan, wan)
                     : fmt::format(", {} yuan", yuan);
      }
      if (only.award.payer != kNoNode)
        award += "; payer: " + PayerWords(only.award, kind);
      doc_.Paragraph("Award:", award + ".");
      doc_.Paragraph("Frequency limit:", LimitWords(rule.limit, kind_name));
    } else {
      doc_.Paragraph("Which tier counts:", HitWords(rule.hit));
      doc_.Paragraph("Frequency limit:", LimitWords(rule.limit, kind_name));
      if (rule.staged) {
        doc_.Paragraph("Stages:",
                       "each tier is considered only in the year it is "
                       "decided in:");
        std::vector<Line> stages;
        for (const Tier& t : rule.tiers) {
          stages.push_back(
              {t.id + ":", "decided in the year " + Value(t.decided_in, kind)});
        }
        doc_.List(std::move(stages));
      }
      bool ranked =
          rule.limit == Limit::kHigherOnly || rule.limit == Limit::kTopUp;
      Table table;
      table.header = {"tier",          "conditions",    "award",
                      "amount (yuan)", "amount (万元)", "payer"};
      table.numeric = {false, false, false, true, true, false};
      for (const Tier& t : rule.tiers) {
        std::string conditions;
        for (const Condition& c : t.when) {
          if (!conditions.empty()) conditions += "\nand ";
          conditions += ConditionWords(c, kind);
        }
        if (conditions.empty()) conditions = "always";
        auto [yuan, wan] = AmountCells(t.award, kind);
        table.rows.push_back(
            {ranked ? fmt::format("{} (rank {})", t.id, t.rank) : t.id,
             conditions, AwardCell(t.award), yuan, wan,
             PayerWords(t.award, kind)});
      }
      doc_.AddTable(std::move(table));
    }

    if (!rule.notes.empty()) {
      doc_.Paragraph("Notes",
                     "attached to its decisions once the rule applies:");
      std::vector<Line> notes;
      for (const Note& note : rule.notes) {
        if (note.when.expr == kNoNode) {
          notes.push_back({"Always:", note.text});
        } else {
          notes.push_back(
              {fmt::format("When {}:", ConditionWords(note.when, kind)),
               note.text});
        }
      }
      doc_.List(std::move(notes));
    }
  }

  // "2017–2018: 10%" lines for a table of values by year.
  std::string ByYear(const Parameter& p) const {
    std::string out;
    auto it = p.by_year.begin();
    while (it != p.by_year.end()) {
      auto last = it;
      auto next = std::next(it);
      while (next != p.by_year.end() && next->first == last->first + 1 &&
             next->second == it->second) {
        last = next++;
      }
      if (!out.empty()) out += '\n';
      out += last->first == it->first
                 ? fmt::format("{}: ", it->first)
                 : fmt::format("{}–{}: ", it->first, last->first);
      out += Constant(it->second, p.type, p.is_ratio);
      it = next;
    }
    return out;
  }

  std::string ParamValue(const Parameter& p) const {
    std::string values;
    if (!p.by_year.empty()) {
      values = ByYear(p);
      if (p.scalar)
        values += "\nother years: " + Constant(*p.scalar, p.type, p.is_ratio);
    } else if (p.scalar) {
      values = Constant(*p.scalar, p.type, p.is_ratio);
    }
    if (!p.runtime) return values.empty() ? "no value" : values;
    if (values.empty()) return "supplied at run time";
    return "supplied at run time; otherwise\n" + values;
  }

  static std::string TypeWords(Type t, bool ratio) {
    if (ratio) return "ratio";
    return TypeName(t);
  }

  void BuildParameters() {
    doc_.Heading(2, "Parameters");
    doc_.Paragraph("",
                   "Named values of the policy. Values supplied at run time "
                   "come from a params file (eligo score --params).");
    if (p_.params.empty()) {
      doc_.Paragraph("", "This rule set has no parameters.");
      return;
    }
    Table table;
    table.header = {"parameter", "type",        "value",
                    "clause",    "clause text", "description"};
    table.numeric = {false, false, false, false, false, false};
    for (const Parameter& p : p_.params) {
      table.rows.push_back({p.name, TypeWords(p.type, p.is_ratio),
                            ParamValue(p), p.citation.clause, p.citation.text,
                            p.description});
    }
    doc_.AddTable(std::move(table));
  }

  void BuildDerived() {
    if (p_.derived.empty()) return;
    doc_.Heading(2, "Derived values");
    doc_.Paragraph("",
                   "Values computed from an entity's data in the year being "
                   "decided, used by name in the rules above.");
    Table table;
    table.header = {"derived value", "for", "type", "description",
                    "definition"};
    table.numeric = {false, false, false, false, false};
    for (const Derived& d : p_.derived) {
      Type type = d.declared != Type::kError ? d.declared
                  : d.expr != kNoNode        ? p_.nodes[d.expr].type
                                             : Type::kError;
      table.rows.push_back({d.name, d.kind_name, TypeWords(type, d.is_ratio),
                            d.description,
                            d.expr == kNoNode ? "" : Value(d.expr, d.kind)});
    }
    doc_.AddTable(std::move(table));
  }

  const Program& p_;
  Document doc_;
  int kind_ = -1;        // entity kind of the expression being described
  int range_depth_ = 0;  // > 0 inside the body of all/any/count/sum/min/max
  std::set<std::pair<int, int>> seen_;  // (op, symbol) already described
};

// --- Markdown ------------------------------------------------------------

// Text in Markdown: characters that would start markup are escaped; in a
// table cell `|` is escaped and a line break is <br>, elsewhere a space.
std::string Md(std::string_view text, bool cell = false) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '<':
      case '>':
      case '[':
      case ']':
        out += '\\';
        out += c;
        break;
      case '|':
        out += cell ? "\\|" : "|";
        break;
      case '\r':
        break;
      case '\n':
        out += cell ? "<br>" : " ";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string MdLine(const Line& line) {
  if (line.label.empty()) return Md(line.text);
  if (line.text.empty()) return "**" + Md(line.label) + "**";
  return "**" + Md(line.label) + "** " + Md(line.text);
}

std::string RenderMarkdown(const Document& doc) {
  std::string out;
  for (const Block& b : doc.blocks) {
    if (!out.empty()) out += '\n';
    switch (b.kind) {
      case Block::Kind::kHeading:
        out += std::string(static_cast<size_t>(b.level), '#') + " " +
               Md(b.line.text) + "\n";
        break;
      case Block::Kind::kParagraph:
        out += MdLine(b.line) + "\n";
        break;
      case Block::Kind::kQuote:
        out += "> " + Md(b.line.text) + "\n";
        break;
      case Block::Kind::kList:
        for (const Line& item : b.items) out += "- " + MdLine(item) + "\n";
        break;
      case Block::Kind::kTable: {
        const Table& t = b.table;
        auto row = [&](const std::vector<std::string>& cells) {
          out += "|";
          for (const std::string& c : cells) out += " " + Md(c, true) + " |";
          out += "\n";
        };
        row(t.header);
        out += "|";
        for (size_t i = 0; i < t.header.size(); ++i)
          out += t.numeric[i] ? " ---: |" : " --- |";
        out += "\n";
        for (const auto& r : t.rows) row(r);
        break;
      }
    }
  }
  return out;
}

// --- HTML ----------------------------------------------------------------

std::string Html(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\r':
        break;
      case '\n':
        out += "<br>";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HtmlLine(const Line& line) {
  if (line.label.empty()) return Html(line.text);
  if (line.text.empty()) return "<strong>" + Html(line.label) + "</strong>";
  return "<strong>" + Html(line.label) + "</strong> " + Html(line.text);
}

constexpr std::string_view kStyle = R"(
body {
  font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC",
    "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
  line-height: 1.55;
  color: #1d2329;
  background: #fff;
  max-width: 64rem;
  margin: 0 auto;
  padding: 1.5rem 1.25rem 4rem;
}
h1 { font-size: 1.7rem; line-height: 1.3; margin: 0.5rem 0 1rem; }
h2 {
  font-size: 1.3rem;
  margin: 2.5rem 0 0.75rem;
  padding-bottom: 0.3rem;
  border-bottom: 2px solid #d5dbe1;
}
h3 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
p, ul { margin: 0.5rem 0; }
ul { padding-left: 1.5rem; }
li { margin: 0.2rem 0; }
blockquote {
  margin: 0.75rem 0;
  padding: 0.6rem 1rem;
  border-left: 4px solid #8aa4c0;
  background: #f3f6f9;
}
.table { overflow-x: auto; margin: 0.75rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td {
  border: 1px solid #c9d1d9;
  padding: 0.35rem 0.55rem;
  text-align: left;
  vertical-align: top;
}
th { background: #eef2f6; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
tbody tr:nth-child(even) { background: #fafbfc; }
@media print {
  body { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
}
)";

std::string RenderHtml(const Document& doc) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n";
  out += "<title>" + Html(doc.title) + "</title>\n";
  out += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  for (const Block& b : doc.blocks) {
    switch (b.kind) {
      case Block::Kind::kHeading:
        out += fmt::format("<h{0}>{1}</h{0}>\n", b.level, Html(b.line.text));
        break;
      case Block::Kind::kParagraph:
        out += "<p>" + HtmlLine(b.line) + "</p>\n";
        break;
      case Block::Kind::kQuote:
        out += "<blockquote lang=\"zh-CN\">" + Html(b.line.text) +
               "</blockquote>\n";
        break;
      case Block::Kind::kList:
        out += "<ul>\n";
        for (const Line& item : b.items)
          out += "<li>" + HtmlLine(item) + "</li>\n";
        out += "</ul>\n";
        break;
      case Block::Kind::kTable: {
        const Table& t = b.table;
        auto row = [&](const std::vector<std::string>& cells, const char* tag) {
          out += "<tr>";
          for (size_t i = 0; i < cells.size(); ++i) {
            out += fmt::format("<{}{}>{}</{}>", tag,
                               t.numeric[i] ? " class=\"num\"" : "",
                               Html(cells[i]), tag);
          }
          out += "</tr>\n";
        };
        out += "<div class=\"table\"><table>\n<thead>\n";
        row(t.header, "th");
        out += "</thead>\n<tbody>\n";
        for (const auto& r : t.rows) row(r, "td");
        out += "</tbody>\n</table></div>\n";
        break;
      }
    }
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace

std::string DescribeRuleSet(const RuleSet& rules, DocFormat format) {
  Document doc = Describer(rules.program()).Build();
  return format == DocFormat::kHtml ? RenderHtml(doc) : RenderMarkdown(doc);
}

}  // namespace eligo
