// CSV panels -> Panels. This file's external interface is ReadPanels.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <unordered_map>

#include "eligo/io.h"
#include "eligo/provenance.h"
#include "io/csv_reader.h"
#include "load/rule_file.h"

namespace eligo {
namespace {

constexpr size_t kMaxInputBytes = size_t{4} << 30;

struct Column {
  int field = -1;  // -1: not used by the rules
  Decimal scale = Decimal::FromInt(1);
};

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// Splits "年销售收入(万元)" or "local_tax（元）" into the name and the yuan per
// unit; false when the header carries no money unit.
bool SplitUnit(std::string_view header, std::string_view* name,
               Decimal* scale) {
  static constexpr std::pair<std::string_view, std::string_view> kBrackets[] = {
      {"(", ")"}, {"（", "）"}};
  static constexpr std::pair<std::string_view, int64_t> kUnits[] = {
      {"元", 1}, {"万元", 10000}, {"亿元", 100000000}};
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

Result<std::string> ReadInput(const std::string& path) {
  if (path == "-") {
    std::string data((std::istreambuf_iterator<char>(std::cin)),
                     std::istreambuf_iterator<char>());
    return data;
  }
  return ReadFile(path, kMaxInputBytes);
}

// Where each row of a panel came from, so a later duplicate can reject it.
struct RowOrigin {
  std::string file;
  long line;
  std::vector<std::string> cells;
};

class BatchReader {
 public:
  BatchReader(const RuleSet& rules, PanelBatch& batch)
      : rules_(rules), batch_(batch) {}

  Status Read(const InputFile& input, const ReadOptions& options) {
    Result<std::string> bytes = ReadInput(input.path);
    if (!bytes.ok()) return bytes.status();
    batch_.digests.emplace_back(input.path, Sha256Hex(*bytes));
    std::string encoding;
    Result<std::string> text =
        DecodeToUtf8(std::move(bytes).value(), options.encoding, &encoding);
    if (!text.ok())
      return Status::Error(fmt::format("{}: {}", input.path, text.error()));
    CsvParser parser(*text);
    std::vector<std::string> header;
    long line = 0;
    if (!parser.Next(header, line)) {
      return Status::Error(fmt::format(
          "{}: {}", input.path,
          parser.error().empty() ? "the file is empty" : parser.error()));
    }
    const EntitySchema* schema = nullptr;
    std::vector<Column> columns;
    if (Status s = Recognise(input, header, &schema, &columns); !s.ok())
      return s;
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].field < 0) {
        batch_.warnings.push_back(fmt::format(
            "{}: column `{}` is not used by the rules", input.path, header[i]));
      }
    }
    // Fields without a column read as an empty cell would, in every row.
    std::vector<Cell> defaults(schema->fields.size());
    for (size_t f = 0; f < schema->fields.size(); ++f) {
      const FieldSchema& field = schema->fields[f];
      if (HasField(columns, static_cast<int>(f))) continue;
      if (field.required) {
        return Status::Error(fmt::format(
            "{}: the required column `{}` is missing", input.path, field.name));
      }
      Result<Cell> empty = ParseCell(field, "", Decimal::FromInt(1), nullptr);
      if (empty.ok()) defaults[f] = std::move(empty).value();
    }
    std::vector<std::string> cells;
    while (parser.Next(cells, line)) {
      ++batch_.rows_read;
      ReadRow(input.path, *schema, columns, defaults, line, cells);
    }
    if (!parser.error().empty()) {
      return Status::Error(fmt::format("{}: {}; rows after it were not read",
                                       input.path, parser.error()));
    }
    return Status::Ok();
  }

 private:
  Status Recognise(const InputFile& input,
                   const std::vector<std::string>& header,
                   const EntitySchema** schema, std::vector<Column>* columns) {
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
    return Status::Ok();
  }

  void Reject(const std::string& file, long line, std::string reason,
              std::vector<std::string> cells) {
    batch_.rejects.push_back(
        RejectedRow{file, line, std::move(reason), std::move(cells)});
  }

  void ReadRow(const std::string& file, const EntitySchema& schema,
               const std::vector<Column>& columns,
               const std::vector<Cell>& defaults, long line,
               std::vector<std::string>& cells) {
    size_t width = columns.size();
    if (cells.size() != width) {
      return Reject(file, line,
                    fmt::format("the row has {} cells; the header has {}",
                                cells.size(), width),
                    cells);
    }
    std::vector<Cell> values = defaults;  // fields the file has no column for
    std::vector<std::string> problems;
    for (size_t i = 0; i < columns.size(); ++i) {
      int f = columns[i].field;
      if (f < 0) continue;
      const FieldSchema& field = schema.fields[static_cast<size_t>(f)];
      std::string warning;
      Result<Cell> cell =
          ParseCell(field, cells[i], columns[i].scale, &warning);
      if (!cell.ok()) {
        problems.push_back(fmt::format("{}: {}", field.name, cell.error()));
      } else if (field.required && cell->state != Cell::State::kValue) {
        problems.push_back(fmt::format("{}: required but empty", field.name));
      } else {
        if (!warning.empty()) {
          batch_.warnings.push_back(
              fmt::format("{}:{}: {}", file, line, warning));
        }
        values[static_cast<size_t>(f)] = std::move(cell).value();
      }
    }
    if (!problems.empty())
      return Reject(file, line, fmt::format("{}", fmt::join(problems, "; ")),
                    cells);
    const Cell& key = values[static_cast<size_t>(schema.FindField(schema.key))];
    const Cell& period =
        values[static_cast<size_t>(schema.FindField(schema.period))];
    int year = static_cast<int>(*period.number.ToInt64());
    std::string index_key = HistoryKey(schema.kind, key.text);
    auto [it, inserted] = index_.emplace(index_key, batch_.panels.size());
    if (inserted) {
      batch_.panels.emplace_back(schema, key.text);
      origins_.emplace_back();
    }
    Panel& panel = batch_.panels[it->second];
    std::vector<RowOrigin>& origins = origins_[it->second];
    auto& rows = panel.mutable_rows();
    for (size_t r = 0; r < rows.size(); ++r) {
      if (rows[r].year != year) continue;
      std::string reason =
          fmt::format("two rows for {} in {} (lines {} and {}); both rejected",
                      key.text, year, origins[r].line, line);
      Reject(origins[r].file, origins[r].line, reason,
             std::move(origins[r].cells));
      Reject(file, line, reason, cells);
      rows.erase(rows.begin() + static_cast<long>(r));
      origins.erase(origins.begin() + static_cast<long>(r));
      panel.MarkConflict(year);
      return;
    }
    for (int conflict : panel.conflict_years()) {
      if (conflict == year) {
        return Reject(file, line,
                      fmt::format("another row for {} in {}; all rejected",
                                  key.text, year),
                      cells);
      }
    }
    rows.push_back(Row{year, std::move(values)});
    origins.push_back(RowOrigin{file, line, cells});
  }

  const RuleSet& rules_;
  PanelBatch& batch_;
  std::unordered_map<std::string, size_t> index_;  // HistoryKey -> panel
  std::vector<std::vector<RowOrigin>> origins_;    // by panel, by row
};

}  // namespace

std::string HistoryKey(const std::string& kind, const std::string& id) {
  return kind + "/" + id;
}

Result<PanelBatch> ReadPanels(const std::vector<InputFile>& inputs,
                              const RuleSet& rules,
                              const ReadOptions& options) {
  PanelBatch batch;
  BatchReader reader(rules, batch);
  for (const InputFile& input : inputs) {
    if (Status s = reader.Read(input, options); !s.ok()) return s;
  }
  return batch;
}

}  // namespace eligo
