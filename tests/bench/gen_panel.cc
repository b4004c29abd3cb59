// Deterministic panels for the Luohe rules, for benchmarks: N enterprises x
// Y years (valid credit codes, a realistic spread of revenue and tax, list
// flags, upgrade years, high-tech and headquarters flags), or N lenders.
//
//   gen_panel --enterprises N [--years Y] [--first-year 2016]
//             [--order sorted|grouped|shuffled] [--seed S]
//   gen_panel --lenders N [--years Y] ...
//
// Writes CSV to standard output. "sorted" keeps each entity's rows together
// in key order; "grouped" keeps them together with the entities in random
// order (as most exports are); "shuffled" permutes all rows.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int kWeights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                              29, 25, 13, 8,  24, 10, 30, 28};
constexpr const char* kCounties[] = {"源汇区", "郾城区", "召陵区",
                                     "舞阳县", "临颍县", "市直"};

// splitmix64: small, fast, and the same sequence on every machine.
struct Rng {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }
};

std::string CreditCode(uint64_t n) {
  char code[19];
  std::snprintf(code, sizeof code, "914111%011llu",
                static_cast<unsigned long long>(n));
  int sum = 0;
  for (int i = 0; i < 17; ++i)
    sum += static_cast<int>(std::strchr(kAlphabet, code[i]) - kAlphabet) *
           kWeights[i];
  code[17] = kAlphabet[(31 - sum % 31) % 31];
  code[18] = '\0';
  return code;
}

// Yuan with two decimals from fen.
std::string Money(uint64_t fen) {
  char text[32];
  std::snprintf(text, sizeof text, "%llu.%02llu",
                static_cast<unsigned long long>(fen / 100),
                static_cast<unsigned long long>(fen % 100));
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  long enterprises = 0, lenders = 0, years = 4, first_year = 2017;
  uint64_t seed = 2017;
  std::string order = "sorted";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--enterprises")
      enterprises = std::atol(value);
    else if (flag == "--lenders")
      lenders = std::atol(value);
    else if (flag == "--years")
      years = std::atol(value);
    else if (flag == "--first-year")
      first_year = std::atol(value);
    else if (flag == "--seed")
      seed = std::strtoull(value, nullptr, 10);
    else if (flag == "--order")
      order = value;
    else {
      std::fprintf(stderr,
                   "usage: gen_panel --enterprises N | --lenders N [--years Y] "
                   "[--order sorted|grouped|shuffled]\n");
      return 2;
    }
  }
  if (order != "sorted" && order != "grouped" && order != "shuffled") {
    std::fprintf(stderr, "gen_panel: --order is sorted, grouped or shuffled\n");
    return 2;
  }
  const bool held = order != "sorted";
  Rng rng{seed};
  std::vector<std::string> lines;
  // Lines held to be shuffled: one per row, or one per entity's rows.
  auto emit = [&](std::string line) {
    if (!held) {
      std::fwrite(line.data(), 1, line.size(), stdout);
    } else if (order == "shuffled" || lines.empty()) {
      lines.push_back(std::move(line));
    } else {
      lines.back() += line;
    }
  };
  auto next_entity = [&] {
    if (order == "grouped") lines.emplace_back();
  };
  if (enterprises > 0) {
    std::puts(
        "credit_code,name,county,year,sales_revenue,local_tax,in_cultivation_"
        "list,upgrade_year,"
        "new_national_hte,new_headquarters");
    for (long e = 0; e < enterprises; ++e) {
      next_entity();
      std::string code = CreditCode(static_cast<uint64_t>(e) * 7919 + 1);
      const char* county = kCounties[rng.Below(6)];
      // Revenue spread over four orders of magnitude: 1百万 to 20亿 yuan.
      uint64_t revenue = 100000000ULL << rng.Below(12);  // fen
      revenue = revenue / 4 + rng.Below(revenue);
      bool listed = rng.Below(10) == 0;
      long upgrade = rng.Below(8) == 0
                         ? first_year + static_cast<long>(rng.Below(5)) - 1
                         : 0;
      uint64_t tax_permille = 5 + rng.Below(25);
      long hte_year = rng.Below(50) == 0
                          ? first_year + static_cast<long>(rng.Below(years))
                          : 0;
      long hq_year = rng.Below(200) == 0
                         ? first_year + static_cast<long>(rng.Below(years))
                         : 0;
      for (long y = first_year; y < first_year + years; ++y) {
        revenue = revenue * (88 + rng.Below(40)) / 100;  // -12% .. +27% a year
        bool tax_missing = rng.Below(100) == 0;
        std::string line =
            code + ",企业" + std::to_string(e) + "," + county + "," +
            std::to_string(y) + "," + Money(revenue) + "," +
            (tax_missing ? "" : Money(revenue * tax_permille / 1000)) + "," +
            (listed ? "是" : "否") + "," +
            (upgrade ? std::to_string(upgrade) : "") + "," +
            (hte_year == y ? "1" : "0") + "," + (hq_year == y ? "1" : "0") +
            "\n";
        emit(std::move(line));
      }
    }
  } else {
    std::puts(
        "institution_code,name,year,new_local_loans,new_local_industrial_"
        "loans");
    for (long l = 0; l < lenders; ++l) {
      next_entity();
      for (long y = first_year; y < first_year + years; ++y) {
        uint64_t loans = (1000000000ULL + rng.Below(500000000000ULL)) * 100;
        uint64_t industrial = loans / 1000 * (rng.Below(200));
        emit("B" + std::to_string(41110000 + l) + ",机构" + std::to_string(l) +
             "," + std::to_string(y) + "," + Money(loans) + "," +
             Money(industrial) + "\n");
      }
    }
  }
  if (held) {
    for (size_t i = lines.size(); i > 1; --i)
      std::swap(lines[i - 1], lines[rng.Below(i)]);
    for (const std::string& line : lines)
      std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return 0;
}
