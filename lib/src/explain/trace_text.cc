// Rendering a decision and its trace as text an auditor can read without
// knowing the rule file.
#include <fmt/format.h>

#include "eligo/decision.h"
#include "eligo/render.h"

namespace eligo {
namespace {

void AppendCondition(std::string& out, const TraceCondition& c,
                     std::string_view indent) {
  out += fmt::format("{}[{}] {}", indent, ToString(c.result), c.expr);
  if (!c.clause.empty()) out += fmt::format("  ({})", c.clause);
  out += '\n';
  for (const TraceRead& r : c.reads) {
    out += fmt::format("{}      {}@{} = {}\n", indent, r.name, r.year, r.value);
  }
}

}  // namespace

std::string TraceToText(const Decision& d, const RuleSet& rules) {
  std::string out = fmt::format("{} {} — {} {}\n", d.year, d.rule,
                                d.entity_kind, d.entity_id);
  for (const RuleInfo& info : rules.rules()) {
    if (info.id != d.rule) continue;
    out += fmt::format("  {} [{}]\n", info.title, info.citation.clause);
    if (!info.citation.text.empty())
      out += fmt::format("  clause: {}\n", info.citation.text);
  }
  out += fmt::format("  outcome: {}", ToString(d.outcome));
  if (!d.tier.empty()) out += fmt::format(", {}", d.tier);
  if (d.outcome == Outcome::kEligible) {
    out += fmt::format(", {}", ToString(d.award));
    if (d.amount) out += fmt::format(" {} yuan", d.amount->ToFixed(2));
    if (!d.payer.empty()) out += fmt::format(", paid by {}", d.payer);
  }
  out += fmt::format("\n  reason: {}\n", Renderer(rules, Lang::kEn).Reason(d));
  for (const std::string& n : d.notes) out += fmt::format("  note: {}\n", n);
  if (d.trace == nullptr) return out;
  const Trace& t = *d.trace;
  if (!t.applies.empty()) {
    out += "  applies when:\n";
    for (const TraceCondition& c : t.applies) AppendCondition(out, c, "    ");
  }
  if (!t.tiers.empty()) {
    out += "  tiers:\n";
    for (const TraceTier& tier : t.tiers) {
      out +=
          fmt::format("    {}: {}", tier.id.empty() ? "conditions" : tier.id,
                      tier.evaluated ? ToString(tier.result) : "not evaluated");
      if (!tier.note.empty()) out += fmt::format(" — {}", tier.note);
      out += '\n';
      for (const TraceCondition& c : tier.conditions)
        AppendCondition(out, c, "      ");
    }
  }
  if (!t.history.empty()) {
    out += "  history consulted:\n";
    for (const std::string& h : t.history) out += fmt::format("    {}\n", h);
  }
  for (const TraceCondition& c : t.notes) {
    out += "  note because:\n";
    AppendCondition(out, c, "    ");
  }
  return out;
}

}  // namespace eligo
