// One RuleSet and one Evaluator shared by several threads: every thread's
// decisions, traces included, are byte for byte those of a single thread.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "eligo/decision.h"
#include "eligo/io.h"
#include "eligo/panel.h"
#include "eligo/rule_set.h"
#include "test_util.h"

namespace eligo::testing {
namespace {

constexpr int kThreads = 8;
constexpr int kRounds = 3;

// The example panels of examples/, and generated enterprises whose values
// reach every tier, miss some and leave some cells missing.
std::vector<Panel> Panels(const RuleSet& rules) {
  const std::string dir = std::string(ELIGO_SOURCE_DIR) + "/examples/";
  Result<PanelBatch> batch = ReadPanels(
      {{dir + "enterprises.csv", ""}, {dir + "lenders.csv", ""}}, rules);
  INFO(batch.error());
  REQUIRE(batch.ok());
  std::vector<Panel> panels = std::move(batch.value().panels);
  const EntitySchema& schema = *rules.FindEntity("enterprise");
  for (int i = 0; i < 60; ++i) {
    Panel panel(schema, "GEN" + std::to_string(i));
    for (int year = 2015; year <= 2021; ++year) {
      Row& row = panel.AddRow(year);
      int step = (i * 7 + year * 3) % 13;
      REQUIRE(
          panel.SetText(row, "county", i % 5 == 0 ? "市直" : "郾城区").ok());
      REQUIRE(panel
                  .SetNumber(row, "sales_revenue",
                             Decimal::FromInt(int64_t{90'000'000} * (step + 1)))
                  .ok());
      if (step % 4 != 0) {  // else missing: undetermined decisions
        REQUIRE(panel
                    .SetNumber(row, "local_tax",
                               Decimal::FromInt(int64_t{1'000'000} * step))
                    .ok());
      }
      REQUIRE(panel.SetBoolean(row, "in_cultivation_list", i % 3 != 0).ok());
      REQUIRE(panel.SetBoolean(row, "new_national_hte", step == 5).ok());
      if (i % 2 == 0)
        REQUIRE(panel.SetNumber(row, "upgrade_year", D("2017")).ok());
    }
    panels.push_back(std::move(panel));
  }
  return panels;
}

// Every decision of `panel`, with its trace, as eligo score's JSON Lines.
std::string Render(const Evaluator& evaluator, const Panel& panel) {
  WriteOptions options;
  options.format = OutputFormat::kJsonLines;
  options.trace = true;
  DecisionWriter writer(evaluator.rules(), options);
  std::string out;
  for (const Decision& d : evaluator.Evaluate(panel, {}, {.trace = true}))
    writer.Append(d, panel, out);
  return out;
}

struct Shared {
  Shared() : rules(LoadShipped()), panels(Panels(*rules)) {
    Result<Evaluator> made = Evaluator::Create(rules, FlatGrowth("7.5%"));
    REQUIRE(made.ok());
    evaluator.emplace(std::move(made).value());
    for (const Panel& p : panels) expected.push_back(Render(*evaluator, p));
  }
  std::shared_ptr<const RuleSet> rules;
  std::vector<Panel> panels;
  std::optional<Evaluator> evaluator;
  std::vector<std::string> expected;  // single-threaded, by panel
};

TEST_CASE_FIXTURE(Shared, "threads sharing one Evaluator decide as one does") {
  REQUIRE(panels.size() > 60);
  std::atomic<int> evaluated{0}, differ{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread starts at another panel, so that different panels are
      // evaluated at the same moment.
      for (int round = 0; round < kRounds; ++round) {
        for (size_t k = 0; k < panels.size(); ++k) {
          size_t i = (k + static_cast<size_t>(t) * 11) % panels.size();
          if (Render(*evaluator, panels[i]) != expected[i]) ++differ;
          ++evaluated;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(evaluated == kThreads * kRounds * static_cast<int>(panels.size()));
  CHECK(differ == 0);
}

TEST_CASE_FIXTURE(Shared,
                  "threads making their own Evaluators of one RuleSet agree") {
  std::atomic<int> differ{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Result<Evaluator> own = Evaluator::Create(rules, FlatGrowth("7.5%"));
      if (!own.ok()) {
        ++failed;
        return;
      }
      for (size_t k = 0; k < panels.size(); ++k) {
        size_t i = (k * 7 + static_cast<size_t>(t)) % panels.size();
        if (Render(*own, panels[i]) != expected[i]) ++differ;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(failed == 0);
  CHECK(differ == 0);
}

TEST_CASE_FIXTURE(Shared,
                  "decisions reused from panel to panel decide as new ones") {
  // The reusing Evaluate keeps the storage of the decisions and traces it
  // is given; a trace the caller still holds must be left as it was.
  WriteOptions options;
  options.format = OutputFormat::kJsonLines;
  options.trace = true;
  DecisionWriter writer(evaluator->rules(), options);
  std::vector<Decision> out;
  std::vector<std::pair<std::shared_ptr<const Trace>, std::string>> kept;
  int differ = 0;
  for (size_t i = 0; i < panels.size(); ++i) {
    evaluator->Evaluate(panels[i], {}, {.trace = true}, out);
    std::string text;
    for (const Decision& d : out) writer.Append(d, panels[i], text);
    differ += text != expected[i];
    for (const auto& [trace, json] : kept)
      differ += TraceToJson(*trace) != json;
    kept.clear();
    if (i % 7 == 0) {  // the caller keeps this panel's traces a while
      for (const Decision& d : out)
        kept.emplace_back(d.trace, TraceToJson(*d.trace));
    }
  }
  CHECK(differ == 0);
  // Untraced into the same decisions: no trace is left from before.
  evaluator->Evaluate(panels[0], {}, {}, out);
  REQUIRE(!out.empty());
  CHECK(std::none_of(out.begin(), out.end(),
                     [](const Decision& d) { return d.trace != nullptr; }));
}

}  // namespace
}  // namespace eligo::testing
