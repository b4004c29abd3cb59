// YAML helpers for the loaders.
#include "load/yaml_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

namespace eligo {
namespace {

// Byte offset of a 0-based yaml-cpp (line, column) in `text`; yaml-cpp
// counts columns in bytes.
size_t OffsetOf(std::string_view text, int line, int column) {
  size_t pos = 0;
  for (int i = 0; i < line; ++i) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return text.size();
    pos = nl + 1;
  }
  return std::min(text.size(), pos + static_cast<size_t>(column));
}

// Converts a byte column to a 1-based code-point column.
int CodePointColumn(std::string_view text, int line, int byte_column) {
  size_t start = OffsetOf(text, line, 0);
  int column = 1;
  for (size_t i = start;
       i < start + static_cast<size_t>(byte_column) && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

}  // namespace

std::optional<YAML::Node> YamlReader::Parse() {
  try {
    return YAML::Load(std::string(text_));
  } catch (const YAML::Exception& e) {
    Mark m{file_, e.mark.line + 1,
           CodePointColumn(text_, e.mark.line, e.mark.column)};
    if (e.mark.is_null()) m = Mark{file_, 1, 1};
    sink_.Error(m, "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
}

Mark YamlReader::MarkOf(const YAML::Node& node) const {
  YAML::Mark m = node.Mark();
  if (m.is_null()) return Mark{file_, 1, 1};
  return Mark{file_, m.line + 1, CodePointColumn(text_, m.line, m.column)};
}

std::vector<Mark> YamlReader::MarksOf(const YAML::Node& node) const {
  const std::string& decoded = node.Scalar();
  Mark at = MarkOf(node);
  std::vector<Mark> marks(decoded.size() + 1, at);
  YAML::Mark raw = node.Mark();
  if (raw.is_null()) return marks;
  size_t pos = OffsetOf(text_, raw.line, raw.column);
  auto advance = [&](size_t to) {  // moves `at` along the file to `to`
    for (; pos < to && pos < text_.size(); ++pos) {
      unsigned char c = static_cast<unsigned char>(text_[pos]);
      if (c == '\n') {
        ++at.line;
        at.column = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++at.column;
      }
    }
  };
  if (pos < text_.size() && (text_[pos] == '|' || text_[pos] == '>')) {
    size_t nl = text_.find('\n', pos);
    advance(nl == std::string_view::npos ? text_.size() : nl + 1);
  } else if (pos < text_.size() && (text_[pos] == '"' || text_[pos] == '\'')) {
    advance(pos + 1);
  }
  // Each decoded byte is the next matching byte of the file, past what YAML
  // removed: indentation, line breaks, escape backslashes, doubled quotes.
  constexpr size_t kMaxSkip = 64;
  for (size_t i = 0; i < decoded.size(); ++i) {
    size_t limit = std::min(text_.size(), pos + kMaxSkip);
    size_t j = pos;
    while (j < limit && text_[j] != decoded[i]) ++j;
    if (j < limit) {
      advance(j);
      marks[i] = at;
      advance(j + 1);
    } else {
      marks[i] = at;
    }
  }
  marks[decoded.size()] = at;
  return marks;
}

bool YamlReader::CheckMap(const YAML::Node& map, std::string_view what,
                          std::initializer_list<std::string_view> allowed) {
  if (!map.IsMap()) {
    sink_.Error(MarkOf(map),
                fmt::format("{} must be a map of keys and values", what));
    return false;
  }
  CheckUniqueKeys(map);
  for (const auto& kv : map) {
    std::string key = kv.first.Scalar();
    bool known = false;
    for (std::string_view a : allowed) known = known || key == a;
    if (!known) {
      sink_.Error(MarkOf(kv.first),
                  fmt::format("unknown key `{}` in {} (allowed: {})", key, what,
                              fmt::join(allowed, ", ")));
    }
  }
  return true;
}

void YamlReader::CheckUniqueKeys(const YAML::Node& map) {
  if (!map.IsMap()) return;
  std::set<std::string> seen;
  for (const auto& kv : map) {
    if (!seen.insert(kv.first.Scalar()).second) {
      sink_.Error(MarkOf(kv.first),
                  fmt::format("duplicate key `{}`", kv.first.Scalar()));
    }
  }
}

std::optional<std::string> YamlReader::Scalar(const YAML::Node& node,
                                              std::string_view what) {
  if (!node.IsScalar()) {
    sink_.Error(MarkOf(node), fmt::format("{} must be a single value", what));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<int> YamlReader::Integer(const YAML::Node& node,
                                       std::string_view what) {
  std::optional<std::string> s = Scalar(node, what);
  if (!s) return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), value);
  if (ec != std::errc() || end != s->data() + s->size()) {
    sink_.Error(MarkOf(node),
                fmt::format("{} must be a whole number, not `{}`", what, *s));
    return std::nullopt;
  }
  return value;
}

bool YamlReader::IsList(const YAML::Node& node, std::string_view what) {
  if (node.IsSequence()) return true;
  sink_.Error(MarkOf(node), fmt::format("{} must be a list", what));
  return false;
}

}  // namespace eligo
