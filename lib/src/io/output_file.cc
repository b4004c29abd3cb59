// Output files that appear under their final name only when complete.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

#include "eligo/io.h"

namespace eligo {
namespace {

constexpr size_t kFlushBytes = 1 << 20;
// A file made here is synced as it grows, every this many bytes, so that
// the sync at the end waits for the last few, not for all of them.
constexpr size_t kWritebackBytes = size_t{32} << 20;

}  // namespace

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
  std::unique_ptr<OutputFile> out(new OutputFile());
  out->path_ = path;
  if (path == "-") {
    out->file_ = stdout;
    return out;
  }
  // Devices and pipes (/dev/null, /dev/full, a FIFO) cannot be replaced by
  // a rename: write to them directly.
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    out->file_ = std::fopen(path.c_str(), "wb");
    if (out->file_ == nullptr)
      return Status::Error(
          fmt::format("cannot write {}: {}", path, std::strerror(errno)));
    return out;
  }
  namespace fs = std::filesystem;
  fs::path final_path(path);
  fs::path dir = final_path.parent_path().empty() ? fs::path(".")
                                                  : final_path.parent_path();
  std::string temp =
      (dir / ("." + final_path.filename().string() + ".tmp.XXXXXX")).string();
  int fd = mkstemp(temp.data());
  if (fd < 0)
    return Status::Error(fmt::format("cannot write in {}: {}", dir.string(),
                                     std::strerror(errno)));
  fchmod(fd, 0644);
  out->file_ = fdopen(fd, "wb");
  if (out->file_ == nullptr) {
    close(fd);
    unlink(temp.c_str());
    return Status::Error(
        fmt::format("cannot write {}: {}", temp, std::strerror(errno)));
  }
  out->temp_path_ = temp;
  return out;
}

OutputFile::~OutputFile() {
  writeback_.reset();  // before the file it syncs is closed
  if (file_ != nullptr && file_ != stdout) std::fclose(file_);
  if (!temp_path_.empty()) unlink(temp_path_.c_str());
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
  if (unsynced_ >= kWritebackBytes && !temp_path_.empty() &&
      std::fflush(file_) == 0) {
    if (!writeback_) writeback_ = std::make_unique<Writeback>(fileno(file_));
    writeback_->Request();
    unsynced_ = 0;
  }
}

void OutputFile::Fail() {
  if (!failed_) error_ = errno;
  failed_ = true;
}

Status OutputFile::Finish() {
  if (finished_) return Status::Ok();
  finished_ = true;
  Flush();
  if (std::fflush(file_) != 0) Fail();
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
  if (failed_) {
    return Status::Error(fmt::format("writing {} failed: {}",
                                     path_ == "-" ? "standard output" : path_,
                                     std::strerror(error_)));
  }
  return Status::Ok();
}

Status OutputFile::Rewind() {
  if (!rewindable()) return Status::Error("this output cannot be rewound");
  buffer_.clear();
  unsynced_ = 0;
  if (std::fflush(file_) != 0 || ftruncate(fileno(file_), 0) != 0 ||
      std::fseek(file_, 0, SEEK_SET) != 0)
    Fail();
  if (failed_) {
    return Status::Error(
        fmt::format("rewinding {} failed: {}", path_, std::strerror(error_)));
  }
  return Status::Ok();
}

Status OutputFile::Commit() {
  if (Status s = Finish(); !s.ok()) return s;
  if (failed_) return Status::Error(fmt::format("writing {} failed", path_));
  if (!temp_path_.empty()) {
    if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
      return Status::Error(
          fmt::format("cannot rename the finished output to {}: {}", path_,
                      std::strerror(errno)));
    }
    temp_path_.clear();
  }
  return Status::Ok();
}

}  // namespace eligo
