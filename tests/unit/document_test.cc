// The rule-set document (eligo doc): what it says about the shipped rules,
// expressions in plain words, escaping, and that it is deterministic.
#include "eligo/document.h"

#include <doctest/doctest.h>

#include <string>

#include "test_util.h"

namespace eligo::testing {
namespace {

// The text of `doc` from the line holding `start` up to the next line that
// starts with `end` (or the end of the document).
std::string Section(const std::string& doc, const std::string& start,
                    const std::string& end) {
  size_t from = doc.find(start);
  REQUIRE_MESSAGE(from != std::string::npos, start);
  size_t to = doc.find("\n" + end, from + start.size());
  return doc.substr(from,
                    to == std::string::npos ? std::string::npos : to - from);
}

// The Markdown table row of `tier` in `section`.
std::string Row(const std::string& section, const std::string& tier) {
  size_t from = section.find("\n| " + tier);
  REQUIRE_MESSAGE(from != std::string::npos, tier);
  return section.substr(from + 1, section.find('\n', from + 1) - from - 1);
}

TEST_CASE("document: R1's tiers, thresholds in yuan and 万元, limit") {
  std::string md = DescribeRuleSet(*LoadShipped(), DocFormat::kMarkdown);
  std::string r1 = Section(md, "## R1: “十百千”亿级培育企业规模奖励", "## ");
  CHECK(r1.find("- **Rule id:** scale-tier-award") != std::string::npos);
  CHECK(r1.find("- **Clause:** 四(六)2") != std::string::npos);
  CHECK(r1.find("> 对列入“十百千”亿级培育的企业,2017年至2020年底期间") !=
        std::string::npos);
  CHECK(r1.find("from policy_first_year (2017) to policy_last_year (2020)") !=
        std::string::npos);
  CHECK(r1.find("in_cultivation_list (十百千培育企业) is true — clause: "
                "对列入“十百千”亿级培育的企业") != std::string::npos);
  CHECK(r1.find("**Which tier counts:** the first tier that is met, in the "
                "order listed") != std::string::npos);
  CHECK(r1.find("**Frequency limit:** only a tier higher than every tier "
                "already paid") != std::string::npos);
  CHECK(r1.find("| tier | conditions | award | amount (yuan) | amount (万元) "
                "| payer |") != std::string::npos);

  std::string tier3 = Row(r1, "tier3");
  CHECK(tier3.find("sales_revenue (年销售收入) is at least "
                   "1,000,000,000.00 yuan (100,000 万元) — clause: "
                   "年销售收入达到10亿元级") != std::string::npos);
  CHECK(tier3.find("<br>and local_tax (地方税收) is at least 10,000,000.00 "
                   "yuan (1,000 万元)") != std::string::npos);
  CHECK(tier3.find("| money | 1,000,000.00 | 100 | county_government "
                   "(defined under Derived values) |") != std::string::npos);
  CHECK(Row(r1, "tier1").find("| 100,000.00 | 10 |") != std::string::npos);
}

TEST_CASE("document: stages, run-time parameters, notes, derived values") {
  std::string md = DescribeRuleSet(*LoadShipped(), DocFormat::kMarkdown);
  std::string r2 = Section(md, "## R2:", "## ");
  CHECK(r2.find("upgrade_year (升规年度) is given") != std::string::npos);
  CHECK(r2.find("**Frequency limit:** once per tier") != std::string::npos);
  CHECK(r2.find("- **year4:** decided in the year upgrade_year (升规年度) "
                "plus growth_window_offset (1) plus 3") != std::string::npos);
  CHECK(r2.find("in every year from upgrade_year (升规年度) plus "
                "growth_window_offset (1) to the current year, "
                "revenue_growth (defined under Derived values) is more than "
                "city_industrial_revenue_growth (supplied at run time)") !=
        std::string::npos);
  CHECK(r2.find("- **When the current year is more than policy_last_year "
                "(2020):** 支付年度在政策暂定适用期") != std::string::npos);

  std::string r3 = Section(md, "## R3:", "## ");
  CHECK(
      r3.find("**Award:** money, 500,000.00 yuan (50 万元); payer: 市财政.") !=
      std::string::npos);
  CHECK(r3.find("**Frequency limit:** once per entity") != std::string::npos);

  std::string params = Section(md, "## Parameters", "## ");
  CHECK(params.find("| lender_industrial_share | ratio | 10% | 四(六)5 | "
                    "投向本地新增贷款额度10%以上用于工业实体 |  |") !=
        std::string::npos);
  CHECK(params.find("| city_industrial_revenue_growth | ratio | supplied at "
                    "run time |") != std::string::npos);

  std::string derived = Section(md, "## Derived values", "## ");
  CHECK(derived.find("(sales_revenue (年销售收入) minus sales_revenue in the "
                     "previous year) divided by sales_revenue in the previous "
                     "year") != std::string::npos);
  CHECK(derived.find(
            "if county (所属县区) is \"市直\" then \"漯河市人民政府\", "
            "otherwise county followed by \"人民政府\"") != std::string::npos);
}

TEST_CASE("document: the same rules give the same bytes") {
  std::shared_ptr<const RuleSet> rules = LoadShipped();
  for (DocFormat format : {DocFormat::kMarkdown, DocFormat::kHtml}) {
    CHECK(DescribeRuleSet(*rules, format) == DescribeRuleSet(*rules, format));
  }
  CHECK(DescribeRuleSet(*LoadShipped(), DocFormat::kHtml) ==
        DescribeRuleSet(*rules, DocFormat::kHtml));
}

constexpr const char* kOddRules = R"(eligo: 1
ruleset: {id: odd, title: 'Odd & "quoted" <rules>'}
entities:
  firm:
    key: code
    period: year
    fields:
      code: {type: text}
      year: {type: year}
      revenue: {type: money, alias: [收入]}
      share: {type: ratio}
      listed: {type: boolean}
      county: {type: text}
parameters:
  base:
    type: money
    by_year: {2017..2018: 5万元, 2019: 8万元}
    value: 1万元
    citation: {clause: 第五条, text: 奖励|标准}
rules:
  - id: odd
    title: 奖励 <script>
    citation: {clause: 一, text: "收入 < 1亿元 & 其他"}
    entity: firm
    years: 2018
    applies:
      - {expr: not listed, clause: a|b}
      - 'not (revenue >= 1亿元 or share < 10%)'
    hit: collect
    limit: top-up
    tiers:
      - id: a
        when:
          - revenue@2017 > revenue@(year - 2) + 1元
          - 'not all(2017 .. year, share > 0.5)'
          - 'count(2017 .. year, listed) >= 2'
        award: {kind: money, amount: 'round(revenue * 1%, 2, half_even)', payer: 市财政}
      - id: b
        award: {kind: money, amount: base, payer: 市财政}
)";

TEST_CASE("document: expressions in words") {
  LoadResult loaded = LoadText(kOddRules);
  REQUIRE_MESSAGE(loaded.ok(), Dump(loaded));
  std::string md = DescribeRuleSet(*loaded.rule_set, DocFormat::kMarkdown);
  CHECK(md.find("- **Years:** only 2018") != std::string::npos);
  CHECK(md.find("- listed is false — clause: a|b") != std::string::npos);
  CHECK(md.find("- not (revenue (收入) is at least 100,000,000.00 yuan "
                "(10,000 万元) or share is less than 10%)") !=
        std::string::npos);
  CHECK(md.find("revenue (收入) in 2017 is more than revenue 2 years earlier "
                "plus 1.00 yuan (0.0001 万元)") != std::string::npos);
  CHECK(md.find("<br>and in some year from 2017 to the current year, share "
                "is at most 50%") != std::string::npos);
  CHECK(md.find("the number of years from 2017 to the current year in which "
                "listed is true") != std::string::npos);
  CHECK(md.find("revenue (收入) times 1% rounded to 2 decimal places, half to "
                "even") == std::string::npos);  // the operand is bracketed
  CHECK(md.find("(revenue (收入) times 1%) rounded to 2 decimal places, half "
                "to even") != std::string::npos);
  CHECK(md.find("**Frequency limit:** top-up: pays the difference to what "
                "was already paid") != std::string::npos);
  CHECK(md.find("| a (rank 2) |") != std::string::npos);
  CHECK(md.find("| b (rank 1) | always | money | base (set by year, see "
                "Parameters) | — | 市财政 |") != std::string::npos);
  CHECK(md.find("| base | money | 2017–2018: 50,000.00 yuan (5 万元)<br>"
                "2019: 80,000.00 yuan (8 万元)<br>other years: 10,000.00 yuan "
                "(1 万元) | 第五条 | 奖励\\|标准 |") != std::string::npos);
}

TEST_CASE("document: escaping") {
  LoadResult loaded = LoadText(kOddRules);
  REQUIRE_MESSAGE(loaded.ok(), Dump(loaded));
  std::string html = DescribeRuleSet(*loaded.rule_set, DocFormat::kHtml);
  CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                   "<meta charset=\"utf-8\">",
                   0) == 0);
  CHECK(html.find("<style>") != std::string::npos);
  CHECK(
      html.find("<title>Odd &amp; &quot;quoted&quot; &lt;rules&gt;</title>") !=
      std::string::npos);
  CHECK(html.find("<blockquote lang=\"zh-CN\">收入 &lt; 1亿元 &amp; "
                  "其他</blockquote>") != std::string::npos);
  CHECK(html.find("奖励 &lt;script&gt;") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<rules>") == std::string::npos);
  // Self-contained: nothing is loaded from elsewhere.
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("href=") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  const std::string end = "</body>\n</html>\n";
  CHECK(html.size() >= end.size());
  CHECK(html.substr(html.size() - end.size()) == end);

  std::string md = DescribeRuleSet(*loaded.rule_set, DocFormat::kMarkdown);
  CHECK(md.find("> 收入 \\< 1亿元 & 其他") != std::string::npos);
  CHECK(md.find("## R1: 奖励 \\<script\\>") != std::string::npos);
  CHECK(md.find("| 第五条 | 奖励\\|标准 |") != std::string::npos);
}

}  // namespace
}  // namespace eligo::testing
