// Small helpers over yaml-cpp shared by the rule-file and params loaders:
// positions of nodes, and checked reading of maps, lists and scalars.
#ifndef ELIGO_SRC_LOAD_YAML_READER_H_
#define ELIGO_SRC_LOAD_YAML_READER_H_

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostic_sink.h"
#include "program.h"

namespace eligo {

class YamlReader {
 public:
  YamlReader(int file, std::string_view text, DiagnosticSink& sink)
      : file_(file), text_(text), sink_(sink) {}

  // Parses the whole document; on a syntax error reports it and returns
  // nullopt.
  std::optional<YAML::Node> Parse();

  Mark MarkOf(const YAML::Node& node) const;
  // The place in the file of every byte of a scalar's text (and one past
  // its end), so an error inside an expression points where it is written,
  // through quotes, escapes and lines folded by YAML.
  std::vector<Mark> MarksOf(const YAML::Node& node) const;

  // Reports keys of `map` not in `allowed`. Returns false when `map` is not
  // a map at all (also reported, naming `what`).
  bool CheckMap(const YAML::Node& map, std::string_view what,
                std::initializer_list<std::string_view> allowed);
  // The scalar text of `node`, or nullopt (reported) when it is not a scalar.
  // Reports keys written twice in `map` (YAML parsers keep one silently).
  void CheckUniqueKeys(const YAML::Node& map);
  std::optional<std::string> Scalar(const YAML::Node& node,
                                    std::string_view what);
  std::optional<int> Integer(const YAML::Node& node, std::string_view what);
  bool IsList(const YAML::Node& node, std::string_view what);

  DiagnosticSink& sink() { return sink_; }
  int file() const { return file_; }

 private:
  // Byte offset of a 0-based yaml-cpp (line, column); yaml-cpp counts
  // columns in bytes. Constant time: marks are taken for every rule,
  // condition and expression, so a scan from the start would make loading
  // quadratic in the file's size.
  size_t OffsetOf(int line, int column) const;
  // A 0-based line and byte column as a Mark (1-based, code points).
  Mark MarkAt(int line, int byte_column) const;

  int file_;
  std::string_view text_;
  DiagnosticSink& sink_;
  mutable std::vector<size_t> line_starts_;  // built when first needed
};

}  // namespace eligo

#endif  // ELIGO_SRC_LOAD_YAML_READER_H_
