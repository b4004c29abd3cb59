// Cells as people type them (rules/README.md, "Cells as people type
// them"): each accepted form one by one, through ParseCell as the readers
// use it, and the pieces of panel/cell_text.h on their own.
#include <doctest/doctest.h>

#include <string>

#include "eligo/panel.h"
#include "panel/cell.h"
#include "panel/cell_text.h"

namespace eligo::testing {
namespace {

FieldSchema Field(FieldType type, EmptyMeaning empty = EmptyMeaning::kMissing,
                  std::string default_text = "") {
  FieldSchema f;
  f.name = "f";
  f.type = type;
  f.empty = empty;
  f.default_text = std::move(default_text);
  return f;
}

// The cell's number as text, or "error: ..." / "missing" / "none".
std::string Read(const FieldSchema& field, std::string_view text,
                 int64_t column_scale = 1) {
  Result<Cell> cell =
      ParseCell(field, text, Decimal::FromInt(column_scale), nullptr);
  if (!cell.ok()) return "error: " + cell.error();
  switch (cell->state) {
    case Cell::State::kMissing:
      return "missing";
    case Cell::State::kNone:
      return "none";
    case Cell::State::kUnreadable:
      return "unreadable";
    case Cell::State::kValue:
      break;
  }
  if (field.type == FieldType::kBoolean) return cell->boolean ? "yes" : "no";
  if (field.type == FieldType::kText) return cell->text;
  return cell->number.ToString();
}

TEST_CASE("full-width digits, commas, points, minus and percent") {
  FieldSchema money = Field(FieldType::kMoney);
  CHECK(Read(money, "５５０００") == "55000");
  CHECK(Read(money, "55，000") == "55000");
  CHECK(Read(money, "５５，０００．５０") == "55000.5");
  CHECK(Read(money, "1,234,567.89") == "1234567.89");
  CHECK(Read(money, "－5") == "error: negative money `－5` in `f`");
  FieldSchema ratio = Field(FieldType::kRatio);
  CHECK(Read(ratio, "８．５％") == "0.085");
  CHECK(Read(ratio, "−2.5%") == "-0.025");  // U+2212, the minus sign
  CHECK(Read(ratio, "＋3") == "3");
  FieldSchema integer = Field(FieldType::kInteger);
  CHECK(Read(integer, "１２") == "12");
  // Thousands separators must be well placed, full-width or not.
  CHECK(Read(money, "55，00").starts_with("error: "));
}

TEST_CASE("a money cell with its own unit is read exactly into yuan") {
  FieldSchema money = Field(FieldType::kMoney);
  CHECK(Read(money, "1,234.5万") == "12345000");
  CHECK(Read(money, "1.2亿") == "120000000");
  CHECK(Read(money, "800万元") == "8000000");
  CHECK(Read(money, "3.5亿元") == "350000000");
  CHECK(Read(money, "1200元") == "1200");
  CHECK(Read(money, "800 万元") == "8000000");
  CHECK(Read(money, "¥1,000.00") == "1000");
  CHECK(Read(money, "￥80万") == "800000");
  CHECK(Read(money, "０．０１元") == "0.01");
  // The cell's unit replaces the column's: 800万元 in a column of 万元 is
  // still 8,000,000 yuan; a plain number takes the column's unit.
  CHECK(Read(money, "800万元", 10000) == "8000000");
  CHECK(Read(money, "800", 10000) == "8000000");
  // A unit on a number that is not money is not a number.
  CHECK(Read(Field(FieldType::kRatio), "5万").starts_with("error: "));
  CHECK(Read(money, "万元").starts_with("error: "));
  CHECK(Read(money, "12%万").starts_with("error: "));
}

TEST_CASE("marks for no figure read as the field's empty value") {
  for (const char* mark : {"—", "——", "–", "-", "--", "－", "/", "／", "无",
                           "N/A", "n/a", " — ", "\u3000无\u3000"}) {
    INFO(mark);
    CHECK(Read(Field(FieldType::kMoney), mark) == "missing");
    CHECK(Read(Field(FieldType::kYear, EmptyMeaning::kNone), mark) == "none");
    CHECK(Read(Field(FieldType::kBoolean, EmptyMeaning::kDefault, "false"),
               mark) == "no");
    CHECK(Read(Field(FieldType::kText), mark) == "missing");
  }
  // Not marks: a figure that contains a dash, an error value.
  CHECK(Read(Field(FieldType::kMoney), "#N/A").starts_with("error: "));
  CHECK(Read(Field(FieldType::kText), "A-1") == "A-1");
}

TEST_CASE("a year field takes years and dates as people write them") {
  FieldSchema year = Field(FieldType::kYear);
  for (const char* text :
       {"2017", "2017年", "2017年度", "2017-06-30", "2017/6/30", "2017.6.30",
        "2017年6月30日", "2017年6月", "2017-06", "2017/6", "２０１７",
        "２０１７年６月３０日", "2017-06-30 00:00:00", "2017/6/30 8:05",
        "2017-06-30T12:00:00"}) {
    INFO(text);
    CHECK(Read(year, text) == "2017");
  }
  CHECK(Read(year, "2017-02-29") ==
        "error: `2017-02-29` is not a date that exists");
  CHECK(Read(year, "2016-02-29") == "2016");
  CHECK(Read(year, "2017-13-01") ==
        "error: `2017-13-01` is not a date that exists");
  CHECK(Read(year, "2017-06-31") ==
        "error: `2017-06-31` is not a date that exists");
  CHECK(Read(year, "2017年13月") ==
        "error: `2017年13月` is not a date that exists");
  CHECK(Read(year, "20x7") == "error: `20x7` is not a year or a date");
  CHECK(Read(year, "1850") == "error: `1850` of `f` is not a year");
  CHECK(Read(year, "1850-01-01") == "error: `1850-01-01` of `f` is not a year");
  CHECK(Read(year, "2017.5") == "error: `2017.5` of `f` is not a whole number");
  CHECK(Read(year, "2017-06-30 25:00").starts_with("error: "));
  CHECK(Read(year, "2017-6-30-1").starts_with("error: "));
}

TEST_CASE("ticks and crosses are yes and no") {
  FieldSchema flag = Field(FieldType::kBoolean);
  for (const char* yes : {"√", "✓", "✔", "是", "Y"}) {
    INFO(yes);
    CHECK(Read(flag, yes) == "yes");
  }
  for (const char* no : {"×", "✗", "✘", "否", "N"}) {
    INFO(no);
    CHECK(Read(flag, no) == "no");
  }
  CHECK(Read(flag, "？").starts_with("error: "));
}

TEST_CASE("a key cell that is a mark or a totals label is no key") {
  FieldSchema key = Field(FieldType::kCreditCode);
  CHECK(KeyText(key, " 91411102MA3X4K7P2F ") == "91411102MA3X4K7P2F");
  CHECK(KeyText(key, "—") == "");
  CHECK(KeyText(key, "合计") == "");
  CHECK(KeyText(key, "") == "");
}

TEST_CASE("totals labels") {
  for (const char* label :
       {"合计", "合 计", "合\u3000计", "小计", "总计：", "共计", "累计",
        "全市合计", "源汇区小计", "合计（万元）", "Total", "TOTAL",
        "Grand total", "Subtotal", "sum"}) {
    INFO(label);
    CHECK(IsTotalsLabel(label));
  }
  for (const char* other : {"漯河市恒达食品有限公司", "计划", "合作社",
                            "totally", "", "91411102MA3X4K7P2F"}) {
    INFO(other);
    CHECK_FALSE(IsTotalsLabel(other));
  }
}

TEST_CASE("spreadsheet serial numbers as dates, in both systems") {
  auto text = [](std::optional<CivilDate> d) {
    return d ? std::to_string(d->year) + "-" + std::to_string(d->month) + "-" +
                   std::to_string(d->day)
             : std::string("none");
  };
  CHECK(text(FromSerial(1, false)) == "1900-1-1");
  CHECK(text(FromSerial(59, false)) == "1900-2-28");
  CHECK(text(FromSerial(60, false)) == "none");  // Lotus's 1900-02-29
  CHECK(text(FromSerial(61, false)) == "1900-3-1");
  CHECK(text(FromSerial(42916, false)) == "2017-6-30");
  CHECK(text(FromSerial(0, true)) == "1904-1-1");
  CHECK(text(FromSerial(41454, true)) == "2017-6-30");
  CHECK(text(FromSerial(2958465, false)) == "9999-12-31");
  CHECK(text(FromSerial(2958466, false)) == "none");
  CHECK(text(FromSerial(0, false)) == "none");
}

TEST_CASE("NarrowDigits leaves text without full-width forms alone") {
  std::string out = "kept";
  CHECK_FALSE(NarrowDigits("12,345.67", out));
  CHECK(out == "kept");
  CHECK(NarrowDigits("共１２个", out));
  CHECK(out == "共12个");
}

}  // namespace
}  // namespace eligo::testing
