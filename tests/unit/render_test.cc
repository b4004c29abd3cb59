// The renderer: every kind of cause and of gap in English (the words of
// eligo 1.x) and in Chinese, for decisions of the shipped rules.
#include "eligo/render.h"

#include <doctest/doctest.h>

#include <string>

#include "test_util.h"

namespace eligo::testing {
namespace {

// Rule indexes in rules/luohe-2017.yaml, and tiers within them.
constexpr int kScale = 0, kGrowth = 1, kHightech = 2;
constexpr int kTier3 = 0, kTier2 = 1, kTier1 = 2;

struct Words {
  std::string en, zh;
};

Words Render(const Decision& d) {
  static std::shared_ptr<const RuleSet> rules = LoadShipped();
  return {Renderer(*rules, Lang::kEn).Reason(d),
          Renderer(*rules, Lang::kZh).Reason(d)};
}

Decision Make(int rule, Cause::Kind kind, const std::string& tier = "") {
  static const char* kIds[] = {"scale-tier-award", "upgrade-growth-award",
                               "new-hightech-award"};
  Decision d;
  d.rule = kIds[rule];
  d.rule_index = rule;
  d.entity_kind = "enterprise";
  d.entity_id = "91411102MA3X4K7P2F";
  d.year = 2018;
  d.tier = tier;
  d.cause.kind = kind;
  return d;
}

Gap Input(Gap::Kind kind, int symbol, std::string_view name, int year) {
  Gap g;
  g.kind = kind;
  g.symbol = symbol;
  g.name = name;
  g.year = year;
  return g;
}

TEST_CASE("causes of ineligible decisions, in English and Chinese") {
  Decision d = Make(kScale, Cause::Kind::kOutsideYears);
  d.cause.first = 2017;
  d.cause.last = 2020;
  d.year = 2021;
  Words w = Render(d);
  CHECK(w.en == "the rule covers 2017..2020; 2021 is outside");
  CHECK(w.zh == "本规则适用于2017—2020年，2021年不在其内");

  d = Make(kHightech, Cause::Kind::kDoesNotApply);
  d.cause.condition = 0;
  w = Render(d);
  CHECK(w.en == "does not apply: `new_national_hte` is false");
  CHECK(w.zh == "不适用：新认定国家级高新技术企业（新认定国家级高新技术企业）");

  d = Make(kScale, Cause::Kind::kNotReached);
  d.cause.tier = kTier1;
  d.cause.condition = 1;
  w = Render(d);
  CHECK(w.en == "no tier reached: `local_tax >= 200万元` is false");
  CHECK(w.zh ==
        "未达到任何档次：地方税收 未达到 200万元（上缴地方税收达到200万元）");

  w = Render(Make(kScale, Cause::Kind::kNoTierMatched));
  CHECK(w.en == "no tier matched");
  CHECK(w.zh == "未达到任何档次");

  d = Make(kGrowth, Cause::Kind::kNoStage);
  d.cause.stage_years = {2019, 2022};
  w = Render(d);
  CHECK(w.en == "no stage is decided in 2018 (year1 in 2019, year4 in 2022)");
  CHECK(
      w.zh ==
      "2018年不是任何阶段的认定年度（升规后第一年在2019年，连续四年在2022年）");

  d = Make(kScale, Cause::Kind::kOnce);
  d.cause.earlier_year = 2017;
  w = Render(d);
  CHECK(w.en == "once per enterprise: already awarded in 2017");
  CHECK(w.zh == "每个企业限享受一次：已于2017年获得奖励");

  d = Make(kGrowth, Cause::Kind::kOncePerTier, "year1");
  d.cause.earlier_year = 2017;
  d.cause.earlier_tier = "year1";
  w = Render(d);
  CHECK(w.en == "once per tier: year1 was awarded in 2017");
  CHECK(w.zh == "每档限享受一次：升规后第一年已于2017年获得");

  d = Make(kScale, Cause::Kind::kNotHigher, "tier2");
  d.cause.earlier_year = 2017;
  d.cause.earlier_tier = "tier3";
  w = Render(d);
  CHECK(w.en ==
        "tier2 reached, but tier3 was awarded in 2017; a tier is paid only if "
        "higher than every tier paid before");
  CHECK(w.zh ==
        "达到5亿元级，但10亿元级已于2017年获得；只有高于此前所获各档才予奖励");

  d = Make(kScale, Cause::Kind::kNothingLeft, "tier2");
  d.cause.value = D("500000");
  w = Render(d);
  CHECK(w.en ==
        "tier2 reached, but 500000.00 was already paid under this rule");
  CHECK(w.zh == "达到5亿元级，但本规则下此前已支付50万元，无差额可补");
}

TEST_CASE("causes of eligible decisions name the conditions met") {
  Decision d = Make(kScale, Cause::Kind::kReached, "tier2");
  d.cause.tier = kTier2;
  Words w = Render(d);
  CHECK(w.en ==
        "tier2 reached: sales_revenue >= 5亿元 and local_tax >= 500万元");
  CHECK(w.zh == "达到5亿元级：年销售收入 达到 5亿元；地方税收 达到 500万元");

  d.cause.value = D("100000");  // top-up after an earlier tier
  w = Render(d);
  CHECK(w.en ==
        "tier2 reached: sales_revenue >= 5亿元 and local_tax >= 500万元; pays "
        "the difference after 100000.00 already paid");
  CHECK(w.zh ==
        "达到5亿元级：年销售收入 达到 5亿元；地方税收 达到 500万元；"
        "此前已支付10万元，补足差额");

  d = Make(kHightech, Cause::Kind::kConditionsMet);
  d.cause.tier = 0;
  w = Render(d);
  CHECK(w.en == "conditions met: new_national_hte");
  CHECK(w.zh == "条件均满足：新认定国家级高新技术企业");
}

TEST_CASE("causes of undetermined decisions name every gap") {
  Decision d = Make(kScale, Cause::Kind::kUndetermined);
  d.cause.question = Cause::Question::kTier;
  d.cause.tier = kTier3;
  // Field indexes of the enterprise kind: 4 sales_revenue, 5 local_tax.
  d.gaps = {Input(Gap::Kind::kMissing, 5, "local_tax", 2018),
            Input(Gap::Kind::kEmpty, 4, "sales_revenue", 2018),
            Input(Gap::Kind::kNoRow, 4, "sales_revenue", 2017),
            Input(Gap::Kind::kConflict, 4, "sales_revenue", 2016)};
  Gap unreadable = Input(Gap::Kind::kUnreadable, 5, "local_tax", 2015);
  unreadable.detail = "\"abc\" at enterprises.csv:8 could not be read";
  d.gaps.push_back(unreadable);
  Words w = Render(d);
  CHECK(w.en ==
        "cannot tell whether tier3 is reached: local_tax@2018; "
        "sales_revenue@2018 (empty); sales_revenue@2017 (no row for 2017); "
        "sales_revenue@2016 (duplicate rows for 2016); local_tax@2015: \"abc\" "
        "at enterprises.csv:8 could not be read");
  CHECK(
      w.zh ==
      "无法确定是否达到10亿元级：地方税收(2018年)缺失；年销售收入(2018年)为空；"
      "年销售收入(2017年)缺失：没有2017年的数据行；"
      "年销售收入(2016年)无法确定：2016年有重复的数据行；"
      "地方税收(2015年)无法读取：\"abc\" at enterprises.csv:8 could not be "
      "read");
  std::shared_ptr<const RuleSet> rules = LoadShipped();
  CHECK(Renderer(*rules, Lang::kEn).Missing(d).size() == 5);

  // Arithmetic gaps come after the inputs, and are not "missing": a growth
  // rate over a zero revenue, with the city's average not supplied.
  std::vector<Rendered> ds = Score(rules, ParamValues{}, "enterprise",
                                   {{{"credit_code", "91411100MA44N7XK4A"},
                                     {"year", "2018"},
                                     {"sales_revenue", "0"},
                                     {"upgrade_year", "2018"}},
                                    {{"credit_code", "91411100MA44N7XK4A"},
                                     {"year", "2019"},
                                     {"sales_revenue", "5000000"},
                                     {"upgrade_year", "2018"}}});
  const Decision& growth = Find(ds, "upgrade-growth-award", 2019);
  w = Render(growth);
  CHECK(w.en ==
        "cannot tell whether year1 is reached: "
        "city_industrial_revenue_growth@2019 (no value supplied); division by "
        "zero: `sales_revenue@(year - 1)` is 0 in 2019");
  CHECK(
      w.zh ==
      "无法确定是否达到升规后第一年：参数city_industrial_revenue_growth(2019年)"
      "未提供；除数为零：2019年`sales_revenue@(year - 1)`为0");
  CHECK(Renderer(*rules, Lang::kZh).Missing(growth) ==
        std::vector<std::string>{
            "参数city_industrial_revenue_growth(2019年)未提供"});

  struct Question {
    Cause::Question q;
    const char* en;
    const char* zh;
  };
  for (const Question& q :
       {Question{Cause::Question::kYears,
                 "cannot tell which years the rule covers: ",
                 "无法确定本规则适用的年度："},
        Question{Cause::Question::kApplies,
                 "cannot tell whether the rule applies: ",
                 "无法确定本规则是否适用："},
        Question{Cause::Question::kStage,
                 "cannot tell which stage is decided: ",
                 "无法确定当年认定哪一阶段："},
        Question{Cause::Question::kAmount,
                 "cannot tell the amount: ", "无法确定金额："},
        Question{Cause::Question::kPayer,
                 "cannot tell the payer: ", "无法确定支付单位："}}) {
    d = Make(kScale, Cause::Kind::kUndetermined);
    d.cause.question = q.q;
    w = Render(d);
    CHECK(w.en == q.en);
    CHECK(w.zh == q.zh);
  }
}

TEST_CASE("rule errors and decisions held by an earlier one") {
  Decision d = Make(kScale, Cause::Kind::kUniqueConflict);
  d.cause.tier = kTier2;
  d.cause.other_tier = kTier1;
  Words w = Render(d);
  CHECK(
      w.en ==
      "rule error: hit policy `unique`, but tiers tier2 and tier1 both match");
  CHECK(w.zh == "规则错误：命中策略为 unique，但5亿元级与1亿元级同时满足");

  d = Make(kScale, Cause::Kind::kNonPositive, "tier1");
  d.cause.value = D("-200");
  w = Render(d);
  CHECK(w.en == "rule error: the amount of tier1 is -200.00");
  CHECK(w.zh == "规则错误：1亿元级的金额为-200元");

  d = Make(kScale, Cause::Kind::kUnsettledEarlier, "tier1");
  d.cause.earlier_year = 2017;
  d.gaps = {Input(Gap::Kind::kMissing, 5, "local_tax", 2017)};
  w = Render(d);
  CHECK(w.en ==
        "cannot tell whether tier1 may be paid: the decision of 2017 under "
        "this rule is undetermined for want of local_tax@2017");
  CHECK(w.zh ==
        "无法确定能否给予1亿元级：本规则2017年的决定待定，缺少地方税收(2017年)"
        "缺失");

  d = Make(kHightech, Cause::Kind::kUnplacedRow);
  d.cause.detail = "enterprises.csv:9: year `20l8` could not be read";
  w = Render(d);
  CHECK(w.en ==
        "cannot tell whether new-hightech-award may be paid: "
        "enterprises.csv:9: year `20l8` could not be read");
  CHECK(w.zh ==
        "无法确定能否给予新认定国家级高新技术企业奖补：enterprises.csv:9: year "
        "`20l8` could not be read");
}

TEST_CASE("Chinese amounts: the largest unit that keeps them exact") {
  CHECK(ChineseAmount(D("550000000")) == "5.5亿元");
  CHECK(ChineseAmount(D("6000000")) == "600万元");
  CHECK(ChineseAmount(D("47205580")) == "4720.558万元");
  // Beyond four places in 亿 or 万 it reads better in yuan.
  CHECK(ChineseAmount(D("123456789.01")) == "123456789.01元");
  CHECK(ChineseAmount(D("1234.5")) == "1234.50元");
  CHECK(ChineseAmount(D("0")) == "0元");
  CHECK(ChineseAmount(D("-200")) == "-200元");
  std::shared_ptr<const RuleSet> rules = LoadShipped();
  Renderer wan(*rules, Lang::kZh, AmountUnit::kWan);
  CHECK(wan.Amount(D("1000000")) == "100.00");
  CHECK(wan.Amount(D("12345.67")) == "1.234567");
  CHECK(wan.Amount(D("0.01")) == "0.000001");
  CHECK(Renderer(*rules, Lang::kZh).Amount(D("12345.67")) == "12345.67");
}

}  // namespace
}  // namespace eligo::testing
