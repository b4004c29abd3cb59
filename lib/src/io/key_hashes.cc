#include "io/key_hashes.h"

#include <functional>

namespace eligo {

uint64_t KeyHashes::Hash(std::string_view key) {
  uint64_t hash = std::hash<std::string_view>()(key);
  return hash == 0 ? 1 : hash;
}

size_t KeyHashes::Find(uint64_t hash) const {
  size_t mask = slots_.size() - 1;
  // The slot from the high bits, mixed, so that hashes alike in their low
  // bits (short keys differing at the end) do not crowd together.
  size_t at = static_cast<size_t>((hash * 0x9e3779b97f4a7c15ULL) >> 32) & mask;
  while (slots_[at] != 0 && slots_[at] != hash) at = (at + 1) & mask;
  return at;
}

bool KeyHashes::Insert(std::string_view key) {
  if (2 * (size_ + 1) > slots_.size()) Grow();
  uint64_t hash = Hash(key);
  size_t at = Find(hash);
  if (slots_[at] == hash) return false;
  slots_[at] = hash;
  ++size_;
  return true;
}

void KeyHashes::Grow() {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : 2 * old.size(), 0);
  for (uint64_t hash : old)
    if (hash != 0) slots_[Find(hash)] = hash;
}

}  // namespace eligo
