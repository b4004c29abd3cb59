// Decoding and splitting CSV text.
#include "io/csv_reader.h"

#include <fmt/format.h>
#include <iconv.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace eligo {

namespace {

// Line breaks in `text`: LF, CRLF, or CR alone (old Mac spreadsheets).
long LineBreaks(std::string_view text) {
  long breaks = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    breaks +=
        text[i] == '\n' ||
        (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'));
  }
  return breaks;
}

}  // namespace

long LineAt(std::string_view text, size_t offset) {
  return 1 + LineBreaks(text.substr(0, std::min(offset, text.size())));
}

namespace {

#if defined(__SSE2__)
// 64 bytes in four registers, and a bit per byte for a test of them.
struct Block {
  __m128i v[4];
  explicit Block(const char* p) {
    for (size_t k = 0; k < 4; ++k)
      v[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
  }
  template <typename Test>
  uint64_t Bits(Test test) const {
    uint64_t bits = 0;
    for (int k = 0; k < 4; ++k) {
      bits |= static_cast<uint64_t>(
                  static_cast<uint32_t>(_mm_movemask_epi8(test(v[k]))))
              << (16 * k);
    }
    return bits;
  }
};

__m128i Byte(int b) { return _mm_set1_epi8(static_cast<char>(b)); }
// The bytes `(v & mask) == value`, and those `v >= low`.
template <int kMask, int kValue>
__m128i Is(__m128i v) {
  return _mm_cmpeq_epi8(_mm_and_si128(v, Byte(kMask)), Byte(kValue));
}
template <int kLow>
__m128i AtLeast(__m128i v) {
  return _mm_cmpeq_epi8(_mm_max_epu8(v, Byte(kLow)), v);
}

// How much of `s` is known to be valid UTF-8 (without NUL, when asked): a
// character boundary. Checks 64 bytes at a time, a bit per byte, with no
// branch per character: a byte loop mispredicts at every switch between
// ASCII and Chinese, several times a row.
size_t ValidPrefix(std::string_view s, bool nul_is_invalid) {
  const __m128i zero = _mm_setzero_si128();
  const __m128i nul = nul_is_invalid ? Byte(0xFF) : zero;  // a mask of NULs
  // Carried over from the block before: bytes that must continue a
  // character, and its last byte if it limits the next (E0, ED, F0, F4).
  uint64_t need_in = 0;
  unsigned char last = 0;
  size_t valid = 0;
  for (size_t at = 0; at + 64 <= s.size(); at += 64) {
    Block b(s.data() + at);
    // Never in UTF-8: C0, C1, F5..FF; and NUL when asked.
    uint64_t never = b.Bits([&](__m128i v) {
      return _mm_or_si128(_mm_or_si128(Is<0xFE, 0xC0>(v), AtLeast<0xF5>(v)),
                          _mm_and_si128(_mm_cmpeq_epi8(v, zero), nul));
    });
    uint64_t high = b.Bits([](__m128i v) { return v; });
    if (high == 0 && need_in == 0) {  // ASCII
      if (never != 0) break;
      valid = at + 64;
      continue;
    }
    uint64_t cont = b.Bits(Is<0xC0, 0x80>);
    uint64_t from_e0 = b.Bits(AtLeast<0xE0>), from_f0 = b.Bits(AtLeast<0xF0>);
    uint64_t lead = high & ~cont;  // C2..F4 once `never` is ruled out
    uint64_t lead2 = lead & ~from_e0, lead3 = from_e0 & ~from_f0;
    uint64_t lead4 = from_f0;
    uint64_t need = (lead2 << 1) | (lead3 << 1) | (lead3 << 2) | (lead4 << 1) |
                    (lead4 << 2) | (lead4 << 3) | need_in;
    uint64_t bad = never | (need ^ cont);
    uint64_t special = b.Bits([](__m128i v) {
      return _mm_or_si128(_mm_or_si128(Is<0xFF, 0xE0>(v), Is<0xFF, 0xED>(v)),
                          _mm_or_si128(Is<0xFF, 0xF0>(v), Is<0xFF, 0xF4>(v)));
    });
    if ((special << 1 | last) != 0) {  // rare in Chinese text
      // Those right after each kind of lead byte, and the second bytes
      // each forbids.
      auto after = [&](uint64_t lead_bits, unsigned char byte) {
        return (lead_bits << 1) | static_cast<uint64_t>(last == byte);
      };
      uint64_t e0 = after(b.Bits(Is<0xFF, 0xE0>), 0xE0);
      uint64_t ed = after(b.Bits(Is<0xFF, 0xED>), 0xED);
      uint64_t f0 = after(b.Bits(Is<0xFF, 0xF0>), 0xF0);
      uint64_t f4 = after(b.Bits(Is<0xFF, 0xF4>), 0xF4);
      uint64_t below_a0 = b.Bits(Is<0xE0, 0x80>);  // 80..9F
      uint64_t below_90 = b.Bits(Is<0xF0, 0x80>);  // 80..8F
      bad |= (e0 & below_a0) |                     // overlong
             (ed & cont & ~below_a0) |             // a surrogate
             (f0 & below_90) |                     // overlong
             (f4 & cont & ~below_90);              // beyond U+10FFFF
    }
    if (bad != 0) break;
    // The block's first bytes end the characters begun before it.
    valid = at + static_cast<size_t>(std::popcount(need_in));
    need_in = (lead2 >> 63) | (lead3 >> 63) | (lead3 >> 62) | (lead4 >> 63) |
              (lead4 >> 62) | (lead4 >> 61);
    last = (special >> 63) != 0 ? static_cast<unsigned char>(s[at + 63]) : 0;
  }
  return valid;
}
#else
size_t ValidPrefix(std::string_view, bool) { return 0; }
#endif

}  // namespace

size_t FindInvalidUtf8(std::string_view s, bool nul_is_invalid) {
  // Blocks first; then a byte at a time from where they stopped, to the end
  // or to the first invalid byte.
  size_t i = ValidPrefix(s, nul_is_invalid);
  // Most bytes of a CSV file are ASCII: skip them eight at a time, up to
  // the first byte that has its high bit set (not ASCII) or, when asked, is
  // zero. (Only bytes after a zero byte can be flagged wrongly, so on a
  // little-endian machine the lowest flag is right.)
  constexpr uint64_t kHigh = 0x8080808080808080u, kOnes = 0x0101010101010101u;
  while (i < s.size()) {
    for (; i + 8 <= s.size(); i += 8) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, sizeof word);
      uint64_t flags = word;
      if (nul_is_invalid) flags |= (word - kOnes) & ~word;
      flags &= kHigh;
      if (flags != 0) {
        if constexpr (std::endian::native == std::endian::little)
          i += static_cast<size_t>(std::countr_zero(flags)) / 8;
        break;
      }
    }
    if (i >= s.size()) break;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c == 0 && nul_is_invalid) return i;
      ++i;
      continue;
    }
    size_t len = (c >> 5) == 0x6    ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    if (len == 0 || c == 0xC0 || c == 0xC1 || c > 0xF4 || i + len > s.size())
      return i;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return i;
    }
    unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F) ||
        (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) {
      return i;  // overlong, surrogate or beyond U+10FFFF
    }
    i += len;
  }
  return std::string_view::npos;
}

namespace {

Result<std::string> Convert(const std::string& bytes, const char* from) {
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1))  // NOLINT: iconv's error value
    return Status::Error(fmt::format("encoding {} is not available", from));
  std::string out(bytes.size() * 2 + 16, '\0');
  char* in_ptr = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  while (in_left > 0) {
    if (iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left) !=
        static_cast<size_t>(-1))
      break;
    if (errno == E2BIG) {
      size_t used = static_cast<size_t>(out_ptr - out.data());
      out.resize(out.size() * 2);
      out_ptr = out.data() + used;
      out_left = out.size() - used;
      continue;
    }
    size_t at = bytes.size() - in_left;
    iconv_close(cd);
    return Status::Error(
        fmt::format("line {}: bytes that are not valid {} (offset {})",
                    LineAt(bytes, at), from, at));
  }
  iconv_close(cd);
  out.resize(static_cast<size_t>(out_ptr - out.data()));
  return out;
}

}  // namespace

Result<std::string> DecodeToUtf8(std::string bytes, const std::string& encoding,
                                 std::string* used) {
  std::string_view view(bytes);
  if (encoding == "auto") {
    if (view.starts_with("\xEF\xBB\xBF")) {
      bytes.erase(0, 3);
      *used = "utf-8";
    } else if (view.starts_with("\xFF\xFE") || view.starts_with("\xFE\xFF")) {
      *used = view.starts_with("\xFF\xFE") ? "UTF-16LE" : "UTF-16BE";
      Result<std::string> text = Convert(bytes.substr(2), used->c_str());
      if (!text.ok()) return text;
      bytes = std::move(text).value();
    } else if (FindInvalidUtf8(view) == std::string_view::npos) {
      *used = "utf-8";
    } else {
      *used = "gb18030";
    }
  } else if (encoding == "utf-8" || encoding == "utf8") {
    if (view.starts_with("\xEF\xBB\xBF")) bytes.erase(0, 3);
    *used = "utf-8";
  } else if (encoding == "gbk" || encoding == "gb18030" ||
             encoding == "gb2312") {
    *used = "gb18030";  // a superset of GBK and GB2312
  } else {
    return Status::Error(fmt::format(
        "unknown encoding `{}` (auto, utf-8, gbk, gb18030)", encoding));
  }
  if (*used == "gb18030") {
    Result<std::string> text = Convert(bytes, "GB18030");
    if (!text.ok()) return text;
    bytes = std::move(text).value();
  } else if (size_t bad = FindInvalidUtf8(bytes); bad != std::string::npos) {
    return Status::Error(fmt::format("line {}: bytes that are not valid UTF-8",
                                     LineAt(bytes, bad)));
  }
  if (size_t nul = bytes.find('\0'); nul != std::string::npos) {
    return Status::Error(
        fmt::format("line {}: a NUL byte; this is not a text CSV file",
                    LineAt(bytes, nul)));
  }
  return bytes;
}

// Where the unquoted cell at `pos` ends: its delimiter or line break, or the
// end of the text. The delimiter a constant, so that the three tests become
// one (a bit mask of bytes below 64).
namespace {
template <char kDelimiter>
size_t CellEnd(std::string_view text, size_t pos) {
  while (pos < text.size() && text[pos] != kDelimiter && text[pos] != '\n' &&
         text[pos] != '\r')
    ++pos;
  return pos;
}

size_t CellEnd(std::string_view text, size_t pos, char delimiter) {
  if (delimiter == ',') return CellEnd<','>(text, pos);
  if (delimiter == '\t') return CellEnd<'\t'>(text, pos);
  while (pos < text.size() && text[pos] != delimiter && text[pos] != '\n' &&
         text[pos] != '\r')
    ++pos;
  return pos;
}
}  // namespace

template <typename AddPart>
size_t CsvParser::Record(long& line, size_t last, AddPart add) {
  // A local, so that the loops below keep it in a register.
  const char delimiter = delimiter_;
  // Skip blank lines.
  size_t blank = pos_;
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r'))
    ++pos_;
  line_ += LineBreaks(text_.substr(blank, pos_ - blank));
  if (pos_ >= text_.size()) return 0;
  line = line_;
  const size_t start = pos_;
  auto too_long = [&](size_t end) {
    if (end - start <= kMaxRecordBytes) return false;
    error_ = fmt::format(
        "line {}: a row longer than {} MiB (is a quote left open, or is this "
        "not a CSV file?)",
        line, kMaxRecordBytes >> 20);
    return true;
  };
  for (size_t cell = 0;; ++cell) {
    if (pos_ < text_.size() && text_[pos_] == '"') {
      long quote_line = line_;
      ++pos_;
      while (true) {
        size_t q = text_.find('"', pos_);
        if (q == std::string_view::npos) {
          error_ =
              fmt::format("line {}: a quoted cell is never closed", quote_line);
          return 0;
        }
        if (too_long(q)) return 0;
        std::string_view part = text_.substr(pos_, q - pos_);
        line_ += LineBreaks(part);
        // A doubled quote is a quote: the part runs up to and including it.
        bool doubled = q + 1 < text_.size() && text_[q + 1] == '"';
        add(cell, text_.substr(pos_, q - pos_ + (doubled ? 1 : 0)));
        pos_ = q + (doubled ? 2 : 1);
        if (!doubled) break;
      }
    }
    // The end of the cell: a plain loop, as find_first_of searches the set
    // once per byte.
    size_t end = CellEnd(text_, pos_, delimiter);
    if (too_long(end)) return 0;
    add(cell, text_.substr(pos_, end - pos_));
    pos_ = end;
    if (pos_ >= text_.size()) return cell + 1;
    char c = text_[pos_++];
    if (c == delimiter && cell == last && SkipPlainRest(start))
      return cell + 1;
    if (c == delimiter) continue;
    if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    ++line_;
    return cell + 1;
  }
}

bool CsvParser::SkipPlainRest(size_t start) {
  size_t newline = text_.find('\n', pos_);
  size_t end = newline == std::string_view::npos ? text_.size() : newline;
  if (end - start > kMaxRecordBytes) return false;
  std::string_view rest = text_.substr(pos_, end - pos_);
  if (newline != std::string_view::npos && rest.ends_with('\r'))
    rest.remove_suffix(1);  // CRLF; a lone CR takes the full path
  if (rest.find('"') != std::string_view::npos ||
      rest.find('\r') != std::string_view::npos)
    return false;
  pos_ = end;
  if (newline != std::string_view::npos) {
    ++pos_;
    ++line_;
  }
  return true;
}

bool CsvParser::Next(std::vector<std::string>& cells, long& line) {
  size_t used = 0;
  size_t n = Record(line, kAllCells, [&](size_t cell, std::string_view part) {
    if (cell == used) {
      if (used == cells.size()) cells.emplace_back();
      cells[used++].clear();
    }
    cells[cell].append(part);
  });
  cells.resize(n);
  return n > 0;
}

bool CsvParser::NextViews(std::vector<std::string_view>& cells, long& line) {
  cells.clear();
  joined_cells_.clear();
  size_t n = Record(line, kAllCells, [&](size_t cell, std::string_view part) {
    if (cell == cells.size()) {
      cells.push_back(part);
      return;
    }
    // A later part (after a doubled quote): the cell is joined here.
    if (part.empty()) return;
    if (joined_cells_.empty() || joined_cells_.back() != cell) {
      joined_cells_.push_back(cell);
      if (joined_.size() <= cell) joined_.resize(cell + 1);
      joined_[cell].assign(cells[cell]);
    }
    joined_[cell].append(part);
  });
  for (size_t cell : joined_cells_) cells[cell] = joined_[cell];
  cells.resize(n);
  return n > 0;
}

size_t CsvParser::Skip(size_t column, std::string& cell, long& line) {
  cell.clear();
  size_t cells = Record(line, column, [&](size_t index, std::string_view part) {
    if (index == column) cell.append(part);
  });
  return std::min(cells, column + 1);  // the same whether or not it skipped
}

}  // namespace eligo
