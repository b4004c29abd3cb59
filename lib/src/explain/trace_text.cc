// Rendering a decision and its trace as text an auditor can read without
// knowing the rule file, in the renderer's language.
#include <fmt/format.h>

#include "eligo/decision.h"
#include "eligo/render.h"

namespace eligo {
namespace {

// The words of the trace's headings and truth values.
struct TraceWords {
  const char* clause;
  const char* outcome;
  const char* paid_by;
  const char* reason;
  const char* note;
  const char* applies;
  const char* tiers;
  const char* conditions;
  const char* not_evaluated;
  const char* history;
  const char* note_because;
  const char* truth[3];  // false, true, unknown
};

constexpr TraceWords kEnglish = {"clause",        "outcome",
                                 "paid by",       "reason",
                                 "note",          "applies when",
                                 "tiers",         "conditions",
                                 "not evaluated", "history consulted",
                                 "note because",  {"false", "true", "unknown"}};
constexpr TraceWords kChinese = {
    "条款原文", "结果",           "支付单位", "理由",
    "备注",     "适用条件",       "档次",     "条件",
    "未评估",   "参考的历年奖励", "备注依据", {"不成立", "成立", "未知"}};

const char* TruthWord(const TraceWords& w, Truth t) {
  return w.truth[static_cast<size_t>(t)];
}

void AppendCondition(std::string& out, const TraceCondition& c,
                     std::string_view indent, const TraceWords& w,
                     const EntitySchema* schema, bool zh) {
  out += fmt::format("{}[{}] {}", indent, TruthWord(w, c.result), c.expr);
  if (!c.clause.empty())
    out += fmt::format(fmt::runtime(zh ? "（{}）" : "  ({})"), c.clause);
  out += '\n';
  for (const TraceRead& r : c.reads) {
    std::string_view name = r.name;
    if (zh && schema != nullptr) name = FieldTitle(*schema, r.name);
    out += fmt::format(
        fmt::runtime(zh ? "{}      {}({}年) = {}\n" : "{}      {}@{} = {}\n"),
        indent, name, r.year, r.value);
  }
}

}  // namespace

std::string TraceToText(const Decision& d, const Renderer& words) {
  const bool zh = words.lang() == Lang::kZh;
  const TraceWords& w = zh ? kChinese : kEnglish;
  const RuleSet& rules = words.rules();
  const EntitySchema* schema = rules.FindEntity(d.entity_kind);
  std::string out = fmt::format(
      "{} {} — {} {}\n", d.year, d.rule,
      zh ? words.EntityKind(d) : std::string_view(d.entity_kind), d.entity_id);
  for (const RuleInfo& info : rules.rules()) {
    if (info.id != d.rule) continue;
    out += fmt::format("  {} [{}]\n", info.title, info.citation.clause);
    if (!info.citation.text.empty())
      out += fmt::format(fmt::runtime(zh ? "  {}：{}\n" : "  {}: {}\n"),
                         w.clause, info.citation.text);
  }
  out += fmt::format(fmt::runtime(zh ? "  {}：{}" : "  {}: {}"), w.outcome,
                     words.Outcome(d.outcome));
  if (!d.tier.empty())
    out += fmt::format(fmt::runtime(zh ? "，{}" : ", {}"), words.TierName(d));
  if (d.outcome == Outcome::kEligible) {
    out +=
        fmt::format(fmt::runtime(zh ? "，{}" : ", {}"), words.Award(d.award));
    if (d.amount) {
      out += zh ? " " + ChineseAmount(*d.amount)
                : fmt::format(" {} yuan", d.amount->ToFixed(2));
    }
    if (!d.payer.empty())
      out += fmt::format(fmt::runtime(zh ? "，{}：{}" : ", {} {}"), w.paid_by,
                         d.payer);
  }
  out += fmt::format(fmt::runtime(zh ? "\n  {}：{}\n" : "\n  {}: {}\n"),
                     w.reason, words.Reason(d));
  for (const std::string& n : d.notes)
    out +=
        fmt::format(fmt::runtime(zh ? "  {}：{}\n" : "  {}: {}\n"), w.note, n);
  if (d.trace == nullptr) return out;
  const Trace& t = *d.trace;
  const char* colon = zh ? "：" : ":";
  if (!t.applies.empty()) {
    out += fmt::format("  {}{}\n", w.applies, colon);
    for (const TraceCondition& c : t.applies)
      AppendCondition(out, c, "    ", w, schema, zh);
  }
  if (!t.tiers.empty()) {
    out += fmt::format("  {}{}\n", w.tiers, colon);
    for (const TraceTier& tier : t.tiers) {
      out += fmt::format(
          "    {}: {}", tier.id.empty() ? w.conditions : tier.id,
          tier.evaluated ? TruthWord(w, tier.result) : w.not_evaluated);
      if (!tier.note.empty()) out += fmt::format(" — {}", tier.note);
      out += '\n';
      for (const TraceCondition& c : tier.conditions)
        AppendCondition(out, c, "      ", w, schema, zh);
    }
  }
  if (!t.history.empty()) {
    out += fmt::format("  {}{}\n", w.history, colon);
    for (const std::string& h : t.history) out += fmt::format("    {}\n", h);
  }
  for (const TraceCondition& c : t.notes) {
    out += fmt::format("  {}{}\n", w.note_because, colon);
    AppendCondition(out, c, "    ", w, schema, zh);
  }
  return out;
}

}  // namespace eligo
