// The run summary: counts by rule and outcome, money totals, the most
// frequent missing inputs, rows read/scored/rejected, warnings.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "eligo/io.h"
#include "explain/json.h"

namespace eligo {
namespace {

constexpr size_t kTopMissing = 10;
constexpr size_t kWarningsShown = 20;

void Add(std::map<std::string, Decimal>& totals, const std::string& key,
         const Decimal& amount) {
  Decimal& total = totals[key];
  total = Decimal::Add(total, amount).value_or(total);
}

std::vector<std::pair<std::string, long>> TopMissing(
    const std::map<std::string, long>& missing) {
  std::vector<std::pair<std::string, long>> top(missing.begin(), missing.end());
  std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
    return a.second > b.second;
  });
  if (top.size() > kTopMissing) top.resize(kTopMissing);
  return top;
}

const std::string& OutcomeKey(Outcome o) {
  // Made once: a key built from ToString() would be built per decision.
  static const std::string kKeys[] = {ToString(Outcome::kEligible),
                                      ToString(Outcome::kIneligible),
                                      ToString(Outcome::kUndetermined)};
  return kKeys[static_cast<size_t>(o)];
}

}  // namespace

void RunSummary::Add(const Decision& d) {
  ++decisions_;
  ++outcomes_[d.rule][OutcomeKey(d.outcome)];
  AddTotals(d);
}

void RunSummary::Add(const std::vector<Decision>& decisions) {
  // An entity's decisions cycle through a few rules: counted by rule here
  // first, each rule's counts are looked up once, not once per decision.
  struct Tally {
    const std::string* rule;
    std::array<long, 3> by_outcome;
  };
  thread_local std::vector<Tally> tallies;
  tallies.clear();
  for (const Decision& d : decisions) {
    auto tally =
        std::find_if(tallies.begin(), tallies.end(),
                     [&](const Tally& t) { return *t.rule == d.rule; });
    if (tally == tallies.end())
      tally = tallies.insert(tallies.end(), Tally{&d.rule, {}});
    ++tally->by_outcome[static_cast<size_t>(d.outcome)];
    AddTotals(d);
  }
  decisions_ += static_cast<long>(decisions.size());
  for (const Tally& t : tallies) {
    std::map<std::string, long>& counts = outcomes_[*t.rule];
    for (size_t o = 0; o < t.by_outcome.size(); ++o) {
      if (t.by_outcome[o] > 0)
        counts[OutcomeKey(static_cast<Outcome>(o))] += t.by_outcome[o];
    }
  }
}

void RunSummary::AddTotals(const Decision& d) {
  if (d.outcome == Outcome::kEligible && d.amount) {
    ::eligo::Add(by_payer_, d.payer, *d.amount);
    ::eligo::Add(by_rule_, d.rule, *d.amount);
    Decimal& year = by_year_[d.year];
    year = Decimal::Add(year, *d.amount).value_or(year);
  }
  if (d.outcome == Outcome::kUndetermined) {
    for (const Gap& g : d.gaps) {
      if (g.is_input()) ++missing_[std::string(g.name)];
    }
  }
}

void RunSummary::Merge(const RunSummary& other) {
  decisions_ += other.decisions_;
  for (const auto& [rule, counts] : other.outcomes_) {
    for (const auto& [outcome, n] : counts) outcomes_[rule][outcome] += n;
  }
  for (const auto& [payer, amount] : other.by_payer_)
    ::eligo::Add(by_payer_, payer, amount);
  for (const auto& [rule, amount] : other.by_rule_)
    ::eligo::Add(by_rule_, rule, amount);
  for (const auto& [year, amount] : other.by_year_) {
    Decimal& total = by_year_[year];
    total = Decimal::Add(total, amount).value_or(total);
  }
  for (const auto& [name, n] : other.missing_) missing_[name] += n;
}

void RunSummary::SetRows(const PanelBatch& batch) {
  rows_read_ = batch.rows_read;
  rows_rejected_ = batch.count(RejectedRow::Status::kRejected);
  rows_skipped_ = batch.count(RejectedRow::Status::kSkipped);
  rows_partly_read_ = batch.count(RejectedRow::Status::kPartlyRead);
  notes_ = batch.notes;
  warnings_ = batch.warnings;
}

std::string RunSummary::ToText(const Renderer& words) const {
  const bool zh = words.lang() == Lang::kZh;
  std::string out =
      zh ? fmt::format("读取行数 {} = 已评分 {} + 拒收 {} + 跳过 {}",
                       rows_read_, rows_scored(), rows_rejected_, rows_skipped_)
         : fmt::format("rows read {} = scored {} + rejected {} + skipped {}",
                       rows_read_, rows_scored(), rows_rejected_,
                       rows_skipped_);
  if (rows_partly_read_ > 0) {
    out += fmt::format(fmt::runtime(zh ? "（其中 {} 行部分读取）"
                                       : " ({} scored partly read)"),
                       rows_partly_read_);
  }
  out += '\n';
  out += fmt::format(fmt::runtime(zh ? "决定 {}\n" : "decisions {}\n"),
                     decisions_);
  for (const auto& [rule, counts] : outcomes_) {
    out += fmt::format("  {}:", zh ? words.RuleName(rule) : rule);
    for (Outcome o :
         {Outcome::kEligible, Outcome::kIneligible, Outcome::kUndetermined}) {
      auto it = counts.find(OutcomeKey(o));
      out += fmt::format(" {} {}", words.Outcome(o),
                         it == counts.end() ? 0 : it->second);
    }
    out += '\n';
  }
  const char* unit = words.amount_unit() == AmountUnit::kWan
                         ? (zh ? "万元" : "10,000 yuan")
                         : (zh ? "元" : "yuan");
  auto totals = [&](const char* title, const auto& map, auto name) {
    if (map.empty()) return;
    out += fmt::format(
        fmt::runtime(zh ? "金额按{}汇总({})\n" : "money by {} ({})\n"), title,
        unit);
    for (const auto& [key, amount] : map)
      out += fmt::format("  {}: {}\n", name(key), words.Amount(amount));
  };
  auto same = [](const auto& key) { return fmt::format("{}", key); };
  totals(zh ? "支付单位" : "payer", by_payer_, same);
  totals(zh ? "年度" : "year", by_year_, same);
  totals(zh ? "规则" : "rule", by_rule_, [&](const std::string& rule) {
    return std::string(zh ? words.RuleName(rule) : rule);
  });
  if (!missing_.empty()) {
    out += zh ? "待定决定最常缺少的数据\n"
              : "most frequent missing inputs behind undetermined decisions\n";
    for (const auto& [name, count] : TopMissing(missing_)) {
      out +=
          fmt::format("  {}: {}\n", zh ? words.InputName(name) : name, count);
    }
  }
  if (!warnings_.empty()) {
    out += fmt::format(fmt::runtime(zh ? "警告 {}\n" : "warnings {}\n"),
                       warnings_.size());
    for (size_t i = 0; i < warnings_.size() && i < kWarningsShown; ++i)
      out += fmt::format("  {}\n", warnings_[i]);
    if (warnings_.size() > kWarningsShown) {
      out +=
          fmt::format(fmt::runtime(zh ? "  ……另有 {} 条\n" : "  ... {} more\n"),
                      warnings_.size() - kWarningsShown);
    }
  }
  return out;
}

std::string RunSummary::ToJson() const {
  std::string out = fmt::format(
      "{{\"rows\":{{\"read\":{},\"scored\":{},\"rejected\":{},"
      "\"skipped\":{},\"partly_read\":{}}},\"decisions\":{}",
      rows_read_, rows_scored(), rows_rejected_, rows_skipped_,
      rows_partly_read_, decisions_);
  out += ",\"notes\":[";
  for (size_t i = 0; i < notes_.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, notes_[i]);
  }
  out += ']';
  out += ",\"outcomes\":{";
  bool first = true;
  for (const auto& [rule, counts] : outcomes_) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, rule);
    out += fmt::format(
        ":{{\"eligible\":{},\"ineligible\":{},\"undetermined\":{}}}",
        counts.count("eligible") ? counts.at("eligible") : 0,
        counts.count("ineligible") ? counts.at("ineligible") : 0,
        counts.count("undetermined") ? counts.at("undetermined") : 0);
  }
  out += '}';
  auto totals = [&](const char* key, const auto& map) {
    out += fmt::format(",\"{}\":{{", key);
    bool first_total = true;
    for (const auto& [k, amount] : map) {
      if (!first_total) out += ',';
      first_total = false;
      AppendJsonString(out, fmt::format("{}", k));
      out += ':';
      AppendJsonString(out, amount.ToFixed(2));
    }
    out += '}';
  };
  totals("money_by_payer", by_payer_);
  totals("money_by_year", by_year_);
  totals("money_by_rule", by_rule_);
  out += ",\"missing_inputs\":[";
  first = true;
  for (const auto& [name, count] : TopMissing(missing_)) {
    if (!first) out += ',';
    first = false;
    out += "{\"input\":";
    AppendJsonString(out, name);
    out += fmt::format(",\"count\":{}}}", count);
  }
  out += "],\"warnings\":[";
  for (size_t i = 0; i < warnings_.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, warnings_[i]);
  }
  out += ']';
  if (!run_json_.empty()) out += ",\"run\":" + run_json_;
  out += '}';
  return out;
}

}  // namespace eligo
