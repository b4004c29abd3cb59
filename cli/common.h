// What the subcommands share: exit codes, loading rules and params with
// their diagnostics printed, and option parsing helpers.
#ifndef ELIGO_CLI_COMMON_H_
#define ELIGO_CLI_COMMON_H_

#include <boost/program_options.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eligo/decision.h"
#include "eligo/io.h"
#include "eligo/rule_set.h"

namespace eligo::cli {

enum Exit : int {
  kOk = 0,        // every row scored
  kRejected = 1,  // finished, but some rows were rejected
  kUsage = 2,  // bad usage, or an invalid rule, params or input file: nothing
               // written
  kWriteFailed =
      3  // an output could not be written: none left under its final name
};

namespace po = boost::program_options;

// Thrown by subcommands for a usage error; main prints it and exits kUsage.
struct UsageError {
  std::string message;
};

// Adds the options score and explain share: --help, --rules, --params,
// --input, --history, --encoding, --sheet, --header-row, --absent-column.
void AddRunOptions(po::options_description& options);

// Adds --lang and --amount-unit, for commands that write for people.
void AddWordOptions(po::options_description& options);
// The language they ask for; by default the rule set's (`ruleset: lang`),
// else English.
Lang LangOf(const po::variables_map& vm, const RuleSet& rules);
AmountUnit AmountUnitOf(const po::variables_map& vm);

// How those options say the inputs are read.
ReadOptions ReadOptionsOf(const po::variables_map& vm);

// Prints on stderr the first rows rejected or partly read, with their file,
// line and reason, then how many there are: for a run without --rejects.
void PrintRowReports(const PanelBatch& batch);

// What those options name, loaded: rules bound to params, the panels and
// rejected rows of the inputs, and the awards of earlier runs.
struct Run {
  Evaluator evaluator;
  PanelBatch batch;
  History history;
};

// Loads a Run, or returns nullopt after printing every problem to stderr.
// Without `read_panels` the inputs are left for the caller to stream.
std::optional<Run> LoadRun(const po::variables_map& vm,
                           bool read_panels = true);

// The --input options as InputFiles.
std::vector<InputFile> Inputs(const po::variables_map& vm);

// Parses `args` against `options` (positional names in `positional`); on
// --help prints `usage` and the options and returns false.
bool ParseArgs(const std::vector<std::string>& args,
               const po::options_description& options,
               const po::positional_options_description& positional,
               const char* usage, po::variables_map& vm);

int Score(const std::vector<std::string>& args);
int Explain(const std::vector<std::string>& args);
int Check(const std::vector<std::string>& args);
int Doc(const std::vector<std::string>& args);
int Test(const std::vector<std::string>& args);

}  // namespace eligo::cli

#endif  // ELIGO_CLI_COMMON_H_
