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
  CHECK(all.ToText() == each.ToText());
  CHECK(all.ToJson().find("\"decisions\":" + std::to_string(decisions)) !=
        std::string::npos);
}

}  // namespace
}  // namespace eligo::testing
