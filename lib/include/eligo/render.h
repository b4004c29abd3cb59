// Renderer: the words people read about decisions, in Chinese or English.
// Deciding builds no strings; a decision's reason, its missing inputs and
// the words for outcomes and awards are made here, when they are written.
#ifndef ELIGO_RENDER_H_
#define ELIGO_RENDER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/decision.h"
#include "eligo/rule_set.h"

namespace eligo {

// The language of what people read. Programs read JSON Lines, whose keys
// and values stay in English whatever the language.
enum class Lang : unsigned char { kEn, kZh };

// "en" or "zh"; nullopt for anything else.
std::optional<Lang> ParseLang(std::string_view text);
const char* LangName(Lang lang);  // "en", "zh"

// How amounts are shown to people: in yuan ("5500000.00"), or in 万元
// ("550.00"). Amounts in JSON Lines are always in yuan.
enum class AmountUnit : unsigned char { kYuan, kWan };
std::optional<AmountUnit> ParseAmountUnit(std::string_view text);  // 元, 万元

class Renderer {
 public:
  // `rules` must outlive the renderer.
  Renderer(const RuleSet& rules, Lang lang,
           AmountUnit unit = AmountUnit::kYuan);

  Lang lang() const { return lang_; }
  const RuleSet& rules() const { return rules_; }

  // The decision's reason on one line, appended to `out`. Given the
  // entity's panel, a Chinese reason shows the values the conditions
  // compared (年销售收入 5.5亿元 ≥ 5亿元).
  void AppendReason(const Decision& d, std::string& out,
                    const Panel* panel = nullptr) const;
  std::string Reason(const Decision& d) const;
  // The inputs an undetermined decision lacks, one text each
  // ("local_tax@2018" in English, "地方税收(2018年)缺失" in Chinese).
  std::vector<std::string> Missing(const Decision& d) const;

  std::string_view Outcome(eligo::Outcome o) const;  // 符合, eligible, ...
  std::string_view Award(AwardKind k) const;         // 资金, money, ...
  // The rule's name for people: its title in Chinese (its id if it has
  // none), its id in English.
  std::string_view RuleName(const Decision& d) const;
  std::string_view RuleName(std::string_view rule_id) const;
  // An input field or parameter as named for people (its Chinese header).
  std::string_view InputName(std::string_view name) const;
  AmountUnit amount_unit() const { return unit_; }
  // The tier (or tiers, joined by '+') as named for people: tier titles in
  // Chinese where the rule file gives them.
  std::string TierName(const Decision& d) const;
  std::string_view EntityKind(const Decision& d) const;
  // An amount in the renderer's unit, two places: "1000000.00" in yuan,
  // "100.00" in 万元.
  std::string Amount(const Decimal& yuan) const;
  // The column headers of a decisions CSV, comma-separated.
  std::string_view CsvHeader() const;

 private:
  const RuleSet& rules_;
  Lang lang_;
  AmountUnit unit_;
};

// The decision and its trace (when it has one) as indented text for an
// auditor: the clause, the outcome, the reason, each condition with the
// values it read, the earlier awards consulted.
std::string TraceToText(const Decision& decision, const Renderer& words);

// A field's name for people: its first alias beyond ASCII (the Chinese
// header), else its name; `name` itself when the schema has no such field.
std::string_view FieldTitle(const EntitySchema& schema, std::string_view name);

// An amount as a clerk says it, in the largest unit that keeps it short
// and exact: 550000000 is "5.5亿元", 6000000 "600万元", 1234.5 "1234.50元".
std::string ChineseAmount(const Decimal& yuan);

}  // namespace eligo

#endif  // ELIGO_RENDER_H_
