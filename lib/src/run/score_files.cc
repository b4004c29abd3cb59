// ScoreFiles: the batch run behind `eligo score`. The reader hands each
// entity to a Scorer, which decides and writes on N threads in input order;
// the outputs are committed together at the end.
#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <thread>

#include "eligo/rule_set.h"
#include "eligo/score.h"

namespace eligo {
namespace {

// An output written to a regular file gets a run record beside it.
bool WantsSidecar(const std::string& path) {
  if (path.empty() || path == "-") return false;
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  return ec || status.type() == std::filesystem::file_type::not_found ||
         status.type() == std::filesystem::file_type::regular;
}

std::string NowUtc() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Refuses outputs that would lose data: two to one file (the last renamed
// wins) or to standard output (mixed), and an output over a file the run
// reads (replaced once it is read). Devices such as /dev/null may repeat.
Status CheckOutputPaths(const ScoreOptions& options) {
  namespace fs = std::filesystem;
  std::vector<std::pair<std::string, std::string>> files;  // what, path
  for (const RunRecord::File& file : options.record.files)
    files.emplace_back(file.role, file.path);
  for (const InputFile& input : options.inputs)
    files.emplace_back("input", input.path);
  size_t outputs_from = files.size();
  for (auto [role, path] : {std::pair{"output", &options.output},
                            std::pair{"rejects", &options.rejects},
                            std::pair{"summary", &options.summary}}) {
    files.emplace_back(role, *path);
    if (WantsSidecar(*path))
      files.emplace_back(fmt::format("{}'s run record", role),
                         *path + ".run.json");
  }
  // The file a path names ("" for none, or a device or a pipe).
  auto key = [](const std::string& path) {
    std::error_code error;
    if (path.empty() || path == "-") return path;
    if (fs::exists(path, error) && !fs::is_regular_file(path, error))
      return std::string();
    fs::path canonical = fs::weakly_canonical(fs::absolute(path, error), error);
    return error ? path : canonical.string();
  };
  for (size_t o = outputs_from; o < files.size(); ++o) {
    std::string out = key(files[o].second);
    if (out.empty()) continue;
    for (size_t f = 0; f < o; ++f) {
      if (f < outputs_from && files[f].second == "-") continue;  // stdin
      if (key(files[f].second) == out) {
        return Status::Error(
            fmt::format("the {} and the {} name the same file: {}",
                        files[f].first, files[o].first, files[o].second));
      }
    }
  }
  return Status::Ok();
}

// Reads and evaluates panels as the reader hands them over and writes their
// decisions, rejects and warnings in input order, so the output is the same
// for any number of threads. Entities go in small batches (cache-sized) to
// N scorers, which read their rows (a grouped file's entities come unread:
// the reader's thread only finds where each starts), evaluate and format.
// The reader's thread is one of the N: when a few batches wait, it scores
// the oldest itself rather than sleep, so N threads keep N cores busy
// without a switch per batch. A scorer that finishes the oldest batch writes
// it and any finished after it; the reader's thread waits when too many
// batches are in flight, which bounds memory. With one thread there is no
// pool. Writing to a file it can rewind, it takes a file's entities before
// the file is known to be grouped, and starts over if it is not.
class Scorer : public RestartablePanelVisitor {
 public:
  Scorer(const Evaluator& evaluator, const History& history, PanelBatch& batch,
         const DecisionWriter& writer, OutputFile& out, bool only_eligible,
         const EvalOptions& eval, int threads,
         std::function<void(long)> on_progress)
      : evaluator_(evaluator),
        history_(history),
        batch_(batch),
        writer_(writer),
        out_(out),
        only_eligible_(only_eligible),
        eval_(eval),
        on_progress_(std::move(on_progress)),
        workers_(static_cast<size_t>(threads)) {
    // workers_.back() is the reader's thread's.
    for (size_t w = 0; w + 1 < workers_.size(); ++w)
      pool_.emplace_back([this, w] { WorkerLoop(workers_[w]); });
    current_ = NewBatch();
  }

  ~Scorer() override { Stop(); }

  // A batch holds panels or unread panels, never both, to keep their order.
  void OnPanel(Panel&& panel) override {
    if (!current_->unread.empty()) Submit();
    current_->Keep(std::move(panel));
    if (current_->used >= kBatch) Submit();
  }

  void OnUnreadPanel(UnreadPanel&& unread) override {
    if (current_->used > 0) Submit();
    current_->unread.push_back(std::move(unread));
    if (current_->unread.size() >= kBatch) Submit();
  }

  // Scores what is left and writes everything.
  void Finish() {
    if (current_->used > 0 || !current_->unread.empty()) Submit();
    Drain();
    Stop();
    if (on_progress_) on_progress_(written_);
  }

  bool CanRestart() const override { return out_.rewindable(); }
  // The input is not grouped after all: what was scored is written (the
  // scorers finish their batches), then thrown away.
  void Restart() override {
    current_->unread.clear();
    current_->used = 0;
    Drain();
    for (Worker& w : workers_) w.summary = RunSummary();
    written_ = 0;
    // A failed rewind makes the output's Finish() fail.
    if (out_.Rewind().ok()) out_.Write(writer_.Header());
    restarted_ = true;
  }

  bool restarted() const { return restarted_; }
  RunSummary Summary() const {
    RunSummary all;
    for (const Worker& w : workers_) all.Merge(w.summary);
    return all;
  }

 private:
  static constexpr size_t kBatch = 32;        // entities per batch
  static constexpr size_t kMaxInFlight = 64;  // batches, over all workers
  // Batches left waiting for the pool before the reader's thread scores one.
  static constexpr size_t kQueued = 2;

  struct Batch {
    std::vector<UnreadPanel> unread;
    // panels[0, used) are the batch's; the rest keep their rows' storage
    // for the entities of later batches.
    std::vector<Panel> panels;
    size_t used = 0;
    std::string text;  // the decisions, formatted
    std::vector<RejectedRow> rejects;
    std::vector<std::string> warnings;
    bool done = false;

    void Keep(Panel&& panel) {
      if (used == panels.size()) {
        panels.push_back(std::move(panel));
      } else {
        panels[used] = std::move(panel);
      }
      ++used;
    }
    void Read(const UnreadPanel& unread) {
      if (used < panels.size()) {
        if (unread.ReadInto(panels[used], rejects, warnings)) ++used;
      } else if (std::optional<Panel> panel = unread.Read(rejects, warnings)) {
        Keep(std::move(*panel));
      }
    }
  };
  struct Worker {
    RunSummary summary;
    std::vector<Decision> decisions;  // reused from panel to panel
  };

  std::unique_ptr<Batch> NewBatch() {
    if (free_.empty()) return std::make_unique<Batch>();
    std::unique_ptr<Batch> b = std::move(free_.back());
    free_.pop_back();
    return b;
  }

  void Submit() {
    if (pool_.empty()) {
      Score(*current_, workers_[0]);
      Write(*current_);
      return;
    }
    std::unique_lock lock(mutex_);
    room_.wait(lock,
               [this] { return failure_ || in_flight_.size() < kMaxInFlight; });
    if (failure_) std::rethrow_exception(failure_);
    todo_.push_back(current_.get());
    in_flight_.push_back(std::move(current_));
    current_ = NewBatch();
    work_ready_.notify_one();
    while (todo_.size() > kQueued * pool_.size()) ScoreOldest(lock);
  }

  // Takes the oldest batch no one has taken, scores it without the lock
  // and writes what is ready.
  void ScoreOldest(std::unique_lock<std::mutex>& lock, Worker& worker) {
    Batch* b = todo_.front();
    todo_.pop_front();
    lock.unlock();
    Score(*b, worker);
    lock.lock();
    b->done = true;
    WriteReady(lock);
  }
  void ScoreOldest(std::unique_lock<std::mutex>& lock) {
    ScoreOldest(lock, workers_.back());
  }

  // Writes the finished batches at the front, in input order, without
  // holding the lock while writing. One writer at a time: a worker that
  // finds another writing leaves its batch to it (the writer checks the
  // front again under the lock before it stops).
  void WriteReady(std::unique_lock<std::mutex>& lock) {
    if (writing_) return;
    writing_ = true;
    while (!in_flight_.empty() && in_flight_.front()->done) {
      std::unique_ptr<Batch> b = std::move(in_flight_.front());
      in_flight_.pop_front();
      lock.unlock();
      Write(*b);
      b->done = false;
      lock.lock();
      free_.push_back(std::move(b));
      room_.notify_all();
    }
    writing_ = false;
    room_.notify_all();
  }

  void Write(Batch& b) {
    out_.Write(b.text);
    b.text.clear();
    std::move(b.rejects.begin(), b.rejects.end(),
              std::back_inserter(batch_.rejects));
    b.rejects.clear();
    std::move(b.warnings.begin(), b.warnings.end(),
              std::back_inserter(batch_.warnings));
    b.warnings.clear();
    long before = written_;
    written_ += static_cast<long>(b.used);
    b.used = 0;
    if (on_progress_ && before / 8192 != written_ / 8192)
      on_progress_(written_);
  }

  // Waits until every batch handed over is scored and written.
  void Drain() {
    std::unique_lock lock(mutex_);
    while (!todo_.empty() && !failure_) ScoreOldest(lock);
    room_.wait(
        lock, [this] { return failure_ || (in_flight_.empty() && !writing_); });
    if (failure_) std::rethrow_exception(failure_);
  }

  void WorkerLoop(Worker& worker) {
    std::unique_lock lock(mutex_);
    while (true) {
      work_ready_.wait(lock, [this] { return stopping_ || !todo_.empty(); });
      if (todo_.empty() || failure_) return;  // stopping with nothing left
      try {
        ScoreOldest(lock, worker);
      } catch (...) {  // e.g. out of memory: the reader's thread rethrows it
        if (!lock.owns_lock()) lock.lock();
        if (!failure_) failure_ = std::current_exception();
        room_.notify_all();
        return;
      }
    }
  }

  void Stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_ready_.notify_all();
    for (std::thread& t : pool_) t.join();
    pool_.clear();
  }

  void Score(Batch& b, Worker& worker) const {
    for (const UnreadPanel& unread : b.unread) b.Read(unread);
    b.unread.clear();
    for (size_t i = 0; i < b.used; ++i) {
      const Panel& panel = b.panels[i];
      evaluator_.Evaluate(panel, AwardsOf(history_, panel), eval_,
                          worker.decisions);
      worker.summary.Add(worker.decisions);
      for (const Decision& d : worker.decisions) {
        if (!only_eligible_ || d.outcome == Outcome::kEligible)
          writer_.Append(d, panel, b.text);
      }
    }
  }

  const Evaluator& evaluator_;
  const History& history_;
  PanelBatch& batch_;  // gets the rejects and warnings, in order
  const DecisionWriter& writer_;
  OutputFile& out_;
  bool only_eligible_;
  EvalOptions eval_;
  std::function<void(long)> on_progress_;
  std::vector<Worker> workers_;
  std::vector<std::thread> pool_;
  std::unique_ptr<Batch> current_;  // filled by the reader
  std::mutex mutex_;                // guards what follows
  std::condition_variable work_ready_;
  std::condition_variable room_;                  // a batch was written
  std::deque<std::unique_ptr<Batch>> in_flight_;  // in input order
  std::deque<Batch*> todo_;                       // not yet taken
  std::vector<std::unique_ptr<Batch>> free_;      // for reuse
  bool writing_ = false;                          // a worker is writing batches
  bool stopping_ = false;
  std::exception_ptr failure_;  // the first exception a worker met
  long written_ = 0;            // entities whose decisions are written
  bool restarted_ = false;
};

}  // namespace

Result<ScoreReport> ScoreFiles(const Evaluator& evaluator,
                               const History& history,
                               const ScoreOptions& options) {
  auto clock = std::chrono::steady_clock::now();
  RunRecord record = options.record;
  record.version = Version();
  record.rule_set_digest = evaluator.rules().digest();
  record.started_utc = NowUtc();
  if (options.threads < 1 || options.threads > kMaxThreads) {
    return Status::Error(
        fmt::format("threads must be between 1 and {}", kMaxThreads));
  }
  if (options.write.trace && options.write.format != OutputFormat::kJsonLines)
    return Status::Error("a trace needs the jsonl format");
  if (options.write.excel && options.write.format != OutputFormat::kCsv)
    return Status::Error("excel needs the csv format");
  if (Status s = CheckOutputPaths(options); !s.ok()) return s;

  // Opened in this order, committed in this order after every one is
  // finished: all or nothing.
  std::vector<std::unique_ptr<OutputFile>> files;
  auto open = [&files](const std::string& path) -> Status {
    Result<std::unique_ptr<OutputFile>> file = OutputFile::Create(path);
    if (!file.ok()) return file.status();
    files.push_back(std::move(file).value());
    return Status::Ok();
  };
  if (Status s = open(options.output); !s.ok()) return s;
  OutputFile& decisions = *files.back();
  OutputFile* rejects = nullptr;
  OutputFile* summary = nullptr;
  for (auto [path, file] : {std::pair{&options.rejects, &rejects},
                            std::pair{&options.summary, &summary}}) {
    if (path->empty()) continue;
    if (Status s = open(*path); !s.ok()) return s;
    *file = files.back().get();
  }

  DecisionWriter writer(evaluator.rules(), options.write);
  decisions.Write(writer.Header());
  EvalOptions eval;
  eval.trace = options.write.trace;
  ScoreReport report;
  {
    Scorer scorer(evaluator, history, report.batch, writer, decisions,
                  options.only_eligible, eval, options.threads,
                  options.on_progress);
    if (Status s = ReadPanels(options.inputs, evaluator.rules(), options.read,
                              scorer, report.batch);
        !s.ok())
      return s;
    scorer.Finish();
    report.summary = scorer.Summary();
    report.restarted = scorer.restarted();
  }
  report.summary.SetRows(report.batch);
  if (rejects != nullptr)
    WriteRejects(*rejects, report.batch.rejects, options.write.excel);
  for (const auto& [path, sha] : report.batch.digests)
    record.files.push_back({"input", path, sha});
  record.elapsed_ms =
      static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - clock)
                            .count());
  std::string run_json = RunRecordToJson(record);
  report.summary.SetRun(run_json);
  if (summary != nullptr) summary->Write(report.summary.ToJson() + "\n");
  for (const std::string* path :
       {&options.output, &options.rejects, &options.summary}) {
    if (!WantsSidecar(*path)) continue;
    if (Status s = open(*path + ".run.json"); !s.ok()) return s;
    files.back()->Write(run_json + "\n");
  }
  for (bool rename : {false, true}) {
    for (const std::unique_ptr<OutputFile>& file : files) {
      if (Status s = rename ? file->Commit() : file->Finish(); !s.ok())
        return s;
    }
  }
  return report;
}

}  // namespace eligo
