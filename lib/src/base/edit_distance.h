// How far apart two names are, to suggest the one a slip meant.
#ifndef ELIGO_SRC_BASE_EDIT_DISTANCE_H_
#define ELIGO_SRC_BASE_EDIT_DISTANCE_H_

#include <cstddef>
#include <string_view>

namespace eligo {

// Levenshtein distance between UTF-8 texts, counted in characters (so
// `年销售收入` and `年销售额` are 2 apart, not 6). Bytes that are not valid
// UTF-8 count one each.
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace eligo

#endif  // ELIGO_SRC_BASE_EDIT_DISTANCE_H_
