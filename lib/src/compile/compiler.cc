// The compiler. This file's external interface is Compile.
#include "compile/compiler.h"

namespace eligo {

std::unique_ptr<const Program> Compile(Program program) {
  program.rule_infos.clear();
  for (Rule& rule : program.rules) {
    rule.key_marks.clear();
    program.rule_infos.push_back(rule.info);
  }
  for (Node& n : program.nodes) n.args.clear();
  return std::make_unique<const Program>(std::move(program));
}

}  // namespace eligo
