// Panel: the input of an evaluation, one entity's rows, one row per year.
#ifndef ELIGO_PANEL_H_
#define ELIGO_PANEL_H_

#include <string>
#include <string_view>
#include <vector>

#include "eligo/decimal.h"
#include "eligo/rule_set.h"
#include "eligo/status.h"

namespace eligo {

// One input value. Money is held in yuan whatever unit it was given in.
struct Cell {
  enum class State : unsigned char {
    kMissing,  // empty, meaning unknown
    kNone,     // empty, meaning known to be absent
    kValue,
    kUnreadable,  // could not be read, so unknown; `text` says where and why
  };
  State state = State::kMissing;
  bool boolean = false;  // kBoolean fields
  Decimal number;        // money, ratio, integer and year fields
  std::string text;      // text and credit-code fields; kUnreadable: the cause

  static Cell Missing() { return Cell{}; }
  static Cell Number(const Decimal& d) {
    return Cell{State::kValue, false, d, {}};
  }
  static Cell Boolean(bool b) { return Cell{State::kValue, b, {}, {}}; }
  static Cell Text(std::string s) {
    return Cell{State::kValue, false, {}, std::move(s)};
  }
  // A cell that could not be read; `cause` is shown with every decision
  // that needs it, e.g. `"abc" at enterprises.csv:8 could not be read`.
  static Cell Unreadable(std::string cause) {
    return Cell{State::kUnreadable, false, {}, std::move(cause)};
  }
};

// Reads a cell as written in a spreadsheet into a value of `field`'s type:
// booleans as true/false, 1/0, yes/no, Y/N, 是/否; numbers as decimals with
// optional thousands separators; money multiplied exactly by `unit_scale`
// (yuan per unit of the column). An empty text gives what the field declares
// for empty. Fails with a message naming the problem (bad number, negative
// money below min, invalid credit code...). A credit code whose check
// character is wrong is accepted, with a message in `*warning`.
Result<Cell> ParseCell(const FieldSchema& field, std::string_view text,
                       const Decimal& unit_scale, std::string* warning);

// Checks an 18-character unified social credit code (GB 32100-2015): "" if
// valid, else why not. `check_char_only` is set when only the check
// character is wrong (a warning, not a rejection).
std::string CheckCreditCode(std::string_view code, bool* check_char_only);

struct Row {
  int year = 0;
  std::vector<Cell> cells;  // indexed like EntitySchema::fields
};

// All rows of one entity. Rows may be added in any year order; two rows for
// one year make that year unreadable (decisions needing it are undetermined).
class Panel {
 public:
  // An empty panel for an entity of `schema`; `id` is its key value.
  Panel(const EntitySchema& schema, std::string id);

  // Adds a row for `year` with every cell empty (as the schema says empty
  // means) and returns it; set cells with Set().
  Row& AddRow(int year);
  // Sets field `name` of `row` from spreadsheet text (see ParseCell).
  Status Set(Row& row, std::string_view name, std::string_view text);

  // Typed setters, for programs that hold values rather than spreadsheet
  // text. `name` is a field's name or alias. Each fails, leaving the cell as
  // it was, when the schema has no such field, when the field is of another
  // type, or when the value breaks the field's constraints; the message
  // says which. (Set() with "" empties a cell whatever its type.)
  //
  // Sets a money, ratio, integer or year field. `value` is in the field's
  // input unit, as with Set(): money is multiplied by the field's
  // unit_scale (1 unless the rule file gives a unit such as 万元). Integer
  // and year fields need a whole number, a year lies in 1900..2200, money
  // is not negative, and min and max hold. Exact decimals come from text
  // through Decimal::Parse.
  Status SetNumber(Row& row, std::string_view name, const Decimal& value);
  // Sets a boolean field.
  Status SetBoolean(Row& row, std::string_view name, bool value);
  // Sets a text or credit-code field to `value` as given (not trimmed). A
  // credit code must be a valid unified social credit code, except that a
  // wrong check character is accepted, as with Set().
  Status SetText(Row& row, std::string_view name, std::string_view value);
  // Marks `year` as having conflicting rows: its values read as missing.
  void MarkConflict(int year) { conflict_years_.push_back(year); }
  // Records a row of this entity whose year could not be read, and why:
  // every decision of the entity notes it, and one that an earlier award
  // could change is undetermined.
  void AddUnplacedRow(std::string cause) {
    unplaced_rows_.push_back(std::move(cause));
  }

  const EntitySchema& schema() const { return *schema_; }
  const std::string& id() const { return id_; }
  const std::vector<Row>& rows() const { return rows_; }
  std::vector<Row>& mutable_rows() { return rows_; }
  const std::vector<int>& conflict_years() const { return conflict_years_; }
  const std::vector<std::string>& unplaced_rows() const {
    return unplaced_rows_;
  }

 private:
  const EntitySchema* schema_;
  std::string id_;
  std::vector<Row> rows_;
  std::vector<int> conflict_years_;
  std::vector<std::string> unplaced_rows_;
};

}  // namespace eligo

#endif  // ELIGO_PANEL_H_
