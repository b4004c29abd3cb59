// Spreadsheet text as people type it: full-width digits and signs, marks
// that stand for "no figure", money with its unit in the cell, dates where a
// year is wanted, totals labels. Every function here is exact (text in,
// text or integers out) and allocation-free unless it says otherwise.
#ifndef ELIGO_SRC_PANEL_CELL_TEXT_H_
#define ELIGO_SRC_PANEL_CELL_TEXT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace eligo {

// `s` without surrounding ASCII whitespace and ideographic spaces (U+3000).
std::string_view TrimCell(std::string_view s);

// Whether `s` has a byte outside ASCII (cheap: a sign that the slow forms
// below are worth trying).
bool HasNonAscii(std::string_view s);

// Writes `s` into `out` with the full-width forms of digits, `+ - . , %`
// and the minus sign U+2212 made ASCII (５５，０００ -> 55,000). Returns
// false, leaving `out` as it was, when `s` has none of them.
bool NarrowDigits(std::string_view s, std::string& out);

// Whether a trimmed cell is a mark for "no figure": —, ——, –, -, --, －,
// /, ／, 无, N/A (any case). Such a cell reads as an empty one.
bool IsEmptyMark(std::string_view cell);

// Whether a trimmed cell labels a totals row: 合计, 小计, 总计, 共计, 累计
// at the start or the end (spaces inside and a colon after are allowed:
// `合 计`, `全市合计`, `总计：`), or Total, Subtotal, Grand total, Sum.
bool IsTotalsLabel(std::string_view cell);

// Splits a money cell's own unit off its end: 元, 万元, 万, 亿元, 亿 (with
// spaces before it allowed) and a leading ¥ or ￥. Sets *yuan_per_unit
// (1, 10000 or 100000000) and returns the number's text; nullopt when the
// cell carries no unit and no currency sign.
std::optional<std::string_view> SplitMoneyUnit(std::string_view cell,
                                               int64_t* yuan_per_unit);

// A calendar date; month and day are 0 when the text gave only a year, day
// 0 when it gave a year and a month.
struct CivilDate {
  int year = 0, month = 0, day = 0;
};

// Reads a year or a date as people write them: 2017, 2017年, 2017-06-30,
// 2017/6/30, 2017.6.30, 2017年6月30日, 2017年6月, 2017-06, a time after a
// date (2017-06-30 00:00:00), all with ASCII digits (narrow them first).
// Years 1..9999; a month or day that does not exist (2017-02-30) is an
// error. On failure returns nullopt with the reason in *error, which quotes
// `shown` (the text as it was before narrowing; default `text`).
std::optional<CivilDate> ParseDate(std::string_view text, std::string* error,
                                   std::string_view shown = {});

// Whether `d` names a day that exists (month 1..12, day within the month,
// leap years by the Gregorian rule).
bool IsValidDate(const CivilDate& d);

// The date of day `serial` of a spreadsheet: 1900 system (serial 1 is
// 1900-01-01; serial 60 is Lotus's 1900-02-29, which never was) or 1904
// system (serial 0 is 1904-01-01). nullopt for serials before the base,
// the phantom 1900-02-29, or past 9999-12-31.
std::optional<CivilDate> FromSerial(int64_t serial, bool base_1904);

}  // namespace eligo

#endif  // ELIGO_SRC_PANEL_CELL_TEXT_H_
