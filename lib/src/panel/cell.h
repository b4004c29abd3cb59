// What the CSV reader needs of cell reading beyond the public ParseCell.
#ifndef ELIGO_SRC_PANEL_CELL_H_
#define ELIGO_SRC_PANEL_CELL_H_

#include <string_view>

#include "eligo/rule_set.h"

namespace eligo {

// The text ParseCell gives a text or credit-code `field` read from `raw`,
// without checking it: the reader groups rows by their key with it.
std::string_view KeyText(const FieldSchema& field, std::string_view raw);

}  // namespace eligo

#endif  // ELIGO_SRC_PANEL_CELL_H_
