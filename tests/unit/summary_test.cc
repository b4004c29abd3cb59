// The run summary: decisions added an entity at a time count the same as
// decisions added one at a time.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "eligo/io.h"
#include "test_util.h"

namespace eligo::testing {
namespace {

TEST_CASE("a summary counts an entity's decisions as it counts each") {
  std::shared_ptr<const RuleSet> rules = LoadShipped();
  const std::string dir = std::string(ELIGO_SOURCE_DIR) + "/examples/";
  Result<PanelBatch> batch = ReadPanels(
      {{dir + "enterprises.csv", ""}, {dir + "lenders.csv", ""}}, *rules);
  REQUIRE(batch.ok());
  Result<Evaluator> evaluator = Evaluator::Create(rules, FlatGrowth());
  REQUIRE(evaluator.ok());

  RunSummary each, all;
  long decisions = 0, eligible = 0, undetermined = 0;
  std::vector<Decision> reused;
  for (const Panel& panel : batch->panels) {
    evaluator->Evaluate(panel, {}, {}, reused);
    all.Add(reused);
    for (const Decision& d : reused) {
      each.Add(d);
      ++decisions;
      eligible += d.outcome == Outcome::kEligible ? 1 : 0;
      undetermined += d.outcome == Outcome::kUndetermined ? 1 : 0;
    }
  }
  REQUIRE(eligible > 0);
  REQUIRE(undetermined > 0);
  CHECK(all.ToJson() == each.ToJson());
  Renderer english(*rules, Lang::kEn), chinese(*rules, Lang::kZh);
  CHECK(all.ToText(english) == each.ToText(english));
  CHECK(all.ToText(chinese) == each.ToText(chinese));
  std::string zh = all.ToText(chinese);
  CHECK(zh.find("决定 " + std::to_string(decisions) + "\n") !=
        std::string::npos);
  CHECK(zh.find("  “十百千”亿级培育企业规模奖励: 符合 ") != std::string::npos);
  CHECK(zh.find("金额按支付单位汇总(元)") != std::string::npos);
  CHECK(all.ToJson().find("\"decisions\":" + std::to_string(decisions)) !=
        std::string::npos);
}

}  // namespace
}  // namespace eligo::testing
