// What the CSV reader needs of cell reading beyond the public ParseCell.
#ifndef ELIGO_SRC_PANEL_CELL_H_
#define ELIGO_SRC_PANEL_CELL_H_

#include <string>
#include <string_view>

#include "eligo/panel.h"
#include "eligo/rule_set.h"

namespace eligo {

// ParseCell into `out` (all of it rewritten; left unspecified on failure),
// reusing its text's storage: the reader fills each row's cells in place.
Status ParseCellInto(const FieldSchema& field, std::string_view raw,
                     const Decimal& unit_scale, std::string* warning,
                     Cell& out);

// The text ParseCell gives a text or credit-code `field` read from `raw`,
// without checking it: the reader groups rows by their key with it.
std::string_view KeyText(const FieldSchema& field, std::string_view raw);

}  // namespace eligo

#endif  // ELIGO_SRC_PANEL_CELL_H_
