// The .xlsx reader: every kind of cell, dates in both systems, sparse rows
// and columns, sheets by name, prefixed and strict namespaces, a workbook
// LibreOffice wrote, and each way a file is refused. The workbooks are in
// tests/data/xlsx/ (made by make_fixtures.py there; libreoffice.xlsx by
// LibreOffice itself).
#include "io/workbook_reader.h"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "io/csv_reader.h"

namespace eligo::testing {
namespace {

std::string Fixture(const std::string& name) {
  std::string path = std::string(ELIGO_SOURCE_DIR) + "/tests/data/xlsx/" + name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

Result<std::string> Read(const std::string& name,
                         const std::string& sheet = "") {
  return WorkbookToCsv(Fixture(name), {.sheet = sheet}, name);
}

// The CSV text of a fixture; fails the test when it does not read.
std::string Csv(const std::string& name, const std::string& sheet = "") {
  Result<std::string> csv = Read(name, sheet);
  REQUIRE_MESSAGE(csv.ok(), csv.error());
  return *csv;
}

// The message a fixture fails with; fails the test when it reads.
std::string Error(const std::string& name, const std::string& sheet = "") {
  Result<std::string> csv = Read(name, sheet);
  REQUIRE_MESSAGE(!csv.ok(), "read: " << (csv.ok() ? *csv : ""));
  return csv.error();
}

TEST_CASE("cells: strings, numbers, booleans, errors, formulas, ISO dates") {
  CHECK(Csv("cells.xlsx") ==
        // shared: plain, rich text runs, phonetic runs left out, preserved
        // spaces (quoted), a comma and quotes, an escaped CR of a CRLF
        "企业名称,Rich,東京,\"  padded  \",\"a,b \"\"q\"\"\",line1 line2\n"
        // inline (rich, rPh left out), formula string, formula without a
        // value, t="d"
        "inline,inline,formula text,,2017-06-30\n"
        // numbers as written; exponent forms expanded while 15 digits carry
        // them, kept when they do not
        "0.1,123456789012.35,0.0015,9.14111007067814E+017,55000000,-42,"
        "1E+20\n"
        "TRUE,FALSE,#DIV/0!,#N/A\n");
}

TEST_CASE("dates: builtin and custom date formats, times, not-dates") {
  CHECK(Csv("dates.xlsx") ==
        // builtin 14, yyyy\-mm\-dd, yyyy"年"m"月"d"日", [$-804]yyyy年m月d日
        "2017-06-30,2017-06-30,2017-06-30,2017-06-30\n"
        // [h]:mm and mm:ss are durations, #,##0.00 and General are numbers
        "1.5,0.25,1234.5,42916\n"
        // builtin 22 with a time; a time; a negative serial and the phantom
        // 1900-02-29 stay numbers; an exponent serial; a time just before
        // midnight stays on its day
        "2017-06-30 12:00:00,2017-06-30 18:00:00,-1,60,2017-06-30,"
        "2017-06-30 23:59:59\n");
}

TEST_CASE("dates: the 1904 system, as 1 and as true") {
  CHECK(Csv("dates1904.xlsx") == "2017-06-30,1904-01-01,41454\n");
  CHECK(Csv("dates1904-true.xlsx") == "2017-06-30,1904-01-01,41454\n");
}

TEST_CASE("sparse rows and cells: line r is row r") {
  const std::string csv = Csv("sparse.xlsx");
  // row 2 (C2); row 3 without r (A3, B3 without r, E3); rows 4-5 absent;
  // row 6 (B6 and an empty styled D6); row 7 empty
  CHECK(csv == "\n,,1\n2,3,,,4\n\n\n,x\n\n");
  CsvParser parser(csv);
  std::vector<std::string> cells;
  long line = 0;
  REQUIRE(parser.Next(cells, line));
  CHECK(line == 2);
  CHECK(cells == std::vector<std::string>{"", "", "1"});
  REQUIRE(parser.Next(cells, line));
  CHECK(line == 3);
  CHECK(cells == std::vector<std::string>{"2", "3", "", "", "4"});
  REQUIRE(parser.Next(cells, line));
  CHECK(line == 6);
  CHECK(cells == std::vector<std::string>{"", "x"});
  CHECK_FALSE(parser.Next(cells, line));
  CHECK(parser.error().empty());
}

TEST_CASE("sheets: the first worksheet, or one by name") {
  // The first sheet is a chart sheet; the parts are not in sheet order.
  CHECK(Csv("sheets.xlsx") == "summary\n");
  CHECK(Csv("sheets.xlsx", "数据") == "data\n");
  CHECK(Csv("sheets.xlsx", "Summary") == "summary\n");
  // Excel's names ignore case; this one's target is absolute.
  CHECK(Csv("sheets.xlsx", "other") == "other\n");
  CHECK(Error("sheets.xlsx", "nope") ==
        "sheets.xlsx: no sheet named `nope`; the workbook has `图表`, "
        "`Summary`, `数据`, `Other`");
  CHECK(Error("sheets.xlsx", "图表") ==
        "sheets.xlsx: sheet `图表` (xl/chartsheets/sheet1.xml): holds a "
        "<chartsheet>, not a worksheet");
}

TEST_CASE("namespaces: x: prefixes and strict Open XML") {
  CHECK(Csv("prefixed.xlsx") == "名称,2017-06-30,inline,rich\n");
  CHECK(Csv("strict.xlsx") == "strict,1\n");
}

TEST_CASE("a workbook LibreOffice wrote from a CSV file") {
  // LibreOffice stores the 18-digit credit code as a double
  // (9.14111007067814E+017: three digits lost, kept so that the loss
  // shows), 2017-06-30 as serial 42916 with the style yyyy\-mm\-dd, and a
  // date it did not recognise (2016/1/5) as text.
  CHECK(Csv("libreoffice.xlsx") ==
        "企业名称,统一社会信用代码,成立日期,营业收入（万元）\n"
        "漯河市源汇区示例有限公司,9.14111007067814E+017,2017-06-30,1234.5\n"
        "舞阳县测试公司,91411121MA3X4K7P2F,2016/1/5,0.1\n");
}

TEST_CASE("refused: files that are not .xlsx workbooks") {
  CHECK(WorkbookToCsv("a,b\n1,2\n", {}, "t.csv").error() ==
        "t.csv: not a workbook: an .xlsx file is a zip archive, and this file "
        "does not start like one");
  CHECK(Error("calc.ods") ==
        "calc.ods: an OpenDocument spreadsheet; save it as .xlsx or CSV");
  CHECK(Error("binary.xlsb") ==
        "binary.xlsb: a binary workbook (.xlsb); save it as .xlsx or CSV");
  CHECK(Error("letter.docx") ==
        "letter.docx: a Word document (.docx), not a workbook; put the table "
        "in a workbook saved as .xlsx or CSV");
  CHECK(Error("other.zip") ==
        "other.zip: a zip archive but not an .xlsx workbook (it has no "
        "xl/workbook.xml)");
  // An .xls (or an encrypted .xlsx) says what it is here too.
  std::string ole2("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", 12);
  CHECK(WorkbookToCsv(ole2, {}, "old.xls").error() ==
        *DescribeNonCsv(ole2, "old.xls"));
}

TEST_CASE("refused: damaged zips and XML") {
  CHECK(WorkbookToCsv(std::string("PK\x03\x04truncated", 13), {}, "cut.xlsx")
            .error()
            .starts_with("cut.xlsx: a damaged zip archive ("));
  CHECK(Error("bad-crc.xlsx") ==
        "bad-crc.xlsx: the zip archive is damaged: xl/worksheets/sheet1.xml "
        "cannot be read (CRC error)");
  CHECK(Error("errors.xlsx", "truncated") ==
        "errors.xlsx: sheet `truncated` (xl/worksheets/sheet3.xml) is "
        "damaged: not well-formed XML at line 2, column 239 (unclosed token)");
  CHECK(Error("errors.xlsx", "missing") ==
        "errors.xlsx: the workbook is damaged: sheet `missing` is "
        "xl/worksheets/sheet10.xml, which the archive lacks");
  CHECK(Error("errors.xlsx", "shared") ==
        "errors.xlsx: sheet `shared` (xl/worksheets/sheet7.xml): cell A1 "
        "refers to shared string `1`, but the workbook has 1 (numbered from "
        "0)");
  CHECK(Error("errors.xlsx", "reference") ==
        "errors.xlsx: sheet `reference` (xl/worksheets/sheet8.xml): row 1: "
        "cell reference `1A` is not a column and a row such as B3");
  CHECK(Error("errors.xlsx", "rows") ==
        "errors.xlsx: sheet `rows` (xl/worksheets/sheet5.xml): row 2 comes "
        "after row 3; rows out of order");
  CHECK(Error("errors.xlsx", "columns") ==
        "errors.xlsx: sheet `columns` (xl/worksheets/sheet6.xml): row 1: cell "
        "B1 comes after column C; cells out of order");
  // The workbook's other sheets read.
  CHECK(Csv("errors.xlsx", "cells") == "1\n");
}

TEST_CASE("refused: a DOCTYPE (entities) and sizes past the bounds") {
  CHECK(Error("errors.xlsx", "doctype") ==
        "errors.xlsx: sheet `doctype` (xl/worksheets/sheet2.xml) has a "
        "DOCTYPE declaration, which no workbook part has; refused");
  CHECK(Error("bomb.xlsx") ==
        "bomb.xlsx: sheet `Sheet1` (xl/worksheets/sheet1.xml) would inflate "
        "from 20635 to 20971875 bytes, more than 200 times: a zip bomb, not a "
        "spreadsheet; refused");
  CHECK(Error("errors.xlsx", "wide") ==
        "errors.xlsx: sheet `wide` (xl/worksheets/sheet4.xml): row 1: more "
        "than 16384 columns (past column XFD)");
  CHECK(Error("errors.xlsx", "tall") ==
        "errors.xlsx: sheet `tall` (xl/worksheets/sheet9.xml): more than "
        "1048576 rows");
  CHECK(Error("errors.xlsx", "bigcell") ==
        "errors.xlsx: sheet `bigcell` (xl/worksheets/sheet11.xml): cell A1 "
        "holds more than 1 MiB of text");
  CHECK(Error("errors.xlsx", "bigrow") ==
        "errors.xlsx: sheet `bigrow` (xl/worksheets/sheet12.xml): row 1 is "
        "more than 1 MiB as CSV text");
}

TEST_CASE("DescribeNonCsv: .xls, encrypted .xlsx, HTML and XML as .xls") {
  std::string ole2("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10);
  CHECK(DescribeNonCsv(ole2, "a.xls") ==
        "a.xls: not a CSV file but an Excel 97-2003 workbook (.xls) or a "
        "password-protected .xlsx; save it as .xlsx (Excel 2007 or later) or "
        "as CSV, without a password");
  const std::string html =
      "b.xls: not a CSV file but an HTML page saved with an .xls name; open "
      "it in Excel or WPS and save it as .xlsx or CSV";
  CHECK(DescribeNonCsv("<html><body><table>", "b.xls") == html);
  CHECK(DescribeNonCsv("\xEF\xBB\xBF \r\n\t<!DOCTYPE HTML PUBLIC>", "b.xls") ==
        html);
  CHECK(DescribeNonCsv("<TABLE border=1><tr><td>1</td></tr>", "b.xls") == html);
  CHECK(DescribeNonCsv("<?xml version=\"1.0\"?>\n<?mso-application "
                       "progid=\"Excel.Sheet\"?>\n<Workbook>",
                       "c.xls") ==
        "c.xls: not a CSV file but an Excel 2003 XML spreadsheet; open it in "
        "Excel or WPS and save it as .xlsx or CSV");
  // Text CSV, and zips (WorkbookToCsv says what those are): nothing.
  CHECK_FALSE(DescribeNonCsv("name,credit_code\n<html>,1\n", "d.csv"));
  CHECK_FALSE(DescribeNonCsv("", "e.csv"));
  CHECK_FALSE(DescribeNonCsv(Fixture("calc.ods"), "calc.ods"));
  CHECK(LooksLikeZip(Fixture("cells.xlsx")));
  CHECK_FALSE(LooksLikeZip("PK\x03"));
  CHECK_FALSE(LooksLikeZip(ole2));
}

TEST_CASE("NumberCellText: exact, expanded only within 15 digits") {
  CHECK(NumberCellText("0.1") == "0.1");
  CHECK(NumberCellText("123456789012.35") == "123456789012.35");
  CHECK(NumberCellText("914111007067814123") == "914111007067814123");
  CHECK(NumberCellText("1.5E-3") == "0.0015");
  CHECK(NumberCellText("5.5E+7") == "55000000");
  CHECK(NumberCellText("-2.5e2") == "-250");
  CHECK(NumberCellText("1.23456789012345E-5") == "0.0000123456789012345");
  CHECK(NumberCellText("1.23456789012345E+14") == "123456789012345");
  CHECK(NumberCellText("0E+0") == "0");
  // 16 digits and more: what the double lost shows.
  CHECK(NumberCellText("9.14111007067814E+017") == "9.14111007067814E+017");
  CHECK(NumberCellText("1E+15") == "1E+15");
  CHECK(NumberCellText("1.234567890123456E-5") == "1.234567890123456E-5");
  // Not numbers: as written.
  CHECK(NumberCellText("1.5E") == "1.5E");
  CHECK(NumberCellText("E5") == "E5");
}

TEST_CASE("IsDateFormatCode and IsBuiltinDateFormat") {
  for (const char* code :
       {"yyyy\\-mm\\-dd", "yyyy\"年\"m\"月\"d\"日\"", "[$-804]yyyy年m月d日",
        "m/d/yy h:mm", "mmmm", "MMM-YY", "dd/mm/yyyy;@", "[Red]yyyy-mm-dd",
        "m月d日"})
    CHECK_MESSAGE(IsDateFormatCode(code), code);
  for (const char* code : {"General", "0.00", "#,##0\"元\"", "[h]:mm",
                           "[mm]:ss", "mm:ss", "h:mm AM/PM", "0.00\"d\"",
                           "\\d0", "0.00_);[Red](0.00)", "[$-409]General", "@"})
    CHECK_MESSAGE(!IsDateFormatCode(code), code);
  CHECK(IsBuiltinDateFormat(14));
  CHECK(IsBuiltinDateFormat(22));
  CHECK(IsBuiltinDateFormat(31));
  CHECK(IsBuiltinDateFormat(57));
  CHECK_FALSE(IsBuiltinDateFormat(0));
  CHECK_FALSE(IsBuiltinDateFormat(23));
  CHECK_FALSE(IsBuiltinDateFormat(49));
  CHECK_FALSE(IsBuiltinDateFormat(164));
}

}  // namespace
}  // namespace eligo::testing
