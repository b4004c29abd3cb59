// JSON string literals in decision records and traces: every character
// that must be escaped is, wherever it stands, and nothing else changes.
#include "explain/json.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace eligo::testing {
namespace {

std::string Json(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

TEST_CASE("a JSON string escapes quotes, backslashes and control characters") {
  CHECK(Json("") == R"("")");
  CHECK(Json("营业收入 >= 5亿") == "\"营业收入 >= 5亿\"");
  CHECK(Json("a\"b\\c\nd\re\tf\x01g\x1f") ==
        R"("a\"b\\c\nd\re\tf\u0001g\u001f")");
  // Each character to escape at every position of strings up to 20 long,
  // read back by another JSON parser.
  std::vector<std::string> specials = {"\"", "\\", "企"};
  for (int c = 0; c < 0x20; ++c) specials.emplace_back(1, static_cast<char>(c));
  for (size_t size = 1; size <= 20; ++size) {
    for (const std::string& special : specials) {
      for (size_t at = 0; at < size; ++at) {
        std::string text(size, 'a');
        text.replace(at, 1, special);
        INFO("size " << size << ", character " << int{special[0]} << " at "
                     << at);
        std::string json = Json(text);
        REQUIRE(nlohmann::json::parse(json).get<std::string>() == text);
        // Only escapes: no raw control character is left.
        for (char ch : json) CHECK(static_cast<unsigned char>(ch) >= 0x20);
      }
    }
  }
}

}  // namespace
}  // namespace eligo::testing
