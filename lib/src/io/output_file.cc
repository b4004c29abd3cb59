// Output files that appear under their final name only when complete.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>

#include "eligo/io.h"

namespace eligo {
namespace {

constexpr size_t kFlushBytes = 1 << 20;
// A file made here is synced as it grows, every this many bytes, so that
// the sync at the end waits for the last few, not for all of them.
constexpr size_t kWritebackBytes = size_t{32} << 20;

// Creates `dir/.NAME.tmp.XXXXXX` (six random letters or digits) for
// writing and puts its path in `temp`. Like mkstemp, but with the mode any
// new file gets (0666 less the umask), not 0600.
int CreateTemp(const std::filesystem::path& dir, const std::string& name,
               std::string& temp) {
  static constexpr char kLetters[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::random_device random;
  std::uniform_int_distribution<size_t> pick(0, sizeof kLetters - 2);
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string file = "." + name + ".tmp.";
    for (int i = 0; i < 6; ++i) file += kLetters[pick(random)];
    temp = (dir / file).string();
    int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) {
      if (fd < 0) temp.clear();
      return fd;
    }
  }
  temp.clear();
  return -1;
}

// The temporary files made and not yet renamed or removed, for
// RemoveUnfinished. A signal handler may not allocate or lock: the paths
// are kept in fixed slots, each claimed and published by atomic flags.
struct UnfinishedSlot {
  std::atomic<bool> claimed{false};
  std::atomic<bool> ready{false};
  char path[4096];
};
UnfinishedSlot unfinished[64];

void AddUnfinished(const std::string& path) {
  if (path.size() >= sizeof unfinished[0].path) return;
  for (UnfinishedSlot& slot : unfinished) {
    bool free = false;
    if (!slot.claimed.compare_exchange_strong(free, true)) continue;
    std::memcpy(slot.path, path.c_str(), path.size() + 1);
    slot.ready.store(true);
    return;
  }  // more files at once than slots: that one is left on a signal
}

void DropUnfinished(const std::string& path) {
  for (UnfinishedSlot& slot : unfinished) {
    if (!slot.ready.load() || path != slot.path) continue;
    slot.ready.store(false);
    slot.claimed.store(false);
    return;
  }
}

}  // namespace

void OutputFile::RemoveUnfinished() {
  for (UnfinishedSlot& slot : unfinished) {
    if (slot.ready.load()) unlink(slot.path);
  }
}

// Syncs a file's data in a thread of its own whenever asked, so that the
// writer does not wait for the disk. A sync reports a write error only
// once, so the first one is kept for Finish.
class OutputFile::Writeback {
 public:
  explicit Writeback(int fd) : fd_(fd), thread_([this] { Run(); }) {}
  ~Writeback() { Stop(); }

  void Request() {
    {
      std::lock_guard lock(mu_);
      wanted_ = true;
    }
    wake_.notify_one();
  }
  // Waits for a sync in progress; returns the first errno of any (or 0).
  int Stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    return error_;
  }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    for (;;) {
      wake_.wait(lock, [this] { return wanted_ || stop_; });
      if (stop_) return;
      wanted_ = false;
      lock.unlock();
      int error = fdatasync(fd_) == 0 ? 0 : errno;
      lock.lock();
      if (error_ == 0) error_ = error;
    }
  }

  const int fd_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool wanted_ = false;
  bool stop_ = false;
  int error_ = 0;
  std::thread thread_;  // last, so that it starts once the rest is set
};

Result<std::unique_ptr<OutputFile>> OutputFile::Create(
    const std::string& path) {
  namespace fs = std::filesystem;
  std::unique_ptr<OutputFile> out(new OutputFile());
  out->path_ = path;
  if (path == "-") {
    out->file_ = stdout;
    return out;
  }
  // Devices and pipes (/dev/null, /dev/full, a FIFO), and the process's own
  // descriptors, cannot be replaced by a rename: write to them directly,
  // appending to a descriptor as a shell's `>>` may have asked.
  bool descriptor = path == "/dev/stdout" || path == "/dev/stderr" ||
                    path.starts_with("/dev/fd/") ||
                    path.starts_with("/proc/self/fd/");
  struct stat st;
  bool exists = stat(path.c_str(), &st) == 0;
  if (descriptor || (exists && !S_ISREG(st.st_mode))) {
    out->file_ = std::fopen(path.c_str(), descriptor ? "ab" : "wb");
    if (out->file_ == nullptr)
      return Status::Error(
          StatusCode::kWriteFailed,
          fmt::format("cannot write {}: {}", path, std::strerror(errno)));
    return out;
  }
  // A symbolic link keeps pointing where it did: the file it names is
  // replaced, not the link.
  std::error_code error;
  if (exists && fs::is_symlink(path, error))
    out->path_ = fs::canonical(path, error).string();
  if (error)
    return Status::Error(
        StatusCode::kWriteFailed,
        fmt::format("cannot resolve {}: {}", path, error.message()));
  fs::path final_path(out->path_);
  fs::path dir = final_path.parent_path().empty() ? fs::path(".")
                                                  : final_path.parent_path();
  int fd = CreateTemp(dir, final_path.filename().string(), out->temp_path_);
  if (fd < 0)
    return Status::Error(StatusCode::kWriteFailed,
                         fmt::format("cannot write in {}: {}", dir.string(),
                                     std::strerror(errno)));
  AddUnfinished(out->temp_path_);
  // A file replaced keeps its mode.
  if (exists) fchmod(fd, st.st_mode & 0777);
  out->file_ = fdopen(fd, "wb");
  if (out->file_ == nullptr) {
    Status failed =
        Status::Error(StatusCode::kWriteFailed,
                      fmt::format("cannot write {}: {}", out->temp_path_,
                                  std::strerror(errno)));
    close(fd);
    return failed;  // ~OutputFile removes the file
  }
  return out;
}

OutputFile::~OutputFile() {
  writeback_.reset();  // before the file it syncs is closed
  if (file_ != nullptr && file_ != stdout) std::fclose(file_);
  if (!temp_path_.empty()) {
    unlink(temp_path_.c_str());
    DropUnfinished(temp_path_);
  }
}

void OutputFile::Write(std::string_view data) {
  buffer_.append(data);
  if (buffer_.size() >= kFlushBytes) {
    Flush();
  }
}

void OutputFile::Flush() {
  if (!buffer_.empty() &&
      std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
    Fail();
  unsynced_ += buffer_.size();
  buffer_.clear();
  // Else the kernel may keep hundreds of MB to write until Finish's fsync.
  if (unsynced_ >= kWritebackBytes && !temp_path_.empty()) {
    // A failed fflush drops what stdio held, and a later one succeeds.
    if (std::fflush(file_) != 0) {
      Fail();
      return;
    }
    if (!writeback_) writeback_ = std::make_unique<Writeback>(fileno(file_));
    writeback_->Request();
    unsynced_ = 0;
  }
}

void OutputFile::Fail() {
  if (!failed_) error_ = errno != 0 ? errno : EIO;
  failed_ = true;
}

Status OutputFile::Finish() {
  if (!finished_) {
    finished_ = true;
    Flush();
    // ferror: an error stdio met that no call returned (fclose ignores it).
    if (std::fflush(file_) != 0 || std::ferror(file_)) Fail();
    if (writeback_) {
      if (int error = writeback_->Stop(); error != 0 && !failed_) {
        error_ = error;
        failed_ = true;
      }
      writeback_.reset();
    }
    if (file_ != stdout) {
      if (!temp_path_.empty() && fsync(fileno(file_)) != 0) Fail();
      if (std::fclose(file_) != 0) Fail();
      file_ = nullptr;
    }
  }
  if (failed_) {
    return Status::Error(StatusCode::kWriteFailed,
                         fmt::format("writing {} failed: {}",
                                     path_ == "-" ? "standard output" : path_,
                                     std::strerror(error_)));
  }
  return Status::Ok();
}

Status OutputFile::Rewind() {
  if (!rewindable())
    return Status::Error(StatusCode::kWriteFailed,
                         "this output cannot be rewound");
  buffer_.clear();
  unsynced_ = 0;
  if (std::fflush(file_) != 0 || ftruncate(fileno(file_), 0) != 0 ||
      std::fseek(file_, 0, SEEK_SET) != 0)
    Fail();
  if (failed_) {
    return Status::Error(
        StatusCode::kWriteFailed,
        fmt::format("rewinding {} failed: {}", path_, std::strerror(error_)));
  }
  return Status::Ok();
}

Status OutputFile::Commit() {
  if (Status s = Finish(); !s.ok()) return s;
  if (!temp_path_.empty()) {
    if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
      return Status::Error(
          StatusCode::kWriteFailed,
          fmt::format("cannot rename the finished output to {}: {}", path_,
                      std::strerror(errno)));
    }
    DropUnfinished(temp_path_);
    temp_path_.clear();
  }
  return Status::Ok();
}

}  // namespace eligo
