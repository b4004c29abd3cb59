// Reading credit codes: a spreadsheet's exponent form is refused with its
// own message, but a real code that happens to read as an exponent is not.
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

}  // namespace
}  // namespace eligo::testing
