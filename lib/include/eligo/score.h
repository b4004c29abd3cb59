// Scoring files in one call, as `eligo score` does: read the panels (CSV in
// any of its encodings, workbooks), decide them on N threads, write the
// decisions in input order (the same for any N), the rejected rows, the
// summary and a run record beside each output, and commit every output at
// once, or none of them.
#ifndef ELIGO_SCORE_H_
#define ELIGO_SCORE_H_

#include <functional>
#include <string>
#include <vector>

#include "eligo/decision.h"
#include "eligo/io.h"
#include "eligo/provenance.h"
#include "eligo/status.h"

namespace eligo {

constexpr int kMaxThreads = 256;

struct ScoreOptions {
  std::vector<InputFile> inputs;
  ReadOptions read;
  WriteOptions write;          // the decisions' format, language and unit
  bool only_eligible = false;  // write eligible decisions only
  int threads = 1;             // 1 to kMaxThreads
  // Where the decisions go: a path, or "-" for standard output.
  std::string output = "-";
  std::string rejects;  // CSV of the rows not scored as they stand; "" none
  std::string summary;  // the summary as JSON; "" none
  // What the caller read besides the inputs (rules, params, history, with
  // their SHA-256) and the command line; ScoreFiles adds the inputs, the
  // time and the version. Written beside each output regular file, as
  // OUTPUT.run.json, and into the summary.
  RunRecord record;
  // Called now and then with the number of entities scored so far, from
  // the thread that writes the decisions.
  std::function<void(long entities)> on_progress;
};

// What a run did: the rows read, rejected and skipped, with warnings and
// notes (`batch.panels` stays empty), and the counts and totals of its
// decisions (its run record set).
struct ScoreReport {
  PanelBatch batch;
  RunSummary summary;
  // Whether an input taken as grouped turned out not to be (an entity's
  // rows came back): what was scored was dropped and the rows grouped in
  // memory and scored again. The outputs are the same either way.
  bool restarted = false;
};

// Scores `options.inputs` with `evaluator`, `history` holding the awards
// of earlier runs. Fails with StatusCode::kInvalid, before writing
// anything, for an input that cannot be used or outputs that would lose
// data (two to one file, or one over a file the run reads); with
// kWriteFailed when an output cannot be written, leaving none under its
// final name.
Result<ScoreReport> ScoreFiles(const Evaluator& evaluator,
                               const History& history,
                               const ScoreOptions& options);

}  // namespace eligo

#endif  // ELIGO_SCORE_H_
