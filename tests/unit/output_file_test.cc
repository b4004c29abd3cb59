// OutputFile: a file appears under its name only when complete, and a large
// one, synced in the background as it grows, loses nothing.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
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

TEST_CASE("RemoveUnfinished removes the temporary files, not the outputs") {
  TempDir dir;
  fs::path done = dir.path / "done.csv";
  std::unique_ptr<OutputFile> committed = Create(done);
  committed->Write("done\n");
  REQUIRE(committed->Commit().ok());
  std::unique_ptr<OutputFile> open = Create(dir.path / "open.csv");
  std::unique_ptr<OutputFile> also = Create(dir.path / "also.csv");
  open->Write("not yet\n");
  CHECK(dir.entries() == 3);
  OutputFile::RemoveUnfinished();
  CHECK(dir.entries() == 1);
  CHECK(Contents(done) == "done\n");
}

// Sets the process's umask; restores the old one when dropped.
class Umask {
 public:
  explicit Umask(mode_t mask) : old_(umask(mask)) {}
  ~Umask() { umask(old_); }

 private:
  mode_t old_;
};

fs::perms Mode(const fs::path& path) {
  return fs::status(path).permissions() & fs::perms::mask;
}

void WriteAndCommit(const std::string& path, const std::string& text) {
  Result<std::unique_ptr<OutputFile>> file = OutputFile::Create(path);
  REQUIRE(file.ok());
  file.value()->Write(text);
  REQUIRE(file.value()->Commit().ok());
}

TEST_CASE("a new output's mode follows the umask; one replaced keeps its") {
  TempDir dir;
  fs::path path = dir.path / "decisions.csv";
  {
    Umask mask(077);
    WriteAndCommit(path.string(), "private\n");
    CHECK(Mode(path) == (fs::perms::owner_read | fs::perms::owner_write));
  }
  {
    Umask mask(022);
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write |
                              fs::perms::group_read);  // 0640
    WriteAndCommit(path.string(), "again\n");
    CHECK(Mode(path) == (fs::perms::owner_read | fs::perms::owner_write |
                         fs::perms::group_read));
    fs::remove(path);
    WriteAndCommit(path.string(), "new\n");
    CHECK(Mode(path) == (fs::perms::owner_read | fs::perms::owner_write |
                         fs::perms::group_read | fs::perms::others_read));
  }
}

TEST_CASE("an output named by a symbolic link replaces the file it names") {
  TempDir dir;
  fs::path target = dir.path / "target.csv", link = dir.path / "link.csv";
  std::ofstream(target) << "old\n";
  fs::create_symlink(target, link);
  WriteAndCommit(link.string(), "new\n");
  CHECK(fs::is_symlink(link));
  CHECK(Contents(target) == "new\n");
  CHECK(dir.entries() == 2);
}

// As `eligo score --output /dev/stdout >> file` does.
TEST_CASE("an output named by a descriptor of its own is appended to") {
  TempDir dir;
  fs::path path = dir.path / "log.csv";
  std::ofstream(path) << "old\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND);
  REQUIRE(fd >= 0);
  WriteAndCommit("/proc/self/fd/" + std::to_string(fd), "new\n");
  WriteAndCommit("/dev/fd/" + std::to_string(fd), "more\n");
  ::close(fd);
  CHECK(Contents(path) == "old\nnew\nmore\n");
  CHECK(dir.entries() == 1);
}

// Lowers this process's file size limit, with SIGXFSZ ignored so that a
// write past it fails with EFBIG; restores both when dropped.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &old_);
    rlimit lowered = old_;
    lowered.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &lowered);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit old_{};
  void (*old_handler_)(int);
};

// stdio writes whole blocks and keeps the rest, a few bytes here, for the
// fflush that comes before a background sync; with the disk's room ending
// at the last whole block, that fflush is the only call that fails.
TEST_CASE("a write that fails only in the flush before a sync is not lost") {
  TempDir dir;
  fs::path path = dir.path / "decisions.csv";
  const std::string piece((size_t{1} << 20) + 1, 'x');  // 1 MiB and a byte
  std::unique_ptr<OutputFile> file = Create(path);
  {
    FileSizeLimit limit(size_t{32} << 20);  // the 32nd piece's last bytes
    for (int i = 0; i < 32; ++i) file->Write(piece);
    Status finished = file->Finish();
    CHECK_FALSE(finished.ok());
    CHECK(finished.message().find("File too large") != std::string::npos);
  }
  CHECK_FALSE(file->Commit().ok());
  CHECK_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace eligo
