// Decisions and rejected rows as CSV or JSON Lines.
#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "eligo/io.h"
#include "eligo/provenance.h"
#include "explain/json.h"

namespace eligo {
namespace {

// Whether `cell` holds a character that makes a CSV cell quoted: , " LF or
// CR. This runs for every cell written, and most are short: sixteen bytes
// at a time, and a short cell or a long one's tail in one more test, from
// loads that overlap rather than read past its end.
bool HasCsvSpecial(std::string_view cell) {
  const char* p = cell.data();
  const size_t n = cell.size();
#if defined(__SSE2__)
  auto any = [](__m128i v) {  // zero bytes never match
    __m128i hit =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')),
                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
    return _mm_movemask_epi8(hit) != 0;
  };
  auto load = [](const char* at) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
  };
  auto load8 = [](const char* at) {
    return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(at));
  };
  auto load4 = [](const char* at) {
    int32_t word;
    std::memcpy(&word, at, sizeof word);
    return _mm_cvtsi32_si128(word);
  };
  if (n >= 16) {
    for (size_t i = 0; i + 16 <= n; i += 16) {
      if (any(load(p + i))) return true;
    }
    return n % 16 != 0 && any(load(p + n - 16));
  }
  if (n >= 8) return any(_mm_unpacklo_epi64(load8(p), load8(p + n - 8)));
  if (n >= 4) return any(_mm_unpacklo_epi32(load4(p), load4(p + n - 4)));
  if (n == 0) return false;
  // 1 to 3 bytes: the first, middle and last cover them all.
  auto byte = [&](size_t i) { return static_cast<unsigned char>(p[i]); };
  return any(_mm_cvtsi32_si128(
      static_cast<int32_t>(byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16)));
#else
  for (size_t i = 0; i < n; ++i) {
    if (p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r') return true;
  }
  return false;
#endif
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
    : rules_(rules),
      options_(options),
      words_(rules, options.lang, options.amount_unit),
      english_(rules, Lang::kEn) {}

std::string DecisionWriter::Header() const {
  if (options_.format != OutputFormat::kCsv) return "";
  return std::string(options_.excel ? "\xEF\xBB\xBF" : "") +
         std::string(words_.CsvHeader()) + "\n";
}

void DecisionWriter::Append(const Decision& d, const Panel& panel,
                            std::string& out) const {
  auto [name_index, county_index] = NameAndCounty(panel.schema());
  std::string_view name = RowText(panel, name_index, d.year);
  std::string_view county = RowText(panel, county_index, d.year);
  char year[12];
  std::string_view year_text(
      year, static_cast<size_t>(
                std::to_chars(year, year + sizeof year, d.year).ptr - year));
  thread_local std::string reason;
  reason.clear();
  if (options_.format == OutputFormat::kCsv) {
    std::string amount = d.amount ? words_.Amount(*d.amount) : "";
    std::string notes;  // JSON lists them instead
    for (const std::string& note : d.notes)
      notes.append(notes.empty() ? "" : "; ").append(note);
    words_.AppendReason(d, reason, &panel);
    const bool zh = options_.lang == Lang::kZh;
    std::string tier = zh ? words_.TierName(d) : std::string();
    const std::string_view cells[] = {words_.EntityKind(d),
                                      d.entity_id,
                                      name,
                                      county,
                                      year_text,
                                      words_.RuleName(d),
                                      zh ? std::string_view(tier) : d.tier,
                                      words_.Outcome(d.outcome),
                                      words_.Award(d.award),
                                      amount,
                                      d.payer,
                                      d.citation,
                                      reason,
                                      notes};
    for (std::string_view cell : cells) {
      AppendCsvCell(out, cell, options_.excel);
      out += ',';
    }
    AppendDecisionId(rules_, d, out);  // hex digits: never quoted
    out += '\n';
    return;
  }
  std::string amount = d.amount ? d.amount->ToFixed(2) : "";
  english_.AppendReason(d, reason);
  // `prefix` is what comes before the value: `{"key":` or `,"key":`.
  auto field = [&](std::string_view prefix, std::string_view v,
                   bool null_if_empty = false) {
    out += prefix;
    if (null_if_empty && v.empty()) {
      out += "null";
    } else {
      AppendJsonString(out, v);
    }
  };
  field("{\"entity_kind\":", d.entity_kind);
  field(",\"id\":", d.entity_id);
  field(",\"name\":", name);
  field(",\"county\":", county);
  out += ",\"year\":";
  out += year_text;
  field(",\"rule\":", d.rule);
  field(",\"tier\":", d.tier, true);
  field(",\"outcome\":", ToString(d.outcome));
  field(",\"award\":", ToString(d.award), true);
  field(",\"amount\":", amount, true);
  field(",\"payer\":", d.payer);
  field(",\"citation\":", d.citation);
  field(",\"reason\":", reason);
  out += ",\"notes\":[";
  for (size_t i = 0; i < d.notes.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, d.notes[i]);
  }
  out += "],\"missing\":[";
  std::vector<std::string> missing = english_.Missing(d);
  for (size_t i = 0; i < missing.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, missing[i]);
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

const char* RowStatusName(RejectedRow::Status status) {
  switch (status) {
    case RejectedRow::Status::kRejected:
      return "rejected";
    case RejectedRow::Status::kPartlyRead:
      return "partly_read";
    case RejectedRow::Status::kSkipped:
      return "skipped";
  }
  return "rejected";
}

void WriteRejects(OutputFile& out, const std::vector<RejectedRow>& rejects,
                  bool excel) {
  std::string line;
  if (excel) out.Write("\xEF\xBB\xBF");
  out.Write("file,line,status,reason\n");
  for (const RejectedRow& r : rejects) {
    line.clear();
    AppendCsvCell(line, r.file, excel);
    line += fmt::format(",{},{},", r.line, RowStatusName(r.status));
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
