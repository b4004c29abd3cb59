// Reading panels from CSV files, writing decisions as CSV or JSON Lines,
// reading the decisions of an earlier run as history, and writing output
// files so that an interrupted run never leaves one looking complete.
#ifndef ELIGO_IO_H_
#define ELIGO_IO_H_

#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eligo/decision.h"
#include "eligo/panel.h"
#include "eligo/render.h"
#include "eligo/rule_set.h"
#include "eligo/status.h"

namespace eligo {

// One CSV input: `path` ("-" for standard input) and the entity kind of its
// rows ("" to recognise it from the header).
struct InputFile {
  std::string path;
  std::string kind;
};
// "KIND=PATH" (KIND a name of letters, digits, _ and -) or "PATH", as
// `eligo score --input` takes it; an existing file of that name wins.
InputFile ParseInputFile(const std::string& spec);

struct ReadOptions {
  // "auto" (byte-order mark, then strict UTF-8, then GB18030), "utf-8",
  // "gbk" or "gb18030".
  std::string encoding = "auto";
  // Input whose entities' rows are not together is grouped in memory; past
  // this many bytes the read fails with a message that suggests sorting it.
  size_t max_memory_bytes = size_t{4} << 30;
  // The header's line (a workbook's row), 0 to find it among the first
  // rows: the first that names the key and period columns of a kind.
  long header_row = 0;
  // The worksheet of a workbook to read; "" for the first.
  std::string sheet;
  // Fields the rules read that may have no column, on purpose: they then
  // read as empty. Any other such field is an error.
  std::vector<std::string> absent_columns;
};

// A row not scored just as it stands in the file, with its cells as they
// were there: rejected (its key or year could not be read, or a required
// cell is empty), partly read (scored, but cells that could not be read are
// unknown; `reason` names each), or skipped (a blank or totals row, or a
// row above the header).
struct RejectedRow {
  enum class Status : unsigned char { kRejected, kPartlyRead, kSkipped };
  std::string file;
  long line = 0;
  std::string reason;
  std::vector<std::string> cells;
  Status status = Status::kRejected;
};

// Everything read from the inputs. Panels keep the order in which their
// entities first appear. rows_read == scored + rejected + skipped, where
// partly read rows are scored.
struct PanelBatch {
  std::vector<Panel> panels;
  std::vector<RejectedRow> rejects;   // in file and line order
  std::vector<std::string> warnings;  // "file:line: message"
  // Said once per file, before any row: rows above the header, a unit row,
  // money that looks like another unit. Printed first, kept in the summary.
  std::vector<std::string> notes;
  long rows_read = 0;
  bool streamed = false;  // every file was grouped by key and streamed
  std::vector<std::pair<std::string, std::string>>
      digests;  // path, SHA-256 of its bytes
  long count(RejectedRow::Status status) const;
  long rows_scored() const {
    return rows_read - count(RejectedRow::Status::kRejected) -
           count(RejectedRow::Status::kSkipped);
  }
};

struct InputSource;  // an input file as read; defined by the reader

// The rows of one entity of a file grouped by key, as they lie in the file,
// not yet read into cells: reading them is most of the work of reading, and
// a program can do it on other threads.
class UnreadPanel {
 public:
  // Reads the rows into a panel, or nothing when every row is rejected. Rows
  // that cannot be read are appended to `rejects` and warnings to
  // `warnings`, in line order. Safe on any thread, also after ReadPanels
  // has returned.
  std::optional<Panel> Read(std::vector<RejectedRow>& rejects,
                            std::vector<std::string>& warnings) const;
  // The same into `panel`, which it replaces, rewriting the rows `panel`
  // held so that their cells keep their storage: for programs that read
  // many panels in a loop (since 1.3.0). False, with `panel` left empty
  // (no id, rows or conflicts), when every row is rejected.
  bool ReadInto(Panel& panel, std::vector<RejectedRow>& rejects,
                std::vector<std::string>& warnings) const;

 private:
  friend struct InputSource;
  std::shared_ptr<const InputSource> source_;
  size_t begin_ = 0, end_ = 0;  // byte range of the rows in the text
  long line_ = 0;               // the line at begin_
};

// Receives each entity's panel as soon as all its rows are read.
class PanelVisitor {
 public:
  virtual ~PanelVisitor() = default;
  virtual void OnPanel(Panel&& panel) = 0;
};

// A visitor that reads rows itself (e.g. on worker threads): ReadPanels
// hands it each entity of a streamed file unread, and other panels (of
// input grouped in memory) to OnPanel. It must append each entity's rejects
// and warnings to the batch in the order the entities came.
class UnreadPanelVisitor : public PanelVisitor {
 public:
  virtual void OnUnreadPanel(UnreadPanel&& unread) = 0;
};

// An UnreadPanelVisitor that can start over. ReadPanels then streams a file
// at once (unless it looks like sorted files stacked), checking as the rows
// go by that each entity's rows come together, instead of reading it
// through first. Should an
// entity's rows come back after another's, it calls Restart() and hands
// every entity over again, grouped in memory, as it does for input that is
// not grouped.
class RestartablePanelVisitor : public UnreadPanelVisitor {
 public:
  // Whether Restart() could be honoured; asked once, before any entity.
  virtual bool CanRestart() const = 0;
  // Forgets every panel handed over so far and all made from them, once
  // those in its hands are done with; on return, nothing of them is left.
  // ReadPanels drops their rejects, warnings and row counts from the batch.
  virtual void Restart() = 0;
};

// Reads the inputs as the ReadPanels below does, but hands each panel to
// `visitor` in the order entities first appear instead of keeping it; `batch`
// gets the counts, rejects, warnings and digests. A file grouped by key
// (each entity's rows together, in any order of keys; each kind in one
// file) is streamed in bounded memory whatever its size (8 to 16 bytes a
// key when not sorted), its entities unread when `visitor` is an
// UnreadPanelVisitor; other input is indexed in memory, about its own size
// again.
Status ReadPanels(const std::vector<InputFile>& inputs, const RuleSet& rules,
                  const ReadOptions& options, PanelVisitor& visitor,
                  PanelBatch& batch);

// Reads every input into one batch: headers by field name or alias, in any
// order, with units such as (万元) scaling money exactly to yuan. A row that
// cannot be read is rejected with its line and reason; two rows for one
// entity and year are both rejected, and that year reads as missing. Fails
// only when a file cannot be used at all (unreadable, undecodable, no
// usable header, kind not recognised).
Result<PanelBatch> ReadPanels(const std::vector<InputFile>& inputs,
                              const RuleSet& rules,
                              const ReadOptions& options = {});

// Awards of earlier runs by entity: key is "KIND/ID".
using History = std::map<std::string, std::vector<PastAward>>;
std::string HistoryKey(const std::string& kind, const std::string& id);
// The earlier awards to the entity of `panel` (none if it has none).
const std::vector<PastAward>& AwardsOf(const History& history,
                                       const Panel& panel);

// Reads eligo's own CSV or JSON Lines output of an earlier run, keeping its
// eligible decisions. Fails with the line of the first malformed record.
// A CSV written in Chinese is read with `rules`, which map its titles back
// to ids (an error without them).
Result<History> ReadHistory(const std::string& path,
                            const RuleSet* rules = nullptr);

enum class OutputFormat { kCsv, kJsonLines };

struct WriteOptions {
  OutputFormat format = OutputFormat::kCsv;
  bool trace = false;  // JSON Lines: add each decision's trace
  bool excel = false;  // CSV: UTF-8 byte-order mark; formulas escaped
  // CSV: the language of headers and words, and the unit of amounts.
  // JSON Lines are for programs: English, in yuan, whatever these say.
  Lang lang = Lang::kEn;
  AmountUnit amount_unit = AmountUnit::kYuan;
};

// An output file written under a temporary name in the same directory and
// renamed to its final name by Commit(). Dropped without Commit(), the
// temporary file is removed. "-" writes to standard output directly; so do
// a device, a pipe, and /dev/stdout, /dev/fd/N or /proc/self/fd/N (which
// are appended to). A file replaced keeps its mode, a new one gets 0666
// less the umask, and a symbolic link's target is replaced, not the link
// (since 1.3.3). A large file is synced to disk by a thread of its own as
// it grows (since 1.3.2), so that Finish() waits only for its last few MB.
class OutputFile {
 public:
  static Result<std::unique_ptr<OutputFile>> Create(const std::string& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void Write(std::string_view data);  // errors are reported by Finish()
  // Flushes, syncs and closes the file; fails when any write failed. Finish
  // every output of a run before committing any, so that a failure leaves
  // none of them.
  Status Finish();
  // Finishes if needed, then renames the file to its final name.
  Status Commit();
  // Whether Rewind() can take back what was written: true for a file made
  // here, false for standard output, a device or a pipe.
  bool rewindable() const { return !temp_path_.empty() && !finished_; }
  // Discards everything written so far, for a run that starts over (since
  // 1.3.0). Fails when not rewindable().
  Status Rewind();

  // Removes the temporary files of every OutputFile not yet committed or
  // dropped, for a program's handler of SIGINT or SIGTERM, which exits
  // after: it only calls unlink() (since 1.3.3).
  static void RemoveUnfinished();

 private:
  OutputFile() = default;
  void Flush();
  void Fail();  // remembers the first errno

  std::string path_, temp_path_;
  std::FILE* file_ = nullptr;
  bool failed_ = false;
  bool finished_ = false;
  int error_ = 0;
  std::string buffer_;
  size_t unsynced_ = 0;  // bytes written since the last sync was asked for
  class Writeback;
  std::unique_ptr<Writeback> writeback_;  // once the file is large
};

// Formats decisions: CSV with the columns entity_kind, id, name, county,
// year, rule, tier, outcome, award, amount, payer, citation, reason, notes,
// decision_id (in Chinese: headers, outcome and award words, rule, tier and
// entity titles, reasons); or one JSON object per line with the same keys
// (and `missing`, and `trace` when asked for). Ids come from `rules`.
class DecisionWriter {
 public:
  DecisionWriter(const RuleSet& rules, const WriteOptions& options);
  // What starts the file: the CSV header (after a BOM with `excel`), or
  // nothing for JSON Lines.
  std::string Header() const;
  // Appends one decision of `panel`'s entity to `out`. Safe to call from
  // several threads at once, each with its own `out`.
  void Append(const Decision& d, const Panel& panel, std::string& out) const;

 private:
  const RuleSet& rules_;
  WriteOptions options_;
  Renderer words_;    // for the CSV, in its language
  Renderer english_;  // for JSON Lines
};

// "rejected", "partly_read" or "skipped": the status column of rejects.
const char* RowStatusName(RejectedRow::Status status);

// Writes the rows not scored as they stand as CSV: file, line, status,
// reason, then the original cells.
void WriteRejects(OutputFile& out, const std::vector<RejectedRow>& rejects,
                  bool excel);

// Counts and totals of a run, printed on stderr or written as JSON.
class RunSummary {
 public:
  void Add(const Decision& d);
  // Adds every decision of `decisions` (e.g. one entity's): the same as one
  // at a time, faster.
  void Add(const std::vector<Decision>& decisions);
  void SetRows(const PanelBatch& batch);
  // Adds the counts and totals of `other` (e.g. another thread's).
  void Merge(const RunSummary& other);
  // The run's provenance record (a JSON object), included in ToJson().
  void SetRun(std::string run_json) { run_json_ = std::move(run_json); }
  // For people, in the words and amount unit of `words`.
  std::string ToText(const Renderer& words) const;
  std::string ToJson() const;

 private:
  void AddTotals(const Decision& d);  // money and missing inputs

  std::map<std::string, std::map<std::string, long>>
      outcomes_;  // rule -> outcome -> count
  std::map<std::string, Decimal> by_payer_, by_rule_;
  std::map<int, Decimal> by_year_;
  std::map<std::string, long> missing_;
  long rows_scored() const {
    return rows_read_ - rows_rejected_ - rows_skipped_;
  }

  long rows_read_ = 0, rows_rejected_ = 0, rows_skipped_ = 0,
       rows_partly_read_ = 0, decisions_ = 0;
  std::vector<std::string> notes_, warnings_;
  std::string run_json_;
};

}  // namespace eligo

#endif  // ELIGO_IO_H_
