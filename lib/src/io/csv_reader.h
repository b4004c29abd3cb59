// The bytes of a CSV file -> UTF-8 text -> records of cells.
#ifndef ELIGO_SRC_IO_CSV_READER_H_
#define ELIGO_SRC_IO_CSV_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "eligo/status.h"

namespace eligo {

// Offset of the first byte of `s` that is not valid UTF-8 (or is NUL, when
// `nul_is_invalid`), or npos.
size_t FindInvalidUtf8(std::string_view s, bool nul_is_invalid = false);
// The 1-based line of byte `offset` of `text`.
long LineAt(std::string_view text, size_t offset);

// Converts `bytes` to UTF-8. `encoding` is "auto" (byte-order mark, then
// strict UTF-8, then GB18030), "utf-8", "gbk" or "gb18030". Sets *used to
// the encoding read. Fails naming the line of the first invalid sequence.
Result<std::string> DecodeToUtf8(std::string bytes, const std::string& encoding,
                                 std::string* used);

// Reads RFC 4180 records: comma-separated (or by another delimiter), fields
// optionally in double quotes with "" for a quote, quoted fields may span
// lines; lines end in CRLF, LF or CR.
class CsvParser {
 public:
  // A record longer than this is an error: no spreadsheet row is, and the
  // cell would otherwise be copied whole into memory.
  static constexpr size_t kMaxRecordBytes = size_t{1} << 20;

  // Reads `text` from byte `pos`, which is on line `line`, its cells
  // separated by `delimiter` (a tab for Excel's "Unicode text" export).
  explicit CsvParser(std::string_view text, size_t pos = 0, long line = 1,
                     char delimiter = ',')
      : text_(text), pos_(pos), line_(line), delimiter_(delimiter) {}

  // The next record and the line it starts on; false at the end of the
  // text or on an error (then error() is set). Blank lines are skipped.
  // The strings of `cells` are reused.
  bool Next(std::vector<std::string>& cells, long& line);
  // The same as views of the cells, valid until the next call: into the
  // text, except a quoted cell with a doubled quote, which is unescaped
  // into the parser's own storage. Copies nothing for most cells.
  bool NextViews(std::vector<std::string_view>& cells, long& line);
  // Reads past the next record as Next() does, keeping only the cell at
  // `column`; returns the record's number of cells, counted no further than
  // column + 1 (0 as Next() returns false). Past that cell, a line without
  // quotes is skipped at once.
  size_t Skip(size_t column, std::string& cell, long& line);
  const std::string& error() const { return error_; }
  // Where the next record starts, and its line.
  size_t position() const { return pos_; }
  long line() const { return line_; }

 private:
  static constexpr size_t kAllCells = static_cast<size_t>(-1);

  // Reads one record, calling add(index, part) for each part of each cell
  // (a quoted cell comes in parts); returns the number of cells, 0 at the
  // end or on an error. After cell `last` the rest of a plain line is
  // skipped (see Skip).
  template <typename AddPart>
  size_t Record(long& line, size_t last, AddPart add);
  // Moves past the rest of the record starting at `start` when it is the
  // rest of the line and holds no quote or CR; else false.
  bool SkipPlainRest(size_t start);

  std::string_view text_;
  size_t pos_ = 0;
  long line_ = 1;
  char delimiter_ = ',';
  std::string error_;
  // NextViews: the cells of the last record that came in parts, and the
  // parts joined, by cell.
  std::vector<size_t> joined_cells_;
  std::vector<std::string> joined_;
};

}  // namespace eligo

#endif  // ELIGO_SRC_IO_CSV_READER_H_
