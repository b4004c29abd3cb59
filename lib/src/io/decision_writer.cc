// Decisions and rejected rows as CSV or JSON Lines.
#include <fmt/format.h>

#include <array>
#include <charconv>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "eligo/io.h"
#include "eligo/provenance.h"
#include "explain/json.h"

namespace eligo {
namespace {

constexpr std::string_view kColumns =
    "entity_kind,id,name,county,year,rule,tier,outcome,award,amount,payer,"
    "citation,reason,notes,decision_id";

// Whether `cell` holds a character that makes a CSV cell quoted: , " LF or
// CR. Sixteen bytes at a time where it can: reasons and clauses are long,
// and this runs for every cell written.
bool HasCsvSpecial(std::string_view cell) {
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
  const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
  for (; i + 16 <= cell.size(); i += 16) {
    __m128i v =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(cell.data() + i));
    __m128i hit = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
        _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
    if (_mm_movemask_epi8(hit) != 0) return true;
  }
#endif
  static constexpr auto kSpecial = [] {
    std::array<bool, 256> special{};
    for (unsigned char c : {',', '"', '\n', '\r'}) special[c] = true;
    return special;
  }();
  for (; i < cell.size(); ++i) {
    if (kSpecial[static_cast<unsigned char>(cell[i])]) return true;
  }
  return false;
}

// Appends one CSV cell. With `excel`, a cell that a spreadsheet would read
// as a formula (=, +, -, @, tab, CR) is prefixed with an apostrophe.
void AppendCsvCell(std::string& out, std::string_view cell, bool excel) {
  bool formula =
      excel && !cell.empty() &&
      std::string_view("=+-@\t\r").find(cell[0]) != std::string_view::npos;
  bool quote =
      formula || (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
  if (!quote && HasCsvSpecial(cell)) quote = true;
  if (!quote) {
    out.append(cell);
    return;
  }
  out += '"';
  if (formula) out += '\'';
  // Doubles each quote: the text up to and including it, then one more.
  for (size_t q; (q = cell.find('"')) != std::string_view::npos;) {
    out.append(cell.substr(0, q + 1)) += '"';
    cell.remove_prefix(q + 1);
  }
  out.append(cell) += '"';
}

// The text of field `index` of `panel` in `year`, "" if none.
std::string_view RowText(const Panel& panel, int index, int year) {
  if (index < 0) return "";
  for (const Row& row : panel.rows()) {
    if (row.year == year) return row.cells[static_cast<size_t>(index)].text;
  }
  return "";
}

// The indexes of an entity's name and county fields, looked up once per
// schema rather than once per decision.
std::pair<int, int> NameAndCounty(const EntitySchema& schema) {
  thread_local const EntitySchema* cached = nullptr;
  thread_local std::pair<int, int> indexes;
  if (cached != &schema) {
    cached = &schema;
    indexes = {
        schema.name_field.empty() ? -1 : schema.FindField(schema.name_field),
        schema.county_field.empty() ? -1
                                    : schema.FindField(schema.county_field)};
  }
  return indexes;
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
  auto [name_index, county_index] = NameAndCounty(panel.schema());
  std::string_view name = RowText(panel, name_index, d.year);
  std::string_view county = RowText(panel, county_index, d.year);
  std::string amount = d.amount ? d.amount->ToFixed(2) : "";
  std::string notes;
  for (const std::string& note : d.notes)
    notes.append(notes.empty() ? "" : "; ").append(note);
  char year[12];
  std::string_view year_text(
      year, static_cast<size_t>(
                std::to_chars(year, year + sizeof year, d.year).ptr - year));
  size_t start = out.size();
  if (options_.format == OutputFormat::kCsv) {
    const std::string_view cells[] = {
        d.entity_kind,     d.entity_id, name,    county,
        year_text,         d.rule,      d.tier,  ToString(d.outcome),
        ToString(d.award), amount,      d.payer, d.citation,
        d.reason,          notes};
    for (std::string_view cell : cells) {
      AppendCsvCell(out, cell, options_.excel);
      out += ',';
    }
    AppendDecisionId(rules_, d, out);  // hex digits: never quoted
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
  out += "],\"decision_id\":\"";
  AppendDecisionId(rules_, d, out);
  out += '"';
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
