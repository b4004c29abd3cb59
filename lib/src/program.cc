// Lookups and names shared by every stage.
#include "program.h"

namespace eligo {

const char* TypeName(Type t) {
  switch (t) {
    case Type::kBool:
      return "condition";
    case Type::kMoney:
      return "money";
    case Type::kNumber:
      return "number";
    case Type::kYear:
      return "year";
    case Type::kText:
      return "text";
    case Type::kError:
      break;
  }
  return "invalid";
}

Type FieldValueType(FieldType t) {
  switch (t) {
    case FieldType::kBoolean:
      return Type::kBool;
    case FieldType::kMoney:
      return Type::kMoney;
    case FieldType::kInteger:
    case FieldType::kRatio:
      return Type::kNumber;
    case FieldType::kYear:
      return Type::kYear;
    case FieldType::kText:
    case FieldType::kCreditCode:
      return Type::kText;
  }
  return Type::kError;
}

int Program::FindParam(std::string_view name) const {
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int Program::FindDerived(std::string_view name) const {
  for (size_t i = 0; i < derived.size(); ++i) {
    if (derived[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int Program::FindEntity(std::string_view kind) const {
  for (size_t i = 0; i < entities.size(); ++i) {
    if (entities[i].kind == kind) return static_cast<int>(i);
  }
  return -1;
}

int EntitySchema::FindField(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    for (const std::string& alias : fields[i].aliases) {
      if (alias == name) return static_cast<int>(i);
    }
  }
  return -1;
}

const char* ToString(Truth t) {
  switch (t) {
    case Truth::kTrue:
      return "true";
    case Truth::kFalse:
      return "false";
    case Truth::kUnknown:
      break;
  }
  return "unknown";
}

const char* ToString(Outcome o) {
  switch (o) {
    case Outcome::kEligible:
      return "eligible";
    case Outcome::kIneligible:
      return "ineligible";
    case Outcome::kUndetermined:
      break;
  }
  return "undetermined";
}

const char* ToString(AwardKind k) {
  switch (k) {
    case AwardKind::kMoney:
      return "money";
    case AwardKind::kCommendation:
      return "commendation";
    case AwardKind::kReferral:
      return "referral";
    case AwardKind::kDesignation:
      return "designation";
    case AwardKind::kNone:
      break;
  }
  return "";
}

}  // namespace eligo
