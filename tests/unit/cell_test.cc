// Reading cells: a spreadsheet's exponent form is refused with its own
// message, but a real code that happens to read as an exponent is not; yes
// and no in every spelling.
#include <doctest/doctest.h>

#include <string>

#include "eligo/panel.h"

namespace eligo::testing {
namespace {

TEST_CASE("CheckCreditCode tells a code from a spreadsheet's exponent") {
  bool check_only = true;
  // Digits, one E and a digit check character: a valid code.
  CHECK(CheckCreditCode("914111000000E10031", &check_only) == "");
  CHECK_FALSE(check_only);
  CHECK(CheckCreditCode("91411102MA3X4K7P2F", &check_only) == "");
  // What a spreadsheet makes of a long number.
  for (const char* exponent : {"9.14111E+17", "9.14E+17", "914111E17"}) {
    INFO(exponent);
    CHECK(CheckCreditCode(exponent, &check_only).find("exponent form") !=
          std::string::npos);
  }
  // 18 characters with an E but a wrong check character: a warning about
  // the check character, not an exponent.
  CHECK(CheckCreditCode("914111000000E10032", &check_only) ==
        "credit code `914111000000E10032` has check character `2`, expected "
        "`1`");
  CHECK(check_only);
}

// A number in exponent form is refused as such, not as a bad number; a
// percentage is no amount of money.
TEST_CASE("a money cell in exponent form or as a percentage is refused") {
  FieldSchema money;
  money.name = "sales_revenue";
  money.type = FieldType::kMoney;
  for (const char* exponent : {"1.2E+8", "1.2e8", "12E-1"}) {
    INFO(exponent);
    Result<Cell> cell =
        ParseCell(money, exponent, Decimal::FromInt(1), nullptr);
    REQUIRE_FALSE(cell.ok());
    CHECK(cell.error() ==
          "`" + std::string(exponent) +
              "` is in exponent form; write the number in full");
  }
  Result<Cell> percent = ParseCell(money, "12%", Decimal::FromInt(1), nullptr);
  REQUIRE_FALSE(percent.ok());
  CHECK(percent.error() ==
        "`12%` is a percentage, but `sales_revenue` is money");
  Result<Cell> bad = ParseCell(money, "12x", Decimal::FromInt(1), nullptr);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().find("exponent") == std::string::npos);
  Result<Cell> plain =
      ParseCell(money, "1,200.50", Decimal::FromInt(10000), nullptr);
  REQUIRE(plain.ok());
  CHECK(plain->number.ToString() == "12005000");
}

TEST_CASE("a yes/no cell reads every spelling, in any case") {
  FieldSchema flag;
  flag.name = "in_cultivation_list";
  flag.type = FieldType::kBoolean;
  for (const char* yes : {"true", "TRUE", "1", "yes", "Yes", "y", "Y", "是"}) {
    INFO(yes);
    Result<Cell> cell = ParseCell(flag, yes, Decimal::FromInt(1), nullptr);
    REQUIRE(cell.ok());
    CHECK(cell->boolean);
  }
  for (const char* no : {"false", "False", "0", "no", "NO", "n", "N", "否"}) {
    INFO(no);
    Result<Cell> cell = ParseCell(flag, no, Decimal::FromInt(1), nullptr);
    REQUIRE(cell.ok());
    CHECK(cell->state == Cell::State::kValue);
    CHECK_FALSE(cell->boolean);
  }
  for (const char* neither : {"2", "yess", "是的", "t"}) {
    INFO(neither);
    CHECK_FALSE(ParseCell(flag, neither, Decimal::FromInt(1), nullptr).ok());
  }
}

}  // namespace
}  // namespace eligo::testing
