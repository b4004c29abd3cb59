// The pipeline behind LoadRuleSet: load -> check -> compile.
#include "eligo/rule_set.h"

#include <exception>
#include <filesystem>

#include "check/analysis.h"
#include "check/checker.h"
#include "compile/compiler.h"
#include "diagnostic_sink.h"
#include "eligo/provenance.h"
#include "load/rule_file.h"
#include "program.h"

namespace eligo {

RuleSet::RuleSet(std::unique_ptr<const Program> program)
    : program_(std::move(program)) {}
RuleSet::~RuleSet() = default;

const RuleSetInfo& RuleSet::info() const { return program_->info; }
const std::vector<EntitySchema>& RuleSet::entities() const {
  return program_->entities;
}
const std::string& RuleSet::digest() const { return program_->digest; }

const std::vector<RuleInfo>& RuleSet::rules() const {
  return program_->rule_infos;
}

const EntitySchema* RuleSet::FindEntity(std::string_view kind) const {
  int i = program_->FindEntity(kind);
  return i < 0 ? nullptr : &program_->entities[static_cast<size_t>(i)];
}

std::vector<std::string> RuleSet::RuntimeParameters() const {
  std::vector<std::string> out;
  for (const Parameter& p : program_->params) {
    if (p.runtime) out.push_back(p.name);
  }
  return out;
}

namespace {

// A failure that is not a mistake in the rule file (an exception from the
// loader, which would be a bug, or memory running out) as an error
// diagnostic, so that no exception crosses the API.
LoadResult InternalError(const std::string& name, const std::exception& e) {
  LoadResult result;
  result.diagnostics.push_back(
      Diagnostic{Severity::kError, name, 1, 1,
                 std::string("internal error while loading: ") + e.what(), ""});
  return result;
}

LoadResult Load(std::string_view text, const std::string& name,
                const std::string& base_dir) {
  DiagnosticSink sink;
  Program program;
  // Check even after structural mistakes, so one pass reports them all; only
  // a file that is not YAML at all leaves nothing to check.
  if (LoadRuleFile(text, name, base_dir, program, sink)) Check(program, sink);
  if (!sink.has_errors()) Analyze(program, sink);  // warnings only
  LoadResult result;
  if (!sink.has_errors()) {
    std::string texts;
    for (const std::string& text : sink.texts()) texts += Sha256Hex(text);
    program.digest = Sha256Hex(texts);
    result.rule_set =
        std::make_shared<const RuleSet>(Compile(std::move(program)));
  }
  result.diagnostics = std::move(sink.diagnostics());
  return result;
}

}  // namespace

LoadResult LoadRuleSetFromString(std::string_view text, const std::string& name,
                                 const std::string& base_dir) {
  try {
    return Load(text, name, base_dir);
  } catch (const std::exception& e) {
    return InternalError(name, e);
  }
}

LoadResult LoadRuleSet(const std::string& path) {
  try {
    Result<std::string> text = ReadFile(path, 4 << 20);
    if (!text.ok()) {
      LoadResult result;
      result.diagnostics.push_back(
          Diagnostic{Severity::kError, path, 1, 1, text.error(), ""});
      return result;
    }
    std::string dir = std::filesystem::path(path).parent_path().string();
    return LoadRuleSetFromString(*text, path, dir.empty() ? "." : dir);
  } catch (const std::exception& e) {
    return InternalError(path, e);
  }
}

const char* Version() { return ELIGO_VERSION; }

}  // namespace eligo
