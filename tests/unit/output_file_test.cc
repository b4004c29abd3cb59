// OutputFile: a file appears under its name only when complete, and a large
// one, synced in the background as it grows, loses nothing.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "eligo/io.h"

namespace eligo {
namespace {

namespace fs = std::filesystem;

// A directory of its own, removed with what is left in it.
struct TempDir {
  TempDir() {
    path = fs::temp_directory_path() /
           ("eligo-output-file-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directory(path);
  }
  ~TempDir() { fs::remove_all(path); }
  size_t entries() const {
    return static_cast<size_t>(
        std::distance(fs::directory_iterator(path), fs::directory_iterator()));
  }
  fs::path path;
};

std::string Contents(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// 100 MB in pieces of 64 KB, each piece telling its number: past several
// background syncs, whatever the threshold between them.
constexpr int kPieces = 1600;
std::string Piece(int i) {
  std::string piece(size_t{64} << 10, static_cast<char>('a' + i % 26));
  piece.replace(0, std::to_string(i).size(), std::to_string(i));
  return piece;
}

std::unique_ptr<OutputFile> Create(const fs::path& path) {
  Result<std::unique_ptr<OutputFile>> made = OutputFile::Create(path.string());
  REQUIRE(made.ok());
  return std::move(made).value();
}

TEST_CASE(
    "a large output is whole under its name after Commit, and only then") {
  TempDir dir;
  fs::path path = dir.path / "decisions.csv";
  std::unique_ptr<OutputFile> file = Create(path);
  std::string expected;
  for (int i = 0; i < kPieces; ++i) {
    file->Write(Piece(i));
    expected += Piece(i);
  }
  CHECK_FALSE(fs::exists(path));
  REQUIRE(file->Finish().ok());
  CHECK_FALSE(fs::exists(path));
  REQUIRE(file->Commit().ok());
  CHECK(Contents(path) == expected);
  CHECK(dir.entries() == 1);  // no temporary file left beside it
}

TEST_CASE("Rewind discards what was written, synced or not") {
  TempDir dir;
  fs::path path = dir.path / "decisions.csv";
  std::unique_ptr<OutputFile> file = Create(path);
  for (int i = 0; i < kPieces; ++i) file->Write(Piece(i));
  REQUIRE(file->Rewind().ok());
  file->Write("after the rewind\n");
  REQUIRE(file->Commit().ok());
  CHECK(Contents(path) == "after the rewind\n");
}

TEST_CASE("an output dropped before Commit leaves nothing, even mid-sync") {
  TempDir dir;
  fs::path path = dir.path / "decisions.csv";
  {
    std::unique_ptr<OutputFile> file = Create(path);
    for (int i = 0; i < kPieces; ++i) file->Write(Piece(i));
    CHECK(dir.entries() == 1);  // the temporary file
  }
  CHECK(dir.entries() == 0);
}

}  // namespace
}  // namespace eligo
