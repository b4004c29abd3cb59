// Decimal: the exact number type of eligo. Money, ratios and growth rates
// are Decimals from the input cell to the award; there is no binary floating
// point anywhere on that path.
#ifndef ELIGO_DECIMAL_H_
#define ELIGO_DECIMAL_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "eligo/status.h"

namespace eligo {

// How Round() treats the digits it drops.
enum class RoundingMode {
  kHalfUp,    // to nearest, ties away from zero (the usual 四舍五入)
  kHalfEven,  // to nearest, ties to the even digit (banker's rounding)
  kDown,      // towards zero (truncate)
  kUp,        // away from zero
  kFloor,     // towards negative infinity
  kCeiling,   // towards positive infinity
};

// An exact rational number, kept as a reduced fraction num/den (den > 0) of
// 128-bit integers. Decimal literals are exact (0.1 is 1/10) and so is
// division (1/3 stays 1/3), so "a / b > c" is decided exactly.
//
// Arithmetic never wraps: an operation whose result does not fit returns
// std::nullopt. Parsed values are limited to 30 significant digits, far
// beyond any amount of money, so that sums and products of inputs fit.
class Decimal {
 public:
  Decimal() = default;  // zero
  static Decimal FromInt(int64_t value);

  // Parses a plain decimal: optional sign, digits, optional fraction, e.g.
  // "-12", "0.085", "1234.50". Thousands separators are accepted in the
  // integer part when every group after the first has three digits
  // ("1,234,567.89"). Surrounding ASCII spaces are ignored. A trailing "%"
  // divides by 100 ("8.5%" is 0.085). Exponents, "inf", "nan", an empty
  // string and more than 30 significant digits are errors, whose message
  // says what was wrong.
  static Result<Decimal> Parse(std::string_view text);

  // Checked arithmetic: std::nullopt when the result does not fit (and, for
  // Div, when the divisor is zero).
  static std::optional<Decimal> Add(const Decimal& a, const Decimal& b);
  static std::optional<Decimal> Sub(const Decimal& a, const Decimal& b);
  static std::optional<Decimal> Mul(const Decimal& a, const Decimal& b);
  static std::optional<Decimal> Div(const Decimal& a, const Decimal& b);
  Decimal Negate() const;

  // Rounds to `digits` places after the point (0..18).
  std::optional<Decimal> Round(int digits, RoundingMode mode) const;

  // Exact comparison; never overflows.
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);
  friend bool operator==(const Decimal& a, const Decimal& b) = default;

  int sign() const { return num_ < 0 ? -1 : (num_ > 0 ? 1 : 0); }
  bool is_zero() const { return num_ == 0; }
  bool is_integer() const { return den_ == 1; }
  // The value as an integer, if it is one and fits in 64 bits.
  std::optional<int64_t> ToInt64() const;

  // Exactly `digits` places after the point, rounding half up if the value
  // has more: ToFixed(2) of 35640000 is "35640000.00".
  std::string ToFixed(int digits) const;
  // The shortest exact decimal ("0.085", "100000000", "-1.5"); a value with
  // no finite decimal form (1/3) is shown to 10 places and ends in "...".
  std::string ToString() const;
  // As a percentage: 0.075 is "7.5%", 1/3 is "33.3333333333...%".
  std::string ToPercent() const;

  __int128 numerator() const { return num_; }
  __int128 denominator() const { return den_; }

 private:
  __int128 num_ = 0;
  __int128 den_ = 1;
};

inline std::string format_as(const Decimal& d) { return d.ToString(); }

}  // namespace eligo

#endif  // ELIGO_DECIMAL_H_
