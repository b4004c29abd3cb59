// The expression parser. This file's external interface is ParseExpression
// and ParseQuantity; the grammar is in rules/README.md ("Expressions").
//
//   expr    := 'if' expr 'then' expr 'else' expr | or
//   or      := and ('or' and)*
//   and     := not ('and' not)*
//   not     := 'not' not | compare
//   compare := sum (('=='|'!='|'<'|'<='|'>'|'>=') sum)?
//   sum     := product (('+'|'-') product)*
//   product := unary (('*'|'/') unary)*
//   unary   := '-' unary | postfix
//   postfix := primary ('@' primary)*
//   primary := quantity | string | 'true' | 'false' | name | call | '(' expr
//   ')'
#include "load/expr_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "load/limits.h"

namespace eligo {
namespace {

// Nesting limit, so no input can overflow the stack.
constexpr int kMaxDepth = limits::kMaxNesting;

struct Token {
  enum Kind { kEnd, kNumber, kString, kName, kSymbol } kind = kEnd;
  std::string text;  // symbol, name, string contents or the number as written
  size_t begin = 0, end = 0;
};

bool IsNameStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool IsNameChar(char c) {
  return IsNameStart(c) || std::isdigit(static_cast<unsigned char>(c));
}

// Money units a quantity may carry, in yuan.
struct Unit {
  std::string_view word;
  int64_t yuan;
};
constexpr Unit kUnits[] = {
    {"亿元", 100000000}, {"万元", 10000}, {"元", 1}, {"yuan", 1}};

class Parser {
 public:
  Parser(std::string_view text, std::span<const Mark> marks, Program& program,
         DiagnosticSink& sink)
      : text_(text),
        marks_(marks),
        program_(program),
        sink_(sink),
        first_node_(program.nodes.size()) {}

  int Parse() {
    if (!Next()) return kNoNode;
    int root = ParseExpr(0);
    if (root != kNoNode && token_.kind != Token::kEnd) {
      Fail(token_.begin,
           fmt::format("unexpected `{}` after the end of the expression",
                       token_.text));
      return kNoNode;
    }
    return failed_ ? kNoNode : root;
  }

 private:
  // --- Lexer -------------------------------------------------------------
  bool Next() {
    while (pos_ < text_.size() &&
           std::isspace(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
    token_ = Token{};
    token_.begin = pos_;
    if (pos_ >= text_.size()) {
      token_.end = pos_;
      return true;
    }
    char c = text_[pos_];
    if (std::isdigit(static_cast<unsigned char>(c))) return LexNumber();
    if (IsNameStart(c)) {
      while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
      token_.kind = Token::kName;
    } else if (c == '"' || c == '\'') {
      return LexString(c);
    } else {
      static constexpr std::string_view kTwo[] = {"..", "==", "!=", "<=", ">="};
      token_.kind = Token::kSymbol;
      size_t len = 0;
      for (std::string_view two : kTwo) {
        if (text_.substr(pos_, 2) == two) len = 2;
      }
      if (len == 0 &&
          std::string_view("+-*/(),@<>").find(c) != std::string_view::npos)
        len = 1;
      if (len == 0) {
        if (c == '=')
          return Fail(pos_, "`=` is not an operator; write `==` to compare");
        size_t n = 1;
        while (pos_ + n < text_.size() &&
               (static_cast<unsigned char>(text_[pos_ + n]) & 0xC0) == 0x80)
          ++n;
        return Fail(pos_, fmt::format("unexpected character `{}`",
                                      text_.substr(pos_, n)));
      }
      pos_ += len;
    }
    token_.end = pos_;
    token_.text = std::string(text_.substr(token_.begin, pos_ - token_.begin));
    return true;
  }

  bool LexNumber() {
    while (pos_ < text_.size() &&
           std::isdigit(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
    // A '.' starts a fraction unless it is the range operator "..".
    if (pos_ + 1 < text_.size() && text_[pos_] == '.' &&
        text_[pos_ + 1] != '.') {
      ++pos_;
      while (pos_ < text_.size() &&
             std::isdigit(static_cast<unsigned char>(text_[pos_])))
        ++pos_;
    }
    size_t after_digits = pos_;
    size_t p = pos_;
    while (p < text_.size() && text_[p] == ' ') ++p;
    if (p < text_.size() && text_[p] == '%') {
      pos_ = p + 1;
    } else {
      for (const Unit& u : kUnits) {
        if (text_.substr(p, u.word.size()) == u.word &&
            !(p + u.word.size() < text_.size() &&
              IsNameChar(text_[p + u.word.size()]))) {
          pos_ = p + u.word.size();
          break;
        }
      }
    }
    if (pos_ == after_digits && pos_ < text_.size() &&
        IsNameStart(text_[pos_])) {
      return Fail(pos_,
                  "a number must be followed by a space, an operator, or a "
                  "unit (%, 元, 万元, 亿元)");
    }
    token_.kind = Token::kNumber;
    token_.end = pos_;
    token_.text = std::string(text_.substr(token_.begin, pos_ - token_.begin));
    return true;
  }

  bool LexString(char quote) {
    ++pos_;
    std::string value;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      value += text_[pos_++];
    }
    if (pos_ >= text_.size()) return Fail(token_.begin, "unterminated string");
    ++pos_;
    token_.kind = Token::kString;
    token_.text = std::move(value);
    token_.end = pos_;
    return true;
  }

  // --- Parser ------------------------------------------------------------
  bool IsSymbol(std::string_view s) const {
    return token_.kind == Token::kSymbol && token_.text == s;
  }
  bool IsKeyword(std::string_view s) const {
    return token_.kind == Token::kName && token_.text == s;
  }

  bool Expect(std::string_view s) {
    if (IsSymbol(s) || IsKeyword(s)) return Next();
    Fail(token_.begin,
         token_.kind == Token::kEnd
             ? fmt::format("expected `{}` but the expression ended", s)
             : fmt::format("expected `{}` but found `{}`", s, token_.text));
    return false;
  }

  void TooDeep() {
    Fail(token_.begin,
         fmt::format("expression nested deeper than {} levels", kMaxDepth));
  }

  int ParseExpr(int depth) {
    if (depth > kMaxDepth) return TooDeep(), kNoNode;
    size_t begin = token_.begin;
    if (IsKeyword("if")) {
      if (!Next()) return kNoNode;
      int cond = ParseExpr(depth + 1);
      if (cond == kNoNode || !Expect("then")) return kNoNode;
      int yes = ParseExpr(depth + 1);
      if (yes == kNoNode || !Expect("else")) return kNoNode;
      int no = ParseExpr(depth + 1);
      if (no == kNoNode) return kNoNode;
      return Make(Op::kIf, begin, cond, yes, no);
    }
    return ParseBinary(0, depth);
  }

  // Binary levels, loosest first.
  int ParseBinary(int level, int depth) {
    if (level == 4) return ParseUnary(depth);
    if (level == 2 &&
        IsKeyword("not")) {  // 'not' binds looser than comparisons
      if (depth > kMaxDepth) return TooDeep(), kNoNode;
      size_t begin = token_.begin;
      if (!Next()) return kNoNode;
      int operand = ParseBinary(2, depth + 1);
      return operand == kNoNode ? kNoNode : Make(Op::kNot, begin, operand);
    }
    size_t begin = token_.begin;
    int left = level == 2 ? ParseCompare(depth) : ParseBinary(level + 1, depth);
    while (left != kNoNode) {
      Op op;
      if (level == 0 && IsKeyword("or"))
        op = Op::kOr;
      else if (level == 1 && IsKeyword("and"))
        op = Op::kAnd;
      else if (level == 3 && IsSymbol("*"))
        op = Op::kMul;
      else if (level == 3 && IsSymbol("/"))
        op = Op::kDiv;
      else
        break;
      if (!Next()) return kNoNode;
      int right =
          level == 2 ? ParseCompare(depth) : ParseBinary(level + 1, depth + 1);
      if (right == kNoNode) return kNoNode;
      left = Make(op, begin, left, right);
    }
    return left;
  }

  int ParseCompare(int depth) {
    size_t begin = token_.begin;
    int left = ParseSum(depth);
    if (left == kNoNode) return kNoNode;
    static constexpr std::pair<std::string_view, Op> kOps[] = {
        {"==", Op::kEq}, {"!=", Op::kNe}, {"<", Op::kLt},
        {"<=", Op::kLe}, {">", Op::kGt},  {">=", Op::kGe}};
    for (const auto& [symbol, op] : kOps) {
      if (!IsSymbol(symbol)) continue;
      if (!Next()) return kNoNode;
      int right = ParseSum(depth);
      if (right == kNoNode) return kNoNode;
      for (const auto& [again, unused] : kOps) {
        if (IsSymbol(again)) {
          return Fail(token_.begin,
                      "comparisons cannot be chained; join them with `and`"),
                 kNoNode;
        }
      }
      return Make(op, begin, left, right);
    }
    return left;
  }

  int ParseSum(int depth) {
    size_t begin = token_.begin;
    int left = ParseBinary(3, depth);
    while (left != kNoNode && (IsSymbol("+") || IsSymbol("-"))) {
      Op op = IsSymbol("+") ? Op::kAdd : Op::kSub;
      if (!Next()) return kNoNode;
      int right = ParseBinary(3, depth + 1);
      if (right == kNoNode) return kNoNode;
      left = Make(op, begin, left, right);
    }
    return left;
  }

  int ParseUnary(int depth) {
    if (depth > kMaxDepth) return TooDeep(), kNoNode;
    size_t begin = token_.begin;
    if (IsSymbol("-")) {
      if (!Next()) return kNoNode;
      int operand = ParseUnary(depth + 1);
      return operand == kNoNode ? kNoNode : Make(Op::kNeg, begin, operand);
    }
    int node = ParsePrimary(depth);
    while (node != kNoNode && IsSymbol("@")) {
      if (!Next()) return kNoNode;
      int year = ParsePrimary(depth + 1);
      if (year == kNoNode) return kNoNode;
      node = Make(Op::kAt, begin, node, year);
    }
    return node;
  }

  int ParsePrimary(int depth) {
    size_t begin = token_.begin;
    switch (token_.kind) {
      case Token::kEnd:
        return Fail(begin, "the expression ended where a value was expected"),
               kNoNode;
      case Token::kNumber: {
        bool is_money = false;
        std::string error;
        std::optional<Decimal> value =
            ParseQuantity(token_.text, &is_money, &error);
        if (!value) return Fail(begin, error), kNoNode;
        int node = Make(Op::kLiteral, begin);
        program_.nodes[node].type = is_money ? Type::kMoney : Type::kNumber;
        program_.nodes[node].number = *value;
        return Next() ? node : kNoNode;
      }
      case Token::kString: {
        int node = Make(Op::kLiteral, begin);
        program_.nodes[node].type = Type::kText;
        program_.nodes[node].text = token_.text;
        return Next() ? node : kNoNode;
      }
      case Token::kSymbol:
        if (IsSymbol("(")) {
          if (!Next()) return kNoNode;
          int inner = ParseExpr(depth + 1);
          if (inner == kNoNode || !Expect(")")) return kNoNode;
          return inner;
        }
        return Fail(begin,
                    fmt::format("unexpected `{}` where a value was expected",
                                token_.text)),
               kNoNode;
      case Token::kName:
        break;
    }
    std::string name = token_.text;
    if (name == "true" || name == "false") {
      int node = Make(Op::kLiteral, begin);
      program_.nodes[node].type = Type::kBool;
      program_.nodes[node].boolean = name == "true";
      return Next() ? node : kNoNode;
    }
    static constexpr std::string_view kReserved[] = {"and",  "or",   "not",
                                                     "then", "else", "if"};
    for (std::string_view word : kReserved) {
      if (name == word)
        return Fail(begin,
                    fmt::format("unexpected `{}` where a value was expected",
                                name)),
               kNoNode;
    }
    if (!Next()) return kNoNode;
    if (!IsSymbol("(")) {
      int node = Make(name == "year" ? Op::kYear : Op::kName, begin);
      program_.nodes[node].text = name;
      if (name == "year") program_.nodes[node].type = Type::kYear;
      return node;
    }
    return ParseCall(name, begin, depth);
  }

  // Functions: present(x); round(x, digits, mode); all/any/count/sum/min/max
  // over a year range (`f(from .. to, body)`); min/max of two values.
  int ParseCall(const std::string& name, size_t begin, int depth) {
    static constexpr std::pair<std::string_view, Op> kAggregates[] = {
        {"all", Op::kAll}, {"any", Op::kAny}, {"count", Op::kCount},
        {"sum", Op::kSum}, {"min", Op::kMin}, {"max", Op::kMax}};
    if (!Next()) return kNoNode;  // past '('
    int first = ParseExpr(depth + 1);
    if (first == kNoNode) return kNoNode;
    if (name == "present") {
      if (!Expect(")")) return kNoNode;
      return Make(Op::kPresent, begin, first);
    }
    if (name == "round") {
      if (!Expect(",")) return kNoNode;
      if (token_.kind != Token::kNumber ||
          token_.text.find_first_not_of("0123456789") != std::string::npos) {
        return Fail(token_.begin,
                    "round() needs a whole number of decimal places as its "
                    "second argument"),
               kNoNode;
      }
      int digits = std::stoi(token_.text.substr(0, 3));
      if (digits > 18)
        return Fail(token_.begin, "round() keeps at most 18 decimal places"),
               kNoNode;
      if (!Next() || !Expect(",")) return kNoNode;
      static constexpr std::pair<std::string_view, RoundingMode> kModes[] = {
          {"half_up", RoundingMode::kHalfUp},
          {"half_even", RoundingMode::kHalfEven},
          {"down", RoundingMode::kDown},
          {"up", RoundingMode::kUp},
          {"floor", RoundingMode::kFloor},
          {"ceiling", RoundingMode::kCeiling}};
      const RoundingMode* chosen = nullptr;
      for (const auto& [word, mode] : kModes) {
        if (IsKeyword(word)) chosen = &mode;
      }
      if (chosen == nullptr) {
        return Fail(token_.begin,
                    "round() needs a mode: half_up, half_even, down, up, floor "
                    "or ceiling"),
               kNoNode;
      }
      if (!Next() || !Expect(")")) return kNoNode;
      int node = Make(Op::kRound, begin, first);
      if (node == kNoNode) return kNoNode;
      program_.nodes[node].mode = *chosen;
      program_.nodes[node].symbol = digits;
      return node;
    }
    for (const auto& [word, op] : kAggregates) {
      if (name != word) continue;
      if ((op == Op::kMin || op == Op::kMax) && IsSymbol(",")) {  // min(a, b)
        if (!Next()) return kNoNode;
        int second = ParseExpr(depth + 1);
        if (second == kNoNode || !Expect(")")) return kNoNode;
        return Make(op, begin, first, second);
      }
      if (!Expect("..")) return kNoNode;
      int last = ParseExpr(depth + 1);
      if (last == kNoNode || !Expect(",")) return kNoNode;
      int body = ParseExpr(depth + 1);
      if (body == kNoNode || !Expect(")")) return kNoNode;
      return Make(op, begin, first, last, body);
    }
    return Fail(begin, fmt::format("unknown function `{}` (functions: known, "
                                   "round, all, any, count, sum, min, max)",
                                   name)),
           kNoNode;
  }

  // Adds a node whose children are a, b, c; kNoNode (reported) when the
  // tree would grow deeper than the limit. Operator chains (`a and b and c`)
  // deepen the tree without nesting, and the checker and the evaluator
  // recurse through it.
  int Make(Op op, size_t begin, int a = kNoNode, int b = kNoNode,
           int c = kNoNode) {
    int height = 1;
    for (int child : {a, b, c}) {
      if (child != kNoNode) height = std::max(height, HeightOf(child) + 1);
    }
    if (height > limits::kMaxTreeDepth) {
      Fail(begin,
           fmt::format("expression deeper than {} levels, counting each "
                       "operator of a chain such as `a and b and c`; split it "
                       "into derived values",
                       limits::kMaxTreeDepth));
      return kNoNode;
    }
    heights_.push_back(height);
    Node n;
    n.op = op;
    n.a = a;
    n.b = b;
    n.c = c;
    n.mark = MarkAt(begin);
    size_t end = token_.kind == Token::kEnd ? text_.size() : token_.begin;
    if (op == Op::kLiteral) end = token_.end;  // made before moving past it
    while (end > begin &&
           std::isspace(static_cast<unsigned char>(text_[end - 1])))
      --end;
    n.source = text_.substr(begin, end - begin);
    return program_.AddNode(std::move(n));
  }

  int HeightOf(int node) const {
    return heights_[static_cast<size_t>(node) - first_node_];
  }

  Mark MarkAt(size_t offset) const {
    if (marks_.empty()) return Mark{};
    return marks_[std::min(offset, marks_.size() - 1)];
  }

  bool Fail(size_t offset, std::string message) {
    if (!failed_) sink_.Error(MarkAt(offset), std::move(message));
    failed_ = true;
    return false;
  }

  std::string_view text_;
  std::span<const Mark> marks_;
  Program& program_;
  DiagnosticSink& sink_;
  size_t pos_ = 0;
  Token token_;
  bool failed_ = false;
  size_t first_node_;         // the first node of this expression
  std::vector<int> heights_;  // of each node from first_node_ on
};

}  // namespace

int ParseExpression(std::string_view text, std::span<const Mark> marks,
                    Program& program, DiagnosticSink& sink) {
  Mark at = marks.empty() ? Mark{} : marks[0];
  if (text.size() > limits::kMaxExpressionBytes) {
    sink.Error(at, fmt::format("the expression is {} bytes long; the limit is "
                               "{} (split it into derived values)",
                               text.size(), limits::kMaxExpressionBytes));
    return kNoNode;
  }
  if (program.nodes.size() >= limits::kMaxExpressionNodes) {
    if (!program.too_many_nodes) {
      sink.Error(at, fmt::format("the expressions of this rule set have more "
                                 "than {} parts in all; the limit is reached "
                                 "here",
                                 limits::kMaxExpressionNodes));
    }
    program.too_many_nodes = true;
    return kNoNode;
  }
  // Nodes view their source text in this one copy of the expression.
  program.sources.emplace_back(text);
  size_t first = program.nodes.size();
  int root = Parser(program.sources.back(), marks, program, sink).Parse();
  if (root == kNoNode) {  // nothing refers to a failed expression's nodes
    program.nodes.resize(first);
    program.sources.pop_back();
  }
  return root;
}

std::optional<Decimal> ParseQuantity(std::string_view text, bool* is_money,
                                     std::string* error) {
  *is_money = false;
  Decimal scale = Decimal::FromInt(1);
  for (const Unit& u : kUnits) {
    if (text.size() > u.word.size() &&
        text.substr(text.size() - u.word.size()) == u.word) {
      text.remove_suffix(u.word.size());
      scale = Decimal::FromInt(u.yuan);
      *is_money = true;
      break;
    }
  }
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  std::string compact(text);  // "10 %" is "10%"
  if (size_t pct = compact.find(" %"); pct != std::string::npos) {
    compact.erase(pct, compact.find('%') - pct);
  }
  text = compact;
  Result<Decimal> value = Decimal::Parse(text);
  if (!value.ok()) {
    *error = value.error();
    return std::nullopt;
  }
  std::optional<Decimal> scaled = Decimal::Mul(*value, scale);
  if (!scaled) *error = fmt::format("`{}` is out of range", text);
  return scaled;
}

}  // namespace eligo
