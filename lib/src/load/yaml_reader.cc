// YAML helpers for the loaders.
#include "load/yaml_reader.h"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <sstream>

#include "load/limits.h"

namespace eligo {
namespace {

struct LimitReached {
  YAML::Mark mark;
  std::string message;
};

// The offset of the first flow bracket (`[` or `{`) nested deeper than
// kMaxYamlDepth, or npos. yaml-cpp's scanner reads ahead through nested
// flow collections before it emits an event, keeping every token (some
// hundred bytes each: a file of 4 MB of `[` took 900 MB), so the depth is
// found here first, on the text. This follows YAML closely enough for
// that: flow brackets outside quoted scalars, comments and block scalars,
// and in block context only where a node starts.
size_t DeepFlow(std::string_view text) {
  size_t depth = 0, i = 0, n = text.size();
  bool node_start = true;  // block context: a node may start here
  size_t line_indent = 0;  // indentation of the current line
  bool at_line_start = true;
  auto skip_quoted = [&](char quote) {  // from the opening quote
    for (++i; i < n; ++i) {
      if (quote == '"' && text[i] == '\\') {
        ++i;
      } else if (text[i] == quote) {
        if (quote == '\'' && i + 1 < n && text[i + 1] == '\'') {
          ++i;
        } else {
          return;
        }
      }
    }
  };
  while (i < n) {
    char c = text[i];
    if (at_line_start) {
      line_indent = 0;
      while (i < n && text[i] == ' ') ++i, ++line_indent;
      at_line_start = false;
      if (depth == 0) node_start = true;
      continue;
    }
    if (c == '\n') {
      at_line_start = true;
      ++i;
      continue;
    }
    bool after_space = i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' ||
                       text[i - 1] == '\n';
    if (c == '#' && after_space) {  // a comment, to the end of the line
      while (i < n && text[i] != '\n') ++i;
      continue;
    }
    if (depth > 0) {
      if (c == '[' || c == '{') {
        if (++depth > static_cast<size_t>(limits::kMaxYamlDepth)) return i;
      } else if (c == ']' || c == '}') {
        --depth;
      } else if ((c == '"' || c == '\'') &&
                 (after_space || text[i - 1] == '[' || text[i - 1] == '{' ||
                  text[i - 1] == ',' || text[i - 1] == ':')) {
        skip_quoted(c);
      }
      ++i;
      continue;
    }
    // block context
    if (c == ' ' || c == '\t') {
      ++i;
      continue;
    }
    if (node_start && (c == '[' || c == '{')) {
      depth = 1;
      ++i;
      continue;
    }
    if (node_start && (c == '"' || c == '\'')) {
      skip_quoted(c);
      ++i;
      node_start = false;
      continue;
    }
    if (node_start && (c == '|' || c == '>')) {
      // a block scalar: the lines indented more than this one
      while (i < n && text[i] != '\n') ++i;
      while (i < n) {
        size_t j = i + 1, indent = 0;
        while (j < n && text[j] == ' ') ++j, ++indent;
        if (j < n && text[j] != '\n' && indent <= line_indent) break;
        i = j;
        while (i < n && text[i] != '\n') ++i;
      }
      continue;
    }
    // `- `, `? `, `: ` and `---` start a node; anything else is inside one
    bool indicator = (c == '-' || c == '?' || c == ':') &&
                     (i + 1 == n || text[i + 1] == ' ' || text[i + 1] == '\n');
    if (c == '-' && text.substr(i, 3) == "---") {
      i += 3;
      node_start = true;
      continue;
    }
    node_start = indicator;
    ++i;
  }
  return std::string_view::npos;
}

// Walks a document's parse events before it is loaded, and stops it
// (throwing LimitReached) when it would be too big once loaded: yaml-cpp
// shares an aliased node, but everything that reads the document visits it
// once per alias, so an alias counts as all the nodes and text it repeats
// ("billion laughs" stop here, after at most kMaxYamlNodes events' worth
// of counting).
class Budget : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Leaf(mark, anchor, 0);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = sizes_.find(anchor);
    if (it == sizes_.end())
      throw LimitReached{mark, "an alias refers to a node that contains it"};
    Add(mark, it->second.nodes, it->second.bytes);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&,
                YAML::anchor_t anchor, const std::string& value) override {
    if (value.size() > limits::kMaxScalarBytes) {
      throw LimitReached{mark,
                         fmt::format("a value of {} bytes; the limit is {}",
                                     value.size(), limits::kMaxScalarBytes)};
    }
    Leaf(mark, anchor, value.size());
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&,
                       YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&,
                  YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Size {
    size_t nodes = 0, bytes = 0;
  };
  struct Container {
    YAML::anchor_t anchor;
    Size before;  // the totals when it started
  };

  void Add(const YAML::Mark& mark, size_t nodes, size_t bytes) {
    total_.nodes += nodes;
    total_.bytes += bytes;
    if (total_.nodes > limits::kMaxYamlNodes) {
      throw LimitReached{
          mark, fmt::format("the document has more than {} nodes, counting "
                            "each alias as the nodes it repeats",
                            limits::kMaxYamlNodes)};
    }
    if (total_.bytes > limits::kMaxYamlTextBytes) {
      throw LimitReached{
          mark, fmt::format("the document's values hold more than {} bytes, "
                            "counting each alias as the text it repeats",
                            limits::kMaxYamlTextBytes)};
    }
  }
  void Leaf(const YAML::Mark& mark, YAML::anchor_t anchor, size_t bytes) {
    Add(mark, 1, bytes);
    if (anchor != YAML::NullAnchor) sizes_[anchor] = Size{1, bytes};
  }
  void Open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (open_.size() >= static_cast<size_t>(limits::kMaxYamlDepth)) {
      throw LimitReached{mark, fmt::format("YAML nested deeper than {} levels",
                                           limits::kMaxYamlDepth)};
    }
    open_.push_back(Container{anchor, total_});
    Add(mark, 1, 0);
  }
  void Close() {
    if (open_.empty()) return;
    const Container& c = open_.back();
    if (c.anchor != YAML::NullAnchor) {
      sizes_[c.anchor] =
          Size{total_.nodes - c.before.nodes, total_.bytes - c.before.bytes};
    }
    open_.pop_back();
  }

  Size total_;
  std::vector<Container> open_;
  std::map<YAML::anchor_t, Size> sizes_;  // of each anchored node
};

}  // namespace

size_t YamlReader::OffsetOf(int line, int column) const {
  if (line_starts_.empty()) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < text_.size(); ++i) {
      if (text_[i] == '\n') line_starts_.push_back(i + 1);
    }
  }
  if (line < 0 || static_cast<size_t>(line) >= line_starts_.size())
    return text_.size();
  return std::min(text_.size(), line_starts_[static_cast<size_t>(line)] +
                                    static_cast<size_t>(std::max(column, 0)));
}

Mark YamlReader::MarkAt(int line, int byte_column) const {
  size_t start = OffsetOf(line, 0);
  int column = 1;
  for (size_t i = start;
       i < start + static_cast<size_t>(std::max(byte_column, 0)) &&
       i < text_.size();
       ++i) {
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
  }
  return Mark{file_, line + 1, column};
}

std::optional<YAML::Node> YamlReader::Parse() {
  auto mark_of = [&](const YAML::Mark& m) {
    if (m.is_null()) return Mark{file_, 1, 1};
    return MarkAt(m.line, m.column);
  };
  if (size_t deep = DeepFlow(text_); deep != std::string_view::npos) {
    YAML::Mark m;
    m.pos = static_cast<int>(deep);
    m.line = static_cast<int>(std::count(
        text_.begin(), text_.begin() + static_cast<long>(deep), '\n'));
    size_t line_start = text_.rfind('\n', deep);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    m.column = static_cast<int>(deep - line_start);
    sink_.Error(mark_of(m), fmt::format("YAML nested deeper than {} levels",
                                        limits::kMaxYamlDepth));
    return std::nullopt;
  }
  try {
    {
      std::istringstream in{std::string(text_)};
      YAML::Parser events(in);
      Budget budget;
      events.HandleNextDocument(budget);
    }
    return YAML::Load(std::string(text_));
  } catch (const LimitReached& e) {
    sink_.Error(mark_of(e.mark), e.message);
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    sink_.Error(mark_of(e.mark), "YAML syntax error: " + e.msg);
    return std::nullopt;
  }
}

Mark YamlReader::MarkOf(const YAML::Node& node) const {
  YAML::Mark m = node.Mark();
  if (m.is_null()) return Mark{file_, 1, 1};
  return MarkAt(m.line, m.column);
}

std::vector<Mark> YamlReader::MarksOf(const YAML::Node& node) const {
  const std::string& decoded = node.Scalar();
  Mark at = MarkOf(node);
  std::vector<Mark> marks(decoded.size() + 1, at);
  YAML::Mark raw = node.Mark();
  if (raw.is_null()) return marks;
  size_t pos = OffsetOf(raw.line, raw.column);
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
