// Fuzz target: the expression parser (ParseExpression, ParseQuantity); an
// expression that parses is then embedded as a derived value in a small
// rule set with fields and parameters of every type, which is checked and
// evaluated, so the checker and the evaluator see every expression shape.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostic_sink.h"
#include "fuzz_util.h"
#include "load/expr_parser.h"
#include "program.h"

namespace {

constexpr std::string_view kHead = R"(eligo: 1
ruleset: {id: fuzz}
entities:
  e:
    key: id
    period: year
    fields:
      id: {type: text}
      year: {type: year}
      m: {type: money, min: 0}
      m2: {type: money, unit: 万元}
      r: {type: ratio}
      n: {type: integer}
      b: {type: boolean}
      t: {type: text}
      y: {type: year, empty: none}
parameters:
  p: {type: money, value: 5万元}
  q: {type: ratio, by_year: {2016..2017: 5%, 2018: 6%}}
  k: {type: year, value: 2017}
  rt: {type: ratio, runtime: true}
derived:
  d: {entity: e, expr: m * 2}
  g: {entity: e, expr: (m - m@(year - 1)) / m@(year - 1)}
  x: {entity: e, expr: ")";
constexpr std::string_view kTail = R"("}
rules:
  - id: r1
    title: t
    citation: c
    entity: e
    years: 2016..2020
    when:
      - {expr: present(x), clause: x}
    award: {kind: money, amount: 1万元, payer: 市财政}
)";

// `text` as the inside of a YAML double-quoted scalar.
std::string Quote(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7F) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  bool is_money = false;
  std::string error;
  (void)eligo::ParseQuantity(text, &is_money, &error);

  eligo::Program program;
  eligo::DiagnosticSink sink;
  int file = sink.AddFile("expr", std::string(text));
  std::vector<eligo::Mark> marks(text.size() + 1);
  for (size_t i = 0; i < marks.size(); ++i)
    marks[i] = eligo::Mark{file, 1, static_cast<int>(i) + 1};
  int root = eligo::ParseExpression(text, marks, program, sink);
  if ((root == eligo::kNoNode) != sink.has_errors())
    eligo_fuzz::Die("a parse failed without an error, or the reverse");
  if (root == eligo::kNoNode) return 0;
  for (const eligo::Node& n : program.nodes) {
    for (int child : {n.a, n.b, n.c}) {
      if (child != eligo::kNoNode &&
          (child < 0 || child >= static_cast<int>(program.nodes.size())))
        eligo_fuzz::Die("a node refers to no node");
    }
  }

  std::string yaml(kHead);
  yaml += Quote(text);
  yaml += kTail;
  eligo::LoadResult loaded = eligo::LoadRuleSetFromString(yaml, "fuzz.yaml");
  for (const eligo::Diagnostic& d : loaded.diagnostics)
    (void)eligo::FormatDiagnostic(d);
  if (!loaded.ok()) return 0;
  eligo::ParamValues params;
  params.Set("rt", 2017, eligo::Decimal::FromInt(1));
  eligo_fuzz::EvaluateSample(loaded.rule_set, params);
  return 0;
}
