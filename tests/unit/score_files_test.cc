// ScoreFiles, the batch run behind `eligo score`: its decisions are those
// of reading and evaluating the panels one by one, the same for any number
// of threads; outputs that would lose data are refused and an output that
// cannot be written leaves nothing behind.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "eligo/score.h"
#include "test_util.h"

namespace eligo::testing {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct TempDir {
  TempDir() {
    path = fs::temp_directory_path() /
           ("eligo-score-files-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::vector<std::string> Files() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path))
      names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  fs::path path;
};

const std::string kExamples = ELIGO_SOURCE_DIR "/examples/";

ScoreOptions ExampleRun(const TempDir& dir) {
  ScoreOptions options;
  options.inputs = {{kExamples + "enterprises-gbk.csv", ""},
                    {kExamples + "lenders.csv", ""}};
  options.output = (dir.path / "decisions.csv").string();
  options.rejects = (dir.path / "rejects.csv").string();
  options.summary = (dir.path / "summary.json").string();
  return options;
}

TEST_CASE(
    "ScoreFiles writes the decisions of reading and deciding each panel") {
  Result<Evaluator> evaluator = Evaluator::Create(LoadShipped(), FlatGrowth());
  REQUIRE(evaluator.ok());
  TempDir dir;
  ScoreOptions options = ExampleRun(dir);
  long progress = -1;
  options.on_progress = [&progress](long entities) { progress = entities; };
  Result<ScoreReport> report = ScoreFiles(*evaluator, {}, options);
  REQUIRE_MESSAGE(report.ok(), report.error());

  // The same decisions, read and decided one panel at a time.
  const RuleSet& rules = evaluator->rules();
  Result<PanelBatch> batch = ReadPanels(options.inputs, rules);
  REQUIRE(batch.ok());
  DecisionWriter writer(rules, options.write);
  std::string expected = writer.Header();
  for (const Panel& panel : batch->panels) {
    for (const Decision& d : evaluator->Evaluate(panel, {}))
      writer.Append(d, panel, expected);
  }
  CHECK(Slurp(dir.path / "decisions.csv") == expected);
  CHECK(progress == static_cast<long>(batch->panels.size()));
  CHECK(report->batch.rows_read == batch->rows_read);
  CHECK(report->batch.panels.empty());
  CHECK_FALSE(report->restarted);
  CHECK(dir.Files() ==
        std::vector<std::string>{"decisions.csv", "decisions.csv.run.json",
                                 "rejects.csv", "rejects.csv.run.json",
                                 "summary.json", "summary.json.run.json"});
  // The run record names each input with its digest.
  std::string record = Slurp(dir.path / "decisions.csv.run.json");
  CHECK(record.find("\"role\":\"input\"") != std::string::npos);
  CHECK(record.find(Sha256File(kExamples + "lenders.csv").value()) !=
        std::string::npos);
  CHECK(Slurp(dir.path / "summary.json").find(record.substr(0, 40)) !=
        std::string::npos);

  SUBCASE("the same bytes on three threads") {
    TempDir three;
    ScoreOptions threaded = ExampleRun(three);
    threaded.threads = 3;
    REQUIRE(ScoreFiles(*evaluator, {}, threaded).ok());
    CHECK(Slurp(three.path / "decisions.csv") == expected);
    CHECK(Slurp(three.path / "rejects.csv") == Slurp(dir.path / "rejects.csv"));
  }
}

TEST_CASE("ScoreFiles refuses outputs that lose data, writing nothing") {
  Result<Evaluator> evaluator = Evaluator::Create(LoadShipped(), FlatGrowth());
  REQUIRE(evaluator.ok());
  TempDir dir;
  ScoreOptions options = ExampleRun(dir);
  std::string message;
  SUBCASE("two outputs to one file") {
    options.summary = options.rejects;
    message = "the rejects and the summary name the same file";
  }
  SUBCASE("an output over an input") {
    fs::copy_file(kExamples + "lenders.csv", dir.path / "lenders.csv");
    options.inputs = {{(dir.path / "lenders.csv").string(), ""}};
    options.rejects = (dir.path / "lenders.csv").string();
    message = "the input and the rejects name the same file";
  }
  SUBCASE("a trace in CSV") {
    options.write.trace = true;
    message = "a trace needs the jsonl format";
  }
  SUBCASE("no such input") {
    options.inputs = {{(dir.path / "absent.csv").string(), ""}};
    message = "absent.csv";
  }
  std::vector<std::string> before = dir.Files();
  Result<ScoreReport> report = ScoreFiles(*evaluator, {}, options);
  REQUIRE_FALSE(report.ok());
  CHECK(report.status().code() == StatusCode::kInvalid);
  CHECK_MESSAGE(report.error().find(message) != std::string::npos,
                report.error());
  CHECK(dir.Files() == before);
}

TEST_CASE("ScoreFiles that cannot write an output leaves none of them") {
  Result<Evaluator> evaluator = Evaluator::Create(LoadShipped(), FlatGrowth());
  REQUIRE(evaluator.ok());
  TempDir dir;
  ScoreOptions options = ExampleRun(dir);
  options.rejects = "/dev/full";
  Result<ScoreReport> report = ScoreFiles(*evaluator, {}, options);
  REQUIRE_FALSE(report.ok());
  CHECK(report.status().code() == StatusCode::kWriteFailed);
  CHECK_MESSAGE(report.error().find("/dev/full") != std::string::npos,
                report.error());
  CHECK(dir.Files().empty());
}

}  // namespace
}  // namespace eligo::testing
