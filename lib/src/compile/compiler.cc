// The compiler. This file's external interface is Compile.
#include "compile/compiler.h"

#include "check/analysis.h"

namespace eligo {
namespace {

std::string IsFalse(std::string_view what, const Condition& c) {
  return std::string(what).append(": `").append(c.source).append("` is false");
}

}  // namespace

std::unique_ptr<const Program> Compile(Program program) {
  program.rule_infos.clear();
  for (Rule& rule : program.rules) {
    rule.key_marks.clear();
    program.rule_infos.push_back(rule.info);
    for (Tier& tier : rule.tiers) {
      for (Condition& c : tier.when) c.note_if_false = IsFalse("not reached", c);
    }
  }
  for (size_t kind = 0; kind < program.entities.size(); ++kind) {
    for (int f : FieldsReadBy(program, static_cast<int>(kind)))
      program.entities[kind].fields[static_cast<size_t>(f)].read_by_rules =
          true;
  }
  for (Node& n : program.nodes) n.args.clear();
  return std::make_unique<const Program>(std::move(program));
}

}  // namespace eligo
