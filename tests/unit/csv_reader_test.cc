// The reader's parts: FindInvalidUtf8, which checks 64 bytes at a time,
// against a validator written straight from the Unicode standard's table of
// well-formed byte sequences, on random mixes of valid and invalid sequences
// placed across the blocks' boundaries; and CsvParser::NextViews against
// CsvParser::Next.
#include "io/csv_reader.h"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace eligo::testing {
namespace {

// The offset of the first sequence that is not well-formed (Unicode 15,
// table 3-7), or of the first NUL when `nul_is_invalid`; npos if none.
size_t Reference(std::string_view s, bool nul_is_invalid) {
  auto in = [&](size_t i, int lo, int hi) {
    int c = i < s.size() ? static_cast<unsigned char>(s[i]) : -1;
    return c >= lo && c <= hi;
  };
  for (size_t i = 0; i < s.size();) {
    int c = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    if (c == 0) {
      len = nul_is_invalid ? 0 : 1;
    } else if (c <= 0x7F) {
      len = 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = in(i + 1, 0x80, 0xBF) ? 2 : 0;
    } else if (c >= 0xE0 && c <= 0xEF) {
      int lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
      len = in(i + 1, lo, hi) && in(i + 2, 0x80, 0xBF) ? 3 : 0;
    } else if (c >= 0xF0 && c <= 0xF4) {
      int lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
      len = in(i + 1, lo, hi) && in(i + 2, 0x80, 0xBF) && in(i + 3, 0x80, 0xBF)
                ? 4
                : 0;
    }
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

TEST_CASE("FindInvalidUtf8 agrees with the standard's table") {
  // Valid: ASCII, Chinese, and every bound of the table.
  const std::vector<std::string> valid = {"a",
                                          "2017,",
                                          "企业",
                                          "舞阳县",
                                          "\xC2\x80",
                                          "\xDF\xBF",
                                          "\xE0\xA0\x80",
                                          "\xED\x9F\xBF",
                                          "\xEE\x80\x80",
                                          "\xEF\xBF\xBF",
                                          "\xF0\x90\x80\x80",
                                          "\xF4\x8F\xBF\xBF",
                                          "\xF3\xBF\xBF\xBF",
                                          std::string("x") + "\xE9\xBE\x99"};
  // Invalid: stray and missing continuations, overlong forms, surrogates,
  // beyond U+10FFFF, bytes never in UTF-8, NUL.
  const std::vector<std::string> invalid = {"\x80",
                                            "\xBF",
                                            "\xC0\xAF",
                                            "\xC1\xBF",
                                            "\xC2",
                                            "\xC2"
                                            "a",
                                            "\xE0\x9F\xBF",
                                            "\xE4\xB8",
                                            "\xE4\xB8"
                                            "a",
                                            "\xED\xA0\x80",
                                            "\xED\xBF\xBF",
                                            "\xF0\x8F\xBF\xBF",
                                            "\xF4\x90\x80\x80",
                                            "\xF5\x80\x80\x80",
                                            "\xFE",
                                            "\xFF",
                                            "\xE4"
                                            "\xE4\xB8\x80",
                                            std::string(1, '\0')};
  std::mt19937 random(20261129);
  auto pick = [&](size_t n) {
    return std::uniform_int_distribution<size_t>(0, n - 1)(random);
  };
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    size_t parts = pick(120);
    bool ascii_runs = pick(2) == 0;  // long ASCII runs, as in CSV rows
    for (size_t p = 0; p < parts; ++p) {
      s += ascii_runs && pick(3) == 0 ? std::string(pick(70), 'a')
                                      : valid[pick(valid.size())];
    }
    if (pick(3) != 0)
      s.insert(pick(s.size() + 1), invalid[pick(invalid.size())]);
    for (bool nul_is_invalid : {false, true}) {
      INFO("round " << round << ", nul_is_invalid " << nul_is_invalid);
      REQUIRE(FindInvalidUtf8(s, nul_is_invalid) ==
              Reference(s, nul_is_invalid));
    }
  }
}

// Errors at every offset across two block boundaries, in ASCII and in
// Chinese text.
TEST_CASE("FindInvalidUtf8 finds an error at every offset") {
  for (const std::string& unit : {std::string("abc"), std::string("企")}) {
    std::string text;
    while (text.size() < 200) text += unit;
    for (const char* bad : {"\xFF", "\xE4\xB8", "\xED\xA0\x80"}) {
      for (size_t at = 0; at <= text.size(); at += unit.size()) {
        std::string s = text;
        s.insert(at, bad);
        INFO("unit " << unit << ", at " << at);
        CHECK(FindInvalidUtf8(s) == at);
        CHECK(Reference(s, false) == at);
      }
    }
    CHECK(FindInvalidUtf8(text) == std::string_view::npos);
  }
}

// Views of the cells equal the cells Next copies, also for quoted cells
// with doubled quotes (joined in the parser's storage), several in one
// record, over lines and in records after them.
TEST_CASE("NextViews reads the cells Next reads") {
  const std::string text =
      "a,,\"b\",\"c\"\"d\"\r\n"
      "\"x\"\"\"\"y\",\"two\nlines\",\"\"\"\"\"\",tail\n"
      "\n"
      "\"ab\"cd,\"\",\"\"\"q\"\"\"\n"
      "last";
  CsvParser next(text), views(text);
  std::vector<std::string> cells;
  std::vector<std::string_view> cell_views;
  long line = 0, views_line = 0;
  std::vector<std::vector<std::string>> records;
  while (next.Next(cells, line)) {
    REQUIRE(views.NextViews(cell_views, views_line));
    CHECK(views_line == line);
    CHECK(views.position() == next.position());
    CHECK(std::vector<std::string>(cell_views.begin(), cell_views.end()) ==
          cells);
    records.push_back(cells);
  }
  CHECK_FALSE(views.NextViews(cell_views, views_line));
  CHECK(next.error().empty());
  const std::vector<std::vector<std::string>> expected = {
      {"a", "", "b", "c\"d"},
      {"x\"\"y", "two\nlines", "\"\"", "tail"},
      {"abcd", "", "\"q\""},
      {"last"}};
  CHECK(records == expected);
}

}  // namespace
}  // namespace eligo::testing
