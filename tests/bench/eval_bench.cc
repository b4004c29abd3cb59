// Decisions per second of the compiled Luohe rules, with and without
// traces, beside the hand-written C++ of hand_written.cc deciding the same
// rules. Run: build/tests/bench/eval_bench [--benchmark_repetitions=5]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "eligo/decision.h"
#include "eligo/rule_set.h"
#include "hand_written.h"

namespace {

constexpr int kEntities = 2000;
constexpr int kYears = 4;

struct Data {
  std::shared_ptr<const eligo::RuleSet> rules;
  std::optional<eligo::Evaluator> evaluator;
  std::vector<eligo::Panel> panels;
  std::vector<std::vector<bench::EnterpriseYear>> plain;
  bench::CityGrowth growth{};
};

std::string Fen(int64_t fen) {
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%02lld",
                static_cast<long long>(fen / 100),
                static_cast<long long>(fen % 100));
  return text;
}

// The same spread as gen_panel: revenue 1百万 to 20亿 yuan, 1% missing tax.
const Data& GetData() {
  static Data* data = [] {
    auto* d = new Data;
    eligo::LoadResult loaded = eligo::LoadRuleSet(
        std::string(ELIGO_SOURCE_DIR) + "/rules/luohe-2017.yaml");
    if (!loaded.ok()) std::abort();
    d->rules = loaded.rule_set;
    eligo::ParamValues params;
    const int64_t ppm[] = {85000, 92000, 78000, 31000, 90000};
    for (int y = 0; y < 16; ++y) d->growth.ppm[y] = -1;
    for (int i = 0; i < 5; ++i) {
      params.Set("city_industrial_revenue_growth", 2017 + i,
                 *eligo::Decimal::Parse(Fen(ppm[i] / 100) + "%"));
      d->growth.ppm[2017 + i - 2015] = ppm[i];
    }
    d->evaluator =
        std::move(eligo::Evaluator::Create(d->rules, params)).value();
    uint64_t state = 2017;
    auto next = [&state] {
      uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      return z ^ (z >> 31);
    };
    const eligo::EntitySchema& schema = *d->rules->FindEntity("enterprise");
    for (int e = 0; e < kEntities; ++e) {
      eligo::Panel panel(schema, "E" + std::to_string(e));
      std::vector<bench::EnterpriseYear> rows;
      int64_t revenue = static_cast<int64_t>((100000000ULL << (next() % 12)));
      bool listed = next() % 10 == 0;
      int upgrade = next() % 8 == 0 ? 2016 + static_cast<int>(next() % 5) : 0;
      int64_t permille = 5 + static_cast<int64_t>(next() % 25);
      int hte = next() % 50 == 0 ? 2017 + static_cast<int>(next() % kYears) : 0;
      for (int y = 2017; y < 2017 + kYears; ++y) {
        revenue = revenue * (88 + static_cast<int64_t>(next() % 40)) / 100;
        int64_t tax = next() % 100 == 0 ? -1 : revenue * permille / 1000;
        rows.push_back({y, revenue, tax, listed, upgrade, hte == y, false});
        eligo::Row& row = panel.AddRow(y);
        (void)panel.Set(row, "sales_revenue", Fen(revenue));
        (void)panel.Set(row, "local_tax", tax < 0 ? "" : Fen(tax));
        (void)panel.Set(row, "in_cultivation_list", listed ? "1" : "0");
        (void)panel.Set(row, "upgrade_year",
                        upgrade ? std::to_string(upgrade) : "");
        (void)panel.Set(row, "new_national_hte", hte == y ? "1" : "0");
        (void)panel.Set(row, "county", "源汇区");
      }
      d->panels.push_back(std::move(panel));
      d->plain.push_back(std::move(rows));
    }
    // Both must decide alike, or the comparison means nothing.
    long differ = 0;
    std::vector<bench::HandDecision> hand;
    for (int e = 0; e < kEntities; ++e) {
      hand.clear();
      bench::DecideEnterprise(d->plain[e], d->growth, hand);
      std::vector<eligo::Decision> mine = d->evaluator->Evaluate(d->panels[e]);
      for (size_t i = 0; i < hand.size() && i < mine.size(); ++i) {
        differ += static_cast<int>(hand[i].outcome) !=
                  static_cast<int>(mine[i].outcome);
      }
      differ += static_cast<long>(hand.size()) - static_cast<long>(mine.size());
    }
    std::fprintf(
        stderr,
        "interpreter and hand-written outcomes differ in %ld decisions\n",
        differ);
    return d;
  }();
  return *data;
}

// One pass over every panel by the hand-written function; a function of
// its own for instructions.sh, as EvaluateAll below.
[[gnu::noinline]] long DecideAllByHand(const Data& d,
                                       std::vector<bench::HandDecision>& out) {
  long decisions = 0;
  for (const auto& rows : d.plain) {
    out.clear();
    bench::DecideEnterprise(rows, d.growth, out);
    decisions += static_cast<long>(out.size());
    benchmark::DoNotOptimize(out.data());
  }
  return decisions;
}

void BM_HandWritten(benchmark::State& state) {
  const Data& d = GetData();
  std::vector<bench::HandDecision> out;
  long decisions = 0;
  for (auto _ : state) decisions += DecideAllByHand(d, out);
  state.SetItemsProcessed(decisions);
}

// One pass over every panel by the interpreter; a function of its own so
// that instructions.sh can count what it runs (valgrind --toggle-collect).
[[gnu::noinline]] long EvaluateAll(const Data& d,
                                   const eligo::EvalOptions& options,
                                   std::vector<eligo::Decision>& out) {
  const std::vector<eligo::PastAward> no_history;
  long decisions = 0;
  for (const eligo::Panel& panel : d.panels) {
    d.evaluator->Evaluate(panel, no_history, options, out);
    decisions += static_cast<long>(out.size());
    benchmark::DoNotOptimize(out.data());
  }
  return decisions;
}

void Interpreter(benchmark::State& state, bool trace) {
  const Data& d = GetData();
  eligo::EvalOptions options;
  options.trace = trace;
  long decisions = 0;
  std::vector<eligo::Decision> out;  // reused, as eligo score does
  for (auto _ : state) decisions += EvaluateAll(d, options, out);
  state.SetItemsProcessed(decisions);
}

void BM_Interpreter(benchmark::State& state) { Interpreter(state, false); }
void BM_InterpreterWithTraces(benchmark::State& state) {
  Interpreter(state, true);
}

BENCHMARK(BM_HandWritten)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Interpreter)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_InterpreterWithTraces)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
