// The compiler: a checked Program -> the immutable form a RuleSet holds.
#ifndef ELIGO_SRC_COMPILE_COMPILER_H_
#define ELIGO_SRC_COMPILE_COMPILER_H_

#include <memory>

#include "program.h"

namespace eligo {

// Requires a Program the checker passed without errors. Fills the public
// summaries (RuleInfo) and strips what only the loader needed.
std::unique_ptr<const Program> Compile(Program program);

}  // namespace eligo

#endif  // ELIGO_SRC_COMPILE_COMPILER_H_
