// Rendering a Trace as JSON.
#include <fmt/format.h>

#include <array>
#include <charconv>

#include "eligo/decision.h"
#include "explain/json.h"

namespace eligo {
namespace {

void AppendList(std::string& out, const auto& items, auto append_item) {
  out += '[';
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += ',';
    first = false;
    append_item(out, item);
  }
  out += ']';
}

void AppendCondition(std::string& out, const TraceCondition& c) {
  out += "{\"expr\":";
  AppendJsonString(out, c.expr);
  out += ",\"clause\":";
  AppendJsonString(out, c.clause);
  out += ",\"result\":";
  AppendJsonString(out, ToString(c.result));
  out += ",\"reads\":";
  AppendList(out, c.reads, [](std::string& o, const TraceRead& r) {
    o += "{\"name\":";
    AppendJsonString(o, r.name);
    char year[12];  // to_chars: fmt::format would allocate a string per read
    o += ",\"year\":";
    o.append(year, std::to_chars(year, year + sizeof year, r.year).ptr);
    o += ",\"value\":";
    AppendJsonString(o, r.value);
    o += '}';
  });
  out += '}';
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  // Runs of characters that need no escape go in one append: clause texts
  // are long, and a trace holds many.
  static constexpr auto kEscape = [] {
    std::array<bool, 256> escape{};
    for (int c = 0; c < 0x20; ++c) escape[c] = true;
    escape['"'] = escape['\\'] = true;
    return escape;
  }();
  out += '"';
  size_t run = 0;  // start of the characters not yet appended
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!kEscape[c]) continue;
    out.append(s.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += fmt::format("\\u{:04x}", c);
    }
  }
  out.append(s.substr(run));
  out += '"';
}

std::string TraceToJson(const Trace& trace) {
  std::string out = "{\"applies\":";
  AppendList(out, trace.applies, AppendCondition);
  out += ",\"tiers\":";
  AppendList(out, trace.tiers, [](std::string& o, const TraceTier& t) {
    o += "{\"id\":";
    AppendJsonString(o, t.id);
    o += ",\"result\":";
    AppendJsonString(o, t.evaluated ? ToString(t.result) : "not evaluated");
    o += ",\"note\":";
    AppendJsonString(o, t.note);
    o += ",\"conditions\":";
    AppendList(o, t.conditions, AppendCondition);
    o += '}';
  });
  out += ",\"history\":";
  AppendList(out, trace.history, [](std::string& o, const std::string& h) {
    AppendJsonString(o, h);
  });
  out += ",\"notes\":";
  AppendList(out, trace.notes, AppendCondition);
  out += '}';
  return out;
}

}  // namespace eligo
