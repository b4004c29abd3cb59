// Decisions and rejected rows as CSV or JSON Lines.
#include <fmt/format.h>

#include "eligo/io.h"
#include "eligo/provenance.h"
#include "explain/json.h"

namespace eligo {
namespace {

constexpr std::string_view kColumns =
    "entity_kind,id,name,county,year,rule,tier,outcome,award,amount,payer,"
    "citation,reason,notes,decision_id";

// Appends one CSV cell. With `excel`, a cell that a spreadsheet would read
// as a formula (=, +, -, @, tab, CR) is prefixed with an apostrophe.
void AppendCsvCell(std::string& out, std::string_view cell, bool excel) {
  bool formula =
      excel && !cell.empty() &&
      std::string_view("=+-@\t\r").find(cell[0]) != std::string_view::npos;
  bool quote =
      formula || (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
  for (size_t i = 0; i < cell.size() && !quote; ++i) {
    char c = cell[i];
    quote = c == ',' || c == '"' || c == '\n' || c == '\r';
  }
  if (!quote) {
    out.append(cell);
    return;
  }
  out += '"';
  if (formula) out += '\'';
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// The text of field `name` of `panel` in `year`, "" if none.
std::string_view RowText(const Panel& panel, const std::string& field,
                         int year) {
  if (field.empty()) return "";
  int index = panel.schema().FindField(field);
  if (index < 0) return "";
  for (const Row& row : panel.rows()) {
    if (row.year == year) return row.cells[static_cast<size_t>(index)].text;
  }
  return "";
}

}  // namespace

DecisionWriter::DecisionWriter(const RuleSet& rules,
                               const WriteOptions& options)
    : rules_(rules), options_(options) {}

std::string DecisionWriter::Header() const {
  if (options_.format != OutputFormat::kCsv) return "";
  return std::string(options_.excel ? "\xEF\xBB\xBF" : "") +
         std::string(kColumns) + "\n";
}

void DecisionWriter::Append(const Decision& d, const Panel& panel,
                            std::string& out) const {
  std::string_view name = RowText(panel, panel.schema().name_field, d.year);
  std::string_view county = RowText(panel, panel.schema().county_field, d.year);
  std::string amount = d.amount ? d.amount->ToFixed(2) : "";
  std::string notes = fmt::format("{}", fmt::join(d.notes, "; "));
  std::string id = DecisionId(rules_, d);
  size_t start = out.size();
  if (options_.format == OutputFormat::kCsv) {
    const std::string_view cells[] = {d.entity_kind,
                                      d.entity_id,
                                      name,
                                      county,
                                      std::to_string(d.year),
                                      d.rule,
                                      d.tier,
                                      ToString(d.outcome),
                                      ToString(d.award),
                                      amount,
                                      d.payer,
                                      d.citation,
                                      d.reason,
                                      notes,
                                      id};
    bool first = true;
    for (std::string_view cell : cells) {
      if (!first) out += ',';
      first = false;
      AppendCsvCell(out, cell, options_.excel);
    }
    out += '\n';
    return;
  }
  auto key = [&](std::string_view k, std::string_view v,
                 bool null_if_empty = false) {
    out += out.size() == start ? "{" : ",";
    AppendJsonString(out, k);
    out += ':';
    if (null_if_empty && v.empty()) {
      out += "null";
    } else {
      AppendJsonString(out, v);
    }
  };
  key("entity_kind", d.entity_kind);
  key("id", d.entity_id);
  key("name", name);
  key("county", county);
  out += fmt::format(",\"year\":{}", d.year);
  key("rule", d.rule);
  key("tier", d.tier, true);
  key("outcome", ToString(d.outcome));
  key("award", ToString(d.award), true);
  key("amount", amount, true);
  key("payer", d.payer);
  key("citation", d.citation);
  key("reason", d.reason);
  out += ",\"notes\":[";
  for (size_t i = 0; i < d.notes.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, d.notes[i]);
  }
  out += "],\"missing\":[";
  for (size_t i = 0; i < d.missing.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, d.missing[i]);
  }
  out += "],\"decision_id\":";
  AppendJsonString(out, id);
  if (options_.trace && d.trace != nullptr) {
    out += ",\"trace\":";
    out += TraceToJson(*d.trace);
  }
  out += "}\n";
}

void WriteRejects(OutputFile& out, const std::vector<RejectedRow>& rejects,
                  bool excel) {
  std::string line;
  if (excel) out.Write("\xEF\xBB\xBF");
  out.Write("file,line,reason\n");
  for (const RejectedRow& r : rejects) {
    line.clear();
    AppendCsvCell(line, r.file, excel);
    line += fmt::format(",{},", r.line);
    AppendCsvCell(line, r.reason, excel);
    for (const std::string& cell : r.cells) {
      line += ',';
      AppendCsvCell(line, cell, excel);
    }
    line += '\n';
    out.Write(line);
  }
}

}  // namespace eligo
