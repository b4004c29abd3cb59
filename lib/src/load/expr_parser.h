// The expression language's parser: text -> nodes of a Program.
#ifndef ELIGO_SRC_LOAD_EXPR_PARSER_H_
#define ELIGO_SRC_LOAD_EXPR_PARSER_H_

#include <optional>
#include <span>
#include <string_view>

#include "diagnostic_sink.h"
#include "program.h"

namespace eligo {

// Parses `text`, appending its nodes to `program`. `marks` gives the place
// in the file of each byte of `text` (and one past its end). Returns the
// root node, or kNoNode after reporting the syntax error to `sink`.
int ParseExpression(std::string_view text, std::span<const Mark> marks,
                    Program& program, DiagnosticSink& sink);

// A number with an optional unit, as in expressions and params files:
// "8.5%", "0.092", "10万元", "1亿元", "2000000元". `is_money` tells whether
// a money unit was written. Returns nullopt with `*error` set on failure.
std::optional<Decimal> ParseQuantity(std::string_view text, bool* is_money,
                                     std::string* error);

}  // namespace eligo

#endif  // ELIGO_SRC_LOAD_EXPR_PARSER_H_
