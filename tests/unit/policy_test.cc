// The shipped Luohe 2017 rules against every edge case named in
// shared/policy/INTERPRETATION.md.
#include <doctest/doctest.h>

#include "test_util.h"

namespace eligo::testing {
namespace {

RowText Enterprise(int year, const std::string& revenue, const std::string& tax,
                   bool listed = true) {
  return {{"credit_code", "91411100MA44N7XK4A"},
          {"county", "源汇区"},
          {"year", std::to_string(year)},
          {"sales_revenue", revenue},
          {"local_tax", tax},
          {"in_cultivation_list", listed ? "是" : "否"}};
}

TEST_CASE("R1 thresholds are met exactly, to the fen") {
  auto rules = LoadShipped();
  auto ds = Score(rules, FlatGrowth(), "enterprise",
                  {Enterprise(2017, "100000000.00", "2000000.00"),
                   Enterprise(2018, "99999999.99", "9000000")});
  const auto& met = Find(ds, "scale-tier-award", 2017);
  CHECK(met.outcome == Outcome::kEligible);
  CHECK(met.tier == "tier1");
  REQUIRE(met.amount.has_value());
  CHECK(*met.amount == D("100000"));
  CHECK(met.payer == "源汇区人民政府");
  CHECK(met.citation == "四(六)2");
  const auto& short_by_a_fen = Find(ds, "scale-tier-award", 2018);
  CHECK(short_by_a_fen.outcome == Outcome::kIneligible);
  CHECK(short_by_a_fen.reason.find("sales_revenue >= 1亿元") !=
        std::string::npos);
}

TEST_CASE("R1 needs both figures of the same year") {
  auto rules = LoadShipped();
  auto ds = Score(rules, FlatGrowth(), "enterprise",
                  {Enterprise(2017, "600000000", "3000000")});
  const auto& d = Find(ds, "scale-tier-award", 2017);
  CHECK(d.outcome == Outcome::kEligible);
  CHECK(d.tier == "tier1");  // revenue reaches tier2, tax only tier1
}

TEST_CASE("R1 tier1 then tier3 pays both; tier2 is skipped") {
  auto rules = LoadShipped();
  auto ds = Score(rules, FlatGrowth(), "enterprise",
                  {Enterprise(2017, "150000000", "2500000"),
                   Enterprise(2018, "1200000000", "12000000")});
  CHECK(Find(ds, "scale-tier-award", 2017).amount == D("100000"));
  const auto& d = Find(ds, "scale-tier-award", 2018);
  CHECK(d.outcome == Outcome::kEligible);
  CHECK(d.tier == "tier3");
  CHECK(d.amount == D("1000000"));
}

TEST_CASE("R1 tier3 then tier2: the lower tier is never paid") {
  auto rules = LoadShipped();
  auto ds = Score(rules, FlatGrowth(), "enterprise",
                  {Enterprise(2017, "1200000000", "12000000"),
                   Enterprise(2018, "600000000", "6000000"),
                   Enterprise(2019, "1300000000", "13000000")},
                  {}, /*trace=*/true);
  CHECK(Find(ds, "scale-tier-award", 2017).tier == "tier3");
  const auto& lower = Find(ds, "scale-tier-award", 2018);
  CHECK(lower.outcome == Outcome::kIneligible);
  CHECK(lower.tier == "tier2");
  CHECK(lower.reason.find("tier3 was awarded in 2017") != std::string::npos);
  REQUIRE(lower.trace != nullptr);
  REQUIRE(lower.trace->history.size() == 1);
  CHECK(lower.trace->history[0] == "tier3 awarded in 2017 (1000000.00)");
  const Decision& again =
      Find(ds, "scale-tier-award", 2019);  // same tier again
  CHECK(again.outcome == Outcome::kIneligible);
}

TEST_CASE("R1 applies only to listed enterprises in 2017-2020") {
  auto rules = LoadShipped();
  auto ds = Score(rules, FlatGrowth(), "enterprise",
                  {Enterprise(2016, "200000000", "3000000"),
                   Enterprise(2017, "200000000", "3000000", false),
                   Enterprise(2021, "200000000", "3000000")});
  const auto& before = Find(ds, "scale-tier-award", 2016);
  CHECK(before.outcome == Outcome::kIneligible);
  CHECK(before.reason == "the rule covers 2017..2020; 2016 is outside");
  CHECK(Find(ds, "scale-tier-award", 2017).outcome == Outcome::kIneligible);
  CHECK(Find(ds, "scale-tier-award", 2017).reason ==
        "does not apply: `in_cultivation_list` is false");
  CHECK(Find(ds, "scale-tier-award", 2021).outcome == Outcome::kIneligible);
}

TEST_CASE("R1 with missing tax is undetermined and names the input") {
  auto rules = LoadShipped();
  auto ds = Score(rules, FlatGrowth(), "enterprise",
                  {Enterprise(2018, "150000000", "")});
  const auto& d = Find(ds, "scale-tier-award", 2018);
  CHECK(d.outcome == Outcome::kUndetermined);
  CHECK(d.missing == std::vector<std::string>{"local_tax@2018"});
  CHECK(d.amount == std::nullopt);
}

TEST_CASE(
    "R1 missing tax does not matter when revenue already fails every tier") {
  auto rules = LoadShipped();
  auto ds = Score(rules, FlatGrowth(), "enterprise",
                  {Enterprise(2018, "50000000", "")});
  CHECK(Find(ds, "scale-tier-award", 2018).outcome == Outcome::kIneligible);
}

TEST_CASE("R1 payer is the city government for city-administered enterprises") {
  auto rules = LoadShipped();
  RowText row = Enterprise(2017, "150000000", "2500000");
  row["county"] = "市直";
  auto ds = Score(rules, FlatGrowth(), "enterprise", {row});
  CHECK(Find(ds, "scale-tier-award", 2017).payer == "漯河市人民政府");
}

TEST_CASE("R1 history from an earlier run prevents a second payment") {
  auto rules = LoadShipped();
  std::vector<PastAward> history{
      {"scale-tier-award", "tier1", 2017, D("100000")}};
  auto ds = Score(rules, FlatGrowth(), "enterprise",
                  {Enterprise(2019, "150000000", "2500000")}, history);
  const auto& d = Find(ds, "scale-tier-award", 2019);
  CHECK(d.outcome == Outcome::kIneligible);
  CHECK(d.reason.find("tier1 was awarded in 2017") != std::string::npos);
}

// R2: an enterprise upgraded in U with revenue growing by `growth` a year.
std::vector<RowText> Upgraded(int upgrade, int first, int last,
                              const std::vector<std::string>& revenue) {
  std::vector<RowText> rows;
  for (int y = first; y <= last; ++y) {
    rows.push_back({{"credit_code", "91411100MA44N7XK4A"},
                    {"county", "郾城区"},
                    {"year", std::to_string(y)},
                    {"sales_revenue", revenue[static_cast<size_t>(y - first)]},
                    {"upgrade_year", std::to_string(upgrade)}});
  }
  return rows;
}

TEST_CASE(
    "R2 year1 and year4 stages pay when growth beats the city average every "
    "year") {
  auto rules = LoadShipped();
  // 2017..2021, growth 10% a year against a flat 8% city average.
  auto ds = Score(
      rules, FlatGrowth(), "enterprise",
      Upgraded(2017, 2017, 2021,
               {"20000000", "22000000", "24200000", "26620000", "29282000"}));
  const Decision& y1 = Find(ds, "upgrade-growth-award", 2018);
  CHECK(y1.outcome == Outcome::kEligible);
  CHECK(y1.tier == "year1");
  CHECK(y1.amount == D("100000"));
  CHECK(y1.payer == "郾城区人民政府");
  const auto& between = Find(ds, "upgrade-growth-award", 2019);
  CHECK(between.outcome == Outcome::kIneligible);
  CHECK(between.reason ==
        "no stage is decided in 2019 (year1 in 2018, year4 in 2021)");
  const Decision& y4 = Find(ds, "upgrade-growth-award", 2021);
  CHECK(y4.outcome == Outcome::kEligible);
  CHECK(y4.tier == "year4");
  CHECK(y4.amount == D("400000"));
  REQUIRE(y4.notes.size() == 1);
  CHECK(y4.notes[0].find("2017–2020") != std::string::npos);
  CHECK(Find(ds, "upgrade-growth-award", 2017).outcome == Outcome::kIneligible);
}

TEST_CASE("R2 growth equal to the city average is not enough") {
  auto rules = LoadShipped();
  auto ds = Score(rules, FlatGrowth("8%"), "enterprise",
                  Upgraded(2018, 2018, 2019, {"25000000", "27000000"}));
  const auto& d = Find(ds, "upgrade-growth-award", 2019);
  CHECK(d.outcome == Outcome::kIneligible);
  CHECK(d.tier == "year1");
  auto above = Score(rules, FlatGrowth("7.99%"), "enterprise",
                     Upgraded(2018, 2018, 2019, {"25000000", "27000000"}));
  CHECK(Find(above, "upgrade-growth-award", 2019).outcome ==
        Outcome::kEligible);
}

TEST_CASE(
    "R2 one year below the average fails year4 even with a later year "
    "missing") {
  auto rules = LoadShipped();
  auto ds =
      Score(rules, FlatGrowth(), "enterprise",
            Upgraded(2017, 2017, 2021,
                     {"20000000", "22000000", "22100000", "", "30000000"}));
  const Decision& y4 = Find(ds, "upgrade-growth-award", 2021);
  CHECK(y4.outcome ==
        Outcome::kIneligible);  // 2019 grew 0.45%: false decides `all`
}

TEST_CASE("R2 zero prior revenue makes growth undefined") {
  auto rules = LoadShipped();
  auto ds = Score(rules, FlatGrowth(), "enterprise",
                  Upgraded(2018, 2018, 2019, {"0", "5000000"}));
  const auto& d = Find(ds, "upgrade-growth-award", 2019);
  CHECK(d.outcome == Outcome::kUndetermined);
  CHECK(d.reason.find("division by zero") != std::string::npos);
  CHECK(d.reason.find("sales_revenue@(year - 1)") != std::string::npos);
}

TEST_CASE("R2 missing prior year or city average is undetermined, naming it") {
  auto rules = LoadShipped();
  auto no_prior = Score(rules, FlatGrowth(), "enterprise",
                        Upgraded(2018, 2019, 2019, {"5000000"}));
  CHECK(Find(no_prior, "upgrade-growth-award", 2019).missing ==
        std::vector<std::string>{"sales_revenue@2018 (no row for 2018)"});
  auto no_average = Score(rules, ParamValues{}, "enterprise",
                          Upgraded(2018, 2018, 2019, {"4000000", "5000000"}));
  CHECK(Find(no_average, "upgrade-growth-award", 2019).missing ==
        std::vector<std::string>{
            "city_industrial_revenue_growth@2019 (no value supplied)"});
}

TEST_CASE(
    "R2 does not apply to an upgrade before 2017 or to firms never upgraded") {
  auto rules = LoadShipped();
  auto early = Score(rules, FlatGrowth(), "enterprise",
                     Upgraded(2016, 2016, 2017, {"1000000", "2000000"}));
  CHECK(Find(early, "upgrade-growth-award", 2017).outcome ==
        Outcome::kIneligible);
  auto never = Score(rules, FlatGrowth(), "enterprise",
                     {Enterprise(2018, "1000000", "10")});
  CHECK(Find(never, "upgrade-growth-award", 2018).outcome ==
        Outcome::kIneligible);
  CHECK(Find(never, "upgrade-growth-award", 2018).reason ==
        "does not apply: `present(upgrade_year)` is false");
}

RowText HighTech(int year, bool recognised) {
  return {{"credit_code", "91411100MA44N7XK4A"},
          {"year", std::to_string(year)},
          {"new_national_hte", recognised ? "Y" : "N"}};
}

TEST_CASE("R3 pays once; a second recognition names the year already paid") {
  auto rules = LoadShipped();
  auto ds = Score(rules, FlatGrowth(), "enterprise",
                  {HighTech(2018, true), HighTech(2020, true)});
  const auto& first = Find(ds, "new-hightech-award", 2018);
  CHECK(first.outcome == Outcome::kEligible);
  CHECK(first.amount == D("500000"));
  CHECK(first.payer == "市财政");
  CHECK(first.tier.empty());
  REQUIRE(first.notes.size() == 1);
  CHECK(first.notes[0].find("豫政办〔2017〕86号") != std::string::npos);
  const auto& second = Find(ds, "new-hightech-award", 2020);
  CHECK(second.outcome == Outcome::kIneligible);
  CHECK(second.reason == "once per enterprise: already awarded in 2018");
}

TEST_CASE("R4 is a referral once; R5 a designation each year from 5亿") {
  auto rules = LoadShipped();
  RowText a = Enterprise(2018, "500000000", "1"),
          b = Enterprise(2019, "499999999.99", "1");
  a["new_headquarters"] = "yes";
  b["new_headquarters"] = "1";
  auto ds = Score(rules, FlatGrowth(), "enterprise", {a, b});
  const auto& hq = Find(ds, "headquarters-referral", 2018);
  CHECK(hq.outcome == Outcome::kEligible);
  CHECK(hq.award == AwardKind::kReferral);
  CHECK(hq.amount == std::nullopt);
  CHECK(hq.payer == "市政府");
  CHECK(Find(ds, "headquarters-referral", 2019).outcome ==
        Outcome::kIneligible);
  CHECK(Find(ds, "key-enterprise-service", 2018).award ==
        AwardKind::kDesignation);
  CHECK(Find(ds, "key-enterprise-service", 2018).outcome == Outcome::kEligible);
  CHECK(Find(ds, "key-enterprise-service", 2019).outcome ==
        Outcome::kIneligible);
}

RowText Lender(int year, const std::string& all,
               const std::string& industrial) {
  return {{"institution_code", "B0001"},
          {"year", std::to_string(year)},
          {"new_local_loans", all},
          {"new_local_industrial_loans", industrial}};
}

TEST_CASE("R6 lender ratio: exactly 10% is enough, zero loans undetermined") {
  auto rules = LoadShipped();
  auto ds = Score(rules, FlatGrowth(), "lender",
                  {Lender(2017, "3000000000", "300000000"),
                   Lender(2018, "3000000000", "299999999.99"),
                   Lender(2019, "0", "0"), Lender(2020, "", "5")});
  CHECK(Find(ds, "lender-industrial-ratio", 2017).outcome ==
        Outcome::kEligible);
  CHECK(Find(ds, "lender-industrial-ratio", 2017).award ==
        AwardKind::kCommendation);
  CHECK(Find(ds, "lender-industrial-ratio", 2018).outcome ==
        Outcome::kIneligible);
  CHECK(Find(ds, "lender-industrial-ratio", 2019).outcome ==
        Outcome::kUndetermined);
  CHECK(Find(ds, "lender-industrial-ratio", 2020).missing ==
        std::vector<std::string>{"new_local_loans@2020"});
  CHECK(ds.size() == 4);  // lenders get only the lender rule
}

TEST_CASE(
    "every enterprise row gets one decision per enterprise rule, in year then "
    "rule order") {
  auto rules = LoadShipped();
  auto ds = Score(rules, FlatGrowth(), "enterprise",
                  {Enterprise(2019, "1", "1"), Enterprise(2017, "1", "1"),
                   Enterprise(2018, "1", "1")});
  REQUIRE(ds.size() == 15);
  CHECK(ds[0].year == 2017);
  CHECK(ds[0].rule == "scale-tier-award");
  CHECK(ds[4].rule == "key-enterprise-service");
  CHECK(ds[14].year == 2019);
}

TEST_CASE("traces show each condition, the values read and the clause") {
  auto rules = LoadShipped();
  auto ds =
      Score(rules, FlatGrowth(), "enterprise",
            {Enterprise(2019, "35640000", "2500000")}, {}, /*trace=*/true);
  const auto& d = Find(ds, "scale-tier-award", 2019);
  REQUIRE(d.trace != nullptr);
  REQUIRE(d.trace->tiers.size() == 3);
  const TraceTier& tier3 = d.trace->tiers[0];
  CHECK(tier3.id == "tier3");
  CHECK(tier3.result == Truth::kFalse);
  REQUIRE(tier3.conditions.size() == 2);
  CHECK(tier3.conditions[0].clause == "年销售收入达到10亿元级");
  REQUIRE(tier3.conditions[0].reads.size() == 1);
  CHECK(tier3.conditions[0].reads[0].name == "sales_revenue");
  CHECK(tier3.conditions[0].reads[0].year == 2019);
  CHECK(tier3.conditions[0].reads[0].value == "35640000.00");
  std::string text = TraceToText(d, Renderer(*rules, Lang::kEn));
  CHECK(text.find("sales_revenue@2019 = 35640000.00") != std::string::npos);
  CHECK(text.find("对列入“十百千”亿级培育的企业") != std::string::npos);
  std::string json = TraceToJson(*d.trace);
  CHECK(json.find(
            R"({"name":"sales_revenue","year":2019,"value":"35640000.00"})") !=
        std::string::npos);
}

TEST_CASE("a trace lists the note conditions that held, and only those") {
  auto rules = LoadShipped();
  auto ds = Score(
      rules, FlatGrowth(), "enterprise",
      Upgraded(2017, 2017, 2021,
               {"20000000", "22000000", "24200000", "26620000", "29282000"}),
      {}, /*trace=*/true);
  const Decision& y1 = Find(ds, "upgrade-growth-award", 2018);
  REQUIRE(y1.trace != nullptr);
  CHECK(y1.notes.empty());
  CHECK(y1.trace->notes.empty());  // year > policy_last_year is false
  const Decision& y4 = Find(ds, "upgrade-growth-award", 2021);
  REQUIRE(y4.trace != nullptr);
  REQUIRE(y4.trace->notes.size() == 1);
  CHECK(y4.trace->notes[0].expr == "year > policy_last_year");
  CHECK(y4.trace->notes[0].result == Truth::kTrue);
}

TEST_CASE("growth is traced as a percentage beside the city average") {
  auto rules = LoadShipped();
  auto ds =
      Score(rules, FlatGrowth("7.5%"), "enterprise",
            Upgraded(2018, 2018, 2019, {"20000000", "21600000"}), {}, true);
  const auto& d = Find(ds, "upgrade-growth-award", 2019);
  REQUIRE(d.trace != nullptr);
  std::string text = TraceToText(d, Renderer(*rules, Lang::kEn));
  CHECK(text.find("revenue_growth@2019 = 8%") != std::string::npos);
  CHECK(text.find("city_industrial_revenue_growth@2019 = 7.5%") !=
        std::string::npos);
}

// --- The alternative readings, as YAML variants -----------------------------

TEST_CASE("variant top-up pays the difference on promotion") {
  auto rules = LoadShipped("luohe-2017-top-up.yaml");
  CHECK(rules->info().id == "luohe-2017-top-up");
  auto ds = Score(rules, FlatGrowth(), "enterprise",
                  {Enterprise(2017, "150000000", "2500000"),
                   Enterprise(2018, "1200000000", "12000000"),
                   Enterprise(2019, "600000000", "6000000")});
  CHECK(Find(ds, "scale-tier-award", 2017).amount == D("100000"));
  CHECK(Find(ds, "scale-tier-award", 2018).amount == D("900000"));
  CHECK(Find(ds, "scale-tier-award", 2018).tier == "tier3");
  CHECK(Find(ds, "scale-tier-award", 2019).outcome == Outcome::kIneligible);
}

TEST_CASE(
    "variant every-tier pays each tier reached once, lower ones included") {
  auto rules = LoadShipped("luohe-2017-every-tier.yaml");
  auto ds = Score(rules, FlatGrowth(), "enterprise",
                  {Enterprise(2017, "150000000", "2500000"),
                   Enterprise(2018, "1200000000", "12000000"),
                   Enterprise(2019, "1200000000", "12000000")});
  const auto& d = Find(ds, "scale-tier-award", 2018);
  CHECK(d.outcome == Outcome::kEligible);
  CHECK(d.tier == "tier3+tier2");
  CHECK(d.amount == D("1500000"));
  CHECK(Find(ds, "scale-tier-award", 2019).outcome == Outcome::kIneligible);
}

TEST_CASE("variant window-from-upgrade decides year1 in the upgrade year") {
  auto rules = LoadShipped("luohe-2017-window-from-upgrade.yaml");
  auto ds = Score(
      rules, FlatGrowth(), "enterprise",
      Upgraded(2018, 2017, 2021,
               {"20000000", "22000000", "24200000", "26620000", "29282000"}));
  CHECK(Find(ds, "upgrade-growth-award", 2018).tier == "year1");
  CHECK(Find(ds, "upgrade-growth-award", 2018).outcome == Outcome::kEligible);
  CHECK(Find(ds, "upgrade-growth-award", 2021).tier == "year4");
  CHECK(Find(ds, "upgrade-growth-award", 2021).outcome == Outcome::kEligible);
}

}  // namespace
}  // namespace eligo::testing
