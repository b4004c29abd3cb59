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

  bool has_errors() const { return errors_ > 0; }
  // True once kMaxDiagnostics have been kept: later ones are only counted,
  // and costly hints (such as "did you mean") are not worth computing.
  bool full() const;
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<std::string>& texts() const { return texts_; }

 private:
  void Add(Severity severity, const Mark& at, std::string message);
  std::string LineOf(int file, int line);

  std::vector<std::string> names_;
  std::vector<std::string> texts_;
  std::vector<std::vector<size_t>> line_starts_;  // per file, when needed
  std::vector<Diagnostic> diagnostics_;
  size_t errors_ = 0;   // every error, kept or not
  size_t dropped_ = 0;  // errors and warnings not kept
  bool dropped_error_ = false;
};

}  // namespace eligo

#endif  // ELIGO_SRC_DIAGNOSTIC_SINK_H_
