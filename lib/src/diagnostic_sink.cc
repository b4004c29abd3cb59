// Collecting and printing diagnostics.
#include "diagnostic_sink.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

namespace eligo {
namespace {

// The 1-based `line` of `text`, without its line ending.
std::string LineOf(std::string_view text, int line) {
  size_t start = 0;
  for (int i = 1; i < line; ++i) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return "";
    start = nl + 1;
  }
  size_t end = text.find('\n', start);
  std::string_view s =
      text.substr(start, end == std::string_view::npos ? end : end - start);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return std::string(s);
}

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
  return static_cast<int>(names_.size()) - 1;
}

void DiagnosticSink::Error(const Mark& at, std::string message) {
  Add(Severity::kError, at, std::move(message));
}

void DiagnosticSink::Warning(const Mark& at, std::string message) {
  Add(Severity::kWarning, at, std::move(message));
}

void DiagnosticSink::Add(Severity severity, const Mark& at,
                         std::string message) {
  Diagnostic d;
  d.severity = severity;
  if (at.file >= 0 && at.file < static_cast<int>(names_.size())) {
    d.file = names_[at.file];
    d.source_line = LineOf(texts_[at.file], at.line);
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
