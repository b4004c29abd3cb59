// eligo score: every decision for CSV panels, as CSV or JSON Lines.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <ctime>
#include <deque>
#include <exception>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <mutex>
#include <optional>
#include <thread>

#include "common.h"
#include "eligo/provenance.h"

namespace eligo::cli {
namespace {

constexpr const char* kHelp =
    R"(usage: eligo score --rules RULES [--params PARAMS] --input [KIND=]PATH... [options]

Decides every rule for every entity and year of the input panels: one
decision per entity, year and rule of its kind, in input order, then year,
then rule-file order.

Inputs are .xlsx workbooks (the first sheet, or --sheet NAME) or CSV,
UTF-8 (with or without BOM) or GBK/GB18030, headers as field names or
Chinese aliases in any order, money units in headers such as
年销售收入(万元) or in a unit row (单位：万元) above the header. The header is
found among the first 30 rows (--header-row N says which); rows above it,
blank rows and totals rows (合计) are skipped and counted. The kind of each
file is recognised from its header; KIND=PATH forces it; - reads standard
input. A field the rules read with no column is an error, unless
--absent-column FIELD says it is absent on purpose.

A cell that cannot be read makes that value unknown (decisions that need
it are undetermined) and the row partly read; a row whose key or year
cannot be read is rejected. Both go to --rejects with their line and
reason (the first ten to stderr without it); the run goes on. Output
files appear under their final name only when complete; two outputs, or
an output and a file read, may not name the same file.

exit status: 0 every row scored; 1 some rows rejected or partly read; 2
usage error or invalid rule, params or input file (nothing written); 3
an output could not be written.

example:
  eligo score --rules rules/luohe-2017.yaml --params examples/params.yaml \
      --input examples/enterprises.csv --input examples/lenders.csv \
      --output decisions.csv --rejects rejects.csv --summary summary.json
)";

struct Outputs {
  std::unique_ptr<OutputFile> decisions, rejects, summary;
  std::vector<std::unique_ptr<OutputFile>> sidecars;  // OUTPUT.run.json
};

// An output written to a regular file gets a provenance sidecar.
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

// What this run read: the rule, params and history files, hashed as soon
// as they are loaded (the inputs' digests are added as they are read).
Result<RunRecord> Record(const std::vector<std::string>& args,
                         const po::variables_map& vm, const Run& run) {
  RunRecord record;
  record.version = Version();
  record.rule_set_digest = run.evaluator.rules().digest();
  record.arguments = {"eligo", "score"};
  record.arguments.insert(record.arguments.end(), args.begin(), args.end());
  for (const char* role : {"rules", "params", "history"}) {
    std::string path = vm[role].as<std::string>();
    if (path.empty()) continue;
    // A pipe read once cannot be hashed again: its record would be wrong.
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
      return Status::Error(fmt::format(
          "--{} {} is not a regular file, whose SHA-256 the run's record "
          "needs",
          role, path));
    }
    Result<std::string> sha = Sha256File(path);
    if (!sha.ok()) return sha.status();
    record.files.push_back({role, path, *sha});
  }
  return record;
}

// Refuses outputs that would lose data: two to one file (the last renamed
// wins) or to standard output (mixed), and an output over a file the run
// reads (replaced once it is read). Devices such as /dev/null may repeat.
void CheckOutputPaths(const po::variables_map& vm) {
  namespace fs = std::filesystem;
  std::vector<std::pair<std::string, std::string>> files;  // what, path
  for (const char* role : {"rules", "params", "history"})
    files.emplace_back(fmt::format("--{}", role), vm[role].as<std::string>());
  for (const InputFile& input : Inputs(vm))
    files.emplace_back("--input", input.path);
  size_t outputs_from = files.size();
  for (const char* option : {"output", "rejects", "summary"}) {
    std::string path = vm[option].as<std::string>();
    files.emplace_back(fmt::format("--{}", option), path);
    if (WantsSidecar(path))
      files.emplace_back(fmt::format("--{}'s sidecar", option),
                         path + ".run.json");
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
        throw UsageError{fmt::format("{} and {} name the same file: {}",
                                     files[f].first, files[o].first,
                                     files[o].second)};
      }
    }
  }
}

// Ends the run as `signal` would have, once the outputs' temporary files
// are gone.
void RemoveOutputsAndDie(int signal) {
  OutputFile::RemoveUnfinished();
  raise(signal);  // delivered on return, with the default action (below)
}

// SIGINT (Ctrl-C), SIGTERM, SIGHUP and SIGPIPE leave no temporary file. A
// signal the caller ignores (nohup, trap '') stays ignored.
void RemoveOutputsOnSignals() {
  for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {
    struct sigaction old = {};
    if (sigaction(signal, nullptr, &old) != 0 || old.sa_handler != SIG_DFL)
      continue;
    struct sigaction on = {};
    on.sa_handler = RemoveOutputsAndDie;
    sigemptyset(&on.sa_mask);
    on.sa_flags = SA_RESETHAND;
    sigaction(signal, &on, nullptr);
  }
}

// Opens an output, or returns null after saying why.
std::unique_ptr<OutputFile> Open(const std::string& path) {
  Result<std::unique_ptr<OutputFile>> file = OutputFile::Create(path);
  if (!file.ok()) {
    std::cerr << "error: " << file.error() << "\n";
    return nullptr;
  }
  return std::move(file).value();
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
// pool. Writing to a file it can rewind, it takes a sorted file's entities
// before the file is known to be grouped, and starts over if it is not.
class Scorer : public RestartablePanelVisitor {
 public:
  Scorer(const Run& run, PanelBatch& batch, const DecisionWriter& writer,
         OutputFile& out, bool only_eligible, const EvalOptions& eval,
         int threads)
      : run_(run),
        batch_(batch),
        writer_(writer),
        out_(out),
        only_eligible_(only_eligible),
        eval_(eval),
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
    if (progress_) std::cerr << fmt::format("\rscored {} entities", written_);
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
    if (progress_) std::cerr << "\n";  // after "scored N entities"
    std::cerr << "note: the input is not grouped by its key after all (the "
                 "rows of one entity come back after others); its rows are "
                 "grouped in memory and scored again (sort the file to save "
                 "this)\n";
  }

  RunSummary Summary() const {
    RunSummary all;
    for (const Worker& w : workers_) all.Merge(w.summary);
    return all;
  }
  void set_progress(bool on) { progress_ = on; }

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
    if (progress_ && before / 8192 != written_ / 8192)
      std::cerr << fmt::format("\rscored {} entities", written_);
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
      run_.evaluator.Evaluate(panel, run_.HistoryOf(panel), eval_,
                              worker.decisions);
      worker.summary.Add(worker.decisions);
      for (const Decision& d : worker.decisions) {
        if (!only_eligible_ || d.outcome == Outcome::kEligible)
          writer_.Append(d, panel, b.text);
      }
    }
  }

  const Run& run_;
  PanelBatch& batch_;  // gets the rejects and warnings, in order
  const DecisionWriter& writer_;
  OutputFile& out_;
  bool only_eligible_;
  EvalOptions eval_;
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
  bool progress_ = false;
};

}  // namespace

int Score(const std::vector<std::string>& args) {
  std::string started = NowUtc();
  auto clock = std::chrono::steady_clock::now();
  po::options_description options("options");
  AddRunOptions(options);
  AddWordOptions(options);
  options.add_options()("output,o",
                        po::value<std::string>()->default_value("-"),
                        "decisions file, - for standard output")(
      "format", po::value<std::string>()->default_value("csv"), "csv or jsonl")(
      "rejects", po::value<std::string>()->default_value(""),
      "file for rows that could not be read (CSV)")(
      "only", po::value<std::string>()->default_value(""),
      "`eligible`: keep eligible decisions only")(
      "trace", po::bool_switch(), "JSON Lines: add each decision's trace")(
      "excel", po::bool_switch(),
      "CSV for spreadsheets: UTF-8 BOM, formula-like cells escaped")(

      "summary", po::value<std::string>()->default_value(""),
      "write the run summary as JSON here (default: text on stderr)")(
      "threads", po::value<int>()->default_value(1),
      "threads that read rows, evaluate and format (output is the same)")(
      "max-memory", po::value<long>()->default_value(4096),
      "MB an input not grouped by key may take to group in memory");
  po::variables_map vm;
  if (!ParseArgs(args, options, {}, kHelp, vm)) return kOk;

  WriteOptions write;
  std::string format = vm["format"].as<std::string>();
  if (format == "jsonl") {
    write.format = OutputFormat::kJsonLines;
  } else if (format != "csv") {
    throw UsageError{
        fmt::format("--format must be csv or jsonl, not `{}`", format)};
  }
  std::string only = vm["only"].as<std::string>();
  if (!only.empty() && only != "eligible")
    throw UsageError{"--only takes one value: eligible"};
  write.trace = vm["trace"].as<bool>();
  write.excel = vm["excel"].as<bool>();
  if (write.trace && write.format != OutputFormat::kJsonLines)
    throw UsageError{"--trace needs --format jsonl"};
  if (write.excel && write.format != OutputFormat::kCsv)
    throw UsageError{"--excel needs --format csv"};

  int threads = vm["threads"].as<int>();
  if (threads < 1 || threads > 256)
    throw UsageError{"--threads must be between 1 and 256"};
  long max_memory = vm["max-memory"].as<long>();
  if (max_memory < 1 || static_cast<unsigned long>(max_memory) > SIZE_MAX >> 20)
    throw UsageError{fmt::format("--max-memory must be between 1 and {} (MB)",
                                 SIZE_MAX >> 20)};

  CheckOutputPaths(vm);
  std::optional<Run> run = LoadRun(vm, /*read_panels=*/false);
  if (!run) return kUsage;
  Result<RunRecord> record = Record(args, vm, *run);
  if (!record.ok()) {
    std::cerr << "error: " << record.error() << "\n";
    return kUsage;
  }
  const PanelBatch* batch = &run->batch;

  RemoveOutputsOnSignals();
  Outputs out;
  out.decisions = Open(vm["output"].as<std::string>());
  if (out.decisions == nullptr) return kWriteFailed;
  for (auto [option, file] : {std::pair{"rejects", &out.rejects},
                              std::pair{"summary", &out.summary}}) {
    std::string path = vm[option].as<std::string>();
    if (path.empty()) continue;
    *file = Open(path);
    if (*file == nullptr) return kWriteFailed;
  }

  write.lang = LangOf(vm, run->evaluator.rules());
  write.amount_unit = AmountUnitOf(vm);
  DecisionWriter writer(run->evaluator.rules(), write);
  out.decisions->Write(writer.Header());
  EvalOptions eval;
  eval.trace = write.trace;
  Scorer scorer(*run, run->batch, writer, *out.decisions, !only.empty(), eval,
                threads);
  scorer.set_progress(isatty(STDERR_FILENO));
  ReadOptions read = ReadOptionsOf(vm);
  read.max_memory_bytes = static_cast<size_t>(max_memory) << 20;
  if (Status s = ReadPanels(Inputs(vm), run->evaluator.rules(), read, scorer,
                            run->batch);
      !s.ok()) {
    std::cerr << "error: " << s.message() << "\n";
    return kUsage;
  }
  scorer.Finish();
  if (isatty(STDERR_FILENO)) std::cerr << "\n";
  for (const std::string& note : batch->notes) std::cerr << note << "\n";
  RunSummary summary = scorer.Summary();
  summary.SetRows(*batch);
  if (out.rejects) WriteRejects(*out.rejects, batch->rejects, write.excel);
  for (const auto& [path, sha] : batch->digests)
    record.value().files.push_back({"input", path, sha});
  record.value().started_utc = started;
  record.value().elapsed_ms =
      static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - clock)
                            .count());
  std::string run_json = RunRecordToJson(*record);
  summary.SetRun(run_json);
  if (out.summary) out.summary->Write(summary.ToJson() + "\n");
  for (const char* option : {"output", "rejects", "summary"}) {
    std::string path = vm[option].as<std::string>();
    if (!WantsSidecar(path)) continue;
    out.sidecars.push_back(Open(path + ".run.json"));
    if (out.sidecars.back() == nullptr) return kWriteFailed;
    out.sidecars.back()->Write(run_json + "\n");
  }

  // All or nothing: every output is complete on disk before any is renamed.
  std::vector<OutputFile*> files = {out.decisions.get(), out.rejects.get(),
                                    out.summary.get()};
  for (auto& sidecar : out.sidecars) files.push_back(sidecar.get());
  for (bool rename : {false, true}) {
    for (OutputFile* file : files) {
      if (file == nullptr) continue;
      Status s = rename ? file->Commit() : file->Finish();
      if (!s.ok()) {
        std::cerr << "error: " << s.message() << "\n";
        return kWriteFailed;
      }
    }
  }
  if (!out.rejects) PrintRowReports(*batch);
  if (!out.summary) {
    std::cerr << summary.ToText(
        Renderer(run->evaluator.rules(), write.lang, write.amount_unit));
  }
  bool all_read = batch->count(RejectedRow::Status::kRejected) == 0 &&
                  batch->count(RejectedRow::Status::kPartlyRead) == 0;
  return all_read ? kOk : kRejected;
}

}  // namespace eligo::cli
