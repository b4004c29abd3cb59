// The rule-file loader. This file's external interface is LoadRuleFile: it
// turns YAML into Program structures and parses every expression, without
// resolving names (that is the checker's job). Each Load* function applies
// the keys present in a node onto an existing structure, which is also how
// a variant file patches the file it extends.
#include "load/rule_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include "load/expr_parser.h"
#include "load/limits.h"
#include "load/yaml_reader.h"

namespace eligo {
namespace {

constexpr size_t kMaxRuleFileBytes = limits::kMaxRuleFileBytes;

// A condition as shown to people: one line, single spaces.
std::string CollapseSpaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}
constexpr int kMaxExtendsDepth = limits::kMaxExtendsDepth;

class RuleFileLoader {
 public:
  RuleFileLoader(YamlReader& yaml, Program& program)
      : yaml_(yaml), program_(program) {}

  // `extends` has been handled by the caller.
  void LoadDocument(const YAML::Node& root) {
    yaml_.CheckMap(root, "the rule file",
                   {"eligo", "extends", "ruleset", "entities", "parameters",
                    "derived", "rules"});
    if (const YAML::Node version = root["eligo"]) {
      if (!version.IsScalar() || version.Scalar() != "1") {
        sink().Error(yaml_.MarkOf(version),
                     "this eligo reads rule language version 1 (`eligo: 1`)");
      }
    } else {
      sink().Error(yaml_.MarkOf(root),
                   "a rule file starts with `eligo: 1`, the language version");
    }
    if (root["ruleset"]) LoadInfo(root["ruleset"]);
    if (root["entities"]) LoadEntities(root["entities"]);
    if (root["parameters"]) LoadParameters(root["parameters"]);
    if (root["derived"]) LoadDerived(root["derived"]);
    if (root["rules"] && yaml_.IsList(root["rules"], "`rules`") &&
        WithinLimit(root["rules"], limits::kMaxRules, "rules")) {
      for (const YAML::Node& rule : root["rules"]) LoadRule(rule);
    }
  }

 private:
  DiagnosticSink& sink() { return yaml_.sink(); }

  // False (reported) when `node`, a map or a list, has more than `limit`
  // entries: the rest of the file is still checked, this part is not read.
  bool WithinLimit(const YAML::Node& node, size_t limit,
                   std::string_view what) {
    if (!(node.IsMap() || node.IsSequence()) || node.size() <= limit)
      return true;
    sink().Error(yaml_.MarkOf(node), fmt::format("{} {}; the limit is {}",
                                                 node.size(), what, limit));
    return false;
  }

  void LoadInfo(const YAML::Node& node) {
    if (!yaml_.CheckMap(node, "`ruleset`",
                        {"id", "title", "source", "issued", "effective",
                         "version", "lang"})) {
      return;
    }
    RuleSetInfo& info = program_.info;
    SetText(node, "lang", &info.lang);
    if (!info.lang.empty() && info.lang != "zh" && info.lang != "en") {
      sink().Error(yaml_.MarkOf(node["lang"]),
                   fmt::format("`lang` is `zh` or `en`, not `{}`", info.lang));
    }
    SetText(node, "id", &info.id);
    SetText(node, "title", &info.title);
    SetText(node, "source", &info.source);
    SetText(node, "issued", &info.issued);
    SetText(node, "version", &info.version);
    if (const YAML::Node eff = node["effective"]) {
      if (yaml_.CheckMap(eff, "`effective`", {"from", "to"})) {
        if (eff["from"])
          info.effective_from =
              yaml_.Integer(eff["from"], "`from`").value_or(0);
        if (eff["to"])
          info.effective_to = yaml_.Integer(eff["to"], "`to`").value_or(0);
      }
    }
  }

  void LoadEntities(const YAML::Node& node) {
    if (!node.IsMap()) {
      sink().Error(yaml_.MarkOf(node),
                   "`entities` must map entity kinds to their schemas");
      return;
    }
    if (!WithinLimit(node, limits::kMaxEntityKinds, "entity kinds")) return;
    yaml_.CheckUniqueKeys(node);
    for (const auto& kv : node) {
      std::string kind = kv.first.Scalar();
      int index = program_.FindEntity(kind);
      if (index < 0) {
        program_.entities.emplace_back();
        program_.entities.back().kind = kind;
        program_.entity_marks.push_back(yaml_.MarkOf(kv.first));
        program_.field_marks.emplace_back();
        index = static_cast<int>(program_.entities.size()) - 1;
      }
      LoadEntity(kv.second, index);
    }
  }

  void LoadEntity(const YAML::Node& node, int index) {
    EntitySchema& e = program_.entities[index];
    if (!yaml_.CheckMap(
            node, fmt::format("entity `{}`", e.kind),
            {"title", "key", "period", "name", "county", "fields"})) {
      return;
    }
    SetText(node, "title", &e.title);
    SetText(node, "key", &e.key);
    SetText(node, "period", &e.period);
    SetText(node, "name", &e.name_field);
    SetText(node, "county", &e.county_field);
    const YAML::Node fields = node["fields"];
    if (!fields) return;
    if (!fields.IsMap()) {
      sink().Error(yaml_.MarkOf(fields),
                   "`fields` must map field names to their declarations");
      return;
    }
    if (!WithinLimit(fields, limits::kMaxFields, "fields")) return;
    yaml_.CheckUniqueKeys(fields);
    for (const auto& kv : fields) {
      std::string name = kv.first.Scalar();
      auto& marks = program_.field_marks[index];
      int f = 0;
      while (f < static_cast<int>(e.fields.size()) && e.fields[f].name != name)
        ++f;
      if (f == static_cast<int>(e.fields.size())) {
        e.fields.emplace_back();
        e.fields.back().name = name;
        marks.push_back(yaml_.MarkOf(kv.first));
      }
      LoadField(kv.second, program_.entities[index].fields[f]);
    }
  }

  void LoadField(const YAML::Node& node, FieldSchema& field) {
    if (!yaml_.CheckMap(node, fmt::format("field `{}`", field.name),
                        {"type", "unit", "alias", "required", "optional",
                         "empty", "min", "max", "typical", "description"})) {
      return;
    }
    if (const YAML::Node t = node["type"]) {
      static constexpr std::pair<std::string_view, FieldType> kTypes[] = {
          {"text", FieldType::kText},
          {"boolean", FieldType::kBoolean},
          {"integer", FieldType::kInteger},
          {"year", FieldType::kYear},
          {"money", FieldType::kMoney},
          {"ratio", FieldType::kRatio},
          {"decimal", FieldType::kRatio},
          {"credit_code", FieldType::kCreditCode}};
      std::string word = t.Scalar();
      bool found = false;
      for (const auto& [name, type] : kTypes) {
        if (word == name) field.type = type, found = true;
      }
      if (!found) {
        sink().Error(
            yaml_.MarkOf(t),
            fmt::format(
                "unknown field type `{}` (types: text, boolean, integer, "
                "year, money, ratio, decimal, credit_code)",
                word));
      }
    }
    if (const YAML::Node u = node["unit"]) {
      bool is_money = false;
      std::string error;
      std::optional<Decimal> scale =
          ParseQuantity("1" + u.Scalar(), &is_money, &error);
      if (!scale || !is_money) {
        sink().Error(
            yaml_.MarkOf(u),
            fmt::format("unknown unit `{}` (units: 元, 万元, 亿元, yuan)",
                        u.Scalar()));
      } else {
        field.unit_scale = *scale;
      }
    }
    if (const YAML::Node a = node["alias"]) {
      field.aliases.clear();
      if (a.IsScalar()) {
        field.aliases.push_back(a.Scalar());
      } else if (yaml_.IsList(a, "`alias`") &&
                 WithinLimit(a, limits::kMaxAliases, "aliases")) {
        for (const YAML::Node& x : a) {
          if (auto s = yaml_.Scalar(x, "an alias")) field.aliases.push_back(*s);
        }
      }
    }
    if (const YAML::Node r = node["required"])
      field.required = Bool(r, "`required`");
    if (const YAML::Node o = node["optional"])
      field.optional = Bool(o, "`optional`");
    if (const YAML::Node em = node["empty"]) {
      const std::string& word = em.Scalar();
      if (word == "missing") {
        field.empty = EmptyMeaning::kMissing;
      } else if (word == "none") {
        field.empty = EmptyMeaning::kNone;
      } else {
        field.empty = EmptyMeaning::kDefault;
        field.default_text = word;
      }
    }
    LoadBounds(node, field.min, field.max);
    if (const YAML::Node t = node["typical"]) {
      if (field.type != FieldType::kMoney) {
        sink().Error(yaml_.MarkOf(t), "`typical` is for money fields");
      } else if (yaml_.CheckMap(t, "`typical`", {"min", "max"})) {
        LoadBounds(t, field.typical_min, field.typical_max);
      }
    }
  }

  // `min` and `max` of `node`, quantities such as 100万元 or 15%.
  void LoadBounds(const YAML::Node& node, std::optional<Decimal>& min,
                  std::optional<Decimal>& max) {
    for (const char* key : {"min", "max"}) {
      if (const YAML::Node m = node[key]) {
        bool is_money = false;
        std::string error;
        std::optional<Decimal> v = ParseQuantity(m.Scalar(), &is_money, &error);
        if (!v) {
          sink().Error(yaml_.MarkOf(m), error);
        } else {
          (std::string_view(key) == "min" ? min : max) = v;
        }
      }
    }
  }

  void LoadParameters(const YAML::Node& node) {
    if (!node.IsMap()) {
      sink().Error(
          yaml_.MarkOf(node),
          "`parameters` must map parameter names to their declarations");
      return;
    }
    if (!WithinLimit(node, limits::kMaxParameters, "parameters")) return;
    yaml_.CheckUniqueKeys(node);
    for (const auto& kv : node) {
      std::string name = kv.first.Scalar();
      int index = program_.FindParam(name);
      if (index < 0) {
        program_.params.emplace_back();
        program_.params.back().name = name;
        program_.params.back().mark = yaml_.MarkOf(kv.first);
        index = static_cast<int>(program_.params.size()) - 1;
      }
      LoadParameter(kv.second, program_.params[index]);
    }
  }

  void LoadParameter(const YAML::Node& node, Parameter& p) {
    if (!yaml_.CheckMap(node, fmt::format("parameter `{}`", p.name),
                        {"type", "citation", "description", "value", "by_year",
                         "runtime"})) {
      return;
    }
    if (const YAML::Node t = node["type"]) {
      static constexpr std::pair<std::string_view, Type> kTypes[] = {
          {"money", Type::kMoney},
          {"ratio", Type::kNumber},
          {"decimal", Type::kNumber},
          {"integer", Type::kNumber},
          {"year", Type::kYear}};
      bool found = false;
      for (const auto& [word, type] : kTypes) {
        if (t.Scalar() == word) p.type = type, found = true;
      }
      p.is_ratio = t.Scalar() == "ratio";
      if (!found) {
        sink().Error(
            yaml_.MarkOf(t),
            fmt::format("unknown parameter type `{}` (types: money, ratio, "
                        "decimal, integer, year)",
                        t.Scalar()));
      }
    }
    if (const YAML::Node c = node["citation"]) LoadCitation(c, p.citation);
    SetText(node, "description", &p.description);
    if (const YAML::Node r = node["runtime"]) p.runtime = Bool(r, "`runtime`");
    p.has_value = p.has_value || node["value"] || node["by_year"];
    if (const YAML::Node v = node["value"]) {
      p.scalar = Quantity(v, p.type);  // for years by_year does not give
    }
    if (const YAML::Node by = node["by_year"]) {
      p.by_year.clear();
      if (!by.IsMap()) {
        sink().Error(
            yaml_.MarkOf(by),
            "`by_year` must map years (or ranges like 2017..2019) to values");
        return;
      }
      yaml_.CheckUniqueKeys(by);
      size_t years = 0;  // given, counting each range in full
      for (const auto& kv : by) {
        std::optional<std::pair<int, int>> range = YearRange(kv.first);
        std::optional<Decimal> value = Quantity(kv.second, p.type);
        if (!range || !value) continue;
        years += static_cast<size_t>(range->second - range->first + 1);
        if (years > limits::kMaxByYearYears) {
          sink().Error(yaml_.MarkOf(kv.first),
                       fmt::format("`by_year` of `{}` gives more than {} "
                                   "years; the limit is {}",
                                   p.name, limits::kMaxByYearYears,
                                   limits::kMaxByYearYears));
          break;
        }
        for (int y = range->first; y <= range->second; ++y)
          p.by_year[y] = *value;
      }
    }
  }

  void LoadDerived(const YAML::Node& node) {
    if (!node.IsMap()) {
      sink().Error(yaml_.MarkOf(node),
                   "`derived` must map names to their definitions");
      return;
    }
    if (!WithinLimit(node, limits::kMaxDerived, "derived values")) return;
    yaml_.CheckUniqueKeys(node);
    for (const auto& kv : node) {
      std::string name = kv.first.Scalar();
      int index = program_.FindDerived(name);
      if (index < 0) {
        program_.derived.emplace_back();
        program_.derived.back().name = name;
        program_.derived.back().mark = yaml_.MarkOf(kv.first);
        index = static_cast<int>(program_.derived.size()) - 1;
      }
      Derived& d = program_.derived[index];
      const YAML::Node def = kv.second;
      if (!yaml_.CheckMap(def, fmt::format("derived value `{}`", name),
                          {"entity", "type", "expr", "description"})) {
        continue;
      }
      SetText(def, "entity", &d.kind_name);
      SetText(def, "description", &d.description);
      if (const YAML::Node t = def["type"]) {
        d.declared = ValueType(t);
        d.is_ratio = t.Scalar() == "ratio";
      }
      if (const YAML::Node e = def["expr"]) d.expr = Expression(e);
    }
  }

  void LoadRule(const YAML::Node& node) {
    if (!yaml_.CheckMap(
            node, "a rule",
            {"id", "title", "citation", "entity", "years", "applies", "hit",
             "limit", "tiers", "when", "award", "notes", "complete"})) {
      return;
    }
    std::string id;
    if (!node["id"] ||
        !(id = yaml_.Scalar(node["id"], "`id`").value_or("")).size()) {
      sink().Error(yaml_.MarkOf(node), "a rule needs an `id`");
      return;
    }
    Rule* rule = nullptr;
    for (Rule& r : program_.rules) {
      if (r.info.id == id) rule = &r;
    }
    if (rule == nullptr || patched_.count(id) > 0) {
      if (rule != nullptr) {
        sink().Error(yaml_.MarkOf(node["id"]),
                     fmt::format("duplicate rule id `{}`", id));
        return;
      }
      program_.rules.emplace_back();
      rule = &program_.rules.back();
      rule->info.id = id;
      rule->mark = yaml_.MarkOf(node);
    }
    patched_.insert(id);
    for (const auto& kv : node)
      rule->key_marks[kv.first.Scalar()] = yaml_.MarkOf(kv.first);
    SetText(node, "title", &rule->info.title);
    SetText(node, "entity", &rule->info.kind);
    if (const YAML::Node c = node["citation"])
      LoadCitation(c, rule->info.citation);
    if (const YAML::Node y = node["years"]) LoadYears(y, *rule);
    if (const YAML::Node a = node["applies"]) rule->applies = Conditions(a);
    if (const YAML::Node h = node["hit"]) {
      static constexpr std::pair<std::string_view, HitPolicy> kHits[] = {
          {"first", HitPolicy::kFirst},
          {"unique", HitPolicy::kUnique},
          {"collect", HitPolicy::kCollect}};
      Choose(h, kHits, "hit policy", &rule->hit);
    }
    if (const YAML::Node l = node["limit"]) {
      static constexpr std::pair<std::string_view, Limit> kLimits[] = {
          {"none", Limit::kNone},
          {"once", Limit::kOnce},
          {"once-per-tier", Limit::kOncePerTier},
          {"higher-only", Limit::kHigherOnly},
          {"top-up", Limit::kTopUp}};
      Choose(l, kLimits, "limit", &rule->limit);
    }
    if (const YAML::Node t = node["tiers"]) {
      rule->tiers.clear();
      rule->tiered = true;
      if (yaml_.IsList(t, "`tiers`") &&
          WithinLimit(t, limits::kMaxTiers, "tiers")) {
        for (const YAML::Node& tier : t) rule->tiers.push_back(LoadTier(tier));
        // Tiers are listed highest first unless ranks say otherwise.
        int n = static_cast<int>(rule->tiers.size());
        for (int i = 0; i < n; ++i) {
          if (rule->tiers[i].rank == 0) rule->tiers[i].rank = n - i;
        }
      }
    }
    if (node["when"] || node["award"]) {
      if (node["tiers"]) {
        sink().Error(yaml_.MarkOf(node["when"] ? node["when"] : node["award"]),
                     "a rule has either `tiers` or its own `when` and `award`, "
                     "not both");
      } else {
        if (rule->tiered) rule->tiers.clear();
        rule->tiered = false;
        if (rule->tiers.empty()) rule->tiers.emplace_back();
        Tier& only = rule->tiers[0];
        only.id.clear();
        only.rank = 1;
        only.mark = yaml_.MarkOf(node);
        if (node["when"]) only.when = Conditions(node["when"]);
        if (node["award"]) only.award = LoadAward(node["award"]);
      }
    }
    if (const YAML::Node c = node["complete"])
      rule->complete = Bool(c, "`complete`");
    if (const YAML::Node n = node["notes"]) {
      rule->notes.clear();
      if (yaml_.IsList(n, "`notes`") &&
          WithinLimit(n, limits::kMaxNotes, "notes")) {
        for (const YAML::Node& note : n) {
          if (!yaml_.CheckMap(note, "a note", {"when", "text"})) continue;
          Note out;
          if (note["when"]) out.when = LoadCondition(note["when"]);
          SetText(note, "text", &out.text);
          if (out.text.empty())
            sink().Error(yaml_.MarkOf(note), "a note needs a `text`");
          rule->notes.push_back(std::move(out));
        }
      }
    }
  }

  Tier LoadTier(const YAML::Node& node) {
    Tier tier;
    tier.mark = yaml_.MarkOf(node);
    if (!yaml_.CheckMap(node, "a tier",
                        {"id", "title", "rank", "decided_in", "when", "award"}))
      return tier;
    SetText(node, "id", &tier.id);
    SetText(node, "title", &tier.title);
    if (tier.id.empty()) sink().Error(tier.mark, "a tier needs an `id`");
    if (node["rank"])
      tier.rank = yaml_.Integer(node["rank"], "`rank`").value_or(0);
    if (node["decided_in"]) tier.decided_in = Expression(node["decided_in"]);
    if (node["when"]) tier.when = Conditions(node["when"]);
    if (node["award"]) {
      tier.award = LoadAward(node["award"]);
    } else {
      sink().Error(tier.mark,
                   fmt::format("tier `{}` needs an `award`", tier.id));
    }
    return tier;
  }

  Award LoadAward(const YAML::Node& node) {
    Award award;
    award.mark = yaml_.MarkOf(node);
    if (!yaml_.CheckMap(node, "an award", {"kind", "amount", "payer"}))
      return award;
    static constexpr std::pair<std::string_view, AwardKind> kKinds[] = {
        {"money", AwardKind::kMoney},
        {"commendation", AwardKind::kCommendation},
        {"referral", AwardKind::kReferral},
        {"designation", AwardKind::kDesignation}};
    if (node["kind"]) {
      Choose(node["kind"], kKinds, "award kind", &award.kind);
    } else {
      sink().Error(award.mark,
                   "an award needs a `kind` (money, commendation, referral, "
                   "designation)");
    }
    if (node["amount"]) award.amount = Expression(node["amount"]);
    if (const YAML::Node p = node["payer"]) {
      if (p.IsMap()) {
        if (yaml_.CheckMap(p, "`payer`", {"expr"}) && p["expr"])
          award.payer = Expression(p["expr"]);
      } else if (auto text = yaml_.Scalar(p, "`payer`")) {
        Node literal;
        literal.op = Op::kLiteral;
        literal.type = Type::kText;
        literal.text = *text;
        program_.sources.push_back(*text);
        literal.source = program_.sources.back();
        literal.mark = yaml_.MarkOf(p);
        award.payer = program_.AddNode(std::move(literal));
      }
    }
    return award;
  }

  void LoadYears(const YAML::Node& node, Rule& rule) {
    std::optional<std::string> text = yaml_.Scalar(node, "`years`");
    if (!text) return;
    std::vector<Mark> marks = yaml_.MarksOf(node);
    std::string_view all(*text);
    size_t dots = all.find("..");
    if (dots == std::string::npos) {
      rule.years_from = rule.years_to =
          ParseExpression(all, marks, program_, sink());
      return;
    }
    std::span<const Mark> spans(marks);
    rule.years_from = ParseExpression(all.substr(0, dots),
                                      spans.first(dots + 1), program_, sink());
    rule.years_to = ParseExpression(all.substr(dots + 2),
                                    spans.subspan(dots + 2), program_, sink());
  }

  std::vector<Condition> Conditions(const YAML::Node& node) {
    std::vector<Condition> out;
    if (!WithinLimit(node, limits::kMaxConditions, "conditions")) return out;
    if (node.IsSequence()) {
      for (const YAML::Node& item : node) out.push_back(LoadCondition(item));
    } else {
      out.push_back(LoadCondition(node));
    }
    return out;
  }

  Condition LoadCondition(const YAML::Node& node) {
    Condition c;
    c.mark = yaml_.MarkOf(node);
    // Assigning one YAML::Node to another rebinds the first: pick the node
    // once instead, and read a missing key through a const node.
    const YAML::Node& map = node;
    const YAML::Node expr = node.IsMap() ? map["expr"] : node;
    if (node.IsMap()) {
      if (!yaml_.CheckMap(node, "a condition", {"expr", "clause"})) return c;
      SetText(node, "clause", &c.clause);
      if (!expr) {
        sink().Error(c.mark, "a condition needs an `expr`");
        return c;
      }
    }
    if (auto text = yaml_.Scalar(expr, "a condition")) {
      c.source = CollapseSpaces(*text);
      std::vector<Mark> marks = yaml_.MarksOf(expr);
      c.mark = marks[0];
      c.expr = ParseExpression(*text, marks, program_, sink());
    }
    return c;
  }

  int Expression(const YAML::Node& node) {
    std::optional<std::string> text = yaml_.Scalar(node, "an expression");
    if (!text) return kNoNode;
    return ParseExpression(*text, yaml_.MarksOf(node), program_, sink());
  }

  std::optional<Decimal> Quantity(const YAML::Node& node, Type type) {
    std::optional<std::string> text = yaml_.Scalar(node, "a parameter value");
    if (!text) return std::nullopt;
    bool is_money = false;
    std::string error;
    std::optional<Decimal> v = ParseQuantity(*text, &is_money, &error);
    if (!v) {
      sink().Error(yaml_.MarkOf(node), error);
    } else if (is_money != (type == Type::kMoney)) {
      sink().Error(
          yaml_.MarkOf(node),
          type == Type::kMoney
              ? fmt::format("money needs a unit: write `{}元` or use 万元/亿元",
                            *text)
              : fmt::format("`{}` is money but the parameter is a {}", *text,
                            TypeName(type)));
      return std::nullopt;
    }
    return v;
  }

  std::optional<std::pair<int, int>> YearRange(const YAML::Node& node) {
    std::string text = node.Scalar();
    size_t dots = text.find("..");
    auto year = [&](std::string_view s) -> std::optional<int> {
      int y = 0;
      for (char c : s) {
        if (c < '0' || c > '9' || y > limits::kMaxYear) return std::nullopt;
        y = y * 10 + (c - '0');
      }
      if (s.empty() || y > limits::kMaxYear) return std::nullopt;
      return y;
    };
    std::optional<int> from = year(text.substr(0, dots));
    std::optional<int> to =
        dots == std::string::npos ? from : year(text.substr(dots + 2));
    if (!from || !to || *from > *to || *to - *from >= limits::kMaxYearSpan) {
      sink().Error(
          yaml_.MarkOf(node),
          fmt::format("`{}` is not a year or a range of years like 2017..2019",
                      text));
      return std::nullopt;
    }
    return std::make_pair(*from, *to);
  }

  Type ValueType(const YAML::Node& node) {
    static constexpr std::pair<std::string_view, Type> kTypes[] = {
        {"boolean", Type::kBool},   {"money", Type::kMoney},
        {"ratio", Type::kNumber},   {"decimal", Type::kNumber},
        {"integer", Type::kNumber}, {"year", Type::kYear},
        {"text", Type::kText}};
    Type out = Type::kError;
    if (!Choose(node, kTypes, "type", &out)) return Type::kError;
    return out;
  }

  template <typename T, size_t N>
  bool Choose(const YAML::Node& node,
              const std::pair<std::string_view, T> (&choices)[N],
              std::string_view what, T* out) {
    std::string word = node.IsScalar() ? node.Scalar() : "";
    for (const auto& [name, value] : choices) {
      if (word == name) {
        *out = value;
        return true;
      }
    }
    std::vector<std::string_view> names;
    for (const auto& choice : choices) names.push_back(choice.first);
    sink().Error(yaml_.MarkOf(node),
                 fmt::format("unknown {} `{}` (expected one of: {})", what,
                             word, fmt::join(names, ", ")));
    return false;
  }

  void LoadCitation(const YAML::Node& node, Citation& citation) {
    if (node.IsScalar()) {
      citation.clause = node.Scalar();
      citation.text.clear();
      return;
    }
    if (!yaml_.CheckMap(node, "`citation`", {"clause", "text"})) return;
    SetText(node, "clause", &citation.clause);
    SetText(node, "text", &citation.text);
  }

  bool Bool(const YAML::Node& node, std::string_view what) {
    std::string s = node.IsScalar() ? node.Scalar() : "";
    if (s == "true" || s == "yes") return true;
    if (s != "false" && s != "no") {
      sink().Error(yaml_.MarkOf(node),
                   fmt::format("{} must be true or false", what));
    }
    return false;
  }

  void SetText(const YAML::Node& map, const char* key, std::string* out) {
    if (const YAML::Node v = map[key]) {
      if (auto s = yaml_.Scalar(v, fmt::format("`{}`", key)))
        *out = std::move(*s);
    }
  }

  YamlReader& yaml_;
  Program& program_;
  std::set<std::string> patched_;  // rule ids given in this file
};

// Why the base file `full` (named by `extends`) may not be read, or "": a
// rule file reads only regular files of its own directory, so a symbolic
// link (which could lead anywhere) is refused even when it stays inside.
std::string RefuseBase(const std::string& full, const std::string& base_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::file_status status = fs::symlink_status(full, ec);
  if (ec || !fs::exists(status)) return "";  // reading it will say why
  if (fs::is_symlink(status))
    return "is a symbolic link; a rule file extends only a regular file in "
           "its own directory";
  if (!fs::is_regular_file(status)) return "is not a regular file";
  fs::path real = fs::canonical(full, ec);
  std::error_code dir_ec;
  fs::path dir = fs::canonical(base_dir, dir_ec);
  if (ec || dir_ec || real.parent_path() != dir)
    return "resolves outside the rule file's directory";
  return "";
}

// The counts of a rule set with the files it extends: each file is within
// the limits, and so must be their sum.
void CheckTotals(const Program& program, const Mark& at, DiagnosticSink& sink) {
  auto check = [&](size_t count, size_t limit, std::string_view what) {
    if (count > limit) {
      sink.Error(at, fmt::format("with the files it extends, the rule set has "
                                 "{} {}; the limit is {}",
                                 count, what, limit));
    }
  };
  check(program.rules.size(), limits::kMaxRules, "rules");
  check(program.params.size(), limits::kMaxParameters, "parameters");
  check(program.derived.size(), limits::kMaxDerived, "derived values");
  check(program.entities.size(), limits::kMaxEntityKinds, "entity kinds");
  for (const EntitySchema& e : program.entities)
    check(e.fields.size(), limits::kMaxFields, "fields in one entity kind");
}

bool LoadWithBase(std::string_view text, const std::string& name,
                  const std::string& base_dir, Program& program,
                  DiagnosticSink& sink, int depth) {
  int file = sink.AddFile(name, std::string(text));
  program.files.push_back(name);
  YamlReader yaml(file, text, sink);
  std::optional<YAML::Node> parsed_root = yaml.Parse();
  if (!parsed_root) return false;
  const YAML::Node& root = *parsed_root;
  if (!root.IsMap()) {
    sink.Error(yaml.MarkOf(root),
               "a rule file must be a map with keys such as `ruleset`, "
               "`entities` and `rules`");
    return false;
  }
  bool parsed = true;
  if (const YAML::Node ext = root["extends"]) {
    std::string target = ext.IsScalar() ? ext.Scalar() : "";
    namespace fs = std::filesystem;
    fs::path path = fs::path(target);
    // A variant may only extend a file in its own directory: rule files
    // never read anything else.
    if (base_dir.empty() || target.empty() || path.has_parent_path() ||
        path.is_absolute()) {
      sink.Error(
          yaml.MarkOf(ext),
          fmt::format(
              "`extends: {}` must name a rule file in the same directory",
              target));
    } else if (depth >= kMaxExtendsDepth) {
      sink.Error(yaml.MarkOf(ext),
                 fmt::format("`extends` goes deeper than {} files (a cycle?)",
                             kMaxExtendsDepth));
    } else {
      std::string full = (fs::path(base_dir) / path).string();
      if (std::string refused = RefuseBase(full, base_dir); !refused.empty()) {
        sink.Error(yaml.MarkOf(ext),
                   fmt::format("`extends: {}` {}", target, refused));
      } else {
        Result<std::string> base = ReadFile(full, kMaxRuleFileBytes);
        if (!base.ok()) {
          sink.Error(yaml.MarkOf(ext), base.error());
        } else {
          parsed =
              LoadWithBase(*base, full, base_dir, program, sink, depth + 1);
        }
      }
    }
  }
  RuleFileLoader(yaml, program).LoadDocument(root);
  if (depth == 0) CheckTotals(program, yaml.MarkOf(root), sink);
  return parsed;
}

}  // namespace

Result<std::string> ReadAll(int fd, const std::string& path, size_t max_bytes) {
  // Read no more than the limit even if the file grows meanwhile, or never
  // ends (/dev/zero), or is bigger than its size says (under /proc).
  std::string text;
  std::string buffer(size_t{1} << 16, '\0');
  while (true) {
    ssize_t n = read(fd, buffer.data(), buffer.size());
    if (n == 0) return text;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return Status::Error(
          fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    }
    text.append(buffer, 0, static_cast<size_t>(n));
    if (text.size() > max_bytes) {
      return Status::Error(fmt::format("{} is over {} bytes; the limit is {}",
                                       path, max_bytes, max_bytes));
    }
  }
}

Result<std::string> ReadFile(const std::string& path, size_t max_bytes) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::Error(
        fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  }
  struct stat st;
  Result<std::string> text =
      fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
              static_cast<size_t>(st.st_size) > max_bytes
          ? Status::Error(fmt::format("{} is {} bytes; the limit is {}", path,
                                      st.st_size, max_bytes))
          : ReadAll(fd, path, max_bytes);
  close(fd);
  return text;
}

bool LoadRuleFile(std::string_view text, const std::string& name,
                  const std::string& base_dir, Program& program,
                  DiagnosticSink& sink) {
  if (text.size() > kMaxRuleFileBytes) {
    sink.AddFile(name, "");
    sink.Error(Mark{0, 1, 1},
               fmt::format("the rule file is {} bytes; the limit is {}",
                           text.size(), kMaxRuleFileBytes));
    return false;
  }
  return LoadWithBase(text, name, base_dir, program, sink, 0);
}

}  // namespace eligo
