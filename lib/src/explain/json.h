// Minimal JSON text building: enough for traces and decision records.
#ifndef ELIGO_SRC_EXPLAIN_JSON_H_
#define ELIGO_SRC_EXPLAIN_JSON_H_

#include <string>
#include <string_view>

namespace eligo {

// Appends `s` as a JSON string literal (quoted, escaped) to `out`.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace eligo

#endif  // ELIGO_SRC_EXPLAIN_JSON_H_
