// Reading .xlsx workbooks as CSV text (see workbook_reader.h).
//
// Why these libraries: libzip reads the zip container straight from the
// bytes in memory (zip_source_buffer_create), checking every offset and
// length against the buffer and every part's CRC; expat is a streaming SAX
// parser, fuzzed for years (OSS-Fuzz), so a sheet is parsed 64 KiB at a
// time as it inflates and is never held whole, nor as a DOM: only the CSV
// text and the shared strings table are in memory. A DOCTYPE stops the
// parse, so no entity is ever declared, let alone expanded (expat 2.4+ also
// bounds entity amplification), and no external entity is ever loaded.
#include "io/workbook_reader.h"

#include <expat.h>
#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <new>
#include <unordered_map>
#include <utility>
#include <vector>

#include "io/csv_reader.h"
#include "panel/cell_text.h"

namespace eligo {

namespace {

static_assert(kMaxWorkbookCellBytes <= CsvParser::kMaxRecordBytes);

constexpr std::string_view kMainNs =
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kStrictNs =
    "http://purl.oclc.org/ooxml/spreadsheetml/main";
// Between a namespace and a local name in expat's names: a character XML
// never allows, so no namespace name can hold it.
constexpr XML_Char kNsSeparator = '\x01';
constexpr size_t kChunkBytes = size_t{64} << 10;

// ------------------------------------------------------------ small text

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' ||
                        s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' ||
                        s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  return true;
}

bool StartsIgnoringCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         EqualsIgnoringCase(s.substr(0, prefix.size()), prefix);
}

// A non-negative decimal integer no greater than `max`, surrounding
// whitespace allowed.
std::optional<uint64_t> ParseUint(std::string_view s, uint64_t max) {
  s = TrimAscii(s);
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The UTF-16 unit of an escape _xHHHH_ at s[i], or -1.
long EscapeAt(std::string_view s, size_t i) {
  if (i + 7 > s.size() || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_')
    return -1;
  long unit = 0;
  for (size_t k = i + 2; k < i + 6; ++k) {
    char c = s[k];
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) return -1;
    unit = unit * 16 + d;
  }
  return unit;
}

// Undoes the escapes of OOXML strings (ST_Xstring): Excel writes a
// character XML cannot carry, such as the CR of a CRLF typed in a cell, as
// _xHHHH_ (and a literal "_x" as _x005F_x). NUL and unpaired surrogates stay
// escaped, so the text stays valid UTF-8 without NUL.
std::string Unescape(std::string s) {
  if (s.find("_x") == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    long unit = EscapeAt(s, i);
    if (unit > 0 && (unit < 0xD800 || unit > 0xDFFF)) {
      AppendUtf8(out, static_cast<uint32_t>(unit));
      i += 7;
      continue;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      long low = EscapeAt(s, i + 7);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        AppendUtf8(out,
                   static_cast<uint32_t>(0x10000 + ((unit - 0xD800) << 10) +
                                         (low - 0xDC00)));
        i += 14;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

// "B" for column 2, "XFD" for 16384.
std::string ColumnName(int column) {
  std::string name;
  for (; column > 0; column = (column - 1) / 26)
    name.insert(name.begin(), static_cast<char>('A' + (column - 1) % 26));
  return name;
}

// ---------------------------------------------------------------- numbers

// A decimal number as digits without leading or trailing zeros (none for
// zero) and the place of the decimal point among them: 0.0015 is "15" with
// the point at -2, 55000000 is "55" with the point at 8.
struct NumberParts {
  bool negative = false;
  std::string digits;
  long point = 0;
};

// [+-]digits[.digits][(e|E)[+-]digits], or nullopt.
std::optional<NumberParts> ParseNumber(std::string_view s) {
  NumberParts n;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) n.negative = s[i++] == '-';
  long int_digits = 0;
  bool dot = false, any = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      n.digits += c;
      int_digits += !dot;
      any = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (!any) return std::nullopt;
  long exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    size_t start = i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      exponent = exponent * 10 + (s[i] - '0');
      if (exponent > 100000) return std::nullopt;  // no double is that big
    }
    if (i == start) return std::nullopt;
    if (negative) exponent = -exponent;
  }
  if (i != s.size()) return std::nullopt;
  n.point = int_digits + exponent;
  size_t lead = n.digits.find_first_not_of('0');
  if (lead == std::string::npos) {
    n.digits.clear();
    n.point = 0;
    return n;
  }
  n.digits.erase(0, lead);
  n.point -= static_cast<long>(lead);
  n.digits.erase(n.digits.find_last_not_of('0') + 1);
  return n;
}

std::string PlainDecimal(const NumberParts& n) {
  if (n.digits.empty()) return "0";
  std::string out = n.negative ? "-" : "";
  long size = static_cast<long>(n.digits.size());
  if (n.point <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-n.point), '0');
    out += n.digits;
  } else if (n.point >= size) {
    out += n.digits;
    out.append(static_cast<size_t>(n.point - size), '0');
  } else {
    out.append(n.digits, 0, static_cast<size_t>(n.point));
    out += '.';
    out.append(n.digits, static_cast<size_t>(n.point));
  }
  return out;
}

// The date (and time, when the serial has a fraction that is not zero) of
// a date-formatted number cell, or nullopt when the number is no date.
std::optional<std::string> DateText(std::string_view value, bool base_1904) {
  std::optional<NumberParts> n = ParseNumber(TrimAscii(value));
  if (!n || (n->negative && !n->digits.empty()) || n->point > 7)
    return std::nullopt;
  const long size = static_cast<long>(n->digits.size());
  int64_t serial = 0;
  for (long k = 0; k < n->point; ++k)
    serial =
        serial * 10 + (k < size ? n->digits[static_cast<size_t>(k)] - '0' : 0);
  std::optional<CivilDate> date = FromSerial(serial, base_1904);
  if (!date) return std::nullopt;
  std::string out =
      fmt::format("{:04}-{:02}-{:02}", date->year, date->month, date->day);
  double fraction = 0, scale = 0.1;
  for (long j = 0; j < 17; ++j, scale /= 10) {
    long k = n->point + j;
    if (k >= size) break;
    if (k >= 0) fraction += (n->digits[static_cast<size_t>(k)] - '0') * scale;
  }
  // The integer part alone decides the date: a time that rounds up to
  // midnight stays on its day.
  long seconds = std::min(std::lround(fraction * 86400), 86399L);
  if (seconds > 0) {
    out += fmt::format(" {:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60,
                       seconds % 60);
  }
  return out;
}

}  // namespace

std::string NumberCellText(std::string_view value) {
  value = TrimAscii(value);
  if (value.find_first_of("eE") == std::string_view::npos)
    return std::string(value);
  std::optional<NumberParts> n = ParseNumber(value);
  if (!n) return std::string(value);
  // Digits from the first that is not zero to the units, or to the last
  // fraction digit: what a double has to carry.
  long needed = std::max(static_cast<long>(n->digits.size()), n->point);
  if (n->digits.empty() || (needed <= 15 && n->point >= -400))
    return PlainDecimal(*n);
  return std::string(value);
}

bool IsBuiltinDateFormat(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
         (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

bool IsDateFormatCode(std::string_view code) {
  bool date = false, month = false, time = false;
  for (size_t i = 0; i < code.size();) {
    char c = code[i];
    if (c == ';') break;  // the first section formats positive numbers
    if (c == '"') {
      size_t end = code.find('"', i + 1);
      i = end == std::string_view::npos ? code.size() : end + 1;
      continue;
    }
    if (c == '[') {  // [$-804], [Red], [>100]; [h], [mm], [ss]: elapsed time
      size_t end = code.find(']', i + 1);
      std::string_view inside = code.substr(i + 1, end == std::string_view::npos
                                                       ? std::string_view::npos
                                                       : end - i - 1);
      if (!inside.empty() &&
          inside.find_first_not_of("hHmMsS") == std::string_view::npos)
        time = true;
      i = end == std::string_view::npos ? code.size() : end + 1;
      continue;
    }
    if (c == '\\' || c == '_' || c == '*') {  // the next character is literal
      i += 2;
      while (i < code.size() &&
             (static_cast<unsigned char>(code[i]) & 0xC0) == 0x80)
        ++i;
      continue;
    }
    std::string_view rest = code.substr(i);
    if (StartsIgnoringCase(rest, "AM/PM")) {
      i += 5;
      continue;
    }
    if (StartsIgnoringCase(rest, "A/P")) {
      i += 3;
      continue;
    }
    if (rest.starts_with("年") || rest.starts_with("月") ||
        rest.starts_with("日")) {
      date = true;
      i += 3;
      continue;
    }
    switch (LowerAscii(c)) {
      case 'y':
      case 'd':
        date = true;
        break;
      case 'm':
        month = true;
        break;
      case 'h':
      case 's':
        time = true;
        break;
      default:
        break;
    }
    ++i;
  }
  // An m beside h or s is minutes: [h]:mm and mm:ss are durations.
  return date || (month && !time);
}

namespace {

// ------------------------------------------------------------ XML parts

struct XmlName {
  std::string_view ns, local;
};

XmlName SplitName(const XML_Char* name) {
  std::string_view s(name);
  size_t sep = s.find(kNsSeparator);
  if (sep == std::string_view::npos) return {{}, s};
  return {s.substr(0, sep), s.substr(sep + 1)};
}

// SpreadsheetML, transitional or strict; no namespace at all from careless
// writers.
bool IsSheetNs(std::string_view ns) {
  return ns.empty() || ns == kMainNs || ns == kStrictNs;
}

// An unqualified attribute.
const char* Attr(const XML_Char** atts, std::string_view name) {
  for (; *atts; atts += 2)
    if (name == atts[0]) return atts[1];
  return nullptr;
}

// A qualified attribute by its local name, in whatever namespace
// (r:id is in the relationships namespace, transitional or strict).
const char* QualifiedAttr(const XML_Char** atts, std::string_view local) {
  for (; *atts; atts += 2) {
    XmlName n = SplitName(atts[0]);
    if (!n.ns.empty() && n.local == local) return atts[1];
  }
  return nullptr;
}

constexpr int kRoot = -1;  // the parent of the root element
constexpr int kOther = 0;  // an element the part ignores, with its content

// What one part reads: handlers get the elements the part knows by tag.
class XmlPart {
 public:
  virtual ~XmlPart() = default;
  // The tag of element `name` inside one tagged `parent` (not kOther).
  virtual int Tag(int parent, const XmlName& name) = 0;
  virtual void Start(int /*tag*/, const XML_Char** /*atts*/) {}
  virtual void End(int /*tag*/) {}
  virtual void Text(int /*tag*/, std::string_view /*text*/) {}

  // Set by a handler: the parse stops with this message.
  std::string error;
};

struct ParseState {
  XML_Parser parser = nullptr;
  XmlPart* part = nullptr;
  std::vector<int> tags;  // of the open elements
  std::exception_ptr exception;
  bool doctype = false;

  bool stopped() const { return doctype || exception || !part->error.empty(); }
  // Stops the parse after a handler failed; expat may still call handlers
  // for the rest of the buffer, which return at once.
  void StopIfFailed() {
    if (stopped()) XML_StopParser(parser, XML_FALSE);
  }
};

// Exceptions (std::bad_alloc) must not unwind through expat's C frames:
// they are kept and rethrown once XML_Parse has returned.
void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char** atts) {
  auto& s = *static_cast<ParseState*>(data);
  if (s.stopped()) return;
  try {
    int parent = s.tags.empty() ? kRoot : s.tags.back();
    int tag = parent == kOther ? kOther : s.part->Tag(parent, SplitName(name));
    s.tags.push_back(tag);
    if (tag != kOther) s.part->Start(tag, atts);
  } catch (...) {
    s.exception = std::current_exception();
  }
  s.StopIfFailed();
}

void XMLCALL OnEnd(void* data, const XML_Char* /*name*/) {
  auto& s = *static_cast<ParseState*>(data);
  if (s.stopped() || s.tags.empty()) return;
  int tag = s.tags.back();
  s.tags.pop_back();
  try {
    if (tag != kOther) s.part->End(tag);
  } catch (...) {
    s.exception = std::current_exception();
  }
  s.StopIfFailed();
}

void XMLCALL OnText(void* data, const XML_Char* text, int len) {
  auto& s = *static_cast<ParseState*>(data);
  if (s.stopped() || s.tags.empty() || s.tags.back() == kOther) return;
  try {
    s.part->Text(s.tags.back(),
                 std::string_view(text, static_cast<size_t>(len)));
  } catch (...) {
    s.exception = std::current_exception();
  }
  s.StopIfFailed();
}

void XMLCALL OnDoctype(void* data, const XML_Char* /*name*/,
                       const XML_Char* /*sysid*/, const XML_Char* /*pubid*/,
                       int /*has_internal_subset*/) {
  auto& s = *static_cast<ParseState*>(data);
  s.doctype = true;
  XML_StopParser(s.parser, XML_FALSE);
}

// ------------------------------------------------------------ the zip

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
struct ParserFree {
  void operator()(XML_ParserStruct* p) const { XML_ParserFree(p); }
};

class Archive {
 public:
  Archive(zip_t* zip, std::string_view name) : zip_(zip), name_(name) {}

  std::string_view name() const { return name_; }

  // The index of part `path` (OPC part names ignore case), or -1.
  zip_int64_t Find(const std::string& path) const {
    return zip_name_locate(zip_.get(), path.c_str(), ZIP_FL_NOCASE);
  }

  // The first bytes (at most `max`) of entry `index`.
  Result<std::string> Head(zip_int64_t index, const std::string& path,
                           size_t max) const {
    std::string out(max, '\0');
    std::unique_ptr<zip_file_t, ZipFileCloser> file;
    Status status = Open(index, path, file);
    if (!status.ok()) return status;
    zip_int64_t n = zip_fread(file.get(), out.data(), max);
    if (n < 0) return Damaged(path, zip_file_strerror(file.get()));
    out.resize(static_cast<size_t>(n));
    return out;
  }

  // Parses entry `index` (`path`) with `part`, streaming, within the
  // bounds. `label` names the part in messages.
  Status Parse(zip_int64_t index, const std::string& path,
               const std::string& label, XmlPart& part) const {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(index), 0,
                       &stat) != 0)
      return Damaged(path, zip_strerror(zip_.get()));
    uint64_t declared = kMaxWorkbookPartBytes;
    if (stat.valid & ZIP_STAT_SIZE) {
      if (stat.size > kMaxWorkbookPartBytes) {
        return Status::Error(
            fmt::format("{}: {} is {} bytes uncompressed; the limit is {} GiB",
                        name_, label, stat.size, kMaxWorkbookPartBytes >> 30));
      }
      if ((stat.valid & ZIP_STAT_COMP_SIZE) && stat.size > kZipBombMinBytes &&
          stat.size / std::max<uint64_t>(stat.comp_size, 1) > kZipBombRatio) {
        return Status::Error(fmt::format(
            "{}: {} would inflate from {} to {} bytes, more than {} times: a "
            "zip bomb, not a spreadsheet; refused",
            name_, label, stat.comp_size, stat.size, kZipBombRatio));
      }
      declared = stat.size;
    }
    std::unique_ptr<zip_file_t, ZipFileCloser> file;
    Status status = Open(index, path, file);
    if (!status.ok()) return status;

    std::unique_ptr<XML_ParserStruct, ParserFree> parser(
        XML_ParserCreateNS(nullptr, kNsSeparator));
    if (!parser) throw std::bad_alloc();
    ParseState state;
    state.parser = parser.get();
    state.part = &part;
    XML_SetUserData(parser.get(), &state);
    XML_SetElementHandler(parser.get(), OnStart, OnEnd);
    XML_SetCharacterDataHandler(parser.get(), OnText);
    XML_SetStartDoctypeDeclHandler(parser.get(), OnDoctype);
#if XML_MAJOR_VERSION > 2 || (XML_MAJOR_VERSION == 2 && XML_MINOR_VERSION >= 6)
    // A token split over many chunks is parsed once, not again per chunk.
    XML_SetReparseDeferralEnabled(parser.get(), XML_TRUE);
#endif
    uint64_t total = 0;
    while (true) {
      void* buffer = XML_GetBuffer(parser.get(), static_cast<int>(kChunkBytes));
      if (buffer == nullptr) throw std::bad_alloc();
      zip_int64_t n = zip_fread(file.get(), buffer, kChunkBytes);
      if (n < 0) return Damaged(path, zip_file_strerror(file.get()));
      total += static_cast<uint64_t>(n);
      if (total > declared)
        return Damaged(path, "it holds more data than its size says");
      bool last = n == 0;
      XML_Status parsed =
          XML_ParseBuffer(parser.get(), static_cast<int>(n), last);
      if (state.exception) std::rethrow_exception(state.exception);
      if (state.doctype) {
        return Status::Error(fmt::format(
            "{}: {} has a DOCTYPE declaration, which no workbook part has; "
            "refused",
            name_, label));
      }
      if (!part.error.empty())
        return Status::Error(
            fmt::format("{}: {}: {}", name_, label, part.error));
      if (parsed != XML_STATUS_OK) {
        return Status::Error(fmt::format(
            "{}: {} is damaged: not well-formed XML at line {}, column {} ({})",
            name_, label, XML_GetCurrentLineNumber(parser.get()),
            XML_GetCurrentColumnNumber(parser.get()) + 1,
            XML_ErrorString(XML_GetErrorCode(parser.get()))));
      }
      if (last) return Status::Ok();
    }
  }

 private:
  Status Open(zip_int64_t index, const std::string& path,
              std::unique_ptr<zip_file_t, ZipFileCloser>& file) const {
    file.reset(
        zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0));
    if (file) return Status::Ok();
    int code = zip_error_code_zip(zip_get_error(zip_.get()));
    if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD) {
      return Status::Error(fmt::format(
          "{}: {} is encrypted; save the workbook without a password", name_,
          path));
    }
    return Damaged(path, zip_strerror(zip_.get()));
  }

  Status Damaged(const std::string& path, std::string_view why) const {
    return Status::Error(
        fmt::format("{}: the zip archive is damaged: {} cannot be read ({})",
                    name_, path, why));
  }

  std::unique_ptr<zip_t, ZipCloser> zip_;
  std::string_view name_;
};

// ------------------------------------------------------------ parts

struct SheetEntry {
  std::string name, rel_id;
};

// xl/workbook.xml: the sheets in order, and the date system.
class WorkbookPart : public XmlPart {
 public:
  enum : int { kWorkbook = 1, kSheets, kSheet, kWorkbookPr };

  int Tag(int parent, const XmlName& n) override {
    if (!IsSheetNs(n.ns)) return kOther;
    if (parent == kRoot) return n.local == "workbook" ? kWorkbook : kOther;
    if (parent == kWorkbook) {
      if (n.local == "sheets") return kSheets;
      if (n.local == "workbookPr") return kWorkbookPr;
    }
    if (parent == kSheets && n.local == "sheet") return kSheet;
    return kOther;
  }
  void Start(int tag, const XML_Char** atts) override {
    if (tag == kSheet) {
      const char* name = Attr(atts, "name");
      const char* id = QualifiedAttr(atts, "id");
      sheets.push_back({name ? name : "", id ? id : ""});
    } else if (tag == kWorkbookPr) {
      const char* v = Attr(atts, "date1904");
      base_1904 =
          v && (std::string_view(v) == "1" || EqualsIgnoringCase(v, "true"));
    }
  }

  std::vector<SheetEntry> sheets;
  bool base_1904 = false;
};

struct Relationship {
  std::string id, type, target;
};

// xl/_rels/workbook.xml.rels: where the workbook's parts are.
class RelsPart : public XmlPart {
 public:
  enum : int { kRelationships = 1, kRelationship };

  int Tag(int parent, const XmlName& n) override {
    if (parent == kRoot && n.local == "Relationships") return kRelationships;
    if (parent == kRelationships && n.local == "Relationship")
      return kRelationship;
    return kOther;
  }
  void Start(int /*tag*/, const XML_Char** atts) override {
    const char* mode = Attr(atts, "TargetMode");
    if (mode && EqualsIgnoringCase(mode, "External")) return;
    const char* id = Attr(atts, "Id");
    const char* type = Attr(atts, "Type");
    const char* target = Attr(atts, "Target");
    if (id && target) rels.push_back({id, type ? type : "", target});
  }

  // The relationship `id`, found through an index built on first use:
  // a workbook may list very many sheets.
  const Relationship* ById(const std::string& id) {
    if (!indexed_) {
      for (size_t i = 0; i < rels.size(); ++i) by_id_.emplace(rels[i].id, i);
      indexed_ = true;
    }
    auto found = by_id_.find(id);
    return found == by_id_.end() ? nullptr : &rels[found->second];
  }
  // The first relationship whose type ends in `/kind`.
  const Relationship* ByType(std::string_view kind) const {
    for (const Relationship& r : rels) {
      std::string_view type = r.type;
      if (type.size() > kind.size() && type.ends_with(kind) &&
          type[type.size() - kind.size() - 1] == '/')
        return &r;
    }
    return nullptr;
  }

  std::vector<Relationship> rels;

 private:
  std::unordered_map<std::string, size_t> by_id_;  // the first of each id
  bool indexed_ = false;
};

// xl/styles.xml: which cell styles (cellXfs, by index) show dates.
class StylesPart : public XmlPart {
 public:
  enum : int { kStyleSheet = 1, kNumFmts, kNumFmt, kCellXfs, kXf };

  int Tag(int parent, const XmlName& n) override {
    if (!IsSheetNs(n.ns)) return kOther;
    if (parent == kRoot) return n.local == "styleSheet" ? kStyleSheet : kOther;
    if (parent == kStyleSheet) {
      if (n.local == "numFmts") return kNumFmts;
      if (n.local == "cellXfs") return kCellXfs;
    }
    if (parent == kNumFmts && n.local == "numFmt") return kNumFmt;
    if (parent == kCellXfs && n.local == "xf") return kXf;
    return kOther;
  }
  void Start(int tag, const XML_Char** atts) override {
    const char* id_text = Attr(atts, "numFmtId");
    std::optional<uint64_t> id =
        id_text ? ParseUint(id_text, 1'000'000) : std::optional<uint64_t>(0);
    if (tag == kNumFmt) {
      const char* code = Attr(atts, "formatCode");
      if (id && code) formats_[static_cast<int>(*id)] = code;
    } else if (tag == kXf) {
      xf_formats_.push_back(id ? static_cast<int>(*id) : 0);
    }
  }

  // Whether each cell style shows dates; call after the parse.
  std::vector<bool> DateStyles() const {
    std::vector<bool> dates;
    dates.reserve(xf_formats_.size());
    for (int id : xf_formats_) {
      auto custom = formats_.find(id);
      dates.push_back(custom != formats_.end()
                          ? IsDateFormatCode(custom->second)
                          : IsBuiltinDateFormat(id));
    }
    return dates;
  }

 private:
  std::map<int, std::string> formats_;
  std::vector<int> xf_formats_;
};

std::string TooLong(std::string_view what) {
  return fmt::format("{} holds more than {} MiB of text", what,
                     kMaxWorkbookCellBytes >> 20);
}

// xl/sharedStrings.xml: the text of each <si>, rich text runs joined,
// phonetic runs (<rPh>) left out.
class SharedStringsPart : public XmlPart {
 public:
  enum : int { kSst = 1, kSi, kRun, kT };

  int Tag(int parent, const XmlName& n) override {
    if (!IsSheetNs(n.ns)) return kOther;
    if (parent == kRoot) return n.local == "sst" ? kSst : kOther;
    if (parent == kSst && n.local == "si") return kSi;
    if (parent == kSi && n.local == "r") return kRun;
    if ((parent == kSi || parent == kRun) && n.local == "t") return kT;
    return kOther;  // rPh, phoneticPr and what is inside them
  }
  void End(int tag) override {
    if (tag != kSi) return;
    strings.push_back(Unescape(std::move(text_)));
    text_.clear();
  }
  void Text(int tag, std::string_view text) override {
    if (tag != kT) return;
    if (text_.size() + text.size() > kMaxWorkbookCellBytes) {
      error = TooLong(fmt::format("shared string {}", strings.size()));
      return;
    }
    text_ += text;
  }

  std::vector<std::string> strings;

 private:
  std::string text_;
};

// Appends one CSV cell: quoted when it holds a comma or a quote or starts
// or ends with a space; its line breaks (CRLF, CR, LF) become one space
// each, so that a text line is a sheet row.
void AppendCsvCell(std::string& out, std::string_view text) {
  auto spacey = [](char c) { return c == ' ' || c == '\r' || c == '\n'; };
  bool quote = text.find_first_of(",\"") != std::string_view::npos ||
               (!text.empty() && (spacey(text.front()) || spacey(text.back())));
  if (quote) out += '"';
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      out += ' ';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += ' ';
    } else if (c == '"') {
      out += "\"\"";
    } else {
      out += c;
    }
  }
  if (quote) out += '"';
}

// A worksheet, written as CSV text as it is parsed.
class SheetPart : public XmlPart {
 public:
  enum : int {
    kWorksheet = 1,
    kSheetData,
    kRow,
    kCell,
    kValue,
    kInline,
    kRun,
    kT
  };

  SheetPart(const std::vector<std::string>& strings,
            const std::vector<bool>& date_styles, bool base_1904,
            std::string& out)
      : strings_(strings),
        date_styles_(date_styles),
        base_1904_(base_1904),
        out_(out) {}

  int Tag(int parent, const XmlName& n) override {
    if (!IsSheetNs(n.ns)) return kOther;
    switch (parent) {
      case kRoot:
        if (n.local == "worksheet") return kWorksheet;
        error = fmt::format("holds a <{}>, not a worksheet", n.local);
        return kOther;
      case kWorksheet:
        return n.local == "sheetData" ? kSheetData : kOther;
      case kSheetData:
        return n.local == "row" ? kRow : kOther;
      case kRow:
        return n.local == "c" ? kCell : kOther;
      case kCell:
        if (n.local == "v") return kValue;
        if (n.local == "is") return kInline;
        return kOther;  // <f>: the formula; its value is in <v>
      case kInline:
        if (n.local == "r") return kRun;
        [[fallthrough]];
      case kRun:
        return n.local == "t" ? kT : kOther;  // not <rPh>
      default:
        return kOther;
    }
  }

  void Start(int tag, const XML_Char** atts) override {
    switch (tag) {
      case kRow:
        StartRow(Attr(atts, "r"));
        break;
      case kCell:
        StartCell(atts);
        break;
      case kValue:
        has_value_ = true;
        break;
      case kInline:
        has_inline_ = true;
        break;
      default:
        break;
    }
  }

  void End(int tag) override {
    if (tag == kCell) {
      EndCell();
    } else if (tag == kRow) {
      out_ += '\n';
      last_row_ = row_;
    }
  }

  void Text(int tag, std::string_view text) override {
    std::string* into = tag == kValue ? &value_
                        : tag == kT   ? &inline_
                                      : nullptr;
    if (into == nullptr) return;
    if (into->size() + text.size() > kMaxWorkbookCellBytes) {
      error = TooLong(fmt::format("cell {}{}", ColumnName(column_), row_));
      return;
    }
    *into += text;
  }

 private:
  void StartRow(const char* r) {
    long row = last_row_ + 1;
    if (r != nullptr) {
      std::optional<uint64_t> n = ParseUint(r, kMaxWorkbookRows + 1);
      if (!n || *n == 0) {
        error = fmt::format("row number `{}` is not one from 1 to {}", r,
                            kMaxWorkbookRows);
        return;
      }
      row = static_cast<long>(*n);
      if (row <= last_row_) {
        error = fmt::format("row {} comes after row {}; rows out of order", row,
                            last_row_);
        return;
      }
    }
    if (row > kMaxWorkbookRows) {
      error = fmt::format("more than {} rows", kMaxWorkbookRows);
      return;
    }
    out_.append(static_cast<size_t>(row - last_row_ - 1), '\n');
    row_ = row;
    column_ = 0;
    written_column_ = 0;
    row_start_ = out_.size();
  }

  void StartCell(const XML_Char** atts) {
    int column = column_ + 1;
    if (const char* r = Attr(atts, "r")) {
      std::string_view ref = r;
      size_t i = 0;
      column = 0;
      for (; i < ref.size() && i < 4; ++i) {
        char c = LowerAscii(ref[i]);
        if (c < 'a' || c > 'z') break;
        column = column * 26 + (c - 'a' + 1);
      }
      if (i == 0 || i == 4 ||
          ref.substr(i).find_first_not_of("0123456789") !=
              std::string_view::npos) {
        error = fmt::format(
            "row {}: cell reference `{}` is not a column and "
            "a row such as B3",
            row_, ref);
        return;
      }
      if (column <= column_ && column <= kMaxWorkbookColumns) {
        error = fmt::format(
            "row {}: cell {} comes after column {}; cells out "
            "of order",
            row_, ref, ColumnName(column_));
        return;
      }
    }
    if (column > kMaxWorkbookColumns) {
      error = fmt::format("row {}: more than {} columns (past column {})", row_,
                          kMaxWorkbookColumns, ColumnName(kMaxWorkbookColumns));
      return;
    }
    column_ = column;
    const char* type = Attr(atts, "t");
    type_ = type ? type : "n";
    const char* style = Attr(atts, "s");
    std::optional<uint64_t> s = style ? ParseUint(style, 1'000'000) : 0;
    style_ = s ? static_cast<size_t>(*s) : 0;
    value_.clear();
    inline_.clear();
    has_value_ = has_inline_ = false;
  }

  void EndCell() {
    std::string text = CellText();
    if (!error.empty() || text.empty()) return;
    out_.append(static_cast<size_t>(
                    column_ - (written_column_ == 0 ? 1 : written_column_)),
                ',');
    written_column_ = column_;
    AppendCsvCell(out_, text);
    if (out_.size() - row_start_ > CsvParser::kMaxRecordBytes) {
      error = fmt::format("row {} is more than {} MiB as CSV text", row_,
                          CsvParser::kMaxRecordBytes >> 20);
    } else if (out_.size() > kMaxWorkbookPartBytes) {
      error = fmt::format("the sheet is more than {} GiB as CSV text",
                          kMaxWorkbookPartBytes >> 30);
    }
  }

  // The cell as Excel shows it, as far as a reader of figures cares.
  std::string CellText() {
    if (type_ == "s") {
      if (!has_value_) return "";
      std::optional<uint64_t> index = ParseUint(value_, UINT64_MAX);
      if (!index || *index >= strings_.size()) {
        error = fmt::format(
            "cell {}{} refers to shared string `{}`, but the workbook has {} "
            "(numbered from 0)",
            ColumnName(column_), row_, TrimAscii(value_), strings_.size());
        return "";
      }
      return strings_[*index];
    }
    if (type_ == "inlineStr")
      return Unescape(has_inline_ ? std::move(inline_) : std::move(value_));
    if (type_ == "str") return Unescape(std::move(value_));
    std::string_view value = TrimAscii(value_);
    if (type_ == "b") {
      if (value == "1" || EqualsIgnoringCase(value, "true")) return "TRUE";
      if (value == "0" || EqualsIgnoringCase(value, "false")) return "FALSE";
      return std::string(value);
    }
    if (type_ == "e") return std::string(value);
    if (type_ == "d") return std::string(value.substr(0, value.find('T')));
    // "n", or a type this reader does not know: the value as written.
    if (value.empty()) return "";
    if (style_ < date_styles_.size() && date_styles_[style_]) {
      if (std::optional<std::string> date = DateText(value, base_1904_))
        return *std::move(date);
    }
    return NumberCellText(value);
  }

  const std::vector<std::string>& strings_;
  const std::vector<bool>& date_styles_;
  const bool base_1904_;
  std::string& out_;

  long last_row_ = 0;       // the last row written
  long row_ = 0;            // the row being read
  int column_ = 0;          // its last cell's column
  int written_column_ = 0;  // its last cell written (not empty)
  size_t row_start_ = 0;    // where its text starts in out_
  std::string type_, value_, inline_;
  size_t style_ = 0;
  bool has_value_ = false, has_inline_ = false;
};

// A relationship's target as a part name: relative to xl/ (the
// workbook's folder) unless it starts with '/'; "." and ".." resolved.
std::string ResolveTarget(std::string_view target) {
  std::string path = target.starts_with('/') ? std::string(target.substr(1))
                                             : "xl/" + std::string(target);
  std::replace(path.begin(), path.end(), '\\', '/');
  std::vector<std::string_view> parts;
  std::string_view rest = path;
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (std::string_view part : parts) {
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

// The sheets' names for a message: the first 20 of them.
std::string SheetNames(const std::vector<SheetEntry>& sheets) {
  constexpr size_t kListed = 20;
  std::string names;
  for (size_t i = 0; i < sheets.size() && i < kListed; ++i) {
    if (i > 0) names += ", ";
    names += fmt::format("`{}`", sheets[i].name);
  }
  if (sheets.size() > kListed)
    names += fmt::format(" and {} more", sheets.size() - kListed);
  return names;
}

}  // namespace

bool LooksLikeZip(std::string_view bytes) {
  return bytes.starts_with(std::string_view("PK\x03\x04", 4));
}

std::optional<std::string> DescribeNonCsv(std::string_view bytes,
                                          std::string_view name) {
  if (bytes.starts_with(
          std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))) {
    return fmt::format(
        "{}: not a CSV file but an Excel 97-2003 workbook (.xls) or a "
        "password-protected .xlsx; save it as .xlsx (Excel 2007 or later) or "
        "as CSV, without a password",
        name);
  }
  std::string_view s = bytes;
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' ||
          s.front() == '\n' || s.front() == '\f' || s.front() == '\v'))
    s.remove_prefix(1);
  if (StartsIgnoringCase(s, "<html") ||
      StartsIgnoringCase(s, "<!doctype html") ||
      StartsIgnoringCase(s, "<table")) {
    return fmt::format(
        "{}: not a CSV file but an HTML page saved with an .xls name; open it "
        "in Excel or WPS and save it as .xlsx or CSV",
        name);
  }
  if (StartsIgnoringCase(s, "<?xml")) {
    std::string_view head = s.substr(0, 4096);
    if (head.find("urn:schemas-microsoft-com:office:spreadsheet") !=
            std::string_view::npos ||
        head.find("progid=\"Excel.Sheet\"") != std::string_view::npos) {
      return fmt::format(
          "{}: not a CSV file but an Excel 2003 XML spreadsheet; open it in "
          "Excel or WPS and save it as .xlsx or CSV",
          name);
    }
  }
  return std::nullopt;
}

Result<std::string> WorkbookToCsv(std::string_view bytes,
                                  const WorkbookOptions& options,
                                  std::string_view name) {
  if (!LooksLikeZip(bytes)) {
    if (std::optional<std::string> what = DescribeNonCsv(bytes, name))
      return Status::Error(*std::move(what));
    return Status::Error(fmt::format(
        "{}: not a workbook: an .xlsx file is a zip archive, and this file "
        "does not start like one",
        name));
  }
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source =
      zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* zip =
      source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
  if (zip == nullptr) {
    if (source) zip_source_free(source);
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Status::Error(fmt::format(
        "{}: a damaged zip archive ({}), not a readable workbook", name, why));
  }
  zip_error_fini(&error);
  Archive archive(zip, name);

  // Other zips people take for spreadsheets.
  if (zip_int64_t mimetype = archive.Find("mimetype"); mimetype >= 0) {
    Result<std::string> type = archive.Head(mimetype, "mimetype", 128);
    if (type.ok() &&
        type->starts_with("application/vnd.oasis.opendocument.spreadsheet")) {
      return Status::Error(fmt::format(
          "{}: an OpenDocument spreadsheet; save it as .xlsx or CSV", name));
    }
  }
  const std::string workbook_path = "xl/workbook.xml";
  zip_int64_t workbook_index = archive.Find(workbook_path);
  if (workbook_index < 0) {
    if (archive.Find("xl/workbook.bin") >= 0) {
      return Status::Error(fmt::format(
          "{}: a binary workbook (.xlsb); save it as .xlsx or CSV", name));
    }
    if (archive.Find("word/document.xml") >= 0) {
      return Status::Error(fmt::format(
          "{}: a Word document (.docx), not a workbook; put the table in a "
          "workbook saved as .xlsx or CSV",
          name));
    }
    return Status::Error(fmt::format(
        "{}: a zip archive but not an .xlsx workbook (it has no {})", name,
        workbook_path));
  }

  WorkbookPart workbook;
  if (Status s =
          archive.Parse(workbook_index, workbook_path, workbook_path, workbook);
      !s.ok())
    return s;
  if (workbook.sheets.empty())
    return Status::Error(fmt::format("{}: the workbook has no sheets", name));

  const std::string rels_path = "xl/_rels/workbook.xml.rels";
  zip_int64_t rels_index = archive.Find(rels_path);
  if (rels_index < 0) {
    return Status::Error(fmt::format(
        "{}: the workbook is incomplete: {} is missing, so its sheets cannot "
        "be found",
        name, rels_path));
  }
  RelsPart rels;
  if (Status s = archive.Parse(rels_index, rels_path, rels_path, rels); !s.ok())
    return s;

  // The sheet: by name (exactly, else ignoring ASCII case, as Excel
  // compares names), or the first worksheet (not a chart sheet).
  const SheetEntry* sheet = nullptr;
  const Relationship* sheet_rel = nullptr;
  if (!options.sheet.empty()) {
    for (const SheetEntry& s : workbook.sheets)
      if (s.name == options.sheet && !sheet) sheet = &s;
    for (const SheetEntry& s : workbook.sheets)
      if (EqualsIgnoringCase(s.name, options.sheet) && !sheet) sheet = &s;
    if (sheet == nullptr) {
      return Status::Error(
          fmt::format("{}: no sheet named `{}`; the workbook has {}", name,
                      options.sheet, SheetNames(workbook.sheets)));
    }
    sheet_rel = rels.ById(sheet->rel_id);
    if (sheet_rel == nullptr) {
      return Status::Error(fmt::format(
          "{}: the workbook is damaged: sheet `{}` has no relationship `{}` "
          "in {}",
          name, sheet->name, sheet->rel_id, rels_path));
    }
  } else {
    for (const SheetEntry& s : workbook.sheets) {
      const Relationship* r = rels.ById(s.rel_id);
      std::string_view type = r ? std::string_view(r->type) : "";
      if (r && (type.empty() || type.ends_with("/worksheet"))) {
        sheet = &s;
        sheet_rel = r;
        break;
      }
    }
    if (sheet == nullptr) {
      return Status::Error(fmt::format(
          "{}: the workbook has no worksheet that can be found (its sheets: "
          "{})",
          name, SheetNames(workbook.sheets)));
    }
  }
  const std::string sheet_path = ResolveTarget(sheet_rel->target);
  const std::string sheet_label =
      fmt::format("sheet `{}` ({})", sheet->name, sheet_path);
  zip_int64_t sheet_index = archive.Find(sheet_path);
  if (sheet_index < 0) {
    return Status::Error(fmt::format(
        "{}: the workbook is damaged: sheet `{}` is {}, which the archive "
        "lacks",
        name, sheet->name, sheet_path));
  }

  // The parts the sheet's cells refer to, where the relationships say or
  // where Excel puts them.
  auto part_path = [&](std::string_view kind, std::string_view fallback) {
    const Relationship* r = rels.ByType(kind);
    return r ? ResolveTarget(r->target) : std::string(fallback);
  };
  std::vector<bool> date_styles;
  const std::string styles_path = part_path("styles", "xl/styles.xml");
  if (zip_int64_t index = archive.Find(styles_path); index >= 0) {
    StylesPart styles;
    if (Status s = archive.Parse(index, styles_path, styles_path, styles);
        !s.ok())
      return s;
    date_styles = styles.DateStyles();
  }
  SharedStringsPart shared;
  const std::string strings_path =
      part_path("sharedStrings", "xl/sharedStrings.xml");
  if (zip_int64_t index = archive.Find(strings_path); index >= 0) {
    if (Status s = archive.Parse(index, strings_path, strings_path, shared);
        !s.ok())
      return s;
  }

  std::string csv;
  SheetPart part(shared.strings, date_styles, workbook.base_1904, csv);
  if (Status s = archive.Parse(sheet_index, sheet_path, sheet_label, part);
      !s.ok())
    return s;
  return csv;
}

}  // namespace eligo
