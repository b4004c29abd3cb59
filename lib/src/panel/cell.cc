// Reading spreadsheet cells into typed values, and the Panel that holds
// them. Shared by the CSV reader and by programs that build panels in code.
#include "panel/cell.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>

#include "eligo/panel.h"
#include "panel/cell_text.h"

namespace eligo {
namespace {

constexpr std::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
// The value of each byte in that alphabet, or -1: a table, as every row's
// code is checked.
constexpr std::array<int, 256> kCreditValue = [] {
  std::array<int, 256> value{};
  value.fill(-1);
  for (size_t i = 0; i < kCreditAlphabet.size(); ++i)
    value[static_cast<unsigned char>(kCreditAlphabet[i])] = static_cast<int>(i);
  return value;
}();
constexpr int kCreditWeights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                    29, 25, 13, 8,  24, 10, 30, 28};

// ASCII letters only: the words compared with are ASCII, and tolower()
// would consult the locale for every byte.
bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(),
                    [&](char x, char y) { return lower(x) == lower(y); });
}

// "9.14E+17" or "9.14e17": what a spreadsheet makes of a long digit string.
bool LooksLikeExponent(std::string_view s) {
  // A plain loop: find_first_of("eE") searches its set once per byte.
  size_t e = 0;
  while (e < s.size() && s[e] != 'e' && s[e] != 'E') ++e;
  if (e == 0 || e + 1 >= s.size()) return false;
  auto digits = [](std::string_view t, bool allow_dot) {
    if (t.empty()) return false;
    for (char c : t) {
      if (!(std::isdigit(static_cast<unsigned char>(c)) ||
            (allow_dot && c == '.')))
        return false;
    }
    return true;
  };
  std::string_view exponent = s.substr(e + 1);
  if (exponent[0] == '+' || exponent[0] == '-') exponent.remove_prefix(1);
  return digits(s.substr(0, e), true) && digits(exponent, false);
}

// The constraints a number of `field` must meet (in yuan, for money):
// money is not negative, integers and years are whole, years lie in
// 1900..2200, and `min` and `max` hold. `shown` is the value as given, for
// the message. One home for them: cells and the typed setters both check
// here.
Status CheckNumber(const FieldSchema& field, std::string_view shown,
                   const Decimal& number) {
  if (field.type == FieldType::kMoney && number.sign() < 0)
    return Status::Error(
        fmt::format("negative money `{}` in `{}`", shown, field.name));
  if ((field.type == FieldType::kInteger || field.type == FieldType::kYear) &&
      !number.is_integer())
    return Status::Error(
        fmt::format("`{}` of `{}` is not a whole number", shown, field.name));
  if (field.type == FieldType::kYear) {
    std::optional<int64_t> y = number.ToInt64();
    if (!y || *y < 1900 || *y > 2200)
      return Status::Error(
          fmt::format("`{}` of `{}` is not a year", shown, field.name));
  }
  if (field.min && number < *field.min) {
    return Status::Error(fmt::format("`{}` of `{}` is below its minimum {}",
                                     shown, field.name, field.min->ToString()));
  }
  if (field.max && number > *field.max) {
    return Status::Error(fmt::format("`{}` of `{}` is above its maximum {}",
                                     shown, field.name, field.max->ToString()));
  }
  return Status::Ok();
}

// Sets `out` to `number` once it meets the field's constraints.
Status SetChecked(const FieldSchema& field, std::string_view shown,
                  const Decimal& number, Cell& out) {
  if (Status s = CheckNumber(field, shown, number); !s.ok()) return s;
  out.number = number;
  out.state = Cell::State::kValue;
  return Status::Ok();
}

// A year or a date where a year is wanted: 2017, 2017年, 2017-06-30,
// 2017/6/30, 2017年6月30日, with full-width digits too.
Status ParseYear(const FieldSchema& field, std::string_view text, Cell& out) {
  if (Result<Decimal> plain = Decimal::Parse(text); plain.ok())
    return SetChecked(field, text, *plain, out);
  thread_local std::string narrowed;
  std::string_view t = NarrowDigits(text, narrowed) ? narrowed : text;
  std::string error;
  std::optional<CivilDate> date = ParseDate(t, &error, text);
  if (!date) return Status::Error(error);
  return SetChecked(field, text, Decimal::FromInt(date->year), out);
}

// A number as typed: plain ASCII first (most cells), else with full-width
// digits and signs, and for money a unit of its own (1,234.5万, 1.2亿元,
// ¥800), which replaces the column's.
Status ParseNumber(const FieldSchema& field, std::string_view text,
                   const Decimal& unit_scale, Cell& out) {
  Decimal scale = unit_scale;
  std::string_view t = text;
  Result<Decimal> value = Decimal::Parse(t);
  if (!value.ok()) {
    thread_local std::string narrowed;
    if (NarrowDigits(t, narrowed)) t = narrowed;
    int64_t yuan = 1;
    if (field.type == FieldType::kMoney) {
      if (std::optional<std::string_view> number = SplitMoneyUnit(t, &yuan)) {
        t = *number;
        scale = Decimal::FromInt(yuan);
      }
    }
    if (t != text) value = Decimal::Parse(t);
  }
  if (field.type == FieldType::kMoney && t.ends_with("%")) {
    return Status::Error(fmt::format("`{}` is a percentage, but `{}` is money",
                                     text, field.name));
  }
  if (!value.ok()) {
    if (LooksLikeExponent(t)) {
      return Status::Error(fmt::format(
          "`{}` is in exponent form; write the number in full", text));
    }
    return value.status();
  }
  if (field.type != FieldType::kMoney || scale == Decimal::FromInt(1))
    return SetChecked(field, text, *value, out);
  std::optional<Decimal> scaled = Decimal::Mul(*value, scale);
  if (!scaled) return Status::Error(fmt::format("`{}` is out of range", text));
  return SetChecked(field, text, *scaled, out);
}

}  // namespace

std::string CheckCreditCode(std::string_view code, bool* check_char_only) {
  *check_char_only = false;
  int sum = 0;
  size_t bad = 0;  // the first character outside the alphabet; 18 if none
  if (code.size() == 18) {
    for (; bad < 18; ++bad) {
      int v = kCreditValue[static_cast<unsigned char>(code[bad])];
      if (v < 0) break;
      if (bad < 17) sum += v * kCreditWeights[bad];
    }
  }
  if (code.size() != 18 || bad != 18) {
    // 18 characters of the alphabet are a code even when they read as an
    // exponent ("914111000000E10031"); a spreadsheet's exponent form has a
    // point or a sign, or is shorter.
    if (LooksLikeExponent(code)) {
      return fmt::format(
          "credit code `{}` is in exponent form: a spreadsheet turned it into "
          "a number; format the column as text and export again",
          code);
    }
    if (code.size() != 18) {
      return fmt::format(
          "credit code `{}` has {} characters; a unified social credit code "
          "has 18",
          code, code.size());
    }
    return fmt::format(
        "credit code `{}` has `{}` at position {}, which is not in its "
        "alphabet (digits and capitals except I, O, S, V, Z)",
        code, code[bad], bad + 1);
  }
  char expected = kCreditAlphabet[static_cast<size_t>((31 - sum % 31) % 31)];
  if (code[17] != expected) {
    *check_char_only = true;
    return fmt::format(
        "credit code `{}` has check character `{}`, expected `{}`", code,
        code[17], expected);
  }
  return "";
}

std::string_view KeyText(const FieldSchema& field, std::string_view raw) {
  std::string_view text = TrimCell(raw);
  // A mark for "no figure" or a totals label is no key (the row is
  // rejected or skipped when read), and must not look out of order.
  if (!text.empty() && (IsEmptyMark(text) || IsTotalsLabel(text))) text = {};
  if (text.empty() && field.empty == EmptyMeaning::kDefault)
    return TrimCell(field.default_text);
  return text;
}

Status ParseCellInto(const FieldSchema& field, std::string_view raw,
                     const Decimal& unit_scale, std::string* warning,
                     Cell& out) {
  std::string_view text = TrimCell(raw);
  out.state = Cell::State::kMissing;
  out.boolean = false;
  out.number = Decimal();
  out.text.clear();
  if (text.empty() || IsEmptyMark(text)) {
    switch (field.empty) {
      case EmptyMeaning::kMissing:
        return Status::Ok();
      case EmptyMeaning::kNone:
        out.state = Cell::State::kNone;
        return Status::Ok();
      case EmptyMeaning::kDefault:
        if (TrimCell(field.default_text).empty())
          return Status::Error("empty default");
        return ParseCellInto(field, field.default_text, field.unit_scale,
                             warning, out);
    }
  }
  switch (field.type) {
    case FieldType::kText:
      out.state = Cell::State::kValue;
      out.text.assign(text);
      return Status::Ok();
    case FieldType::kCreditCode: {
      bool check_only = false;
      std::string problem = CheckCreditCode(text, &check_only);
      if (!problem.empty() && !check_only) return Status::Error(problem);
      if (check_only && warning != nullptr) *warning = problem;
      out.state = Cell::State::kValue;
      out.text.assign(text);
      return Status::Ok();
    }
    case FieldType::kBoolean: {
      // √ ✓ ✔ and × ✗ ✘: the ticks and crosses of paper forms.
      static constexpr std::string_view kTrue[] = {
          "true", "1", "yes", "y", "是", "\u221A", "\u2713", "\u2714"};
      static constexpr std::string_view kFalse[] = {
          "false", "0", "no", "n", "否", "\u00D7", "\u2717", "\u2718"};
      out.state = Cell::State::kValue;
      // Sizes first: most words are ruled out without a call.
      for (std::string_view t : kTrue) {
        if (t.size() == text.size() && EqualsIgnoreCase(text, t)) {
          out.boolean = true;
          return Status::Ok();
        }
      }
      for (std::string_view f : kFalse) {
        if (f.size() == text.size() && EqualsIgnoreCase(text, f))
          return Status::Ok();
      }
      return Status::Error(fmt::format(
          "`{}` is not a yes/no value (true/false, 1/0, yes/no, Y/N, 是/否, "
          "√/×)",
          text));
    }
    case FieldType::kYear:
      return ParseYear(field, text, out);
    case FieldType::kInteger:
    case FieldType::kMoney:
    case FieldType::kRatio:
      return ParseNumber(field, text, unit_scale, out);
  }
  return Status::Error("unknown field type");
}

Result<Cell> ParseCell(const FieldSchema& field, std::string_view raw,
                       const Decimal& unit_scale, std::string* warning) {
  Cell cell;
  if (Status s = ParseCellInto(field, raw, unit_scale, warning, cell); !s.ok())
    return s;
  return cell;
}

Panel::Panel(const EntitySchema& schema, std::string id)
    : schema_(&schema), id_(std::move(id)) {}

Row& Panel::AddRow(int year) {
  Row row;
  row.year = year;
  row.cells.reserve(schema_->fields.size());
  for (const FieldSchema& field : schema_->fields) {
    Result<Cell> empty = ParseCell(field, "", Decimal::FromInt(1), nullptr);
    row.cells.push_back(empty.ok() ? *empty : Cell::Missing());
  }
  int period = schema_->FindField(schema_->period);
  if (period >= 0)
    row.cells[static_cast<size_t>(period)] =
        Cell::Number(Decimal::FromInt(year));
  rows_.push_back(std::move(row));
  return rows_.back();
}

Status Panel::Set(Row& row, std::string_view name, std::string_view text) {
  int index = schema_->FindField(name);
  if (index < 0)
    return Status::Error(
        fmt::format("`{}` has no field `{}`", schema_->kind, name));
  const FieldSchema& field = schema_->fields[static_cast<size_t>(index)];
  Result<Cell> cell = ParseCell(field, text, field.unit_scale, nullptr);
  if (!cell.ok()) return cell.status();
  row.cells[static_cast<size_t>(index)] = std::move(cell).value();
  return Status::Ok();
}

// Typed setters.

namespace {

const char* TypeName(FieldType type) {
  switch (type) {
    case FieldType::kText:
      return "text";
    case FieldType::kBoolean:
      return "boolean";
    case FieldType::kInteger:
      return "integer";
    case FieldType::kYear:
      return "year";
    case FieldType::kMoney:
      return "money";
    case FieldType::kRatio:
      return "ratio";
    case FieldType::kCreditCode:
      return "credit_code";
  }
  return "unknown";
}

// The index of field `name` in `schema`, if `row` has a cell for it and the
// field is of one of `types`; else why not.
Result<size_t> TypedField(const EntitySchema& schema, const Row& row,
                          std::string_view name,
                          std::initializer_list<FieldType> types,
                          std::string_view setter) {
  int index = schema.FindField(name);
  if (index < 0)
    return Status::Error(
        fmt::format("`{}` has no field `{}`", schema.kind, name));
  size_t i = static_cast<size_t>(index);
  if (i >= row.cells.size())
    return Status::Error(fmt::format(
        "the row has no cell for `{}`; make rows with AddRow()", name));
  FieldType type = schema.fields[i].type;
  for (FieldType t : types) {
    if (t == type) return i;
  }
  return Status::Error(fmt::format("`{}` is a {} field; {} cannot set it",
                                   schema.fields[i].name, TypeName(type),
                                   setter));
}

}  // namespace

Status Panel::SetNumber(Row& row, std::string_view name, const Decimal& value) {
  Result<size_t> index = TypedField(*schema_, row, name,
                                    {FieldType::kMoney, FieldType::kRatio,
                                     FieldType::kInteger, FieldType::kYear},
                                    "SetNumber");
  if (!index.ok()) return index.status();
  const FieldSchema& field = schema_->fields[*index];
  Decimal number = value;
  if (field.type == FieldType::kMoney) {
    std::optional<Decimal> scaled = Decimal::Mul(value, field.unit_scale);
    if (!scaled)
      return Status::Error(fmt::format("`{}` is out of range for `{}`",
                                       value.ToString(), field.name));
    number = *scaled;
  }
  if (Status s = CheckNumber(field, value.ToString(), number); !s.ok())
    return s;
  row.cells[*index] = Cell::Number(number);
  return Status::Ok();
}

Status Panel::SetBoolean(Row& row, std::string_view name, bool value) {
  Result<size_t> index =
      TypedField(*schema_, row, name, {FieldType::kBoolean}, "SetBoolean");
  if (!index.ok()) return index.status();
  row.cells[*index] = Cell::Boolean(value);
  return Status::Ok();
}

Status Panel::SetText(Row& row, std::string_view name, std::string_view value) {
  Result<size_t> index =
      TypedField(*schema_, row, name,
                 {FieldType::kText, FieldType::kCreditCode}, "SetText");
  if (!index.ok()) return index.status();
  if (schema_->fields[*index].type == FieldType::kCreditCode) {
    bool check_only = false;
    std::string problem = CheckCreditCode(value, &check_only);
    if (!problem.empty() && !check_only) return Status::Error(problem);
  }
  row.cells[*index] = Cell::Text(std::string(value));
  return Status::Ok();
}

}  // namespace eligo
