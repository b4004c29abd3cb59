// Diagnostic: one mistake found in a rule or params file, with its place.
#ifndef ELIGO_DIAGNOSTIC_H_
#define ELIGO_DIAGNOSTIC_H_

#include <string>
#include <vector>

namespace eligo {

enum class Severity { kError, kWarning };

// A problem in a file, located by 1-based line and column. `source_line` is
// the text of that line (without its newline) so a caret can be drawn under
// `column`; it is empty when the file could not be read.
struct Diagnostic {
  Severity severity = Severity::kError;
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  std::string source_line;
};

// "file:line:col: error: message", then the source line and a caret line
// when the source line is known. Ends with a newline.
std::string FormatDiagnostic(const Diagnostic& d);

// True when any diagnostic is an error (warnings alone do not fail a load).
bool HasErrors(const std::vector<Diagnostic>& diagnostics);

}  // namespace eligo

#endif  // ELIGO_DIAGNOSTIC_H_
