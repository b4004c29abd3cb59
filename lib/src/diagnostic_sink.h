// DiagnosticSink collects the mistakes found in rule and params files, so
// that every stage can report all of them with their file, line and column.
#ifndef ELIGO_SRC_DIAGNOSTIC_SINK_H_
#define ELIGO_SRC_DIAGNOSTIC_SINK_H_

#include <string>
#include <vector>

#include "eligo/diagnostic.h"
#include "program.h"

namespace eligo {

class DiagnosticSink {
 public:
  // Registers a file's name and text; returns the index used in Marks.
  int AddFile(std::string name, std::string text);
  const std::string& file_name(int file) const { return names_[file]; }

  void Error(const Mark& at, std::string message);
  void Warning(const Mark& at, std::string message);

  bool has_errors() const { return HasErrors(diagnostics_); }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<std::string>& texts() const { return texts_; }

 private:
  void Add(Severity severity, const Mark& at, std::string message);

  std::vector<std::string> names_;
  std::vector<std::string> texts_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace eligo

#endif  // ELIGO_SRC_DIAGNOSTIC_SINK_H_
