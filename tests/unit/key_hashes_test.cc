// The set of keys a grouped file is streamed with.
#include "io/key_hashes.h"

#include <doctest/doctest.h>

#include <string>

namespace eligo::testing {
namespace {

TEST_CASE("key hashes hold each key once, through growth") {
  KeyHashes keys;
  CHECK(keys.Insert("91411102MA3X4K7P2F"));
  CHECK_FALSE(keys.Insert("91411102MA3X4K7P2F"));
  CHECK(keys.Insert(""));  // a keyless group's key
  CHECK_FALSE(keys.Insert(""));
  int added = 0;
  for (int i = 0; i < 100000; ++i)
    added += keys.Insert("91411100000" + std::to_string(1000000 + i));
  CHECK(added == 100000);
  CHECK(keys.size() == 100002);
  // at most half the slots used: 2^18 for 100,002 keys
  CHECK(keys.bytes() == (size_t{1} << 18) * 8);
  int again = 0, strangers = 0;
  for (int i = 0; i < 100000; ++i) {
    again += keys.Insert("91411100000" + std::to_string(1000000 + i));
    strangers += keys.Insert("91411100000" + std::to_string(2000000 + i));
  }
  CHECK(again == 0);
  CHECK(strangers == 100000);
  CHECK_FALSE(keys.Insert("91411102MA3X4K7P2F"));
}

}  // namespace
}  // namespace eligo::testing
