// Rule tests as data (eligo/rule_test.h): reading test files and running
// their cases against a rule set and its variants. The format is in
// rules/README.md, "Rule tests".
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "diagnostic_sink.h"
#include "eligo/decision.h"
#include "eligo/panel.h"
#include "eligo/render.h"
#include "eligo/rule_set.h"
#include "eligo/rule_test.h"
#include "load/expr_parser.h"
#include "load/rule_file.h"
#include "load/yaml_reader.h"
#include "program.h"

namespace eligo {
namespace {

constexpr size_t kMaxTestFileBytes = 4 << 20;

// A scalar of a test file and where it is written.
struct Text {
  std::string value;
  Mark mark;
};

// Parameter values as written in a test file, checked against the rule set
// of each case when it runs.
struct RawParam {
  Mark mark;                    // of the parameter's name
  std::map<int, Text> by_year;  // year -> value as written
};
using RawParams = std::map<std::string, RawParam>;

// One row of a case: (header, cell text) pairs in the order written.
struct RowSpec {
  Mark mark;
  std::vector<std::pair<Text, Text>> cells;
};

// One award of an earlier run.
struct HistorySpec {
  Text rule;
  PastAward award;
};

// One expected decision; unset members are not checked.
struct Expectation {
  Mark mark;
  Text rule;
  int year = 0;
  std::optional<Outcome> outcome;
  std::optional<std::string> tier;  // "" checks that there is no tier
  bool check_amount = false;
  std::optional<Decimal> amount;  // nullopt (with check_amount): no amount
  std::optional<AwardKind> award;
  std::optional<std::string> payer;                 // exact
  std::optional<std::string> reason;                // a substring
  std::optional<std::string> note;                  // a substring of one note
  std::optional<std::vector<std::string>> missing;  // the same entries
};

struct CaseSpec {
  std::string name;
  Mark mark;
  std::optional<Text> rules;  // a variant rule file
  RawParams params;           // the file's defaults merged with the case's
  Text entity;
  std::optional<Text> id;
  std::vector<RowSpec> rows;
  std::vector<HistorySpec> history;
  std::vector<Expectation> expect;
  bool bad = false;  // mistakes were reported while reading it
};

// The value of a key that must be given, or an error at `map`.
YAML::Node Required(YamlReader& yaml, const YAML::Node& map,
                    std::string_view key, std::string_view what) {
  YAML::Node node = map[std::string(key)];
  if (!node) {
    yaml.sink().Error(yaml.MarkOf(map),
                      fmt::format("{} needs `{}`", what, key));
  }
  return node;
}

// Reads test files into CaseSpecs, reporting every mistake to the sink.
class TestFileReader {
 public:
  explicit TestFileReader(YamlReader& yaml) : yaml_(yaml) {}

  std::vector<CaseSpec> Read(const YAML::Node& root) {
    std::vector<CaseSpec> cases;
    if (!root || root.IsNull()) {
      Error(Mark{yaml_.file(), 1, 1}, "the test file is empty");
      return cases;
    }
    if (!yaml_.CheckMap(root, "a test file", {"eligo-test", "params", "cases"}))
      return cases;
    if (YAML::Node v = Required(yaml_, root, "eligo-test", "a test file")) {
      std::optional<std::string> version =
          yaml_.Scalar(v, "the version `eligo-test`");
      if (version && *version != "1") {
        Error(yaml_.MarkOf(v),
              fmt::format("unknown test file version `{}` (this is version 1)",
                          *version));
      }
    }
    RawParams defaults;
    if (YAML::Node p = root["params"]) ReadParams(p, defaults);
    size_t file_errors = Errors();
    YAML::Node list = Required(yaml_, root, "cases", "a test file");
    if (!list || !yaml_.IsList(list, "`cases`")) return cases;
    std::map<std::string, int> names;  // case name -> line
    for (const YAML::Node& node : list) {
      size_t before = Errors();
      CaseSpec c = ReadCase(node, defaults);
      if (!c.name.empty()) {
        auto [it, inserted] = names.emplace(c.name, c.mark.line);
        if (!inserted) {
          Error(c.mark, fmt::format("a case named `{}` is already at line {}",
                                    c.name, it->second));
        }
      }
      c.bad = Errors() > before || file_errors > 0;
      cases.push_back(std::move(c));
    }
    return cases;
  }

 private:
  size_t Errors() {
    auto& ds = yaml_.sink().diagnostics();
    return static_cast<size_t>(std::count_if(
        ds.begin(), ds.end(),
        [](const Diagnostic& d) { return d.severity == Severity::kError; }));
  }
  void Error(const Mark& at, std::string message) {
    yaml_.sink().Error(at, std::move(message));
  }

  // A single value; an empty value (`key:` or `~`) reads as "".
  std::optional<Text> Value(const YAML::Node& node, std::string_view what) {
    if (node.IsNull()) return Text{"", yaml_.MarkOf(node)};
    std::optional<std::string> s = yaml_.Scalar(node, what);
    if (!s) return std::nullopt;
    return Text{*s, yaml_.MarkOf(node)};
  }

  std::optional<int> Year(const YAML::Node& node, std::string_view what) {
    std::optional<int> year = yaml_.Integer(node, what);
    if (year && (*year < 1900 || *year > 2200)) {
      Error(yaml_.MarkOf(node),
            fmt::format("{} must be a year from 1900 to 2200", what));
      return std::nullopt;
    }
    return year;
  }

  // `name: {YEAR: VALUE}` pairs, merged into `out` year by year.
  void ReadParams(const YAML::Node& node, RawParams& out) {
    if (!node.IsMap()) {
      Error(yaml_.MarkOf(node),
            "`params` maps parameter names to values by year, e.g. "
            "{city_industrial_revenue_growth: {2017: 8.5%}}");
      return;
    }
    yaml_.CheckUniqueKeys(node);
    for (const auto& kv : node) {
      std::string name = kv.first.Scalar();
      RawParam& param = out[name];
      param.mark = yaml_.MarkOf(kv.first);
      if (!kv.second.IsMap()) {
        Error(yaml_.MarkOf(kv.second),
              fmt::format("`{}` needs values by year, e.g. {{2017: 8.5%}}",
                          name));
        continue;
      }
      yaml_.CheckUniqueKeys(kv.second);
      for (const auto& entry : kv.second) {
        std::optional<int> year =
            Year(entry.first, fmt::format("a year of `{}`", name));
        std::optional<std::string> value =
            yaml_.Scalar(entry.second, fmt::format("the value of `{}`", name));
        if (year && value) {
          param.by_year[*year] = Text{*value, yaml_.MarkOf(entry.second)};
        }
      }
    }
  }

  CaseSpec ReadCase(const YAML::Node& node, const RawParams& defaults) {
    CaseSpec c;
    c.mark = yaml_.MarkOf(node);
    c.params = defaults;
    if (!yaml_.CheckMap(node, "a case",
                        {"name", "rules", "params", "entity", "id", "rows",
                         "history", "expect"})) {
      return c;
    }
    if (YAML::Node n = Required(yaml_, node, "name", "a case")) {
      if (std::optional<Text> t = Value(n, "`name`")) {
        c.name = t->value;
        if (c.name.empty()) Error(t->mark, "a case needs a name");
      }
    }
    if (YAML::Node r = node["rules"]) {
      c.rules = Value(r, "`rules`");
      if (c.rules &&
          (c.rules->value.empty() || c.rules->value == "." ||
           c.rules->value == ".." ||
           c.rules->value.find_first_of("/\\") != std::string::npos)) {
        Error(c.rules->mark,
              fmt::format("`rules` names a variant rule file in the directory "
                          "of the rule file under test, as a bare file name "
                          "(e.g. luohe-2017-top-up.yaml), not `{}`",
                          c.rules->value));
        c.rules.reset();
      }
    }
    if (YAML::Node p = node["params"]) ReadParams(p, c.params);
    if (YAML::Node e = Required(yaml_, node, "entity", "a case")) {
      if (std::optional<Text> t = Value(e, "`entity`")) c.entity = *t;
    }
    if (YAML::Node i = node["id"]) c.id = Value(i, "`id`");
    if (YAML::Node rows = Required(yaml_, node, "rows", "a case")) {
      if (yaml_.IsList(rows, "`rows`")) {
        for (const YAML::Node& row : rows) ReadRow(row, c);
      }
    }
    if (YAML::Node h = node["history"]) {
      if (yaml_.IsList(h, "`history`")) {
        for (const YAML::Node& award : h) ReadHistory(award, c);
      }
    }
    if (YAML::Node e = Required(yaml_, node, "expect", "a case")) {
      if (yaml_.IsList(e, "`expect`")) {
        for (const YAML::Node& x : e) ReadExpectation(x, c);
        if (e.size() == 0) {
          Error(yaml_.MarkOf(e), "a case needs at least one expectation");
        }
      }
    }
    return c;
  }

  void ReadRow(const YAML::Node& node, CaseSpec& c) {
    if (!node.IsMap()) {
      Error(yaml_.MarkOf(node),
            "a row is a map of field names (or aliases) to cell text");
      return;
    }
    yaml_.CheckUniqueKeys(node);
    RowSpec row;
    row.mark = yaml_.MarkOf(node);
    for (const auto& kv : node) {
      std::optional<Text> value =
          Value(kv.second, fmt::format("the cell `{}`", kv.first.Scalar()));
      if (!value) continue;
      row.cells.emplace_back(Text{kv.first.Scalar(), yaml_.MarkOf(kv.first)},
                             *value);
    }
    c.rows.push_back(std::move(row));
  }

  void ReadHistory(const YAML::Node& node, CaseSpec& c) {
    if (!yaml_.CheckMap(node, "a history entry",
                        {"rule", "tier", "year", "amount"})) {
      return;
    }
    HistorySpec h;
    if (YAML::Node r = Required(yaml_, node, "rule", "a history entry")) {
      if (std::optional<Text> t = Value(r, "`rule`")) {
        h.rule = *t;
        h.award.rule = t->value;
      }
    }
    if (YAML::Node t = node["tier"]) {
      if (std::optional<Text> tier = Value(t, "`tier`"))
        h.award.tier = tier->value;
    }
    if (YAML::Node y = Required(yaml_, node, "year", "a history entry")) {
      if (std::optional<int> year = Year(y, "`year`")) h.award.year = *year;
    }
    if (YAML::Node a = node["amount"]) ReadAmount(a, &h.award.amount);
    c.history.push_back(std::move(h));
  }

  // An amount in yuan ("100000", "100000.00", "10万元"), or `none`. Returns
  // false after reporting a bad one.
  bool ReadAmount(const YAML::Node& node, std::optional<Decimal>* out) {
    std::optional<Text> t = Value(node, "`amount`");
    if (!t) return false;
    if (t->value.empty() || t->value == "none") {
      *out = std::nullopt;
      return true;
    }
    bool is_money = false;
    std::string error;
    std::optional<Decimal> v = ParseQuantity(t->value, &is_money, &error);
    if (!v || t->value.find('%') != std::string::npos) {
      Error(t->mark, fmt::format("`amount` must be yuan (`100000.00`, "
                                 "`10万元`) or `none`, not `{}`{}",
                                 t->value, error.empty() ? "" : ": " + error));
      return false;
    }
    *out = *v;
    return true;
  }

  void ReadExpectation(const YAML::Node& node, CaseSpec& c) {
    if (!yaml_.CheckMap(node, "an expectation",
                        {"rule", "year", "outcome", "tier", "amount", "award",
                         "payer", "reason", "note", "missing"})) {
      return;
    }
    Expectation e;
    e.mark = yaml_.MarkOf(node);
    if (YAML::Node r = Required(yaml_, node, "rule", "an expectation")) {
      if (std::optional<Text> t = Value(r, "`rule`")) e.rule = *t;
    }
    if (YAML::Node y = Required(yaml_, node, "year", "an expectation")) {
      if (std::optional<int> year = Year(y, "`year`")) e.year = *year;
    }
    if (YAML::Node o = node["outcome"]) {
      if (std::optional<Text> t = Value(o, "`outcome`")) {
        for (Outcome x : {Outcome::kEligible, Outcome::kIneligible,
                          Outcome::kUndetermined}) {
          if (t->value == ToString(x)) e.outcome = x;
        }
        if (!e.outcome) {
          Error(t->mark, fmt::format("`outcome` is eligible, ineligible or "
                                     "undetermined, not `{}`",
                                     t->value));
        }
      }
    }
    if (YAML::Node t = node["tier"]) {
      if (std::optional<Text> tier = Value(t, "`tier`")) e.tier = tier->value;
    }
    if (YAML::Node a = node["amount"]) {
      e.check_amount = ReadAmount(a, &e.amount);
    }
    if (YAML::Node k = node["award"]) {
      if (std::optional<Text> t = Value(k, "`award`")) {
        for (AwardKind x : {AwardKind::kMoney, AwardKind::kCommendation,
                            AwardKind::kReferral, AwardKind::kDesignation}) {
          if (t->value == ToString(x)) e.award = x;
        }
        if (t->value == "none") e.award = AwardKind::kNone;
        if (!e.award) {
          Error(t->mark,
                fmt::format("`award` is money, commendation, referral, "
                            "designation or none, not `{}`",
                            t->value));
        }
      }
    }
    if (YAML::Node p = node["payer"]) {
      if (std::optional<Text> t = Value(p, "`payer`")) e.payer = t->value;
    }
    if (YAML::Node r = node["reason"]) {
      if (std::optional<Text> t = Value(r, "`reason`")) e.reason = t->value;
    }
    if (YAML::Node n = node["note"]) {
      if (std::optional<Text> t = Value(n, "`note`")) e.note = t->value;
    }
    if (YAML::Node m = node["missing"]) {
      if (yaml_.IsList(m, "`missing`")) {
        e.missing.emplace();
        for (const YAML::Node& item : m) {
          if (std::optional<Text> t = Value(item, "an entry of `missing`"))
            e.missing->push_back(t->value);
        }
      }
    }
    c.expect.push_back(std::move(e));
  }

  YamlReader& yaml_;
};

std::string Quote(const std::string& s) { return fmt::format("\"{}\"", s); }

std::string TierText(const std::string& tier) {
  return tier.empty() ? "no tier" : "tier " + tier;
}

std::string AmountText(const std::optional<Decimal>& amount) {
  return amount ? "amount " + amount->ToFixed(2) : "no amount";
}

std::string AwardText(AwardKind k) {
  return k == AwardKind::kNone ? "no award"
                               : fmt::format("award {}", ToString(k));
}

// A tier or an amount alone, for "expected X, got Y".
std::string TierValue(const std::string& tier) {
  return tier.empty() ? "no tier" : tier;
}
std::string AmountValue(const std::optional<Decimal>& amount) {
  return amount ? amount->ToFixed(2) : "no amount";
}

std::string MissingText(const std::vector<std::string>& missing) {
  return fmt::format("missing [{}]", fmt::join(missing, ", "));
}

// The expectation as one line: the keys it checks.
std::string Describe(const Expectation& e) {
  std::vector<std::string> parts;
  if (e.outcome)
    parts.push_back(fmt::format("outcome {}", ToString(*e.outcome)));
  if (e.tier) parts.push_back(TierText(*e.tier));
  if (e.check_amount) parts.push_back(AmountText(e.amount));
  if (e.award) parts.push_back(AwardText(*e.award));
  if (e.payer) parts.push_back("payer " + Quote(*e.payer));
  if (e.reason) parts.push_back("reason contains " + Quote(*e.reason));
  if (e.note) parts.push_back("a note contains " + Quote(*e.note));
  if (e.missing) parts.push_back(MissingText(*e.missing));
  if (parts.empty()) parts.push_back("a decision");
  return fmt::format("{} {}: {}", e.rule.value, e.year, fmt::join(parts, ", "));
}

// The decision as one line, with what the expectation checks.
std::string Describe(const Decision& d, const Expectation& e,
                     const Renderer& words) {
  std::vector<std::string> missing = words.Missing(d);
  std::vector<std::string> parts{fmt::format("outcome {}", ToString(d.outcome)),
                                 TierText(d.tier), AmountText(d.amount)};
  if (e.award) parts.push_back(AwardText(d.award));
  if (e.payer) parts.push_back("payer " + Quote(d.payer));
  parts.push_back("reason " + Quote(words.Reason(d)));
  if (e.note || !d.notes.empty()) {
    std::vector<std::string> notes;
    for (const std::string& n : d.notes) notes.push_back(Quote(n));
    parts.push_back(fmt::format("notes [{}]", fmt::join(notes, ", ")));
  }
  if (e.missing || !missing.empty()) parts.push_back(MissingText(missing));
  return fmt::format("{} {}: {}", d.rule, d.year, fmt::join(parts, ", "));
}

// What differs between `e` and `d`, "" when nothing does.
std::string Mismatch(const Expectation& e, const Decision& d,
                     const Renderer& words) {
  std::vector<std::string> diffs;
  std::string reason = words.Reason(d);
  std::vector<std::string> missing = words.Missing(d);
  if (e.outcome && *e.outcome != d.outcome) {
    diffs.push_back(fmt::format("outcome: expected {}, got {}",
                                ToString(*e.outcome), ToString(d.outcome)));
  }
  if (e.tier && *e.tier != d.tier) {
    diffs.push_back(fmt::format("tier: expected {}, got {}", TierValue(*e.tier),
                                TierValue(d.tier)));
  }
  if (e.check_amount && e.amount != d.amount) {
    diffs.push_back(fmt::format("amount: expected {}, got {}",
                                AmountValue(e.amount), AmountValue(d.amount)));
  }
  if (e.award && *e.award != d.award) {
    diffs.push_back(fmt::format("award: expected {}, got {}",
                                AwardText(*e.award), AwardText(d.award)));
  }
  if (e.payer && *e.payer != d.payer) {
    diffs.push_back(fmt::format("payer: expected {}, got {}", Quote(*e.payer),
                                Quote(d.payer)));
  }
  if (e.reason && reason.find(*e.reason) == std::string::npos) {
    diffs.push_back(fmt::format("reason: {} does not contain {}", Quote(reason),
                                Quote(*e.reason)));
  }
  if (e.note &&
      std::none_of(d.notes.begin(), d.notes.end(), [&](const std::string& n) {
        return n.find(*e.note) != std::string::npos;
      })) {
    diffs.push_back(fmt::format("note: no note contains {}", Quote(*e.note)));
  }
  if (e.missing) {
    std::vector<std::string> want = *e.missing, got = missing;
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    if (want != got) {
      diffs.push_back(fmt::format("missing: expected [{}], got [{}]",
                                  fmt::join(*e.missing, ", "),
                                  fmt::join(missing, ", ")));
    }
  }
  return fmt::format("{}", fmt::join(diffs, "; "));
}

// Runs cases: loads variants once, checks each case against its rule set,
// builds its panel and compares decisions.
class Runner {
 public:
  Runner(const std::string& rules_path, TestReport& report)
      : dir_(std::filesystem::path(rules_path).parent_path().string()),
        report_(report) {
    LoadResult main = LoadRuleSet(rules_path);
    report_.diagnostics = main.diagnostics;
    main_ = main.rule_set;
    main_name_ = std::filesystem::path(rules_path).filename().string();
    cache_.emplace(main_name_, std::move(main));
  }

  bool rules_ok() const { return main_ != nullptr; }

  void RunFile(const std::string& name, std::string_view text) {
    int file = sink_.AddFile(name, std::string(text));
    YamlReader yaml(file, text, sink_);
    std::optional<YAML::Node> root = yaml.Parse();
    if (!root) return;
    std::vector<CaseSpec> cases = TestFileReader(yaml).Read(*root);
    for (const CaseSpec& c : cases) {
      if (RunCase(c, name)) {
        ++report_.passed;
      } else {
        ++report_.failed;
      }
    }
  }

  // The diagnostics of the test files, each once, after the rule file's.
  void Finish() {
    std::set<std::tuple<std::string, int, int, std::string>> seen;
    for (Diagnostic& d : sink_.diagnostics()) {
      if (seen.emplace(d.file, d.line, d.column, d.message).second)
        report_.diagnostics.push_back(std::move(d));
    }
  }

 private:
  void Fail(const CaseSpec& c, const std::string& file, const Mark& at,
            std::string message) {
    TestFailure f;
    f.case_name = c.name;
    f.file = file;
    f.line = at.line;
    f.message = std::move(message);
    report_.failures.push_back(std::move(f));
  }

  size_t Errors() {
    return static_cast<size_t>(std::count_if(
        sink_.diagnostics().begin(), sink_.diagnostics().end(),
        [](const Diagnostic& d) { return d.severity == Severity::kError; }));
  }

  // The loaded rule file of a case: the one under test or a variant, each
  // loaded once.
  const LoadResult& Loaded(const CaseSpec& c) {
    std::string name = c.rules ? c.rules->value : main_name_;
    auto it = cache_.find(name);
    if (it == cache_.end()) {
      std::string path = (std::filesystem::path(dir_) / name).string();
      it = cache_.emplace(name, LoadRuleSet(path)).first;
    }
    return it->second;
  }

  // The rule set of a case; null after recording why when it does not load.
  const RuleSet* RulesOf(const CaseSpec& c, const std::string& file) {
    const LoadResult& loaded = Loaded(c);
    if (loaded.ok()) return loaded.rule_set.get();
    std::string why;
    for (const Diagnostic& d : loaded.diagnostics) {
      if (d.severity == Severity::kError) why += "\n" + FormatDiagnostic(d);
    }
    while (!why.empty() && why.back() == '\n') why.pop_back();
    Fail(c, file, c.rules->mark,
         fmt::format("the variant rule file `{}` does not load:{}",
                     c.rules->value, why));
    return nullptr;
  }

  // Parameter values of a case checked against its rule set; mistakes go to
  // the sink.
  ParamValues ParamsOf(const CaseSpec& c, const Program& p) {
    ParamValues values;
    for (const auto& [name, raw] : c.params) {
      int index = p.FindParam(name);
      if (index < 0) {
        sink_.Error(raw.mark, fmt::format("unknown parameter `{}`", name));
        continue;
      }
      const Parameter& param = p.params[static_cast<size_t>(index)];
      for (const auto& [year, text] : raw.by_year) {
        bool is_money = false;
        std::string error;
        std::optional<Decimal> v = ParseQuantity(text.value, &is_money, &error);
        if (!v) {
          sink_.Error(text.mark, fmt::format("`{}`: {}", name, error));
        } else if (is_money != (param.type == Type::kMoney)) {
          sink_.Error(text.mark,
                      param.type == Type::kMoney
                          ? fmt::format("`{}` is money: write the unit, e.g. "
                                        "`{}元`",
                                        name, text.value)
                          : fmt::format("`{}` is a {}, not money", name,
                                        TypeName(param.type)));
        } else {
          values.Set(name, year, *v);
        }
      }
    }
    return values;
  }

  // Checks names in the case against `rules`: entity kind, row headers,
  // years, rules of history and expectations. Returns the entity schema, or
  // null when the kind is unknown.
  const EntitySchema* CheckNames(const CaseSpec& c, const RuleSet& rules,
                                 std::vector<int>& row_years) {
    const EntitySchema* schema = rules.FindEntity(c.entity.value);
    if (schema == nullptr) {
      std::vector<std::string> kinds;
      for (const EntitySchema& e : rules.entities()) kinds.push_back(e.kind);
      sink_.Error(c.entity.mark,
                  fmt::format("unknown entity kind `{}` (the rule set has: {})",
                              c.entity.value, fmt::join(kinds, ", ")));
      return nullptr;
    }
    int period = schema->FindField(schema->period);
    for (const RowSpec& row : c.rows) {
      std::optional<int> year;
      for (const auto& [header, text] : row.cells) {
        int field = schema->FindField(header.value);
        if (field < 0) {
          sink_.Error(header.mark, fmt::format("`{}` has no field `{}`",
                                               schema->kind, header.value));
        } else if (field == period) {
          const FieldSchema& f = schema->fields[static_cast<size_t>(field)];
          Result<Cell> cell =
              ParseCell(f, text.value, Decimal::FromInt(1), nullptr);
          std::optional<int64_t> y;
          if (cell.ok() && cell->state == Cell::State::kValue)
            y = cell->number.ToInt64();
          if (text.value.empty()) {
            sink_.Error(text.mark,
                        fmt::format("each row needs its `{}`", header.value));
          } else if (!y) {
            sink_.Error(
                text.mark,
                fmt::format("`{}` must be a year, not `{}`{}", header.value,
                            text.value, cell.ok() ? "" : ": " + cell.error()));
          } else {
            year = static_cast<int>(*y);
          }
        }
      }
      if (!year && std::none_of(row.cells.begin(), row.cells.end(),
                                [&](const auto& cell) {
                                  return schema->FindField(cell.first.value) ==
                                         period;
                                })) {
        sink_.Error(row.mark, fmt::format("a row needs `{}`", schema->period));
      }
      row_years.push_back(year.value_or(0));
    }
    auto find_rule = [&](const Text& rule, bool same_kind) {
      for (const RuleInfo& info : rules.rules()) {
        if (info.id != rule.value) continue;
        if (same_kind && info.kind != schema->kind) {
          sink_.Error(rule.mark,
                      fmt::format("rule `{}` decides `{}`, not `{}`",
                                  rule.value, info.kind, schema->kind));
        }
        return;
      }
      std::vector<std::string> ids;
      for (const RuleInfo& info : rules.rules()) ids.push_back(info.id);
      sink_.Error(rule.mark,
                  fmt::format("unknown rule `{}` (the rules are: {})",
                              rule.value, fmt::join(ids, ", ")));
    };
    for (const HistorySpec& h : c.history) find_rule(h.rule, false);
    for (const Expectation& e : c.expect) find_rule(e.rule, true);
    return schema;
  }

  // Builds the panel of a case, as the CSV reader would: two rows for one
  // year are both dropped and that year reads as missing. False after
  // recording a failure when a cell cannot be read.
  bool BuildPanel(const CaseSpec& c, const std::string& file,
                  const std::vector<int>& years, Panel& panel) {
    const EntitySchema& schema = panel.schema();
    int period = schema.FindField(schema.period);
    int key = schema.FindField(schema.key);
    for (size_t i = 0; i < c.rows.size(); ++i) {
      int year = years[i];
      if (std::count(years.begin(), years.end(), year) > 1) {
        if (i ==
            static_cast<size_t>(std::find(years.begin(), years.end(), year) -
                                years.begin())) {
          panel.MarkConflict(year);
        }
        continue;
      }
      const RowSpec& spec = c.rows[i];
      Row& row = panel.AddRow(year);
      bool has_key = false;
      for (const auto& [header, text] : spec.cells) {
        int field = schema.FindField(header.value);
        if (field == period) continue;
        has_key = has_key || field == key;
        Status s = panel.Set(row, header.value, text.value);
        if (!s.ok()) {
          Fail(c, file, header.mark,
               fmt::format("the row for {} (line {}) cannot be read: `{}` = "
                           "`{}`: {}",
                           year, header.mark.line, header.value, text.value,
                           s.message()));
          return false;
        }
      }
      if (!has_key && c.id && key >= 0) {
        Status s = panel.Set(row, schema.key, c.id->value);
        if (!s.ok()) {
          Fail(c, file, c.id->mark,
               fmt::format("`id` cannot be read as `{}`: {}", schema.key,
                           s.message()));
          return false;
        }
      }
    }
    return true;
  }

  bool RunCase(const CaseSpec& c, const std::string& file) {
    if (c.bad) {
      // Still check the names, so that one run reports every mistake.
      if (const RuleSet* rules = Loaded(c).rule_set.get()) {
        std::vector<int> years;
        CheckNames(c, *rules, years);
        ParamsOf(c, rules->program());
      }
      Fail(c, file, c.mark,
           "not run: the case has mistakes (see the diagnostics)");
      return false;
    }
    const RuleSet* rules = RulesOf(c, file);
    if (rules == nullptr) return false;
    std::shared_ptr<const RuleSet> shared = Loaded(c).rule_set;
    size_t before = Errors();
    std::vector<int> years;
    const EntitySchema* schema = CheckNames(c, *rules, years);
    ParamValues params = ParamsOf(c, rules->program());
    if (schema == nullptr || Errors() > before) {
      Fail(c, file, c.mark,
           "not run: the case has mistakes (see the diagnostics)");
      return false;
    }
    Panel panel(*schema, c.id ? c.id->value : "TEST");
    if (!BuildPanel(c, file, years, panel)) return false;
    Result<Evaluator> evaluator = Evaluator::Create(shared, params);
    if (!evaluator.ok()) {
      Fail(c, file, c.mark,
           fmt::format("the parameter values do not fit the rule set: {}",
                       evaluator.error()));
      return false;
    }
    std::vector<PastAward> history;
    for (const HistorySpec& h : c.history) history.push_back(h.award);
    EvalOptions options;
    options.trace = true;
    std::vector<Decision> decisions =
        evaluator->Evaluate(panel, history, options);
    bool passed = true;
    for (const Expectation& e : c.expect) {
      auto it = std::find_if(
          decisions.begin(), decisions.end(), [&](const Decision& d) {
            return d.rule == e.rule.value && d.year == e.year;
          });
      TestFailure f;
      f.case_name = c.name;
      f.file = file;
      f.line = e.mark.line;
      f.expected = Describe(e);
      if (it == decisions.end()) {
        f.actual = fmt::format("{} {}: no decision", e.rule.value, e.year);
        f.message = fmt::format(
            "no decision for `{}` in {}: decisions are made for the years of "
            "the rows (two rows for one year make none)",
            e.rule.value, e.year);
      } else {
        Renderer words(*rules, Lang::kEn);  // rule tests state English
        f.message = Mismatch(e, *it, words);
        if (f.message.empty()) continue;
        f.actual = Describe(*it, e, words);
        f.trace = TraceToText(*it, words);
      }
      passed = false;
      report_.failures.push_back(std::move(f));
    }
    return passed;
  }

  std::string dir_;
  TestReport& report_;
  std::shared_ptr<const RuleSet> main_;
  std::string main_name_;  // file name of the rule file under test
  std::map<std::string, LoadResult> cache_;  // file name -> loaded
  DiagnosticSink sink_;
};

}  // namespace

TestReport RunRuleTests(const std::string& rules_path,
                        const std::vector<std::string>& test_files) {
  TestReport report;
  Runner runner(rules_path, report);
  if (!runner.rules_ok()) return report;
  for (const std::string& path : test_files) {
    Result<std::string> text = ReadFile(path, kMaxTestFileBytes);
    if (!text.ok()) {
      report.diagnostics.push_back(
          Diagnostic{Severity::kError, path, 1, 1, text.error(), ""});
      continue;
    }
    runner.RunFile(path, *text);
  }
  runner.Finish();
  return report;
}

TestReport RunRuleTestsFromString(const std::string& rules_path,
                                  std::string_view text,
                                  const std::string& name) {
  TestReport report;
  Runner runner(rules_path, report);
  if (!runner.rules_ok()) return report;
  if (text.size() > kMaxTestFileBytes) {
    report.diagnostics.push_back(
        Diagnostic{Severity::kError, name, 1, 1,
                   fmt::format("the test file is {} bytes; the limit is {}",
                               text.size(), kMaxTestFileBytes),
                   ""});
  } else {
    runner.RunFile(name, text);
  }
  runner.Finish();
  return report;
}

}  // namespace eligo
