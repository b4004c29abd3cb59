// Collecting and printing diagnostics.
#include "diagnostic_sink.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "load/limits.h"

namespace eligo {
namespace {

// A source line longer than this is not quoted under its diagnostic, so a
// file of one huge line cannot make each diagnostic huge.
constexpr size_t kMaxQuotedLine = 1000;

// Display width of `s` up to `columns` code points: CJK characters take two
// cells in a terminal, so the caret lines up under them.
int CaretIndent(std::string_view s, int columns) {
  int width = 0;
  size_t i = 0;
  for (int col = 1; col < columns && i < s.size(); ++col) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    width += (len >= 3) ? 2 : 1;
    i += static_cast<size_t>(len);
  }
  return width;
}

}  // namespace

int DiagnosticSink::AddFile(std::string name, std::string text) {
  names_.push_back(std::move(name));
  texts_.push_back(std::move(text));
  line_starts_.emplace_back();
  return static_cast<int>(names_.size()) - 1;
}

bool DiagnosticSink::full() const {
  return diagnostics_.size() >= limits::kMaxDiagnostics;
}

// The 1-based `line` of file `file`, without its line ending; "" when there
// is no such line or it is too long to quote.
std::string DiagnosticSink::LineOf(int file, int line) {
  std::string_view text = texts_[static_cast<size_t>(file)];
  std::vector<size_t>& starts = line_starts_[static_cast<size_t>(file)];
  if (starts.empty()) {
    starts.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts.push_back(i + 1);
    }
  }
  if (line < 1 || static_cast<size_t>(line) > starts.size()) return "";
  size_t start = starts[static_cast<size_t>(line) - 1];
  size_t end = static_cast<size_t>(line) < starts.size()
                   ? starts[static_cast<size_t>(line)] - 1
                   : text.size();
  std::string_view s = text.substr(start, end - start);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  if (s.size() > kMaxQuotedLine) return "";
  return std::string(s);
}

void DiagnosticSink::Error(const Mark& at, std::string message) {
  Add(Severity::kError, at, std::move(message));
}

void DiagnosticSink::Warning(const Mark& at, std::string message) {
  Add(Severity::kWarning, at, std::move(message));
}

void DiagnosticSink::Add(Severity severity, const Mark& at,
                         std::string message) {
  if (severity == Severity::kError) ++errors_;
  if (full()) {
    // One last line says how many more there were; it is an error when any
    // of them was, so the list alone still tells a failed load.
    ++dropped_;
    dropped_error_ = dropped_error_ || severity == Severity::kError;
    std::string summary = fmt::format(
        "{} more errors and warnings from here on are not shown", dropped_);
    if (dropped_ == 1) {  // placed where the first one not shown is
      std::string file =
          at.file >= 0 && at.file < static_cast<int>(names_.size())
              ? names_[static_cast<size_t>(at.file)]
              : "";
      diagnostics_.push_back(
          Diagnostic{severity, file, at.line, at.column, summary, ""});
    } else {
      diagnostics_.back().message = std::move(summary);
    }
    if (dropped_error_) diagnostics_.back().severity = Severity::kError;
    return;
  }
  Diagnostic d;
  d.severity = severity;
  if (at.file >= 0 && at.file < static_cast<int>(names_.size())) {
    d.file = names_[at.file];
    d.source_line = LineOf(at.file, at.line);
  }
  d.line = at.line;
  d.column = at.column;
  d.message = std::move(message);
  diagnostics_.push_back(std::move(d));
}

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string out = fmt::format(
      "{}:{}:{}: {}: {}\n", d.file, d.line, d.column,
      d.severity == Severity::kError ? "error" : "warning", d.message);
  if (!d.source_line.empty()) {
    out += fmt::format("  {}\n  {}^\n", d.source_line,
                       std::string(CaretIndent(d.source_line, d.column), ' '));
  }
  return out;
}

bool HasErrors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(
      diagnostics.begin(), diagnostics.end(),
      [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace eligo
