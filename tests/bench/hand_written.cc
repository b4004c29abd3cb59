#include "hand_written.h"

namespace bench {
namespace {

const EnterpriseYear* Row(const std::vector<EnterpriseYear>& rows, int year) {
  for (const EnterpriseYear& r : rows) {
    if (r.year == year) return &r;
  }
  return nullptr;
}

// g(y) > A(y), exactly: (R(y) - R(y-1)) * 10^6 > A * R(y-1). -1 unknown.
int GrowthAbove(const std::vector<EnterpriseYear>& rows,
                const CityGrowth& growth, int year) {
  const EnterpriseYear* now = Row(rows, year);
  const EnterpriseYear* before = Row(rows, year - 1);
  int index = year - 2015;
  if (!now || !before || now->revenue_fen < 0 || before->revenue_fen <= 0 ||
      index < 0 || index >= 16 || growth.ppm[index] < 0) {
    return -1;
  }
  __int128 lhs =
      static_cast<__int128>(now->revenue_fen - before->revenue_fen) * 1000000;
  __int128 rhs = static_cast<__int128>(growth.ppm[index]) * before->revenue_fen;
  return lhs > rhs ? 1 : 0;
}

}  // namespace

void DecideEnterprise(const std::vector<EnterpriseYear>& rows,
                      const CityGrowth& growth,
                      std::vector<HandDecision>& out) {
  static constexpr int64_t kRevenue[3] = {100000000000LL, 50000000000LL,
                                          10000000000LL};  // tier3..1, fen
  static constexpr int64_t kTax[3] = {1000000000LL, 500000000LL, 200000000LL};
  static constexpr int64_t kAward[3] = {100000000LL, 50000000LL, 10000000LL};
  int best_r1 = 0;  // highest R1 rank paid
  bool paid_year1 = false, paid_year4 = false, paid_hte = false,
       paid_hq = false;
  for (const EnterpriseYear& r : rows) {
    bool in_period = r.year >= 2017 && r.year <= 2020;
    // R1
    HandDecision d{r.year, 0, -1, Outcome::kIneligible, 0};
    if (in_period && r.listed) {
      for (int t = 0; t < 3; ++t) {
        int rank = 3 - t;
        if (r.revenue_fen >= 0 && r.revenue_fen < kRevenue[t]) continue;
        if (r.tax_fen >= 0 && r.tax_fen < kTax[t]) continue;
        if (r.revenue_fen < 0 || r.tax_fen < 0) {
          d.outcome = Outcome::kUndetermined;
          break;
        }
        d.tier = rank;
        if (rank > best_r1) {
          d.outcome = Outcome::kEligible;
          d.amount_fen = kAward[t];
          best_r1 = rank;
        }
        break;
      }
    }
    out.push_back(d);
    // R2
    d = HandDecision{r.year, 1, -1, Outcome::kIneligible, 0};
    int u = r.upgrade_year;
    if (u >= 2017 && u <= 2020) {
      if (r.year == u + 1) {
        d.tier = 1;
        int g = GrowthAbove(rows, growth, r.year);
        if (g < 0) d.outcome = Outcome::kUndetermined;
        if (g > 0 && !paid_year1)
          d.outcome = Outcome::kEligible, d.amount_fen = 10000000,
          paid_year1 = true;
      } else if (r.year == u + 4) {
        d.tier = 4;
        int all = 1;
        for (int y = u + 1; y <= u + 4 && all != 0; ++y) {
          int g = GrowthAbove(rows, growth, y);
          if (g == 0) all = 0;
          if (g < 0) all = -1;
        }
        if (all < 0) d.outcome = Outcome::kUndetermined;
        if (all > 0 && !paid_year4)
          d.outcome = Outcome::kEligible, d.amount_fen = 40000000,
          paid_year4 = true;
      }
    }
    out.push_back(d);
    // R3, R4: once per enterprise
    d = HandDecision{r.year, 2, -1, Outcome::kIneligible, 0};
    if (in_period && r.new_hte && !paid_hte)
      d.outcome = Outcome::kEligible, d.amount_fen = 50000000, paid_hte = true;
    out.push_back(d);
    d = HandDecision{r.year, 3, -1, Outcome::kIneligible, 0};
    if (in_period && r.new_hq && !paid_hq)
      d.outcome = Outcome::kEligible, paid_hq = true;
    out.push_back(d);
    // R5
    d = HandDecision{r.year, 4, -1, Outcome::kIneligible, 0};
    if (in_period) {
      if (r.revenue_fen < 0)
        d.outcome = Outcome::kUndetermined;
      else if (r.revenue_fen >= kRevenue[1])
        d.outcome = Outcome::kEligible;
    }
    out.push_back(d);
  }
}

}  // namespace bench
