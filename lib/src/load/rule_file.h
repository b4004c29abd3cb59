// The loader: rule-file YAML -> an unchecked Program.
#ifndef ELIGO_SRC_LOAD_RULE_FILE_H_
#define ELIGO_SRC_LOAD_RULE_FILE_H_

#include <string>
#include <string_view>

#include "diagnostic_sink.h"
#include "program.h"

namespace eligo {

// Reads the rule file `text` (named `name` in diagnostics) into `program`,
// first loading the file it extends, if any, from `base_dir`. Every mistake
// of structure (unknown key, bad value, syntax error) goes to `sink`.
// Returns false when a file was not valid YAML, so nothing could be read.
bool LoadRuleFile(std::string_view text, const std::string& name,
                  const std::string& base_dir, Program& program,
                  DiagnosticSink& sink);

// Reads a whole file (a pipe too), refusing files over `max_bytes`.
Result<std::string> ReadFile(const std::string& path, size_t max_bytes);
// Reads what is left of `fd` (named `path` in errors), failing once it is
// over `max_bytes`.
Result<std::string> ReadAll(int fd, const std::string& path, size_t max_bytes);

}  // namespace eligo

#endif  // ELIGO_SRC_LOAD_RULE_FILE_H_
