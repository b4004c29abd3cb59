// Spreadsheet files people send instead of CSV: an .xlsx worksheet becomes
// CSV text the CSV reader reads like any other file, with one line per sheet
// row so that messages name the rows people see in Excel; other spreadsheet
// formats are recognised and named, with what to do about them.
#ifndef ELIGO_SRC_IO_WORKBOOK_READER_H_
#define ELIGO_SRC_IO_WORKBOOK_READER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "eligo/status.h"

namespace eligo {

// Bounds of a workbook read: past them a file is refused, not truncated.
// An uncompressed part (sheet, shared strings, styles, workbook) of more
// than this, or a CSV text of more than this.
inline constexpr uint64_t kMaxWorkbookPartBytes = uint64_t{1} << 30;
// A part over kZipBombMinBytes that inflates more than kZipBombRatio times
// is refused unread: real sheets compress 5 to 30 times.
inline constexpr uint64_t kZipBombMinBytes = uint64_t{16} << 20;
inline constexpr uint64_t kZipBombRatio = 200;
// What Excel allows: columns A..XFD, rows 1..1048576. A cell's text is
// bounded like a CSV record (CsvParser::kMaxRecordBytes), and so is a row.
inline constexpr int kMaxWorkbookColumns = 16384;
inline constexpr long kMaxWorkbookRows = 1048576;
inline constexpr size_t kMaxWorkbookCellBytes = size_t{1} << 20;

// Whether `bytes` start like a zip archive (PK\x03\x04): an .xlsx, .ods,
// .xlsb or other zip.
bool LooksLikeZip(std::string_view bytes);

// When `bytes` are clearly not a CSV text file, a sentence for the user
// saying what the file is and what to do; std::nullopt otherwise. Knows an
// OLE2 compound file (an .xls of Excel 97-2003, or a password-protected
// .xlsx), an HTML page or an Excel 2003 XML spreadsheet saved with an .xls
// name. Zip archives are left to WorkbookToCsv. `name` is the file's name
// for the message.
std::optional<std::string> DescribeNonCsv(std::string_view bytes,
                                          std::string_view name);

struct WorkbookOptions {
  std::string sheet;  // "" = the first worksheet in workbook order
};

// Reads a worksheet of an .xlsx (Office Open XML spreadsheet, transitional
// or strict) held in memory and returns it as UTF-8 CSV text (RFC 4180,
// comma, quoted where needed, LF line ends) whose line r is row r of the
// sheet: absent rows are empty lines, and a cell's own line breaks become a
// space. Cells read as Excel shows them where that matters downstream:
// numbers exactly as stored (exponent forms expanded only while 15 digits
// carry them), dates of date-formatted cells as YYYY-MM-DD, TRUE/FALSE,
// error values as written. Fails with a message naming `name` and the part
// at fault: not a zip, another kind of zip (.ods, .xlsb, .docx), no such
// sheet (listing those there are), a damaged zip or XML, or a bound above.
Result<std::string> WorkbookToCsv(std::string_view bytes,
                                  const WorkbookOptions& options,
                                  std::string_view name);

// Parts, exposed for tests.

// Whether number format `code` (as in styles.xml) shows a date: it has a
// year, day or month (not the minutes of a time such as [h]:mm or mm:ss),
// or 年月日, outside quoted text, escapes and [...] sections.
bool IsDateFormatCode(std::string_view code);
// Whether builtin number format `id` is a date or time format.
bool IsBuiltinDateFormat(int id);
// The text of a number cell's value: as written, except that an exponent
// form whose plain decimal needs at most 15 digits is expanded exactly
// (1.5E-3 -> 0.0015); past 15 digits the double has lost some, and the text
// is kept so that the loss shows.
std::string NumberCellText(std::string_view value);

}  // namespace eligo

#endif  // ELIGO_SRC_IO_WORKBOOK_READER_H_
