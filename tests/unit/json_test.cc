// JSON string literals in decision records and traces: every character
// that must be escaped is, wherever it stands, and no other is.
#include "explain/json.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace eligo::testing {
namespace {

std::string Json(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

// The size of `s` as a JSON string: quotes, and escapes only where needed.
size_t EscapedSize(std::string_view s) {
  size_t size = 2;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool short_escape =
        c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t';
    size += short_escape ? 2 : c < 0x20 ? 6 : 1;
  }
  return size;
}

TEST_CASE("a JSON string escapes quotes, backslashes and control characters") {
  CHECK(Json("") == R"("")");
  CHECK(Json("营业收入 >= 5亿") == "\"营业收入 >= 5亿\"");
  CHECK(Json("a\"b\\c\nd\re\tf\x01g\x1f") ==
        R"("a\"b\\c\nd\re\tf\u0001g\u001f")");
  CHECK(Json("\x7f\x80") == "\"\x7f\x80\"");  // bytes >= 0x7F as they are
  // Each character to escape at every position of strings up to 20 long,
  // read back by another JSON parser.
  std::vector<std::string> specials = {"\"", "\\", "企", "\x7f"};
  for (int c = 0; c < 0x20; ++c) specials.emplace_back(1, static_cast<char>(c));
  for (size_t size = 1; size <= 20; ++size) {
    for (const std::string& special : specials) {
      for (size_t at = 0; at < size; ++at) {
        std::string text(size, 'a');
        text.replace(at, 1, special);
        INFO("size " << size << ", character "
                     << int{static_cast<unsigned char>(special[0])} << " at "
                     << at);
        std::string json = Json(text);
        REQUIRE(nlohmann::json::parse(json).get<std::string>() == text);
        CHECK(json.size() == EscapedSize(text));
        // Only escapes: no raw control character is left.
        for (char ch : json) CHECK(static_cast<unsigned char>(ch) >= 0x20);
      }
    }
  }
}

}  // namespace
}  // namespace eligo::testing
