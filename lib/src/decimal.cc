// Decimal: exact rational arithmetic, parsing and formatting.
#include "eligo/decimal.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>
#include <utility>

namespace eligo {
namespace {

// Kept out of every Decimal so that negation never overflows.
constexpr __int128 kInt128Min =
    static_cast<__int128>(static_cast<unsigned __int128>(1) << 127);

using i128 = __int128;
using u128 = unsigned __int128;

// Every Decimal keeps |num| and den at most this, so negation never wraps.
constexpr u128 kMaxMagnitude = (static_cast<u128>(1) << 127) - 1;

// Parsed values are limited to this many digits so sums and products of
// inputs stay far inside 128 bits.
constexpr std::size_t kMaxParsedDigits = 30;

// |v| without the undefined behaviour of negating the most negative value.
u128 Magnitude(i128 v) {
  return v < 0 ? static_cast<u128>(0) - static_cast<u128>(v)
               : static_cast<u128>(v);
}

u128 Gcd(u128 a, u128 b) {
  if (((a | b) >> 64) == 0)  // 64-bit division is many times faster
    return std::gcd(static_cast<uint64_t>(a), static_cast<uint64_t>(b));
  while (b != 0) {
    u128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

u128 Pow10(int exponent) {
  u128 result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

// Writes the reduced form of (negative ? -mag : mag) / den. False when den
// is zero or either part exceeds kMaxMagnitude once reduced.
bool NormalizeParts(bool negative, u128 mag, u128 den, i128* out_num,
                    i128* out_den) {
  if (den == 0) return false;
  if (mag == 0) {
    *out_num = 0;
    *out_den = 1;
    return true;
  }
  const u128 g = Gcd(mag, den);
  mag /= g;
  den /= g;
  if (mag > kMaxMagnitude || den > kMaxMagnitude) return false;
  *out_num = negative ? -static_cast<i128>(mag) : static_cast<i128>(mag);
  *out_den = static_cast<i128>(den);
  return true;
}

bool Normalize(i128 num, i128 den, i128* out_num, i128* out_den) {
  return NormalizeParts((num < 0) != (den < 0), Magnitude(num), Magnitude(den),
                        out_num, out_den);
}

// An unsigned 256-bit integer, only as wide as comparison and Add need.
struct U256 {
  u128 hi;
  u128 lo;
  auto operator<=>(const U256&) const = default;
};

// The full 256-bit product, from four 64x64->128 partial products.
U256 MulWide(u128 a, u128 b) {
  const u128 mask = std::numeric_limits<uint64_t>::max();
  const u128 a0 = a & mask, a1 = a >> 64;
  const u128 b0 = b & mask, b1 = b >> 64;
  const u128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  // At most 3 * (2^64 - 1), so this cannot overflow.
  const u128 mid = (p00 >> 64) + (p01 & mask) + (p10 & mask);
  return U256{p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64),
              (mid << 64) | (p00 & mask)};
}

U256 AddWide(const U256& a, const U256& b) {
  U256 sum{a.hi + b.hi, a.lo + b.lo};
  if (sum.lo < a.lo) ++sum.hi;  // carry
  return sum;
}

// a - b for a >= b.
U256 SubWide(const U256& a, const U256& b) {
  U256 difference{a.hi - b.hi, a.lo - b.lo};
  if (a.lo < b.lo) --difference.hi;  // borrow
  return difference;
}

// n / d and n % d for 0 < d < 2^127 (so the shifted remainder fits), by
// binary long division.
U256 DivModWide(const U256& n, u128 d, u128* rem) {
  if (n.hi == 0) {
    *rem = n.lo % d;
    return U256{0, n.lo / d};
  }
  U256 quotient{0, 0};
  u128 r = 0;
  for (int i = 255; i >= 0; --i) {
    u128& part = i >= 128 ? quotient.hi : quotient.lo;
    const int shift = i % 128;
    r = (r << 1) | (((i >= 128 ? n.hi : n.lo) >> shift) & 1);
    if (r >= d) {
      r -= d;
      part |= static_cast<u128>(1) << shift;
    }
  }
  *rem = r;
  return quotient;
}

// The next decimal digit of rem/den (rem < den), advancing rem to the new
// remainder. Adds rem ten times modulo den rather than forming 10 * rem,
// which may not fit in 128 bits.
int NextDigit(u128* rem, u128 den) {
  u128 r = 0;
  int digit = 0;
  for (int i = 0; i < 10; ++i) {
    if (r >= den - *rem) {
      r -= den - *rem;
      ++digit;
    } else {
      r += *rem;
    }
  }
  *rem = r;
  return digit;
}

std::string UnsignedToString(u128 v) {
  if ((v >> 64) == 0) {  // 64-bit division is many times faster
    char text[24];
    char* end =
        std::to_chars(text, text + sizeof text, static_cast<uint64_t>(v)).ptr;
    return std::string(text, end);
  }
  std::string out;
  do {
    out.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  std::reverse(out.begin(), out.end());
  return out;
}

// The decimal digits of mag/den: the integer part, `count` fraction digits
// (truncated) and what remains of the numerator after them.
struct Expansion {
  std::string integer;
  std::string fraction;
  u128 rem;
};

Expansion Expand(u128 mag, u128 den, int count) {
  Expansion e{UnsignedToString(mag / den), "", mag % den};
  for (int i = 0; i < count; ++i) {
    e.fraction.push_back(static_cast<char>('0' + NextDigit(&e.rem, den)));
  }
  return e;
}

// Whether rounding the magnitude e (with e.rem / den still to drop) moves it
// away from zero, i.e. adds one in its last place.
bool RoundsAway(const Expansion& e, u128 den, bool negative,
                RoundingMode mode) {
  const u128 rest = den - e.rem;  // e.rem vs. rest is the dropped part vs. 1/2
  const std::string& kept = e.fraction.empty() ? e.integer : e.fraction;
  switch (mode) {
    case RoundingMode::kHalfUp:
      return e.rem >= rest;
    case RoundingMode::kHalfEven:
      return e.rem > rest || (e.rem == rest && (kept.back() - '0') % 2 == 1);
    case RoundingMode::kDown:
      return false;
    case RoundingMode::kUp:
      return e.rem != 0;
    case RoundingMode::kFloor:
      return negative && e.rem != 0;
    case RoundingMode::kCeiling:
      return !negative && e.rem != 0;
  }
  return false;
}

// Adds one in the last kept place, carrying through the digit strings, so it
// never overflows.
void AddOneInLastPlace(Expansion* e) {
  std::string all = e->integer + e->fraction;
  std::size_t i = all.size();
  while (i > 0 && all[i - 1] == '9') all[--i] = '0';
  if (i == 0) {
    all.insert(all.begin(), '1');
  } else {
    ++all[i - 1];
  }
  e->integer = all.substr(0, all.size() - e->fraction.size());
  e->fraction = all.substr(e->integer.size());
}

// Divides a decimal digit string by a divisor (< 10) that divides it.
void DivideDigits(std::string* digits, int divisor) {
  int carry = 0;
  for (char& c : *digits) {
    const int current = carry * 10 + (c - '0');
    c = static_cast<char>('0' + current / divisor);
    carry = current % divisor;
  }
}

// The number of fraction digits of the exact decimal form of 1/den, or -1
// when there is none (den has a prime factor other than 2 and 5).
int TerminatingDigits(u128 den) {
  int twos = 0, fives = 0;
  while (den % 2 == 0) {
    den /= 2;
    ++twos;
  }
  while (den % 5 == 0) {
    den /= 5;
    ++fives;
  }
  return den == 1 ? std::max(twos, fives) : -1;
}

bool AllZeros(const std::string& digits) {
  return digits.find_first_not_of('0') == std::string::npos;
}

std::string Compose(bool negative, const std::string& integer,
                    const std::string& fraction, std::string_view suffix) {
  std::string out = negative ? "-" : "";
  out += integer;
  if (!fraction.empty()) out += "." + fraction;
  out += suffix;
  return out;
}

void StripTrailingZeros(std::string* digits) {
  digits->erase(digits->find_last_not_of('0') + 1);
}

// Shortest exact form, or 10 places and "..." when there is none. With
// percent, the point moves two places right first, so the value is never
// multiplied (and cannot overflow).
std::string FormatShortest(i128 num, i128 den, bool percent) {
  const int shift = percent ? 2 : 0;
  const int exact = TerminatingDigits(static_cast<u128>(den));
  const int count = exact < 0 ? 10 + shift : std::max(exact, shift);
  Expansion e = Expand(Magnitude(num), static_cast<u128>(den), count);
  e.integer += e.fraction.substr(0, shift);
  e.fraction.erase(0, shift);
  // Leading zeros can only come from the moved digits; keep at least one.
  const std::size_t first = e.integer.find_first_not_of('0');
  e.integer.erase(0, first == std::string::npos ? e.integer.size() - 1 : first);
  std::string suffix = percent ? "%" : "";
  if (exact < 0) {
    suffix = "..." + suffix;
  } else {
    StripTrailingZeros(&e.fraction);
  }
  return Compose(num < 0, e.integer, e.fraction, suffix);
}

Status ParseError(std::string_view text, std::string_view reason) {
  std::string message = "\"";
  message += text;
  message += "\" is not a decimal number: ";
  message += reason;
  return Status::Error(std::move(message));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool EqualsIgnoringCase(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// Thousands separators are valid when the first group has 1-3 digits and
// every later group exactly 3.
bool ValidGrouping(std::string_view integer) {
  std::size_t start = 0;
  bool first = true;
  while (true) {
    const std::size_t comma = integer.find(',', start);
    const std::size_t end =
        comma == std::string_view::npos ? integer.size() : comma;
    const std::size_t length = end - start;
    if (first ? (length < 1 || length > 3) : length != 3) return false;
    if (comma == std::string_view::npos) return true;
    start = comma + 1;
    first = false;
  }
}

}  // namespace

Decimal Decimal::FromInt(int64_t value) {
  Decimal d;
  d.num_ = value;
  return d;
}

Result<Decimal> Decimal::Parse(std::string_view text) {
  // Fast path for what most cells hold: an optional minus, up to 18 digits
  // and at most one point (exact in 64 bits). Anything else, including
  // every error, takes the full path below.
  {
    std::string_view t = text;
    bool negative = !t.empty() && t.front() == '-';
    if (negative) t.remove_prefix(1);
    uint64_t mag = 0;
    int digits = 0, places = 0;
    bool point = false, plain = !t.empty() && t.size() <= 19;
    for (size_t i = 0; plain && i < t.size(); ++i) {
      char c = t[i];
      if (IsDigit(c)) {
        mag = mag * 10 + static_cast<uint64_t>(c - '0');
        ++digits;
        places += point ? 1 : 0;
      } else {
        plain = c == '.' && !point;
        point = true;
      }
    }
    if (plain && digits > 0 && digits <= 18) {
      // Trailing zeros after the point first: "80000000.00" needs no gcd.
      for (; places > 0 && mag % 10 == 0; --places) mag /= 10;
      uint64_t den = 1;
      for (int i = 0; i < places; ++i) den *= 10;
      // den = 10^places has no factors but 2s and 5s, and mag (not a
      // multiple of 10 now) shares only one of them: no gcd needed.
      for (int twos = 0; twos < places && mag % 2 == 0; ++twos) {
        mag /= 2;  // e.g. 0.25 = 25/100 -> 1/4 below, 0.5 = 5/10 -> 1/2
        den /= 2;
      }
      for (int fives = 0; fives < places && mag % 5 == 0; ++fives) {
        mag /= 5;
        den /= 5;
      }
      Decimal d;
      d.num_ = static_cast<i128>(mag) * (negative ? -1 : 1);
      d.den_ = static_cast<i128>(den);
      return d;
    }
  }
  std::string_view body = text;
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!body.empty() && is_space(body.front())) body.remove_prefix(1);
  while (!body.empty() && is_space(body.back())) body.remove_suffix(1);
  if (body.empty()) return ParseError(text, "the text is empty");

  const bool percent = body.back() == '%';
  if (percent) body.remove_suffix(1);
  bool negative = false;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (EqualsIgnoringCase(body, "inf") || EqualsIgnoringCase(body, "infinity") ||
      EqualsIgnoringCase(body, "nan")) {
    return ParseError(text, "infinity and NaN are not accepted");
  }

  std::string integer;  // digits and commas before the point
  std::string fraction;
  bool in_fraction = false;
  bool any_digit = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (IsDigit(c)) {
      (in_fraction ? fraction : integer).push_back(c);
      any_digit = true;
    } else if (c == ',') {
      if (in_fraction) return ParseError(text, "misplaced comma");
      integer.push_back(c);
    } else if (c == '.') {
      if (in_fraction) return ParseError(text, "more than one decimal point");
      in_fraction = true;
    } else if ((c == 'e' || c == 'E') && any_digit) {
      return ParseError(text, "exponent form is not accepted");
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      return ParseError(text, "unexpected non-ASCII character");
    } else {
      return ParseError(text, std::string("unexpected character '") + c + "'");
    }
  }
  if (!any_digit) return ParseError(text, "there are no digits");
  if (integer.find(',') != std::string::npos) {
    if (!ValidGrouping(integer)) {
      return ParseError(text,
                        "misplaced comma (groups after the first must have "
                        "3 digits)");
    }
    std::erase(integer, ',');
  }

  // Leading zeros and trailing fraction zeros do not change the value; what
  // is left counts towards the limit (so integers stay below 10^30).
  StripTrailingZeros(&fraction);
  std::string digits = integer + fraction;
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
  if (digits.size() > kMaxParsedDigits) {
    return ParseError(text, "out of range (more than 30 digits)");
  }
  if (fraction.size() > kMaxParsedDigits) {
    return ParseError(text, "out of range (more than 30 decimal places)");
  }

  u128 mag = 0;
  for (char c : digits) mag = mag * 10 + static_cast<u128>(c - '0');
  u128 den = Pow10(static_cast<int>(fraction.size()));
  if (percent) den *= 100;  // at most 10^32, well inside 128 bits
  Decimal d;
  NormalizeParts(negative, mag, den, &d.num_, &d.den_);  // cannot fail here
  return d;
}

std::optional<Decimal> Decimal::Add(const Decimal& a, const Decimal& b) {
  if (a.den_ == 1 && b.den_ == 1) {  // whole numbers: most money is
    __int128 sum;
    if (!__builtin_add_overflow(a.num_, b.num_, &sum) && sum != kInt128Min) {
      Decimal out;
      out.num_ = sum;
      return out;
    }
  }
  // a/b + c/d = (a*(d/g) + c*(b/g)) / (b/g * d) with g = gcd(b, d). The sum
  // is formed in 256 bits so only a result that does not fit can fail.
  const u128 g = Gcd(static_cast<u128>(a.den_), static_cast<u128>(b.den_));
  const u128 ad = static_cast<u128>(a.den_) / g;
  const u128 bd = static_cast<u128>(b.den_) / g;
  const U256 left = MulWide(Magnitude(a.num_), bd);
  const U256 right = MulWide(Magnitude(b.num_), ad);
  const bool a_negative = a.num_ < 0, b_negative = b.num_ < 0;
  U256 sum;
  bool negative;
  if (a_negative == b_negative) {
    sum = AddWide(left, right);
    negative = a_negative;
  } else if (left >= right) {
    sum = SubWide(left, right);
    negative = a_negative;
  } else {
    sum = SubWide(right, left);
    negative = b_negative;
  }
  if (sum == U256{0, 0}) return Decimal();
  // Only factors of g can be shared by the sum and the denominator, and
  // dividing them out leaves the fraction reduced (Knuth, TAOCP 4.5.1).
  u128 sum_mod_g, unused;
  DivModWide(sum, g, &sum_mod_g);
  const u128 g2 = Gcd(g, sum_mod_g);
  const U256 num = DivModWide(sum, g2, &unused);
  u128 den;
  if (num.hi != 0 ||
      __builtin_mul_overflow(ad, static_cast<u128>(b.den_) / g2, &den)) {
    return std::nullopt;
  }
  Decimal r;
  if (!NormalizeParts(negative, num.lo, den, &r.num_, &r.den_)) {
    return std::nullopt;
  }
  return r;
}

std::optional<Decimal> Decimal::Sub(const Decimal& a, const Decimal& b) {
  return Add(a, b.Negate());
}

std::optional<Decimal> Decimal::Mul(const Decimal& a, const Decimal& b) {
  if (a.den_ == 1 && b.den_ == 1) {
    __int128 product;
    if (!__builtin_mul_overflow(a.num_, b.num_, &product) &&
        product != kInt128Min) {
      Decimal out;
      out.num_ = product;
      return out;
    }
  }
  // Cancel across before multiplying: both inputs are reduced, so the
  // result is too, and only a result that truly does not fit fails.
  const u128 an = Magnitude(a.num_), bn = Magnitude(b.num_);
  const u128 ad = static_cast<u128>(a.den_), bd = static_cast<u128>(b.den_);
  if (an == 0 || bn == 0) return Decimal();
  const u128 g1 = Gcd(an, bd), g2 = Gcd(bn, ad);
  u128 num, den;
  if (__builtin_mul_overflow(an / g1, bn / g2, &num) ||
      __builtin_mul_overflow(ad / g2, bd / g1, &den)) {
    return std::nullopt;
  }
  Decimal r;
  if (!NormalizeParts((a.num_ < 0) != (b.num_ < 0), num, den, &r.num_,
                      &r.den_)) {
    return std::nullopt;
  }
  return r;
}

std::optional<Decimal> Decimal::Div(const Decimal& a, const Decimal& b) {
  if (b.num_ == 0) return std::nullopt;
  Decimal inverse;
  // b is reduced and |b.num_| < 2^127, so its flip always fits; Normalize
  // only moves the sign to the numerator.
  if (!Normalize(b.den_, b.num_, &inverse.num_, &inverse.den_)) {
    return std::nullopt;
  }
  return Mul(a, inverse);
}

Decimal Decimal::Negate() const {
  Decimal r = *this;
  r.num_ = -num_;  // |num_| < 2^127 always, so this cannot wrap
  return r;
}

std::optional<Decimal> Decimal::Round(int digits, RoundingMode mode) const {
  if (digits < 0 || digits > 18) return std::nullopt;
  const bool negative = num_ < 0;
  Expansion e = Expand(Magnitude(num_), static_cast<u128>(den_), digits);
  if (RoundsAway(e, static_cast<u128>(den_), negative, mode)) {
    AddOneInLastPlace(&e);
  }
  // The rounded value is the digit string over 10^places. Cancel common
  // factors on the string first, so only a result that does not fit fails.
  StripTrailingZeros(&e.fraction);
  const int places = static_cast<int>(e.fraction.size());
  std::string all = e.integer + e.fraction;
  int twos = places, fives = places;
  while (twos > 0 && (all.back() - '0') % 2 == 0) {
    DivideDigits(&all, 2);
    --twos;
  }
  while (fives > 0 && (all.back() - '0') % 5 == 0) {
    DivideDigits(&all, 5);
    --fives;
  }
  u128 mag = 0;
  for (char c : all) {
    if (__builtin_mul_overflow(mag, 10, &mag) ||
        __builtin_add_overflow(mag, c - '0', &mag)) {
      return std::nullopt;
    }
  }
  u128 den = 1;  // 2^twos * 5^fives divides 10^18, so this fits
  for (int i = 0; i < twos; ++i) den *= 2;
  for (int i = 0; i < fives; ++i) den *= 5;
  Decimal r;
  if (!NormalizeParts(negative, mag, den, &r.num_, &r.den_)) {
    return std::nullopt;
  }
  return r;
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  if (a.den_ == b.den_) return a.num_ <=> b.num_;
  // Parts within 63 bits (amounts of money are): the cross products fit in
  // 128 bits.
  constexpr i128 kSmall = i128{1} << 63;
  if (a.num_ > -kSmall && a.num_ < kSmall && b.num_ > -kSmall &&
      b.num_ < kSmall && a.den_ < kSmall && b.den_ < kSmall) {
    return a.num_ * b.den_ <=> b.num_ * a.den_;
  }
  if (a.sign() != b.sign()) return a.sign() <=> b.sign();
  // Same sign: compare |a.num| * b.den with |b.num| * a.den in 256 bits.
  const U256 left = MulWide(Magnitude(a.num_), static_cast<u128>(b.den_));
  const U256 right = MulWide(Magnitude(b.num_), static_cast<u128>(a.den_));
  return a.sign() < 0 ? right <=> left : left <=> right;
}

std::optional<int64_t> Decimal::ToInt64() const {
  if (den_ != 1 || num_ < std::numeric_limits<int64_t>::min() ||
      num_ > std::numeric_limits<int64_t>::max()) {
    return std::nullopt;
  }
  return static_cast<int64_t>(num_);
}

std::string Decimal::ToFixed(int digits) const {
  digits = std::max(digits, 0);
  // Fast path: when den divides 10^digits and the magnitude fits 64 bits,
  // the digits are those of a whole number and a fraction; nothing is
  // rounded. A whole number (most money) needs no division at all.
  if (digits <= 18 && Magnitude(num_) <= std::numeric_limits<uint64_t>::max()) {
    static constexpr auto kPow10 = [] {
      std::array<uint64_t, 19> p{};
      p[0] = 1;
      for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
      return p;
    }();
    const uint64_t mag = static_cast<uint64_t>(Magnitude(num_));
    const uint64_t scale = kPow10[static_cast<size_t>(digits)];
    uint64_t whole = mag, fraction = 0, scaled;
    bool exact = den_ == 1;
    if (!exact && den_ <= static_cast<i128>(scale) &&
        scale % static_cast<uint64_t>(den_) == 0 &&
        !__builtin_mul_overflow(mag, scale / static_cast<uint64_t>(den_),
                                &scaled)) {
      whole = scaled / scale;
      fraction = scaled % scale;
      exact = true;
    }
    if (exact) {
      char text[48];  // sign, 20 digits, point, 18 digits
      char* at = text;
      if (num_ < 0) *at++ = '-';
      at = std::to_chars(at, text + sizeof text, whole).ptr;
      if (digits > 0) {
        *at++ = '.';
        for (int i = digits - 1; i >= 0; --i) {  // right to left, zeros kept
          at[i] = static_cast<char>('0' + fraction % 10);
          fraction /= 10;
        }
        at += digits;
      }
      return std::string(text, static_cast<size_t>(at - text));
    }
  }
  const u128 den = static_cast<u128>(den_);
  Expansion e = Expand(Magnitude(num_), den, digits);
  if (RoundsAway(e, den, num_ < 0, RoundingMode::kHalfUp)) {
    AddOneInLastPlace(&e);
  }
  // A negative value that rounds to zero prints as "0.00", never "-0.00".
  const bool shows_zero = AllZeros(e.integer) && AllZeros(e.fraction);
  return Compose(num_ < 0 && !shows_zero, e.integer, e.fraction, "");
}

std::string Decimal::ToString() const {
  if (den_ == 1) return ToFixed(0);  // whole numbers: the fast path there
  return FormatShortest(num_, den_, /*percent=*/false);
}

std::string Decimal::ToPercent() const {
  return FormatShortest(num_, den_, /*percent=*/true);
}

}  // namespace eligo
