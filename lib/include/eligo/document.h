// A document of a rule set for people who do not read YAML: each rule with
// its citation, its conditions in plain words, its tiers, award, payer and
// frequency limit, then the parameters and derived values it uses.
#ifndef ELIGO_DOCUMENT_H_
#define ELIGO_DOCUMENT_H_

#include <string>

#include "eligo/rule_set.h"

namespace eligo {

// The formats DescribeRuleSet can write.
enum class DocFormat {
  kMarkdown,  // CommonMark with pipe tables
  kHtml,      // one self-contained UTF-8 HTML file with an inline style sheet
};

// Describes `rules` in `format`. The result depends on the rule set alone
// (no dates, paths or versions), so the same rules always give the same
// bytes and a shipped document can be compared with a fresh one.
std::string DescribeRuleSet(const RuleSet& rules, DocFormat format);

}  // namespace eligo

#endif  // ELIGO_DOCUMENT_H_
