// Static analysis of a checked Program: what a rule author should know
// before a single yuan is paid, each finding a warning with its place and,
// where one exists, a concrete counterexample.
#ifndef ELIGO_SRC_CHECK_ANALYSIS_H_
#define ELIGO_SRC_CHECK_ANALYSIS_H_

#include <optional>
#include <set>
#include <utility>

#include "diagnostic_sink.h"
#include "program.h"

namespace eligo {

// Reports as warnings: overlapping tiers of a `unique` table, gaps in a
// table marked `complete`, tiers a first-match table never reaches,
// conditions always true or always false under the fields' constraints,
// and parameters, fields and derived values that nothing uses. Requires a
// Program the checker passed without errors.
void Analyze(const Program& program, DiagnosticSink& sink);

// The years a rule covers when its `years` are constants: {from, to}.
std::optional<std::pair<int, int>> ConstantYears(const Program& program,
                                                 const Rule& rule);

// The fields of entity kind `kind` its rules read, directly or through
// derived values.
std::set<int> FieldsReadBy(const Program& program, int kind);

// The parameters a rule reads, directly or through derived values.
std::set<int> ParamsUsedBy(const Program& program, const Rule& rule);

}  // namespace eligo

#endif  // ELIGO_SRC_CHECK_ANALYSIS_H_
