// The Luohe 2017 enterprise rules (R1-R5) decided directly in C++: the floor
// an interpreter can aim for, measured beside eligo in eval_bench.
#ifndef ELIGO_TESTS_BENCH_HAND_WRITTEN_H_
#define ELIGO_TESTS_BENCH_HAND_WRITTEN_H_

#include <cstdint>
#include <vector>

namespace bench {

struct EnterpriseYear {
  int year;
  int64_t revenue_fen;  // -1: missing
  int64_t tax_fen;      // -1: missing
  bool listed;
  int upgrade_year;  // 0: never upgraded
  bool new_hte, new_hq;
};

enum class Outcome : unsigned char { kEligible, kIneligible, kUndetermined };

struct HandDecision {
  int year;
  int rule;  // 0..4 = R1..R5
  int tier;  // rule-specific, -1 none
  Outcome outcome;
  int64_t amount_fen;
};

// City growth A(y) in parts per million, by year (index year - 2015); < 0:
// none.
struct CityGrowth {
  int64_t ppm[16];
};

// Appends the decisions for one enterprise's rows (sorted by year).
void DecideEnterprise(const std::vector<EnterpriseYear>& rows,
                      const CityGrowth& growth, std::vector<HandDecision>& out);

}  // namespace bench

#endif  // ELIGO_TESTS_BENCH_HAND_WRITTEN_H_
