// The checker: resolves every name of a loaded Program and types every
// expression, reporting all mistakes with their place.
#ifndef ELIGO_SRC_CHECK_CHECKER_H_
#define ELIGO_SRC_CHECK_CHECKER_H_

#include "diagnostic_sink.h"
#include "program.h"

namespace eligo {

// Resolves names to fields, parameters and derived values, infers and
// checks types, and checks the structure of rules, tiers and awards. When
// `sink` has no errors afterwards, every expression of `program` evaluates
// without a type error.
void Check(Program& program, DiagnosticSink& sink);

}  // namespace eligo

#endif  // ELIGO_SRC_CHECK_CHECKER_H_
