// Fuzz target: .xlsx workbooks (eligo::WorkbookToCsv) and the recognition
// of files that are not CSV (eligo::DescribeNonCsv).
//
// An input starting with 'P' (as "PK\3\4" does) is a whole file. Any other
// input is the parts of a workbook, so that mutations reach the XML rather
// than break a deflate stream or a CRC: byte 0 picks the sheet asked for
// (first, "Sheet1", "sheet1", a name that is not there); the rest is split
// at NUL bytes (which XML never holds) into the sheet, the shared strings,
// the styles, the workbook and its relationships. An empty or missing part
// is left out, except the workbook and relationships, which then default
// to one sheet; the parts are stored (not deflated) in a zip made here.
//
// Checked when a sheet reads: the text is UTF-8 without NUL, ends each
// line with LF, has at most 1048576 lines, and CsvParser reads it without
// error, one record per line of at most 16384 cells. A zip is never
// described as something else.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "io/csv_reader.h"
#include "io/workbook_reader.h"

namespace {

uint32_t Crc32(std::string_view data) {
  static const std::vector<uint32_t> table = [] {
    std::vector<uint32_t> t(256);
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char b : data) crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

void Put16(std::string& out, uint32_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
}
void Put32(std::string& out, uint32_t v) {
  Put16(out, v & 0xFFFF);
  Put16(out, v >> 16);
}

// A zip archive of stored (uncompressed) entries.
std::string StoredZip(
    const std::vector<std::pair<std::string, std::string_view>>& entries) {
  std::string zip, directory;
  for (const auto& entry : entries) {
    const std::string& name = entry.first;
    std::string_view data = entry.second;
    uint32_t crc = Crc32(data), offset = static_cast<uint32_t>(zip.size());
    auto header = [&](std::string& out, bool central) {
      Put32(out, central ? 0x02014b50 : 0x04034b50);
      if (central) Put16(out, 20);  // made by
      Put16(out, 20);               // needed to extract
      Put16(out, 0);                // flags
      Put16(out, 0);                // stored
      Put16(out, 0);                // time
      Put16(out, 0x21);             // date: 1980-01-01
      Put32(out, crc);
      Put32(out, static_cast<uint32_t>(data.size()));
      Put32(out, static_cast<uint32_t>(data.size()));
      Put16(out, static_cast<uint32_t>(name.size()));
      Put16(out, 0);  // extra
      if (central) {
        Put16(out, 0);  // comment
        Put16(out, 0);  // disk
        Put16(out, 0);  // internal attributes
        Put32(out, 0);  // external attributes
        Put32(out, offset);
      }
      out += name;
    };
    header(zip, false);
    zip += data;
    header(directory, true);
  }
  uint32_t directory_at = static_cast<uint32_t>(zip.size());
  zip += directory;
  Put32(zip, 0x06054b50);
  Put16(zip, 0);
  Put16(zip, 0);
  Put16(zip, static_cast<uint32_t>(entries.size()));
  Put16(zip, static_cast<uint32_t>(entries.size()));
  Put32(zip, static_cast<uint32_t>(directory.size()));
  Put32(zip, directory_at);
  Put16(zip, 0);
  return zip;
}

constexpr std::string_view kWorkbook =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/"
    "main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" "
    "r:id=\"rId1\"/></sheets></workbook>";
constexpr std::string_view kRels =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships\"><Relationship Id=\"rId1\" Type=\"http://"
    "schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/></Relationships>";

std::string WorkbookFromParts(std::string_view text) {
  std::vector<std::string_view> parts;
  while (parts.size() < 4) {
    size_t nul = text.find('\0');
    if (nul == std::string_view::npos) break;
    parts.push_back(text.substr(0, nul));
    text.remove_prefix(nul + 1);
  }
  parts.push_back(text);
  parts.resize(5);
  std::vector<std::pair<std::string, std::string_view>> entries = {
      {"xl/workbook.xml", parts[3].empty() ? kWorkbook : parts[3]},
      {"xl/_rels/workbook.xml.rels", parts[4].empty() ? kRels : parts[4]},
      {"xl/worksheets/sheet1.xml", parts[0]}};
  if (!parts[1].empty()) entries.push_back({"xl/sharedStrings.xml", parts[1]});
  if (!parts[2].empty()) entries.push_back({"xl/styles.xml", parts[2]});
  return StoredZip(entries);
}

void CheckCsv(const std::string& csv) {
  if (eligo::FindInvalidUtf8(csv, /*nul_is_invalid=*/true) != std::string::npos)
    eligo_fuzz::Die("the CSV text is not UTF-8 without NUL");
  if (!csv.empty() && csv.back() != '\n')
    eligo_fuzz::Die("the CSV text does not end a line");
  long lines = 0;
  for (char c : csv) lines += c == '\n';
  if (lines > eligo::kMaxWorkbookRows) eligo_fuzz::Die("more lines than rows");
  eligo::CsvParser parser(csv);
  std::vector<std::string> cells;
  long line = 0, last = 0;
  while (parser.Next(cells, line)) {
    if (line <= last) eligo_fuzz::Die("two records on one line");
    if (cells.size() > static_cast<size_t>(eligo::kMaxWorkbookColumns))
      eligo_fuzz::Die("more cells than columns");
    last = line;
  }
  if (!parser.error().empty()) eligo_fuzz::Die("the CSV text does not parse");
  if (parser.line() != lines + 1)
    eligo_fuzz::Die("a record spans lines: line numbers are not row numbers");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* const kSheets[] = {"", "Sheet1", "sheet1", "nope"};
  std::string_view input(reinterpret_cast<const char*>(data), size);
  bool zip = eligo::LooksLikeZip(input);
  if (zip && eligo::DescribeNonCsv(input, "input"))
    eligo_fuzz::Die("a zip is described as something else");
  eligo::WorkbookOptions options;
  std::string built;
  std::string_view file = input;
  if (size > 0 && input[0] != 'P') {
    options.sheet = kSheets[static_cast<unsigned char>(input[0]) & 3];
    built = WorkbookFromParts(input.substr(1));
    file = built;
  } else if (!zip) {
    (void)eligo::DescribeNonCsv(input, "input");
  }
  eligo::Result<std::string> csv =
      eligo::WorkbookToCsv(file, options, "input.xlsx");
  if (!csv.ok()) {
    if (csv.error().empty()) eligo_fuzz::Die("a failure without a message");
    return 0;
  }
  CheckCsv(*csv);
  return 0;
}
