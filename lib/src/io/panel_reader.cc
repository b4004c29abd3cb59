// CSV panels -> Panels, one entity at a time. This file's external
// interface is ReadPanels and UnreadPanel.
//
// A file whose rows are grouped by entity (sorted by key, or in any order
// of keys with each entity's rows together) is streamed: each entity's
// rows are handed on, unread, when its key changes (the visitor may read
// them on another thread), and the pages of the file already read are
// released, so memory stays bounded whatever the file's size. Otherwise
// rows are first indexed by entity (an offset per row) and each entity's
// rows are then read back in the order entities first appear: the same
// order. A file is checked to be grouped before it is streamed, unless the
// visitor can start over and the file does not look like sorted files
// stacked: then the grouping is checked as it streams, and the visitor
// starts over, grouped in memory, should an entity's rows come back.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <unordered_map>

#include "base/edit_distance.h"
#include "eligo/io.h"
#include "eligo/provenance.h"
#include "io/csv_reader.h"
#include "io/key_hashes.h"
#include "io/workbook_reader.h"
#include "load/rule_file.h"
#include "panel/cell.h"
#include "panel/cell_text.h"

namespace eligo {
namespace {

constexpr size_t kMaxInputBytes = size_t{4} << 30;

struct Column {
  int field = -1;  // -1: not used by the rules
  Decimal scale = Decimal::FromInt(1);
  bool unit_in_header = false;  // 年销售收入(万元)
};

// A tab when the start of `text` has more tabs than commas: Excel's
// "Unicode text" and other tab-separated exports; else a comma.
char GuessDelimiter(std::string_view text) {
  std::string_view start = text.substr(0, 64 << 10);
  return std::count(start.begin(), start.end(), '\t') >
                 std::count(start.begin(), start.end(), ',')
             ? '\t'
             : ',';
}

// How many rows may stand above the header: a title, a unit row, a note.
constexpr int kHeaderSearchRows = 30;
// How many rows of a file are looked at to tell whether its money is in
// the unit the header says.
constexpr int kUnitSampleRows = 2000;

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

constexpr std::pair<std::string_view, int64_t> kUnits[] = {
    {"元", 1}, {"万元", 10000}, {"亿元", 100000000}};

// The unit a unit row states for the money below it: `单位：万元`,
// `金额单位:元`, `（单位：万元）` in any of `cells`. 0 when none does.
int64_t UnitRowScale(const std::vector<std::string>& cells) {
  for (const std::string& cell : cells) {
    std::string_view c = TrimCell(cell);
    size_t at = c.find("单位");
    if (at == std::string_view::npos || at > 12) continue;  // 金额单位 at most
    c.remove_prefix(at + std::string_view("单位").size());
    if (c.starts_with("：")) {
      c.remove_prefix(std::string_view("：").size());
    } else if (c.starts_with(":")) {
      c.remove_prefix(1);
    } else {
      continue;
    }
    c = TrimCell(c);
    for (const auto& [word, yuan] : kUnits) {
      if (c.starts_with(word)) return yuan;
    }
  }
  return 0;
}

// Splits "年销售收入(万元)" or "local_tax（元）" into the name and the yuan per
// unit; false when the header carries no money unit.
bool SplitUnit(std::string_view header, std::string_view* name,
               Decimal* scale) {
  static constexpr std::pair<std::string_view, std::string_view> kBrackets[] = {
      {"(", ")"}, {"（", "）"}};
  for (const auto& [open, close] : kBrackets) {
    if (!header.ends_with(close)) continue;
    size_t at = header.rfind(open);
    if (at == std::string_view::npos) continue;
    std::string_view unit = TrimSpaces(header.substr(
        at + open.size(), header.size() - close.size() - at - open.size()));
    for (const auto& [word, yuan] : kUnits) {
      if (unit == word) {
        *name = TrimSpaces(header.substr(0, at));
        *scale = Decimal::FromInt(yuan);
        return true;
      }
    }
  }
  return false;
}

std::vector<Column> MapHeader(const EntitySchema& schema,
                              const std::vector<std::string>& header) {
  std::vector<Column> columns(header.size());
  for (size_t i = 0; i < header.size(); ++i) {
    std::string_view h = TrimSpaces(header[i]);
    columns[i].field = schema.FindField(h);
    std::string_view base;
    Decimal scale;
    if (columns[i].field < 0 && SplitUnit(h, &base, &scale)) {
      columns[i].field = schema.FindField(base);
      columns[i].scale = scale;
      columns[i].unit_in_header = true;
    } else if (columns[i].field >= 0) {
      columns[i].scale =
          schema.fields[static_cast<size_t>(columns[i].field)].unit_scale;
    }
  }
  return columns;
}

bool HasField(const std::vector<Column>& columns, int field) {
  for (const Column& c : columns) {
    if (c.field == field && field >= 0) return true;
  }
  return false;
}

// A regular file mapped read-only; pages already read can be given back.
class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() {
    if (data_ != nullptr) munmap(const_cast<char*>(data_), size_);
  }

  // Maps `path` if it can; else (a pipe, such as `<(zcat x.gz)`, or an
  // empty file) reads it whole into `unmapped`, through the descriptor
  // already open: a FIFO opened again would lose what was written to it.
  Status Open(const std::string& path, bool* mapped, std::string& unmapped) {
    *mapped = false;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return Status::Error(
          fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    }
    struct stat st;
    void* p = MAP_FAILED;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
      p = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE,
               fd, 0);
    }
    if (p == MAP_FAILED) {
      Result<std::string> read = ReadAll(fd, path, kMaxInputBytes);
      close(fd);
      if (!read.ok()) return read.status();
      unmapped = std::move(read).value();
      return Status::Ok();
    }
    close(fd);
    data_ = static_cast<const char*>(p);
    size_ = static_cast<size_t>(st.st_size);
    madvise(p, size_, MADV_SEQUENTIAL);
    *mapped = true;
    return Status::Ok();
  }

  std::string_view view() const { return {data_, size_}; }

  // Gives back the pages before byte `upto` (they are read again on demand).
  void Release(size_t upto) {
    static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    size_t end = upto / page * page;
    if (data_ == nullptr || end <= released_ + (size_t{8} << 20)) return;
    madvise(const_cast<char*>(data_) + released_, end - released_,
            MADV_DONTNEED);
    released_ = end;
  }
  // Gives back the pages within `radius` bytes of byte `at` (a read there
  // may have mapped a large block around it).
  void ReleaseAround(size_t at, size_t radius) {
    static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    if (data_ == nullptr) return;
    size_t from = at > radius ? (at - radius) / page * page : 0;
    size_t to = std::min(size_, at + radius);
    madvise(const_cast<char*>(data_) + from, to - from, MADV_DONTNEED);
  }
  void ReleaseAll() {
    if (data_ != nullptr)
      madvise(const_cast<char*>(data_), size_, MADV_DONTNEED);
    released_ = 0;
  }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
  size_t released_ = 0;
};

}  // namespace

// One input file: its text (mapped, or decoded into memory) and its header
// mapped to the fields of one entity kind.
struct InputSource {
  std::string path;
  MappedFile mapped;
  std::string owned;
  std::string_view text;
  size_t body = 0;  // first data record
  long body_line = 1;
  const EntitySchema* schema = nullptr;
  std::vector<Column> columns;
  std::vector<std::string> header;  // as in the file
  long header_line = 0;
  // Fields without a column, and what their cells hold.
  std::vector<std::pair<size_t, Cell>> defaults;
  int key_column = -1;
  int key_field = -1, period_field = -1;  // in schema->fields
  bool workbook = false;                  // text made from a workbook's sheet
  // The digest of the file's bytes. A mapped file read where it lies is
  // hashed as its rows are scanned, not in a pass of its own.
  Sha256Hasher hasher;
  size_t hashed = 0;  // bytes of the file in the digest so far

  // Adds the file's bytes up to text offset `upto` to the digest, once past
  // `step` more of them (so that small steps cost nothing).
  void HashUpTo(size_t upto, size_t step = 0) {
    std::string_view bytes = mapped.view();
    if (bytes.empty() || text.data() < bytes.data() ||
        text.data() >= bytes.data() + bytes.size())
      return;  // not read where it lies: hashed when opened
    size_t end = static_cast<size_t>(text.data() - bytes.data()) + upto;
    if (end <= hashed + step) return;
    hasher.Update(bytes.substr(hashed, end - hashed));
    hashed = end;
  }

  char delimiter = ',';  // a tab in a "Unicode text" export

  CsvParser Parser(size_t pos, long line) const {
    return CsvParser(text, pos, line, delimiter);
  }

  const FieldSchema& key_schema() const {
    return schema->fields[static_cast<size_t>(key_field)];
  }

  static UnreadPanel Unread(std::shared_ptr<const InputSource> source,
                            size_t begin, size_t end, long line) {
    UnreadPanel unread;
    unread.source_ = std::move(source);
    unread.begin_ = begin;
    unread.end_ = end;
    unread.line_ = line;
    return unread;
  }
};

namespace {

using Source = InputSource;

// Where each row of a panel came from, so a later duplicate can reject it
// (its cells are read again from there: duplicates are rare).
struct RowOrigin {
  const Source* source;
  size_t offset;  // of the record in source->text
  long line;
};

// Where rows not scored as they stand, and warnings, go.
struct RowSink {
  std::vector<RejectedRow>& rejects;
  std::vector<std::string>& warnings;

  void Report(RejectedRow::Status status, const std::string& file, long line,
              std::string reason, std::vector<std::string> cells) {
    rejects.push_back(
        RejectedRow{file, line, std::move(reason), std::move(cells), status});
  }
  void Report(RejectedRow::Status status, const std::string& file, long line,
              std::string reason, const std::vector<std::string_view>& cells) {
    Report(status, file, line, std::move(reason),
           std::vector<std::string>(cells.begin(), cells.end()));
  }
  void Reject(const std::string& file, long line, std::string reason,
              const std::vector<std::string_view>& cells) {
    Report(RejectedRow::Status::kRejected, file, line, std::move(reason),
           cells);
  }
  void Reject(const std::string& file, long line, std::string reason,
              std::vector<std::string> cells) {
    Report(RejectedRow::Status::kRejected, file, line, std::move(reason),
           std::move(cells));
  }
};

// A cell's text for a message: at most about 40 bytes, cut at a character.
std::string_view Excerpt(std::string_view raw) {
  constexpr size_t kMax = 40;
  if (raw.size() <= kMax) return raw;
  size_t end = kMax;
  while (end > 0 && (static_cast<unsigned char>(raw[end]) & 0xC0) == 0x80)
    --end;
  return raw.substr(0, end);
}

// Whether a row is a blank one (every cell empty) or a totals row (no key,
// and its first cell that is not empty says 合计, 小计, Total...): both are
// what spreadsheets hold besides data, skipped rather than rejected. Sets
// *why to say which.
bool IsBlankOrTotals(const std::vector<std::string_view>& cells,
                     std::string_view key, const char** why) {
  for (std::string_view cell : cells) {
    std::string_view c = TrimCell(cell);
    if (c.empty()) continue;
    *why = "a totals row";
    return key.empty() && IsTotalsLabel(c);
  }
  *why = "a blank row";
  return true;
}

enum class RowRead {
  kScored,    // into the row, perhaps with unreadable cells
  kRejected,  // not used
  kUnplaced,  // rejected, its key read but not its year
  kSkipped,   // a blank or totals row
};

// Reads one record into `row` (its cells rewritten in place, keeping their
// storage). A cell that cannot be read is unknown, with its cause, and the
// row is reported as partly read; a row whose key or year cannot be read,
// or whose required cell is empty, is rejected.
RowRead ReadRow(const Source& source, long line,
                const std::vector<std::string_view>& cells, RowSink& sink,
                Row& row, std::string* unplaced) {
  const std::vector<Column>& columns = source.columns;
  const EntitySchema& schema = *source.schema;
  size_t key_column = static_cast<size_t>(source.key_column);
  std::string_view key = key_column < cells.size()
                             ? KeyText(source.key_schema(), cells[key_column])
                             : std::string_view();
  const char* skipped = nullptr;
  if (IsBlankOrTotals(cells, key, &skipped)) {
    sink.Report(RejectedRow::Status::kSkipped, source.path, line, skipped,
                cells);
    return RowRead::kSkipped;
  }
  // A workbook leaves the empty cells at a row's end unwritten.
  if (cells.size() != columns.size() &&
      !(source.workbook && cells.size() < columns.size())) {
    sink.Reject(source.path, line,
                fmt::format("the row has {} cells; the header has {}",
                            cells.size(), columns.size()),
                cells);
    return RowRead::kRejected;
  }
  // Cells of a column are all rewritten below.
  row.cells.resize(schema.fields.size());
  for (const auto& [f, cell] : source.defaults) row.cells[f] = cell;
  std::vector<std::string> problems;
  bool rejected = false, period_bad = false, key_bad = false;
  std::string warning;
  for (size_t i = 0; i < columns.size(); ++i) {
    int f = columns[i].field;
    if (f < 0) continue;
    const FieldSchema& field = schema.fields[static_cast<size_t>(f)];
    Cell& cell = row.cells[static_cast<size_t>(f)];
    std::string_view raw = i < cells.size() ? cells[i] : std::string_view();
    warning.clear();
    Status s = ParseCellInto(field, raw, columns[i].scale, &warning, cell);
    bool identifies = f == source.key_field || f == source.period_field;
    if (!s.ok()) {
      problems.push_back(fmt::format("{}: {}", field.name, s.message()));
      rejected = rejected || identifies;
      period_bad = period_bad || f == source.period_field;
      key_bad = key_bad || f == source.key_field;
      if (!identifies) {
        // Short: the reason is in the row's report, beside its cells.
        cell = Cell::Unreadable(fmt::format("\"{}\" at {}:{} could not be read",
                                            Excerpt(TrimCell(raw)), source.path,
                                            line));
      }
    } else if (field.required && cell.state != Cell::State::kValue) {
      problems.push_back(fmt::format("{}: required but empty", field.name));
      rejected = true;
      period_bad = period_bad || f == source.period_field;
    } else if (!warning.empty()) {
      sink.warnings.push_back(
          fmt::format("{}:{}: {}", source.path, line, warning));
    }
  }
  if (rejected) {
    std::string reason = fmt::format("{}", fmt::join(problems, "; "));
    bool unplaced_row = period_bad && !key_bad && !key.empty();
    if (unplaced_row) {
      *unplaced =
          fmt::format("the row at {}:{} could not be placed in a year ({})",
                      source.path, line, reason);
    }
    sink.Reject(source.path, line, std::move(reason), cells);
    return unplaced_row ? RowRead::kUnplaced : RowRead::kRejected;
  }
  if (!problems.empty()) {
    sink.Report(RejectedRow::Status::kPartlyRead, source.path, line,
                fmt::format("{}", fmt::join(problems, "; ")), cells);
  }
  row.year = static_cast<int>(
      *row.cells[static_cast<size_t>(source.period_field)].number.ToInt64());
  return RowRead::kScored;
}

// Reads one entity's records into a panel, rewriting the rows the panel
// held before so that their cells keep their storage (a reader that reuses
// its panels allocates almost nothing per row); two rows for one year
// reject both.
class PanelFill {
 public:
  PanelFill(Panel& panel, RowSink& sink)
      : panel_(panel), rows_(std::move(panel.mutable_rows())), sink_(sink) {
    origins_.clear();
  }

  // Adds the record at `origin`, whose cells are `cells`.
  void Add(const RowOrigin& origin,
           const std::vector<std::string_view>& cells) {
    const Source& source = *origin.source;
    if (used_ == rows_.size()) rows_.emplace_back();
    Row& row = rows_[used_];
    std::string unplaced;
    switch (ReadRow(source, origin.line, cells, sink_, row, &unplaced)) {
      case RowRead::kScored:
        break;
      case RowRead::kUnplaced:
        Start(source, std::string(KeyText(
                          source.key_schema(),
                          cells[static_cast<size_t>(source.key_column)])));
        panel_.AddUnplacedRow(std::move(unplaced));
        return;
      case RowRead::kRejected:
      case RowRead::kSkipped:
        return;
    }
    const std::string& key =
        row.cells[static_cast<size_t>(source.key_field)].text;
    Start(source, key);
    for (size_t r = 0; r < used_; ++r) {
      if (rows_[r].year != row.year) continue;
      const RowOrigin& first = origins_[r];
      std::string reason =
          first.source == origin.source
              ? fmt::format(
                    "two rows for {} in {} (lines {} and {}); both rejected",
                    key, row.year, first.line, origin.line)
              : fmt::format(
                    "two rows for {} in {} ({}:{} and {}:{}); both "
                    "rejected",
                    key, row.year, first.source->path, first.line, source.path,
                    origin.line);
      Unreport(*first.source, first.line);
      Unreport(source, origin.line);
      std::vector<std::string> first_cells;
      long first_line = 0;
      first.source->Parser(first.offset, first.line)
          .Next(first_cells, first_line);
      sink_.Reject(first.source->path, first.line, reason,
                   std::move(first_cells));
      sink_.Reject(source.path, origin.line, reason, cells);
      panel_.MarkConflict(row.year);
      // Drop row r, keeping its storage past the rows in use.
      std::rotate(rows_.begin() + static_cast<long>(r),
                  rows_.begin() + static_cast<long>(r) + 1,
                  rows_.begin() + static_cast<long>(used_));
      origins_.erase(origins_.begin() + static_cast<long>(r));
      --used_;
      return;
    }
    for (int conflict : panel_.conflict_years()) {
      if (conflict == row.year) {
        Unreport(source, origin.line);
        return sink_.Reject(
            source.path, origin.line,
            fmt::format("another row for {} in {}; all rejected", key,
                        row.year),
            cells);
      }
    }
    origins_.push_back(origin);
    ++used_;
  }

  // Takes back the report of a row as partly read: it is rejected after
  // all.
  void Unreport(const Source& source, long line) {
    auto from = sink_.rejects.begin() + static_cast<long>(rejects_from_);
    sink_.rejects.erase(
        std::remove_if(from, sink_.rejects.end(),
                       [&](const RejectedRow& r) {
                         return r.status == RejectedRow::Status::kPartlyRead &&
                                r.line == line && r.file == source.path;
                       }),
        sink_.rejects.end());
  }

  // Makes the panel this entity's, on its first row.
  void Start(const Source& source, const std::string& key) {
    if (started_) return;
    panel_ = Panel(*source.schema, key);
    started_ = true;
  }

  // Hands the rows to the panel; false when no record became one. The
  // entity's rejects go in line order: a row is rejected as the first of
  // two for a year only once the second is read.
  bool Finish() {
    std::stable_sort(sink_.rejects.begin() + static_cast<long>(rejects_from_),
                     sink_.rejects.end(),
                     [](const RejectedRow& a, const RejectedRow& b) {
                       return a.line < b.line;
                     });
    rows_.resize(used_);
    panel_.mutable_rows() = std::move(rows_);
    return started_;
  }

 private:
  Panel& panel_;
  std::vector<Row> rows_;  // [0, used_) are the panel's so far
  size_t used_ = 0;
  bool started_ = false;  // panel_ was made for this entity
  RowSink& sink_;
  size_t rejects_from_ = sink_.rejects.size();  // this entity's
  // Of rows_[0, used_); kept per thread for its storage.
  static thread_local std::vector<RowOrigin> origins_;
};

thread_local std::vector<RowOrigin> PanelFill::origins_;

class Reader {
 public:
  Reader(const RuleSet& rules, const ReadOptions& options, PanelBatch& batch)
      : rules_(rules),
        options_(options),
        batch_(batch),
        sink_{batch.rejects, batch.warnings} {}

  Status Open(const InputFile& input, Source& source) {
    source.path = input.path;
    bool mapped = false;
    if (input.path == "-") {
      Result<std::string> read =
          ReadAll(STDIN_FILENO, "standard input", kMaxInputBytes);
      if (!read.ok()) return read.status();
      source.owned = std::move(read).value();
    } else if (Status s = source.mapped.Open(input.path, &mapped, source.owned);
               !s.ok()) {
      return s;
    }
    std::string_view bytes =
        mapped ? source.mapped.view() : std::string_view(source.owned);
    if (bytes.size() > kMaxInputBytes) {
      return Status::Error(fmt::format("{}: {} bytes; the limit is {}",
                                       input.path, bytes.size(),
                                       kMaxInputBytes));
    }
    if (LooksLikeZip(bytes)) return OpenWorkbook(input, bytes, mapped, source);
    if (std::optional<std::string> what = DescribeNonCsv(bytes, input.path))
      return Status::Error(*what);
    if (!options_.sheet.empty()) {
      return Status::Error(fmt::format(
          "{}: --sheet {} is for workbooks (.xlsx); this is a text file",
          input.path, options_.sheet));
    }
    // Whether a mapped file is plain UTF-8, to be read where it lies (else
    // it is decoded once into memory), a chunk at a time so that its pages
    // can be given back.
    bool plain_utf8 =
        mapped &&
        (options_.encoding == "auto" || options_.encoding == "utf-8" ||
         options_.encoding == "utf8") &&
        !bytes.starts_with("\xFF\xFE") && !bytes.starts_with("\xFE\xFF");
    for (size_t at = 0; at < bytes.size() && plain_utf8;) {
      size_t end = std::min(bytes.size(), at + (size_t{4} << 20));
      while (end < bytes.size() &&
             (static_cast<unsigned char>(bytes[end]) & 0xC0) == 0x80)
        ++end;
      std::string_view chunk = bytes.substr(at, end - at);
      plain_utf8 = FindInvalidUtf8(chunk, /*nul_is_invalid=*/true) ==
                   std::string_view::npos;
      at = end;
      source.mapped.Release(at);
    }
    if (plain_utf8) {
      source.text = bytes.starts_with("\xEF\xBB\xBF") ? bytes.substr(3) : bytes;
    } else {
      source.hasher.Update(bytes);
      std::string used;
      Result<std::string> text =
          DecodeToUtf8(std::string(bytes), options_.encoding, &used);
      if (!text.ok())
        return Status::Error(fmt::format("{}: {}", input.path, text.error()));
      source.owned = std::move(text).value();
      source.text = source.owned;
    }
    if (mapped) source.mapped.ReleaseAll();
    source.delimiter = GuessDelimiter(source.text);
    return OpenText(input, source);
  }

  // Maps the header of `source`'s text to its kind's fields and checks it.
  Status OpenText(const InputFile& input, Source& source) {
    if (Status s = FindHeader(input, source); !s.ok()) return s;
    CsvParser probe = source.Parser(source.body, source.body_line);
    long line = 0;
    if (std::vector<std::string> first; !probe.Next(first, line)) {
      // A header and nothing after it is a truncated export, not "nobody".
      return Status::Error(
          fmt::format("{}: {}", input.path,
                      probe.error().empty()
                          ? "a header and no rows; is the export complete?"
                          : probe.error()));
    }
    const EntitySchema& schema = *source.schema;
    for (size_t i = 0; i < source.columns.size(); ++i) {
      if (source.columns[i].field < 0 && !TrimCell(source.header[i]).empty()) {
        batch_.warnings.push_back(
            fmt::format("{}: column `{}` is not used by the rules", input.path,
                        source.header[i]));
      }
    }
    std::vector<std::string> absent;  // read by the rules, but no column
    for (size_t f = 0; f < schema.fields.size(); ++f) {
      const FieldSchema& field = schema.fields[f];
      if (HasField(source.columns, static_cast<int>(f))) continue;
      if (field.required) {
        return Status::Error(fmt::format(
            "{}: the required column `{}` is missing", input.path, field.name));
      }
      if (field.read_by_rules && !field.optional &&
          std::find(options_.absent_columns.begin(),
                    options_.absent_columns.end(),
                    field.name) == options_.absent_columns.end()) {
        absent.push_back(DescribeAbsent(field, source));
      }
      Result<Cell> empty = ParseCell(field, "", Decimal::FromInt(1), nullptr);
      source.defaults.emplace_back(f, empty.ok() ? *empty : Cell());
    }
    if (!absent.empty()) {
      return Status::Error(fmt::format(
          "{}: no column for what the rules read:\n  {}\nRename the column, "
          "or, if the file lacks it on purpose, say so with --absent-column "
          "FIELD (or `optional: true` in the rule file) and its cells read "
          "as empty",
          input.path, fmt::join(absent, "\n  ")));
    }
    CheckUnits(source);
    return Status::Ok();
  }

  // Opens a workbook's sheet as CSV text held in memory (the zip cannot be
  // read where it lies).
  Status OpenWorkbook(const InputFile& input, std::string_view bytes,
                      bool mapped, Source& source) {
    WorkbookOptions workbook;
    workbook.sheet = options_.sheet;
    Result<std::string> text = WorkbookToCsv(bytes, workbook, input.path);
    if (!text.ok()) return text.status();
    source.hasher.Update(bytes);
    if (mapped) source.mapped.ReleaseAll();
    source.owned = std::move(text).value();
    source.text = source.owned;
    source.workbook = true;
    return OpenText(input, source);
  }

  // Finds the header among the first rows of `source` (or at
  // --header-row) and maps its columns; rows above it are skipped, and a
  // unit row among them sets the unit of money columns without their own.
  Status FindHeader(const InputFile& input, Source& source) {
    CsvParser parser = source.Parser(0, 1);
    std::vector<std::vector<std::string>> above;  // rows before the header
    std::vector<long> above_lines;
    std::vector<std::string> cells;
    long line = 0;
    Status first_error;
    while (parser.Next(cells, line)) {
      bool forced = options_.header_row > 0;
      if (!forced || line >= options_.header_row) {
        Status s = Recognise(input, cells, source);
        if (s.ok()) break;
        source.schema = nullptr;
        source.columns.clear();
        if (first_error.ok()) first_error = s;
        if (forced) return s;
      }
      above.push_back(cells);
      above_lines.push_back(line);
      if (!forced && above.size() >= static_cast<size_t>(kHeaderSearchRows)) {
        return Status::Error(fmt::format(
            "{}; no row among the first {} names the columns (say which "
            "row is the header with --header-row N)",
            first_error.message(), kHeaderSearchRows));
      }
    }
    if (source.schema == nullptr) {
      if (!parser.error().empty())
        return Status::Error(fmt::format("{}: {}", input.path, parser.error()));
      if (above.empty())
        return Status::Error(fmt::format("{}: the file is empty", input.path));
      if (first_error.ok()) {  // --header-row past the last row
        return Status::Error(
            fmt::format("{}: --header-row {}, but the file ends at line {}",
                        input.path, options_.header_row, above_lines.back()));
      }
      return first_error;
    }
    source.header = cells;
    source.header_line = line;
    source.body = parser.position();
    source.body_line = parser.line();
    source.key_field = source.schema->FindField(source.schema->key);
    source.period_field = source.schema->FindField(source.schema->period);
    for (size_t i = 0; i < source.columns.size(); ++i) {
      if (source.columns[i].field == source.key_field)
        source.key_column = static_cast<int>(i);
    }
    int64_t unit = 0;
    for (size_t r = 0; r < above.size(); ++r) {
      ++batch_.rows_read;
      if (unit == 0) unit = UnitRowScale(above[r]);
      sink_.Report(RejectedRow::Status::kSkipped, input.path, above_lines[r],
                   "above the header", std::move(above[r]));
    }
    if (!above.empty()) {
      batch_.notes.push_back(
          fmt::format("{}: the header is on line {}; {} above it {} skipped",
                      input.path, line,
                      above_lines.size() == 1
                          ? fmt::format("line {}", above_lines[0])
                          : fmt::format("lines {}-{}", above_lines.front(),
                                        above_lines.back()),
                      above_lines.size() == 1 ? "is" : "are"));
    }
    if (unit != 0) {
      std::vector<std::string_view> scaled;
      for (size_t i = 0; i < source.columns.size(); ++i) {
        Column& c = source.columns[i];
        if (c.field < 0 || c.unit_in_header ||
            source.schema->fields[static_cast<size_t>(c.field)].type !=
                FieldType::kMoney)
          continue;
        c.scale = Decimal::FromInt(unit);
        scaled.push_back(TrimCell(source.header[i]));
      }
      batch_.notes.push_back(fmt::format(
          "{}: the unit row above the header says {}; it applies to {}",
          input.path,
          unit == 1       ? "元"
          : unit == 10000 ? "万元"
                          : "亿元",
          scaled.empty() ? "no column (every money column names its unit)"
                         : fmt::format("{}", fmt::join(scaled, ", "))));
    }
    return Status::Ok();
  }

  // `field` (its headers) and the header of `source` most like it.
  static std::string DescribeAbsent(const FieldSchema& field,
                                    const Source& source) {
    std::vector<std::string_view> names{field.name};
    names.insert(names.end(), field.aliases.begin(), field.aliases.end());
    std::string_view nearest;
    size_t best = static_cast<size_t>(-1);
    for (size_t i = 0; i < source.columns.size(); ++i) {
      if (source.columns[i].field >= 0) continue;
      std::string_view h = TrimCell(source.header[i]);
      if (h.empty()) continue;
      for (std::string_view n : names) {
        // One holding the other (是否十百千培育企业) is nearest of all.
        size_t d = h.find(n) != std::string_view::npos ||
                           n.find(h) != std::string_view::npos
                       ? 0
                       : EditDistance(h, n);
        if (d < best && d <= std::max<size_t>(2, n.size() / 6)) {
          best = d;
          nearest = h;
        }
      }
    }
    std::string text = fmt::format("`{}`", field.name);
    if (!field.aliases.empty())
      text += fmt::format(" (headers: {})", fmt::join(field.aliases, ", "));
    if (!nearest.empty())
      text += fmt::format("; the nearest header is `{}`", nearest);
    return text;
  }

  // Warns of a money column whose values look like another unit than the
  // one it is read in: most values that are not zero lie outside the
  // field's `typical` range, and inside it once scaled by 10^4 or 10^8.
  void CheckUnits(Source& source) {
    const EntitySchema& schema = *source.schema;
    struct Sample {
      size_t column;
      long inside = 0, counted = 0;
      long fits[4] = {};  // x10^4, x10^8, /10^4, /10^8
    };
    std::vector<Sample> samples;
    for (size_t i = 0; i < source.columns.size(); ++i) {
      int f = source.columns[i].field;
      if (f < 0) continue;
      const FieldSchema& field = schema.fields[static_cast<size_t>(f)];
      if (field.type == FieldType::kMoney &&
          (field.typical_min || field.typical_max))
        samples.push_back(Sample{i});
    }
    if (samples.empty()) return;
    static const Decimal kFactors[4] = {
        Decimal::FromInt(10000), Decimal::FromInt(100000000),
        *Decimal::Parse("0.0001"), *Decimal::Parse("0.00000001")};
    CsvParser parser = source.Parser(source.body, source.body_line);
    std::vector<std::string_view> cells;
    long line = 0;
    for (int r = 0; r < kUnitSampleRows && parser.NextViews(cells, line); ++r) {
      for (Sample& sample : samples) {
        if (sample.column >= cells.size()) continue;
        const Column& c = source.columns[sample.column];
        const FieldSchema& field = schema.fields[static_cast<size_t>(c.field)];
        Result<Cell> cell =
            ParseCell(field, cells[sample.column], c.scale, nullptr);
        if (!cell.ok() || cell->state != Cell::State::kValue ||
            cell->number.sign() == 0)
          continue;
        auto typical = [&](const Decimal& v) {
          return (!field.typical_min || !(v < *field.typical_min)) &&
                 (!field.typical_max || !(v > *field.typical_max));
        };
        ++sample.counted;
        if (typical(cell->number)) ++sample.inside;
        for (int k = 0; k < 4; ++k) {
          std::optional<Decimal> v = Decimal::Mul(cell->number, kFactors[k]);
          if (v && typical(*v)) ++sample.fits[k];
        }
      }
    }
    source.mapped.ReleaseAll();
    for (const Sample& sample : samples) {
      if (sample.counted == 0 || sample.inside * 2 > sample.counted) continue;
      int best = -1;
      for (int k = 0; k < 4; ++k) {
        if (sample.fits[k] * 2 > sample.counted &&
            (best < 0 || sample.fits[k] > sample.fits[best]))
          best = k;
      }
      if (best < 0) continue;
      const Column& c = source.columns[sample.column];
      // The unit the values look like: the one read, scaled.
      std::optional<Decimal> yuan = Decimal::Mul(c.scale, kFactors[best]);
      std::string_view likely = !yuan                              ? "?"
                                : *yuan == Decimal::FromInt(1)     ? "元"
                                : *yuan == Decimal::FromInt(10000) ? "万元"
                                : *yuan == Decimal::FromInt(100000000) ? "亿元"
                                                                       : "";
      if (likely.empty()) continue;
      std::string_view header = TrimCell(source.header[sample.column]);
      std::string_view name = header;
      Decimal ignored;
      SplitUnit(header, &name, &ignored);
      batch_.notes.push_back(fmt::format(
          "warning: {}: {}: values look like {} ({} of {} rows sampled fit "
          "only so); write {}({}) or declare the unit",
          source.path, header, likely, sample.fits[best], sample.counted, name,
          likely));
    }
  }

  // Whether a row has no key: too short to reach the key column, or `key`
  // (its KeyText) empty where one is required, as in the rows of commas
  // that spreadsheets leave at the end. It is rejected when read, wherever
  // it is, so it does not make a file look unsorted.
  static bool WithoutKey(const FieldSchema& key_field, bool reaches_key,
                         std::string_view key) {
    return !reaches_key || (key_field.required && key.empty());
  }

  // Whether `source` is worth streaming before it is known to be grouped,
  // guessed from the keys of its first record, of records at 63 points
  // spread over it and of its last: yes when they rise throughout (sorted)
  // or fall often (entities in no order: grouped, as most exports are, or
  // scattered, where some entity soon comes back); no when they rise but
  // for a few falls, as in sorted files stacked one after another, where an
  // entity would come back only where the second begins, after scoring in
  // vain up to there.
  bool WorthStreaming(Source& source) {
    constexpr size_t kPoints = 64;
    std::string_view text = source.text;
    const FieldSchema& key_field = KeyField(source);
    size_t key_column = static_cast<size_t>(source.key_column);
    size_t last = text.find_last_not_of("\r\n");
    if (last == std::string_view::npos || last < source.body) return true;
    size_t last_line = text.rfind('\n', last);
    std::string cell, previous;
    size_t falls = 0;
    for (size_t k = 0; k <= kPoints; ++k) {
      size_t at = source.body;  // a record's start
      if (k == kPoints) {
        at = std::max(at,
                      last_line == std::string_view::npos ? 0 : last_line + 1);
      } else if (k > 0) {
        size_t newline = text.find('\n', at + (last - at) / kPoints * k);
        if (newline == std::string_view::npos) continue;
        at = newline + 1;
      }
      CsvParser parser = source.Parser(at, 1);
      long line = 0;
      size_t cells = parser.Skip(key_column, cell, line);
      // Not to hold the pages read here (a large block may come mapped
      // around each) until the reader comes by.
      source.mapped.ReleaseAround(at, size_t{4} << 20);
      std::string_view key = KeyText(key_field, cell);
      if (WithoutKey(key_field, cells > key_column, key)) continue;
      falls += key < previous;
      previous.assign(key);
    }
    return falls == 0 || falls > kPoints / 8;
  }

  // Walks the rows of `source` entity by entity, checking that each
  // entity's rows come together: while keys rise, against the key before;
  // from the first key that falls, against the keys of every entity before
  // (indexed then from the rows before it). Hands each entity's
  // rows on, unread, to `visitor`, or only checks without one. Stops, with
  // *grouped false, where an entity's rows come back. A row without a key
  // goes with the rows around it (and is rejected when they are read).
  Status Walk(const std::shared_ptr<Source>& source, PanelVisitor* visitor,
              bool* grouped) {
    *grouped = true;
    CsvParser parser = source->Parser(source->body, source->body_line);
    const FieldSchema& key_field = KeyField(*source);
    size_t key_column = static_cast<size_t>(source->key_column);
    std::string cell, key;
    KeyHashes finished;
    bool rising = true;  // every key so far above the one before
    long line = 0;
    size_t begin = parser.position();
    long begin_line = parser.line();
    bool open = false;  // rows from `begin` are waiting to be handed on
    while (true) {
      size_t record = parser.position();
      long record_line = parser.line();
      size_t cells = parser.Skip(key_column, cell, line);
      if (cells == 0) break;
      if (visitor != nullptr) ++batch_.rows_read;
      std::string_view row_key = KeyText(key_field, cell);
      if (open && (WithoutKey(key_field, cells > key_column, row_key) ||
                   row_key == key))
        continue;
      if (open) {
        if (rising && row_key < key) {
          rising = false;
          IndexKeys(*source, record, finished);
        }
        // The set holds the key of every entity begun, this one's too.
        if (!rising && !finished.Insert(row_key)) {
          *grouped = false;
          break;
        }
        Hand(source, begin, record, begin_line, visitor);
      }
      begin = record;
      begin_line = record_line;
      key.assign(row_key);
      open = true;
    }
    if (*grouped && open)
      Hand(source, begin, parser.position(), begin_line, visitor);
    if (visitor == nullptr) source->mapped.ReleaseAll();
    if (*grouped && !parser.error().empty()) {
      return Status::Error(fmt::format("{}: {}; rows after it were not read",
                                       source->path, parser.error()));
    }
    return Status::Ok();
  }

  // Adds to `keys` the key of every row of `source` before text offset
  // `end` (rows in rising key order, so each key once).
  void IndexKeys(Source& source, size_t end, KeyHashes& keys) {
    CsvParser parser = source.Parser(source.body, source.body_line);
    const FieldSchema& key_field = KeyField(source);
    size_t key_column = static_cast<size_t>(source.key_column);
    std::string cell, previous;
    long line = 0;
    size_t released = source.body;
    while (parser.position() < end) {
      size_t cells = parser.Skip(key_column, cell, line);
      if (cells == 0) break;
      // The pages read again here are behind the stream: not to be held.
      if (size_t at = parser.position(); at - released >= size_t{8} << 20) {
        source.mapped.ReleaseAround(at, at - released);
        released = at;
      }
      std::string_view key = KeyText(key_field, cell);
      if (WithoutKey(key_field, cells > key_column, key) || key == previous)
        continue;
      keys.Insert(key);
      previous.assign(key);
    }
  }

  // Indexes the rows of every source by entity, then reads each entity's
  // rows back in the order entities first appear.
  Status Group(const std::vector<std::shared_ptr<Source>>& sources,
               PanelVisitor& visitor) {
    struct RowRef {
      uint32_t source;
      uint32_t next;  // next row of the same entity; 0 ends the list
      size_t offset;
      long line;
    };
    struct Entity {
      uint32_t first, last;
    };
    std::vector<RowRef> rows(1);  // row 0 is the end marker
    std::vector<Entity> entities;
    std::unordered_map<std::string, uint32_t> index;
    size_t text_bytes = 0;
    for (uint32_t s = 0; s < sources.size(); ++s) {
      Source& source = *sources[s];
      text_bytes += source.text.size();
      CsvParser parser = source.Parser(source.body, source.body_line);
      std::vector<std::string> cells;
      long line = 0;
      // Where each record starts, blank lines before it included, and the
      // line there: the record is parsed again from them.
      size_t start = parser.position();
      long start_line = parser.line();
      while (parser.Next(cells, line)) {
        size_t record = start;
        long record_line = start_line;
        start = parser.position();
        start_line = parser.line();
        ++batch_.rows_read;
        // A row too short to reach the key goes with the keyless rows, to
        // be skipped or rejected when read.
        size_t key_column = static_cast<size_t>(source.key_column);
        std::string key =
            source.schema->kind + "/" +
            std::string(key_column < cells.size()
                            ? KeyText(KeyField(source), cells[key_column])
                            : std::string_view());
        auto [it, inserted] = index.emplace(
            std::move(key), static_cast<uint32_t>(entities.size()));
        uint32_t r = static_cast<uint32_t>(rows.size());
        rows.push_back(RowRef{s, 0, record, record_line});
        if (inserted) {
          entities.push_back(Entity{r, r});
        } else {
          rows[entities[it->second].last].next = r;
          entities[it->second].last = r;
        }
        // Rough bytes held: the text, the index, the keys.
        size_t held =
            text_bytes + rows.size() * sizeof(RowRef) + entities.size() * 96;
        if (held > options_.max_memory_bytes) {
          return Status::Error(
              fmt::format("{}: the rows of one {} are not all together, "
                          "and grouping them needs more than --max-memory "
                          "({} MB); sort the file by that column (e.g. with "
                          "a spreadsheet, or `sort`) so it can be streamed, "
                          "or raise --max-memory",
                          source.path, source.schema->key,
                          options_.max_memory_bytes >> 20));
        }
      }
      if (!parser.error().empty()) {
        return Status::Error(fmt::format("{}: {}; rows after it were not read",
                                         source.path, parser.error()));
      }
    }
    index = {};  // the keys are no longer needed
    std::vector<std::string_view> cells;
    for (const Entity& entity : entities) {
      Panel panel(*sources[rows[entity.first].source]->schema, "");
      PanelFill fill(panel, sink_);
      for (uint32_t r = entity.first; r != 0; r = rows[r].next) {
        Source& source = *sources[rows[r].source];
        CsvParser parser = source.Parser(rows[r].offset, rows[r].line);
        long line = 0;
        parser.NextViews(cells, line);
        fill.Add(RowOrigin{&source, rows[r].offset, line}, cells);
      }
      if (fill.Finish()) visitor.OnPanel(std::move(panel));
    }
    // Rejects in the order of the files and lines.
    std::map<std::string, size_t> order;
    for (size_t s = 0; s < sources.size(); ++s)
      order.emplace(sources[s]->path, s);
    std::stable_sort(batch_.rejects.begin(), batch_.rejects.end(),
                     [&](const RejectedRow& a, const RejectedRow& b) {
                       return std::make_pair(order[a.file], a.line) <
                              std::make_pair(order[b.file], b.line);
                     });
    return Status::Ok();
  }

 private:
  Status Recognise(const InputFile& input,
                   const std::vector<std::string>& header, Source& source) {
    const EntitySchema** schema = &source.schema;
    std::vector<Column>* columns = &source.columns;
    int best = -1;
    bool tie = false;
    for (const EntitySchema& e : rules_.entities()) {
      if (!input.kind.empty() && e.kind != input.kind) continue;
      std::vector<Column> mapped = MapHeader(e, header);
      bool usable = HasField(mapped, e.FindField(e.key)) &&
                    HasField(mapped, e.FindField(e.period));
      if (!usable) {
        if (!input.kind.empty()) {
          return Status::Error(
              fmt::format("{}: a `{}` panel needs columns `{}` and `{}`",
                          input.path, e.kind, e.key, e.period));
        }
        continue;
      }
      int matched = static_cast<int>(
          std::count_if(mapped.begin(), mapped.end(),
                        [](const Column& c) { return c.field >= 0; }));
      if (matched > best) {
        best = matched, tie = false, *schema = &e, *columns = std::move(mapped);
      } else if (matched == best) {
        tie = true;
      }
    }
    if (!input.kind.empty() && *schema == nullptr) {
      return Status::Error(fmt::format("{}: the rules have no entity kind `{}`",
                                       input.path, input.kind));
    }
    if (*schema == nullptr || tie) {
      return Status::Error(fmt::format(
          "{}: cannot tell the entity kind from the header; name it with "
          "--input KIND={}",
          input.path, input.path));
    }
    // Two columns for one field (say 年销售收入 and 年销售收入(万元)): which
    // one holds the figure meant is not for eligo to guess.
    for (size_t i = 0; i < columns->size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        int field = (*columns)[i].field;
        if (field < 0 || (*columns)[j].field != field) continue;
        return Status::Error(
            fmt::format("{}: columns `{}` and `{}` are both `{}`; keep one",
                        input.path, header[j], header[i],
                        (*schema)->fields[static_cast<size_t>(field)].name));
      }
    }
    return Status::Ok();
  }

  // Hands on one entity's rows, [begin, end) of the text: unread to a
  // visitor that takes them so, else read here; to no visitor, nowhere.
  void Hand(const std::shared_ptr<Source>& source, size_t begin, size_t end,
            long line, PanelVisitor* visitor) {
    if (visitor != nullptr) {
      UnreadPanel unread = Source::Unread(source, begin, end, line);
      if (auto* takes_unread = dynamic_cast<UnreadPanelVisitor*>(visitor)) {
        takes_unread->OnUnreadPanel(std::move(unread));
      } else if (std::optional<Panel> panel =
                     unread.Read(batch_.rejects, batch_.warnings)) {
        visitor->OnPanel(std::move(*panel));
      }
    }
    // Pages well behind this entity have been read (or are in a visitor's
    // queue, and are read back on demand), and hashed.
    constexpr size_t kLag = size_t{4} << 20;
    source->HashUpTo(begin, size_t{1} << 20);
    source->mapped.Release(begin > kLag ? begin - kLag : 0);
  }

  static const FieldSchema& KeyField(const Source& source) {
    return source.key_schema();
  }

  const RuleSet& rules_;
  const ReadOptions& options_;
  PanelBatch& batch_;
  RowSink sink_;  // into batch_
};

// Keeps every panel, for ReadPanels without a visitor.
class Collect : public PanelVisitor {
 public:
  explicit Collect(std::vector<Panel>& panels) : panels_(panels) {}
  void OnPanel(Panel&& panel) override { panels_.push_back(std::move(panel)); }

 private:
  std::vector<Panel>& panels_;
};

}  // namespace

long PanelBatch::count(RejectedRow::Status status) const {
  return static_cast<long>(
      std::count_if(rejects.begin(), rejects.end(),
                    [&](const RejectedRow& r) { return r.status == status; }));
}

InputFile ParseInputFile(const std::string& spec) {
  // A path may hold '=' too: KIND is a name, and an existing file wins.
  size_t eq = spec.find('=');
  bool kind =
      eq != std::string::npos && eq > 0 &&
      std::all_of(spec.begin(), spec.begin() + static_cast<long>(eq),
                  [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) ||
                           c == '_' || c == '-';
                  });
  std::error_code error;
  if (!kind || std::filesystem::exists(spec, error)) return InputFile{spec, ""};
  return InputFile{spec.substr(eq + 1), spec.substr(0, eq)};
}

std::string HistoryKey(const std::string& kind, const std::string& id) {
  return kind + "/" + id;
}

const std::vector<PastAward>& AwardsOf(const History& history,
                                       const Panel& panel) {
  static const std::vector<PastAward> kNone;
  auto it = history.find(HistoryKey(panel.schema().kind, panel.id()));
  return it == history.end() ? kNone : it->second;
}

Status ReadPanels(const std::vector<InputFile>& inputs, const RuleSet& rules,
                  const ReadOptions& options, PanelVisitor& visitor,
                  PanelBatch& batch) {
  Reader reader(rules, options, batch);
  // Shared with the unread panels handed on, which may outlive this call.
  std::vector<std::shared_ptr<Source>> sources;
  for (const InputFile& input : inputs) {
    sources.push_back(std::make_shared<Source>());
    if (Status s = reader.Open(input, *sources.back()); !s.ok()) return s;
  }
  // Streaming needs each kind in one file, grouped by key. A visitor that
  // can start over gets the entities of a file worth streaming at once,
  // the grouping checked as they go by; other files are checked first.
  auto* restartable = dynamic_cast<RestartablePanelVisitor*>(&visitor);
  bool may_restart = restartable != nullptr && restartable->CanRestart();
  bool stream = true;
  for (size_t i = 0; i < sources.size() && stream; ++i) {
    for (size_t j = 0; j < i; ++j)
      stream = stream && sources[j]->schema != sources[i]->schema;
    if (stream && !(may_restart && reader.WorthStreaming(*sources[i]))) {
      if (Status s = reader.Walk(sources[i], nullptr, &stream); !s.ok())
        return s;
    }
  }
  // What the batch held before streaming, to go back to on a restart.
  const size_t rejects = batch.rejects.size(), warnings = batch.warnings.size();
  const long rows_read = batch.rows_read;
  for (size_t i = 0; i < sources.size() && stream; ++i) {
    bool grouped = true;
    if (Status s = reader.Walk(sources[i], &visitor, &grouped); !s.ok())
      return s;
    if (!grouped) {  // only a file not checked first
      restartable->Restart();
      batch.rejects.erase(batch.rejects.begin() + static_cast<long>(rejects),
                          batch.rejects.end());
      batch.warnings.resize(warnings);
      batch.rows_read = rows_read;
      stream = false;
    }
  }
  batch.streamed = stream;
  if (!stream) {
    if (Status s = reader.Group(sources, visitor); !s.ok()) return s;
  }
  for (const std::shared_ptr<Source>& source : sources) {
    source->HashUpTo(source->text.size());
    batch.digests.emplace_back(source->path, source->hasher.HexDigest());
  }
  return Status::Ok();
}

std::optional<Panel> UnreadPanel::Read(
    std::vector<RejectedRow>& rejects,
    std::vector<std::string>& warnings) const {
  Panel panel(*source_->schema, "");
  if (!ReadInto(panel, rejects, warnings)) return std::nullopt;
  return panel;
}

bool UnreadPanel::ReadInto(Panel& panel, std::vector<RejectedRow>& rejects,
                           std::vector<std::string>& warnings) const {
  RowSink sink{rejects, warnings};
  thread_local std::vector<std::string_view> cells;
  PanelFill fill(panel, sink);
  CsvParser parser = source_->Parser(begin_, line_);
  long line = 0;
  for (size_t record = begin_; record < end_ && parser.NextViews(cells, line);
       record = parser.position()) {
    fill.Add(RowOrigin{source_.get(), record, line}, cells);
  }
  if (fill.Finish()) return true;
  panel = Panel(*source_->schema, "");  // nothing of another entity left
  return false;
}

Result<PanelBatch> ReadPanels(const std::vector<InputFile>& inputs,
                              const RuleSet& rules,
                              const ReadOptions& options) {
  PanelBatch batch;
  Collect collect(batch.panels);
  if (Status s = ReadPanels(inputs, rules, options, collect, batch); !s.ok())
    return s;
  return batch;
}

}  // namespace eligo
