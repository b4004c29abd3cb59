// Unit tests for eligo::Decimal: parsing, exact arithmetic, rounding and
// formatting.
#include "eligo/decimal.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace doctest {
// Show failing values as decimals instead of "{?}".
template <>
struct StringMaker<eligo::Decimal> {
  static String convert(const eligo::Decimal& d) {
    return d.ToString().c_str();
  }
};
template <>
struct StringMaker<std::optional<eligo::Decimal>> {
  static String convert(const std::optional<eligo::Decimal>& d) {
    return d ? d->ToString().c_str() : "nullopt";
  }
};
}  // namespace doctest

namespace {

using eligo::Decimal;
using eligo::RoundingMode;

// Parses text that the test expects to be valid.
Decimal D(std::string_view text) {
  eligo::Result<Decimal> r = Decimal::Parse(text);
  INFO("parsing \"", std::string(text), "\": ", r.error());
  REQUIRE(r.ok());
  return r.value();
}

// The value of an operation that the test expects to fit.
Decimal Must(const std::optional<Decimal>& d) {
  REQUIRE(d.has_value());
  return *d;
}

// The error message for text that the test expects to be rejected.
std::string ParseError(std::string_view text) {
  eligo::Result<Decimal> r = Decimal::Parse(text);
  INFO("parsing \"", std::string(text), "\"");
  REQUIRE_FALSE(r.ok());
  CHECK_FALSE(r.error().empty());
  return r.error();
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

// 10^exponent built by repeated checked multiplication.
std::optional<Decimal> PowerOfTen(int exponent) {
  std::optional<Decimal> result = Decimal::FromInt(1);
  for (int i = 0; i < exponent && result; ++i) {
    result = Decimal::Mul(*result, Decimal::FromInt(10));
  }
  return result;
}

}  // namespace

TEST_CASE("Decimal default and FromInt") {
  const Decimal zero;
  CHECK(zero.is_zero());
  CHECK(zero.sign() == 0);
  CHECK(zero.numerator() == 0);
  CHECK(zero.denominator() == 1);
  CHECK(zero == Decimal::FromInt(0));

  const Decimal min = Decimal::FromInt(std::numeric_limits<int64_t>::min());
  CHECK(min.sign() == -1);
  CHECK(min.is_integer());
  CHECK(min.ToInt64() == std::numeric_limits<int64_t>::min());
  CHECK(min.ToString() == "-9223372036854775808");
}

TEST_CASE("Decimal::Parse accepts plain decimals") {
  CHECK(D("1,234.5") ==
        Must(Decimal::Div(Decimal::FromInt(12345), Decimal::FromInt(10))));
  CHECK(D("1,234.5").numerator() == 2469);
  CHECK(D("1,234.5").denominator() == 2);
  CHECK(D("-12") == Decimal::FromInt(-12));
  CHECK(D("+7") == Decimal::FromInt(7));
  CHECK(D("  -12 \t") == Decimal::FromInt(-12));
  CHECK(D("0.085").numerator() == 17);
  CHECK(D("0.085").denominator() == 200);
  CHECK(D("1234.50") == D("1234.5"));
  CHECK(D(".5") ==
        Must(Decimal::Div(Decimal::FromInt(1), Decimal::FromInt(2))));
  CHECK(D("1.") == Decimal::FromInt(1));
  CHECK(D("-.25") ==
        Must(Decimal::Div(Decimal::FromInt(-1), Decimal::FromInt(4))));
  CHECK(D("007") == Decimal::FromInt(7));
  CHECK(D("12,345,678") == Decimal::FromInt(12345678));
  CHECK(D("1,234,567.89") == D("1234567.89"));
  CHECK(D("999") == Decimal::FromInt(999));

  // Zero has one representation whatever its spelling.
  CHECK(D("-0") == Decimal());
  CHECK(D("0.000").denominator() == 1);
  CHECK(D("-0.00").sign() == 0);

  // Exactly 30 significant digits is the limit, and zeros that carry no
  // value do not count towards it.
  CHECK(D("123456789012345678901234567890").ToString() ==
        "123456789012345678901234567890");
  CHECK(D("0.123456789012345678901234567890") ==
        D("0.12345678901234567890123456789"));
  CHECK(D("000000001.5000000000000000000000000000000000000") == D("1.5"));
}

TEST_CASE("Decimal::Parse: the 64-bit fast path agrees with the full one") {
  // A leading space sends the text down the full path; without it, plain
  // numbers of up to 18 digits take the fast one. Both must give the same
  // reduced fraction, and refuse the same texts.
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  for (int i = 0; i < 20000; ++i) {
    std::string text = next() % 4 == 0 ? "-" : "";
    int digits = static_cast<int>(next() % 21);
    int point = static_cast<int>(next() % (digits + 2)) - 1;
    for (int d = 0; d < digits; ++d) {
      if (d == point) text += '.';
      text += static_cast<char>('0' + next() % (next() % 3 == 0 ? 1 : 10));
    }
    eligo::Result<Decimal> fast = Decimal::Parse(text);
    eligo::Result<Decimal> full = Decimal::Parse(" " + text);
    INFO("text: `", text, "`");
    REQUIRE(fast.ok() == full.ok());
    if (!fast.ok()) continue;
    CHECK(fast->numerator() == full->numerator());
    CHECK(fast->denominator() == full->denominator());
  }
}

TEST_CASE("Decimal::Parse reads percentages") {
  CHECK(D("8.5%") == D("0.085"));
  CHECK(D("100%") == Decimal::FromInt(1));
  CHECK(D("-2.5%") == D("-0.025"));
  CHECK(D(" 12% ") == D("0.12"));
}

TEST_CASE("Decimal::Parse rejects what is not a plain decimal") {
  CHECK(Contains(ParseError(""), "empty"));
  CHECK(Contains(ParseError("   "), "empty"));
  CHECK(Contains(ParseError("abc"), "\"abc\""));
  CHECK(Contains(ParseError("abc"), "'a'"));
  CHECK(Contains(ParseError("1,23"), "comma"));
  CHECK(Contains(ParseError("1234,567"), "comma"));
  CHECK(Contains(ParseError(",123"), "comma"));
  CHECK(Contains(ParseError("12,"), "comma"));
  CHECK(Contains(ParseError("1,,234"), "comma"));
  CHECK(Contains(ParseError("1,234.567,8"), "comma"));
  CHECK(Contains(ParseError("9.14E+17"), "exponent"));
  CHECK(Contains(ParseError("9.14E+17"), "\"9.14E+17\""));
  CHECK(Contains(ParseError("1e5"), "exponent"));
  CHECK(Contains(ParseError("1.2.3"), "decimal point"));
  CHECK(Contains(ParseError("-"), "no digits"));
  CHECK(Contains(ParseError("."), "no digits"));
  CHECK(Contains(ParseError("%"), "no digits"));
  CHECK(Contains(ParseError("inf"), "infinity"));
  CHECK(Contains(ParseError("-Infinity"), "infinity"));
  CHECK(Contains(ParseError("NaN"), "NaN"));
  CHECK_FALSE(Decimal::Parse("1 000").ok());
  CHECK_FALSE(Decimal::Parse("--1").ok());
  CHECK_FALSE(Decimal::Parse("5%%").ok());
  CHECK_FALSE(Decimal::Parse("0x10").ok());
  CHECK_FALSE(Decimal::Parse("\xef\xbc\x91").ok());  // fullwidth digit one

  // 31 significant digits; 10^30 has 31 digits, too.
  CHECK(Contains(ParseError("1" + std::string(30, '0')), "out of range"));
  CHECK(
      Contains(ParseError("1234567890123456789012345678901"), "out of range"));
  CHECK(Contains(ParseError("-1.234567890123456789012345678901"),
                 "out of range"));
  // Tiny values are out of range too, as their denominator would be.
  CHECK(Contains(ParseError("0.0000000000000000000000000000001"),
                 "out of range"));
}

TEST_CASE("Decimal arithmetic is exact") {
  const Decimal one = Decimal::FromInt(1);
  const Decimal three = Decimal::FromInt(3);
  const Decimal third = Must(Decimal::Div(one, three));
  CHECK(Must(Decimal::Mul(third, three)) == one);
  CHECK(third.ToString() == "0.3333333333...");
  CHECK(Must(Decimal::Add(Must(Decimal::Add(third, third)), third)) == one);
  CHECK(Must(Decimal::Add(D("0.1"), D("0.2"))) == D("0.3"));
  CHECK(Must(Decimal::Sub(D("0.3"), D("0.1"))) == D("0.2"));
  CHECK(Must(Decimal::Sub(D("0.1"), D("0.3"))) == D("-0.2"));
  CHECK(Must(Decimal::Sub(third, third)).is_zero());
  CHECK(Must(Decimal::Mul(D("-1.5"), D("-2"))) == three);
  CHECK(Must(Decimal::Mul(D("0"), third)).is_zero());

  // 万元 scaling: an amount in units of 10,000.
  CHECK(Must(Decimal::Mul(D("9999.999999"), Decimal::FromInt(10000))) ==
        D("99999999.99"));

  // The denominator stays positive and the fraction reduced.
  const Decimal neg = Must(Decimal::Div(one, Decimal::FromInt(-3)));
  CHECK(neg.numerator() == -1);
  CHECK(neg.denominator() == 3);
  const Decimal six_fourths = Must(Decimal::Div(D("-6"), D("-4")));
  CHECK(six_fourths.numerator() == 3);
  CHECK(six_fourths.denominator() == 2);
  CHECK(D("-2").Negate() == Decimal::FromInt(2));
  CHECK(third.Negate() == neg);
}

TEST_CASE("Decimal division by zero has no result") {
  CHECK_FALSE(Decimal::Div(Decimal::FromInt(1), Decimal()).has_value());
  CHECK_FALSE(Decimal::Div(Decimal(), D("0.00")).has_value());
}

TEST_CASE("Decimal comparison") {
  CHECK(D("100000000.00") >= D("100000000"));
  CHECK(D("100000000.00") == D("100000000"));
  CHECK(D("99999999.99") < D("100000000"));
  CHECK(D("-1") < D("0"));
  CHECK(D("0") < D("0.0000001"));
  CHECK(D("-0.25") > D("-0.3333"));
  CHECK(Must(Decimal::Div(D("-1"), D("3"))) < D("-0.25"));
  CHECK((D("2.50") <=> D("2.5")) == std::strong_ordering::equal);
  CHECK(D("1.5") != D("1.50001"));
}

// Parts within 63 bits are compared by 128-bit cross products, larger ones
// in 256 bits: values just past that bound still compare exactly.
TEST_CASE("Decimal comparison at the bound of the short path") {
  // a = 1 + 2 / (2^64 - 1) > b = 1 + 2 / (2^64 + 1), both reduced; their
  // cross products are near 2^128.
  const Decimal a =
      Must(Decimal::Div(D("18446744073709551617"), D("18446744073709551615")));
  const Decimal b =
      Must(Decimal::Div(D("18446744073709551619"), D("18446744073709551617")));
  CHECK(a > b);
  CHECK(b.Negate() > a.Negate());
  // (2^64 + 1) / 3 > 1 / (2^63 + 1): one cross product is past 2^127.
  const Decimal big = Must(Decimal::Div(D("18446744073709551617"), D("3")));
  const Decimal tiny = Must(Decimal::Div(D("1"), D("9223372036854775809")));
  CHECK(big > tiny);
  CHECK(tiny.Negate() > big.Negate());
  // (2^63 - 1) / 3 against 2^63 / 4 = 2^61: the largest parts on the short
  // path.
  const Decimal c = Must(Decimal::Div(D("9223372036854775807"), D("3")));
  const Decimal d = Must(Decimal::Div(D("9223372036854775808"), D("4")));
  CHECK(c > d);
  CHECK(c.Negate() < d.Negate());
  CHECK(D("0.5") > Must(Decimal::Div(D("-9223372036854775807"), D("3"))));
}

TEST_CASE("Decimal comparison cannot overflow") {
  // a = X / (X - 2) and b = (X - 1) / (X - 3) with X = 10^30 - 1, so
  // b - a = 2 / ((X - 2)(X - 3)) > 0, a difference far below what any
  // rounding could see.
  const Decimal x = D("999999999999999999999999999999");
  const Decimal a = Must(Decimal::Div(x, D("999999999999999999999999999997")));
  const Decimal b = Must(Decimal::Div(D("999999999999999999999999999998"),
                                      D("999999999999999999999999999996")));
  // The premise: naive 128-bit cross multiplication would overflow.
  __int128 product;
  REQUIRE(__builtin_mul_overflow(a.numerator(), b.denominator(), &product));
  REQUIRE(__builtin_mul_overflow(b.numerator(), a.denominator(), &product));

  CHECK(a < b);
  CHECK(b > a);
  CHECK(a != b);
  CHECK(a.Negate() > b.Negate());
  CHECK(b.Negate() < a.Negate());
  CHECK(a > Decimal::FromInt(1));
  CHECK(a.Negate() < Decimal::FromInt(-1));
  // The same value built another way compares equal.
  const Decimal a3 =
      Must(Decimal::Div(Must(Decimal::Mul(x, Decimal::FromInt(3))),
                        Must(Decimal::Mul(D("999999999999999999999999999997"),
                                          Decimal::FromInt(3)))));
  CHECK(a3 == a);
  CHECK((a3 <=> a) == std::strong_ordering::equal);
  // Their difference does not fit, and says so instead of wrapping.
  CHECK_FALSE(Decimal::Sub(b, a).has_value());
  // Cancelling before multiplying keeps products of big fractions exact.
  CHECK(Must(Decimal::Mul(a, Must(Decimal::Div(Decimal::FromInt(1), a)))) ==
        Decimal::FromInt(1));
}

TEST_CASE("Decimal overflow returns nullopt instead of wrapping") {
  const Decimal e15 = Decimal::FromInt(1000000000000000);
  const Decimal e30 = Must(Decimal::Mul(e15, e15));
  CHECK(e30 == Must(PowerOfTen(30)));
  CHECK(e30.ToString() == "1" + std::string(30, '0'));
  CHECK_FALSE(Decimal::Mul(e30, e15).has_value());

  const Decimal e38 = Must(Decimal::Mul(e30, Decimal::FromInt(100000000)));
  CHECK(e38 == Must(PowerOfTen(38)));
  CHECK_FALSE(PowerOfTen(39).has_value());
  CHECK_FALSE(Decimal::Add(e38, e38).has_value());
  CHECK_FALSE(Decimal::Sub(e38.Negate(), e38).has_value());
  CHECK_FALSE(Decimal::Mul(e38, Decimal::FromInt(2)).has_value());
  CHECK_FALSE(Decimal::Mul(e38.Negate(), Decimal::FromInt(2)).has_value());
  CHECK(Must(Decimal::Add(e38, e30)) > e38);

  // A sum whose unreduced numerator exceeds 128-bit signed range but whose
  // reduced value fits is still exact: (10^38 - 1)/14 twice is /7.
  const Decimal nines = Must(Decimal::Sub(e38, Decimal::FromInt(1)));
  const Decimal fourteenth = Must(Decimal::Div(nines, Decimal::FromInt(14)));
  const Decimal seventh = Must(Decimal::Div(nines, Decimal::FromInt(7)));
  CHECK(Decimal::Add(fourteenth, fourteenth) == seventh);
  CHECK(Decimal::Sub(fourteenth, fourteenth.Negate()) == seventh);
  CHECK_FALSE(Decimal::Add(seventh, seventh).has_value());

  // Denominators overflow too.
  const Decimal tiny = Must(Decimal::Div(Decimal::FromInt(1), e38));
  CHECK_FALSE(Decimal::Mul(tiny, tiny).has_value());
  CHECK_FALSE(Decimal::Div(tiny, e38).has_value());
  CHECK(Must(Decimal::Mul(tiny, e38)) == Decimal::FromInt(1));
}

TEST_CASE("Decimal::Round in every mode") {
  struct Case {
    const char* value;
    int digits;
    const char* half_up;
    const char* half_even;
    const char* down;
    const char* up;
    const char* floor;
    const char* ceiling;
  };
  const Case cases[] = {
      {"2.5", 0, "3", "2", "2", "3", "2", "3"},
      {"-2.5", 0, "-3", "-2", "-2", "-3", "-3", "-2"},
      {"3.5", 0, "4", "4", "3", "4", "3", "4"},
      {"-3.5", 0, "-4", "-4", "-3", "-4", "-4", "-3"},
      {"2.45", 1, "2.5", "2.4", "2.4", "2.5", "2.4", "2.5"},
      {"-2.45", 1, "-2.5", "-2.4", "-2.4", "-2.5", "-2.5", "-2.4"},
      {"2.451", 1, "2.5", "2.5", "2.4", "2.5", "2.4", "2.5"},
      {"2.449", 1, "2.4", "2.4", "2.4", "2.5", "2.4", "2.5"},
      {"2.4", 1, "2.4", "2.4", "2.4", "2.4", "2.4", "2.4"},
      {"-0.004", 2, "0", "0", "0", "-0.01", "-0.01", "0"},
      {"9.99", 1, "10", "10", "9.9", "10", "9.9", "10"},
  };
  for (const Case& c : cases) {
    INFO("rounding ", c.value, " to ", c.digits, " digits");
    const Decimal v = D(c.value);
    CHECK(v.Round(c.digits, RoundingMode::kHalfUp) == D(c.half_up));
    CHECK(v.Round(c.digits, RoundingMode::kHalfEven) == D(c.half_even));
    CHECK(v.Round(c.digits, RoundingMode::kDown) == D(c.down));
    CHECK(v.Round(c.digits, RoundingMode::kUp) == D(c.up));
    CHECK(v.Round(c.digits, RoundingMode::kFloor) == D(c.floor));
    CHECK(v.Round(c.digits, RoundingMode::kCeiling) == D(c.ceiling));
  }
}

TEST_CASE("Decimal::Round of fractions and limits") {
  const Decimal third =
      Must(Decimal::Div(Decimal::FromInt(1), Decimal::FromInt(3)));
  const Decimal two_thirds = Must(Decimal::Add(third, third));
  CHECK(third.Round(2, RoundingMode::kHalfUp) == D("0.33"));
  CHECK(third.Round(2, RoundingMode::kCeiling) == D("0.34"));
  CHECK(third.Negate().Round(2, RoundingMode::kFloor) == D("-0.34"));
  CHECK(two_thirds.Round(2, RoundingMode::kHalfUp) == D("0.67"));
  CHECK(two_thirds.Round(2, RoundingMode::kHalfEven) == D("0.67"));
  CHECK(two_thirds.Round(0, RoundingMode::kDown) == Decimal());
  CHECK(third.Round(18, RoundingMode::kHalfUp) == D("0.333333333333333333"));
  CHECK(D("1.25").Round(2, RoundingMode::kUp) == D("1.25"));
  CHECK(D("35640000").Round(0, RoundingMode::kHalfUp) == D("35640000"));

  CHECK_FALSE(third.Round(19, RoundingMode::kHalfUp).has_value());
  CHECK_FALSE(third.Round(-1, RoundingMode::kHalfUp).has_value());
  // A big value that is already round stays itself, even though scaling it
  // by 10^18 would not fit.
  const Decimal e30 = Must(PowerOfTen(30));
  CHECK(e30.Round(0, RoundingMode::kHalfUp) == e30);
  CHECK(e30.Round(18, RoundingMode::kHalfUp) == e30);
  // 10^21 + 1/3 to 18 places needs a 40-digit numerator: it does not fit.
  const Decimal big_third = Must(Decimal::Add(Must(PowerOfTen(21)), third));
  CHECK_FALSE(big_third.Round(18, RoundingMode::kHalfUp).has_value());
  CHECK(big_third.Round(2, RoundingMode::kHalfUp) ==
        D("1000000000000000000000.33"));
}

TEST_CASE("Decimal::ToInt64") {
  CHECK(D("-42").ToInt64() == -42);
  CHECK(D("12.000").ToInt64() == 12);
  CHECK(D("9223372036854775807").ToInt64() ==
        std::numeric_limits<int64_t>::max());
  CHECK(D("-9223372036854775808").ToInt64() ==
        std::numeric_limits<int64_t>::min());
  CHECK_FALSE(D("9223372036854775808").ToInt64().has_value());
  CHECK_FALSE(D("-9223372036854775809").ToInt64().has_value());
  CHECK_FALSE(D("1.5").ToInt64().has_value());
}

TEST_CASE("Decimal::ToFixed") {
  const Decimal third =
      Must(Decimal::Div(Decimal::FromInt(1), Decimal::FromInt(3)));
  CHECK(D("35640000").ToFixed(2) == "35640000.00");
  CHECK(third.ToFixed(2) == "0.33");
  CHECK(Must(Decimal::Add(third, third)).ToFixed(2) == "0.67");
  CHECK(D("-0.001").ToFixed(2) == "0.00");
  CHECK(D("-0.005").ToFixed(2) == "-0.01");
  CHECK(D("-1.005").ToFixed(2) == "-1.01");
  CHECK(D("9.995").ToFixed(2) == "10.00");
  CHECK(D("-9.999").ToFixed(2) == "-10.00");
  CHECK(D("2.5").ToFixed(0) == "3");
  CHECK(D("0").ToFixed(3) == "0.000");
  CHECK(D("1.5").ToFixed(4) == "1.5000");
  CHECK(D("123456789012345678901234567890").ToFixed(2) ==
        "123456789012345678901234567890.00");
}

TEST_CASE("Decimal::ToFixed and ToString agree with digits worked out here") {
  // n / den with den dividing 100: ToFixed(2) is n * (100 / den) with a
  // point before its last two digits, whatever path formats it.
  uint64_t state = 99;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 20;
  };
  for (int64_t den : {1, 2, 4, 5, 10, 20, 25, 50, 100}) {
    for (int i = 0; i < 500; ++i) {
      int64_t n = static_cast<int64_t>(next() % 2000000000000) - 1000000000000;
      if (i < 3) n = i - 1;  // -1, 0, 1
      Decimal d =
          Must(Decimal::Div(Decimal::FromInt(n), Decimal::FromInt(den)));
      int64_t cents = n * (100 / den);
      uint64_t magnitude = static_cast<uint64_t>(cents < 0 ? -cents : cents);
      std::string expected = std::to_string(magnitude / 100) + "." +
                             (magnitude % 100 < 10 ? "0" : "") +
                             std::to_string(magnitude % 100);
      if (cents < 0) expected.insert(0, "-");
      INFO(n, "/", den);
      CHECK(d.ToFixed(2) == expected);
      if (den == 1) CHECK(d.ToString() == std::to_string(n));
    }
  }
  // Past 64 bits the general path formats the same way.
  Decimal big = D("123456789012345678901234567.5");
  CHECK(big.ToFixed(2) == "123456789012345678901234567.50");
  CHECK(D("-0.5").ToFixed(2) == "-0.50");
  CHECK(D("0.001").ToFixed(18) == "0.001000000000000000");
  CHECK(D("-3").ToFixed(0) == "-3");
}

TEST_CASE("Decimal::ToString") {
  CHECK(D("0.085").ToString() == "0.085");
  CHECK(D("100000000").ToString() == "100000000");
  CHECK(D("100000000.00").ToString() == "100000000");
  CHECK(D("-1.5").ToString() == "-1.5");
  CHECK(D("1,234.50").ToString() == "1234.5");
  CHECK(Decimal().ToString() == "0");
  CHECK(Must(Decimal::Div(Decimal::FromInt(1), Decimal::FromInt(1024)))
            .ToString() == "0.0009765625");
  CHECK(Must(Decimal::Div(Decimal::FromInt(-2), Decimal::FromInt(3)))
            .ToString() == "-0.6666666666...");
  CHECK(Must(Decimal::Div(Decimal::FromInt(100), Decimal::FromInt(7)))
            .ToString() == "14.2857142857...");
  CHECK(eligo::format_as(D("2.50")) == "2.5");
}

TEST_CASE("Decimal::ToPercent") {
  CHECK(D("0.075").ToPercent() == "7.5%");
  CHECK(D("0.1").ToPercent() == "10%");
  CHECK(D("1").ToPercent() == "100%");
  CHECK(D("0").ToPercent() == "0%");
  CHECK(D("-0.5").ToPercent() == "-50%");
  CHECK(D("12.345").ToPercent() == "1234.5%");
  CHECK(D("0.00001").ToPercent() == "0.001%");
  CHECK(D("8.5%").ToPercent() == "8.5%");
  CHECK(Must(Decimal::Div(Decimal::FromInt(1), Decimal::FromInt(3)))
            .ToPercent() == "33.3333333333...%");
  // Too big to multiply by 100, yet it prints.
  const Decimal e38 = Must(PowerOfTen(38));
  CHECK(e38.ToPercent() == "1" + std::string(40, '0') + "%");
}
