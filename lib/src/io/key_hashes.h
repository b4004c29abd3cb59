// A compact set of the 64-bit hashes of keys: which entities' rows a
// streamed file has already finished. Eight bytes a slot, half of the slots
// at most in use. Two keys with one hash read as one: a grouped file may
// then look as if an entity came back (grouped in memory: slower, never
// wrong), never the other way round.
#ifndef ELIGO_IO_KEY_HASHES_H_
#define ELIGO_IO_KEY_HASHES_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace eligo {

class KeyHashes {
 public:
  // Adds `key`; false when it (or a key with its hash) was there already.
  bool Insert(std::string_view key);
  size_t size() const { return size_; }
  size_t bytes() const { return slots_.size() * sizeof(uint64_t); }

 private:
  static uint64_t Hash(std::string_view key);
  // The slot that holds `hash`, or the empty one where it would go.
  size_t Find(uint64_t hash) const;
  void Grow();

  std::vector<uint64_t> slots_;  // 0: empty; a hash of 0 is stored as 1
  size_t size_ = 0;
};

}  // namespace eligo

#endif  // ELIGO_IO_KEY_HASHES_H_
