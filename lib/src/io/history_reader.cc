// Reading an earlier run's decisions (eligo's CSV or JSON Lines output) as
// history. nlohmann::json parses the JSON Lines: our own writer only
// writes, and a reader must cope with any valid JSON a person may hand it.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "eligo/io.h"
#include "io/csv_reader.h"
#include "load/rule_file.h"

namespace eligo {
namespace {

constexpr size_t kMaxHistoryBytes = size_t{4} << 30;

// Adds one decision of an earlier run; only eligible ones are awards. A
// collect-table decision ("tier3+tier2") was an award of each tier.
Status AddDecision(History& history, const std::string& kind,
                   const std::string& id, const std::string& rule,
                   const std::string& tier, const std::string& year,
                   const std::string& outcome, const std::string& amount) {
  if (outcome != "eligible") return Status::Ok();
  int y = 0;
  try {
    y = std::stoi(year);
  } catch (...) {
    return Status::Error(fmt::format("bad year `{}`", year));
  }
  std::optional<Decimal> money;
  if (!amount.empty()) {
    Result<Decimal> d = Decimal::Parse(amount);
    if (!d.ok()) return d.status();
    money = *d;
  }
  std::vector<PastAward>& awards = history[HistoryKey(kind, id)];
  size_t start = 0;
  bool first = true;
  do {
    size_t plus = tier.find('+', start);
    std::string one = tier.substr(
        start, plus == std::string::npos ? std::string::npos : plus - start);
    // A collect decision's amount is the sum: credit it to the first tier.
    awards.push_back(
        PastAward{rule, one, y, first ? money : std::optional<Decimal>()});
    first = false;
    start = plus == std::string::npos ? std::string::npos : plus + 1;
  } while (start != std::string::npos);
  return Status::Ok();
}

std::string Unescape(const std::string& cell) {
  return cell.size() > 1 && cell[0] == '\'' &&
                 std::string_view("=+-@\t\r").find(cell[1]) !=
                     std::string_view::npos
             ? cell.substr(1)
             : cell;
}

// A decisions CSV written in Chinese names entity kinds, rules and tiers by
// their titles and may give amounts in 万元: the rule set maps them back.
class ChineseColumns {
 public:
  explicit ChineseColumns(const RuleSet& rules) : rules_(rules) {}

  std::string Kind(const std::string& text) const {
    for (const EntitySchema& e : rules_.entities()) {
      if (e.title == text) return e.kind;
    }
    return text;
  }
  // The rule's id, and the tiers' ids joined by '+'.
  std::pair<std::string, std::string> RuleAndTier(
      const std::string& rule, const std::string& tier) const {
    const RuleInfo* info = nullptr;
    for (const RuleInfo& r : rules_.rules()) {
      if (r.title == rule || r.id == rule) info = &r;
      if (r.id == rule) break;
    }
    if (info == nullptr) return {rule, tier};
    std::string ids;
    size_t start = 0;
    while (start <= tier.size() && !tier.empty()) {
      size_t plus = tier.find('+', start);
      std::string one = tier.substr(
          start, plus == std::string::npos ? std::string::npos : plus - start);
      for (size_t t = 0; t < info->tiers.size(); ++t) {
        if (t < info->tier_titles.size() && info->tier_titles[t] == one)
          one = info->tiers[t];
      }
      ids += (ids.empty() ? "" : "+") + one;
      if (plus == std::string::npos) break;
      start = plus + 1;
    }
    return {info->id, ids};
  }

 private:
  const RuleSet& rules_;
};

// The outcome word of either language, in English.
std::string EnglishOutcome(const std::string& word) {
  if (word == "符合") return "eligible";
  if (word == "不符合") return "ineligible";
  if (word == "待定") return "undetermined";
  return word;
}

Result<History> ReadCsvHistory(const std::string& path, const std::string& text,
                               const RuleSet* rules) {
  CsvParser parser(text);
  std::vector<std::string> header, cells;
  long line = 0;
  History history;
  if (!parser.Next(header, line)) return history;
  auto column = [&](std::string_view name) {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    return -1;
  };
  // Eligo's Chinese header: the same columns in the same order.
  bool chinese = !header.empty() && header.back() == "决定编号";
  std::optional<Decimal> amount_scale;  // yuan per unit of the amount
  std::optional<ChineseColumns> words;
  if (chinese) {
    if (rules == nullptr) {
      return Status::Error(fmt::format(
          "{}: a decisions file in Chinese needs its rule set to be read",
          path));
    }
    words.emplace(*rules);
    if (std::find(header.begin(), header.end(), "金额(万元)") != header.end())
      amount_scale = Decimal::FromInt(10'000);
    header = {"entity_kind", "id",       "name",    "county", "year",
              "rule",        "tier",     "outcome", "award",  "amount",
              "payer",       "citation", "reason",  "notes",  "decision_id"};
  }
  int kind = column("entity_kind"), id = column("id"), rule = column("rule"),
      tier = column("tier"), year = column("year"), outcome = column("outcome"),
      amount = column("amount");
  if (std::min({kind, id, rule, tier, year, outcome, amount}) < 0) {
    return Status::Error(
        fmt::format("{}: not an eligo decision file (needs columns "
                    "entity_kind, id, rule, tier, "
                    "year, outcome, amount)",
                    path));
  }
  while (parser.Next(cells, line)) {
    if (cells.size() != header.size()) {
      return Status::Error(
          fmt::format("{}:{}: the row has {} cells; the header has {}", path,
                      line, cells.size(), header.size()));
    }
    auto at = [&](int i) { return Unescape(cells[static_cast<size_t>(i)]); };
    std::string kind_text = at(kind), rule_text = at(rule),
                tier_text = at(tier), outcome_text = at(outcome),
                amount_text = at(amount);
    if (words) {
      kind_text = words->Kind(kind_text);
      std::tie(rule_text, tier_text) = words->RuleAndTier(rule_text, tier_text);
      outcome_text = EnglishOutcome(outcome_text);
      if (amount_scale && !amount_text.empty()) {
        Result<Decimal> wan = Decimal::Parse(amount_text);
        std::optional<Decimal> yuan;
        if (wan.ok()) yuan = Decimal::Mul(*wan, *amount_scale);
        if (yuan) amount_text = yuan->ToString();
      }
    }
    Status s = AddDecision(history, kind_text, at(id), rule_text, tier_text,
                           at(year), outcome_text, amount_text);
    if (!s.ok())
      return Status::Error(fmt::format("{}:{}: {}", path, line, s.message()));
  }
  if (!parser.error().empty())
    return Status::Error(fmt::format("{}: {}", path, parser.error()));
  return history;
}

Result<History> ReadJsonHistory(const std::string& path,
                                const std::string& text) {
  History history;
  long line = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view record(text.data() + start, end - start);
    start = end + 1;
    ++line;
    if (record.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    nlohmann::json j =
        nlohmann::json::parse(record, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object())
      return Status::Error(fmt::format("{}:{}: not a JSON object", path, line));
    auto text_of = [&](const char* key) -> std::string {
      auto it = j.find(key);
      if (it == j.end() || it->is_null()) return "";
      if (it->is_string()) return it->get<std::string>();
      return it->dump();
    };
    Status s = AddDecision(history, text_of("entity_kind"), text_of("id"),
                           text_of("rule"), text_of("tier"), text_of("year"),
                           text_of("outcome"), text_of("amount"));
    if (!s.ok())
      return Status::Error(fmt::format("{}:{}: {}", path, line, s.message()));
  }
  return history;
}

}  // namespace

Result<History> ReadHistory(const std::string& path, const RuleSet* rules) {
  Result<std::string> bytes = ReadFile(path, kMaxHistoryBytes);
  if (!bytes.ok()) return bytes.status();
  std::string used;
  Result<std::string> text =
      DecodeToUtf8(std::move(bytes).value(), "auto", &used);
  if (!text.ok())
    return Status::Error(fmt::format("{}: {}", path, text.error()));
  size_t first = text->find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (*text)[first] == '{')
    return ReadJsonHistory(path, *text);
  return ReadCsvHistory(path, *text, rules);
}

}  // namespace eligo
