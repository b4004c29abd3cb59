// Spreadsheet text as people type it. See cell_text.h.
#include "panel/cell_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace eligo {
namespace {

constexpr std::string_view kIdeographicSpace = "\u3000";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAsciiAlnum(char c) {
  return IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(),
                    [&](char x, char y) { return lower(x) == lower(y); });
}

// Days since 1970-01-01 of a proleptic Gregorian date, and back (the
// algorithms of H. Hinnant's "chrono-compatible low-level date algorithms").
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int64_t y = yoe + era * 400 + (m <= 2);
  return CivilDate{static_cast<int>(y), m, d};
}

// Reads 1..`max_digits` ASCII digits at the front of `s`, advancing it.
std::optional<int> Digits(std::string_view& s, size_t max_digits) {
  size_t n = 0;
  int value = 0;
  while (n < s.size() && n < max_digits && s[n] >= '0' && s[n] <= '9')
    value = value * 10 + (s[n++] - '0');
  if (n == 0 || (n < s.size() && s[n] >= '0' && s[n] <= '9'))
    return std::nullopt;
  s.remove_prefix(n);
  return value;
}

bool Consume(std::string_view& s, std::string_view word) {
  if (!s.starts_with(word)) return false;
  s.remove_prefix(word.size());
  return true;
}

// "HH:MM" or "HH:MM:SS", with an optional fraction of a second: the time
// part a date may carry, which a year does not need.
bool IsTimeOfDay(std::string_view s) {
  std::optional<int> h = Digits(s, 2);
  if (!h || *h > 24 || !Consume(s, ":")) return false;
  std::optional<int> m = Digits(s, 2);
  if (!m || *m > 59) return false;
  if (Consume(s, ":")) {
    std::optional<int> sec = Digits(s, 2);
    if (!sec || *sec > 60) return false;
    if (Consume(s, ".") && !Digits(s, 9)) return false;
  }
  return s.empty();
}

}  // namespace

std::string_view TrimCell(std::string_view s) {
  while (true) {
    if (!s.empty() && IsAsciiSpace(s.front())) {
      s.remove_prefix(1);
    } else if (s.starts_with(kIdeographicSpace)) {
      s.remove_prefix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  while (true) {
    if (!s.empty() && IsAsciiSpace(s.back())) {
      s.remove_suffix(1);
    } else if (s.ends_with(kIdeographicSpace)) {
      s.remove_suffix(kIdeographicSpace.size());
    } else {
      break;
    }
  }
  return s;
}

bool HasNonAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

bool NarrowDigits(std::string_view s, std::string& out) {
  // U+FF05 ％, U+FF0B ＋, U+FF0C ，, U+FF0D －, U+FF0E ．, U+FF10..19 ０..９
  // are EF BC 85..99; U+2212 (minus sign) is E2 88 92.
  auto narrow = [](std::string_view at) -> char {
    if (at.size() < 3) return 0;
    auto b = [&](size_t i) { return static_cast<unsigned char>(at[i]); };
    if (b(0) == 0xE2 && b(1) == 0x88 && b(2) == 0x92) return '-';
    if (b(0) != 0xEF || b(1) != 0xBC) return 0;
    unsigned char c = b(2);
    if (c >= 0x90 && c <= 0x99) return static_cast<char>('0' + (c - 0x90));
    switch (c) {
      case 0x85:
        return '%';
      case 0x8B:
        return '+';
      case 0x8C:
        return ',';
      case 0x8D:
        return '-';
      case 0x8E:
        return '.';
      default:
        return 0;
    }
  };
  size_t i = 0;
  while (i < s.size() && narrow(s.substr(i)) == 0) ++i;
  if (i == s.size()) return false;
  out.assign(s.substr(0, i));
  while (i < s.size()) {
    if (char c = narrow(s.substr(i)); c != 0) {
      out += c;
      i += 3;
    } else {
      out += s[i++];
    }
  }
  return true;
}

bool IsEmptyMark(std::string_view cell) {
  static constexpr std::string_view kMarks[] = {
      "-",      "--", "\u2014", "\u2014\u2014", "\u2013",
      "\uFF0D", "/",  "\uFF0F", "\u65E0" /* 无 */};
  if (cell.empty() || cell.size() > 6) return false;
  // The first bytes of the marks: most cells (figures, codes, names, 是)
  // are told apart by it alone.
  switch (static_cast<unsigned char>(cell[0])) {
    case '-':
    case '/':
    case 'n':
    case 'N':
    case 0xE2:  // — –
    case 0xEF:  // － ／
      break;
    case 0xE6:  // 无, but not 是
      if (cell != "\u65E0") return false;
      break;
    default:
      return false;
  }
  for (std::string_view m : kMarks) {
    if (cell == m) return true;
  }
  return EqualsIgnoreAsciiCase(cell, "n/a");
}

bool IsTotalsLabel(std::string_view cell) {
  if (cell.size() > 64 || cell.empty()) return false;
  // A label starts with a letter or a character, or ends in one: not a
  // code or a figure (every row's key comes by here).
  if (IsDigit(cell.front()) && IsAsciiAlnum(cell.back())) return false;
  // Spaces inside ("合 计") and a colon after ("总计：") do not matter.
  std::array<char, 64> buffer;
  size_t n = 0;
  for (size_t i = 0; i < cell.size();) {
    if (IsAsciiSpace(cell[i])) {
      ++i;
    } else if (cell.substr(i).starts_with(kIdeographicSpace)) {
      i += kIdeographicSpace.size();
    } else {
      buffer[n++] = cell[i++];
    }
  }
  std::string_view s(buffer.data(), n);
  for (std::string_view colon : {":", "\uFF1A"}) {
    if (s.ends_with(colon)) s.remove_suffix(colon.size());
  }
  static constexpr std::string_view kWords[] = {
      "\u5408\u8BA1" /* 合计 */, "\u5C0F\u8BA1" /* 小计 */,
      "\u603B\u8BA1" /* 总计 */, "\u5171\u8BA1" /* 共计 */,
      "\u7D2F\u8BA1" /* 累计 */};
  for (std::string_view w : kWords) {
    if (s.starts_with(w) || s.ends_with(w)) return true;
  }
  for (std::string_view w : {"total", "subtotal", "grandtotal", "sum"}) {
    if (EqualsIgnoreAsciiCase(s, w)) return true;
  }
  return false;
}

std::optional<std::string_view> SplitMoneyUnit(std::string_view cell,
                                               int64_t* yuan_per_unit) {
  static constexpr std::pair<std::string_view, int64_t> kUnits[] = {
      {"\u4E07\u5143" /* 万元 */, 10000},
      {"\u4EBF\u5143" /* 亿元 */, 100000000},
      {"\u4E07" /* 万 */, 10000},
      {"\u4EBF" /* 亿 */, 100000000},
      {"\u5143" /* 元 */, 1}};
  bool found = false;
  *yuan_per_unit = 1;
  for (std::string_view sign : {"\u00A5", "\uFFE5"}) {  // ¥ ￥
    if (cell.starts_with(sign)) {
      cell = TrimCell(cell.substr(sign.size()));
      found = true;
    }
  }
  for (const auto& [word, yuan] : kUnits) {
    if (cell.ends_with(word)) {
      cell = TrimCell(cell.substr(0, cell.size() - word.size()));
      *yuan_per_unit = yuan;
      found = true;
      break;
    }
  }
  if (!found) return std::nullopt;
  return cell;
}

bool IsValidDate(const CivilDate& d) {
  if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1)
    return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  int days = kDays[d.month - 1] + (d.month == 2 && leap ? 1 : 0);
  return d.day <= days;
}

std::optional<CivilDate> ParseDate(std::string_view text, std::string* error,
                                   std::string_view shown) {
  if (shown.empty()) shown = text;
  std::string_view s = text;
  auto fail = [&](std::string why) -> std::optional<CivilDate> {
    *error = std::move(why);
    return std::nullopt;
  };
  std::optional<int> year = Digits(s, 4);
  if (!year || *year < 1) return fail(fmt::format("`{}` is not a year", shown));
  CivilDate d{*year, 0, 0};
  if (s.empty() || s == "\u5E74" /* 年 */ || s == "\u5E74\u5EA6" /* 年度 */)
    return d;
  // The separator after the year decides the form: 年..月..日, or one of
  // - / . between all three parts.
  std::string_view month_end, day_end;
  if (Consume(s, "\u5E74")) {
    month_end = "\u6708";  // 月
    day_end = "\u65E5";    // 日 (号 is said, but seldom written)
  } else if (!s.empty() && (s[0] == '-' || s[0] == '/' || s[0] == '.')) {
    month_end = day_end = s.substr(0, 1);
    s.remove_prefix(1);
  } else {
    return fail(fmt::format("`{}` is not a year or a date", shown));
  }
  std::optional<int> month = Digits(s, 2);
  if (!month) return fail(fmt::format("`{}` is not a year or a date", shown));
  d.month = *month;
  bool chinese = month_end != "-" && month_end != "/" && month_end != ".";
  if (chinese && !Consume(s, month_end))
    return fail(fmt::format("`{}` is not a year or a date", shown));
  if (!s.empty() && (!chinese ? Consume(s, month_end) : true)) {
    std::optional<int> day = Digits(s, 2);
    if (!day) return fail(fmt::format("`{}` is not a year or a date", shown));
    d.day = *day;
    if (chinese) Consume(s, day_end) || Consume(s, "\u53F7" /* 号 */);
    std::string_view rest = s;
    while (!rest.empty() && (rest[0] == ' ' || rest[0] == 'T'))
      rest.remove_prefix(1);
    if (!rest.empty() && (rest.size() == s.size() || !IsTimeOfDay(rest)))
      return fail(fmt::format("`{}` is not a year or a date", shown));
    if (!IsValidDate(d))
      return fail(fmt::format("`{}` is not a date that exists", shown));
    return d;
  }
  if (!s.empty())
    return fail(fmt::format("`{}` is not a year or a date", shown));
  if (d.month < 1 || d.month > 12)
    return fail(fmt::format("`{}` is not a date that exists", shown));
  return d;
}

std::optional<CivilDate> FromSerial(int64_t serial, bool base_1904) {
  if (serial < 0 || serial > 3'000'000) return std::nullopt;
  int64_t days;
  if (base_1904) {
    days = DaysFromCivil(1904, 1, 1) + serial;
  } else {
    if (serial < 1 || serial == 60) return std::nullopt;  // 60: 1900-02-29
    days = DaysFromCivil(1899, 12, serial < 60 ? 31 : 30) + serial;
  }
  CivilDate d = CivilFromDays(days);
  if (d.year > 9999) return std::nullopt;
  return d;
}

}  // namespace eligo
