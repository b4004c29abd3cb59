// The C interface (eligo/c.h) over the C++ API. Every entry point runs
// its body through Guard(), so that no exception, std::bad_alloc included,
// crosses into C: each becomes an error code with a message. Decisions are
// rendered by DecisionWriter, the writer of `eligo score --format jsonl`.
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eligo/c.h"
#include "eligo/decision.h"
#include "eligo/io.h"
#include "eligo/panel.h"
#include "eligo/render.h"
#include "eligo/rule_set.h"
#include "eligo/score.h"
#include "program.h"

struct eligo_rules {
  std::shared_ptr<const eligo::RuleSet> rules;
  std::string warnings;  // formatted, for eligo_rules_warnings
};

struct eligo_evaluator {
  std::shared_ptr<const eligo::RuleSet> rules;
  eligo::ParamValues params;
  // Made again from `params` whenever they change; always set.
  std::optional<eligo::Evaluator> evaluator;
};

struct eligo_panel {
  eligo_panel(std::shared_ptr<const eligo::RuleSet> r,
              const eligo::EntitySchema& schema, std::string id)
      : rules(std::move(r)), panel(schema, std::move(id)) {}
  std::shared_ptr<const eligo::RuleSet> rules;  // keeps the schema alive
  eligo::Panel panel;
  std::vector<eligo::PastAward> history;
};

struct eligo_score_options {
  eligo::ScoreOptions score;
  std::string history;
  bool lang_set = false;  // else the rule set's language
};

namespace eligo {
namespace {

constexpr int kMinYear = 1, kMaxYear = 9999;

// The last error of this thread. `fallback` is used when even the message
// could not be stored (out of memory).
thread_local std::string last_error;
thread_local const char* last_error_fallback = nullptr;

void SetMessage(std::string_view message) noexcept {
  last_error_fallback = nullptr;
  try {
    last_error.assign(message);
  } catch (...) {
    last_error_fallback = "out of memory";
  }
}

eligo_status Fail(eligo_status code, std::string_view message) noexcept {
  SetMessage(message);
  return code;
}

// Runs `body` (which returns an eligo_status and may throw), turning any
// exception into an error code. The message is cleared first, so that a
// call that succeeds leaves "".
template <typename Body>
eligo_status Guard(Body&& body) noexcept {
  SetMessage("");
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(ELIGO_ERROR_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return Fail(ELIGO_ERROR_INTERNAL,
                std::string("internal error: ") + e.what());
  } catch (...) {
    return Fail(ELIGO_ERROR_INTERNAL, "internal error: unknown exception");
  }
}

// A copy of `s` in memory from malloc, for eligo_string_free. Throws
// std::bad_alloc (turned into ELIGO_ERROR_MEMORY by Guard) when out of
// memory.
char* CopyOut(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out == nullptr) throw std::bad_alloc();
  std::memcpy(out, s.data(), s.size() + 1);
  return out;
}

std::string Format(const std::vector<Diagnostic>& diagnostics,
                   bool errors_only) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    if (!errors_only || d.severity == Severity::kError)
      out += FormatDiagnostic(d);
  }
  return out;
}

eligo_status FinishLoad(LoadResult loaded, eligo_rules** out) {
  if (!loaded.ok())
    return Fail(ELIGO_ERROR_RULES, Format(loaded.diagnostics, false));
  auto handle = std::make_unique<eligo_rules>();
  handle->rules = std::move(loaded.rule_set);
  handle->warnings = Format(loaded.diagnostics, false);
  *out = handle.release();
  return ELIGO_OK;
}

// Makes the evaluator of `params` and, when that succeeds, makes it and
// `params` those of `ev`.
eligo_status Rebind(eligo_evaluator* ev, ParamValues params,
                    eligo_status error_code) {
  Result<Evaluator> made = Evaluator::Create(ev->rules, params);
  if (!made.ok()) return Fail(error_code, made.error());
  ev->evaluator.emplace(std::move(made).value());
  ev->params = std::move(params);
  return ELIGO_OK;
}

// The decisions of `panel`, or an error when the handles do not fit.
eligo_status Decide(const eligo_evaluator* ev, const eligo_panel* panel,
                    bool trace, std::vector<Decision>* decisions) {
  if (ev == nullptr || panel == nullptr)
    return Fail(ELIGO_ERROR_ARGUMENT, "evaluator and panel must not be NULL");
  // Cells are laid out by the schema of the panel's rule set; another rule
  // set's evaluator would read them with its own layout.
  if (panel->rules != ev->rules)
    return Fail(ELIGO_ERROR_ARGUMENT,
                "the panel was made from another rule set than the "
                "evaluator");
  EvalOptions options;
  options.trace = trace;
  *decisions = ev->evaluator->Evaluate(panel->panel, panel->history, options);
  return ELIGO_OK;
}

// A whole decimal integer in [low, high], or nullopt.
std::optional<long> ParseWhole(std::string_view text, long low, long high) {
  long value = 0;
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low ||
      value > high)
    return std::nullopt;
  return value;
}

std::optional<bool> ParseSwitch(std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return std::nullopt;
}

// Sets one option of `o` as eligo_score_options_set describes.
eligo_status SetScoreOption(eligo_score_options& o, std::string_view name,
                            const std::string& value) {
  ScoreOptions& score = o.score;
  auto bad = [&](std::string_view expected) {
    return Fail(ELIGO_ERROR_VALUE, "option `" + std::string(name) + "` takes " +
                                       std::string(expected) + ", not `" +
                                       value + "`");
  };
  if (name == "input") {
    score.inputs.push_back(ParseInputFile(value));
  } else if (name == "output") {
    score.output = value;
  } else if (name == "rejects") {
    score.rejects = value;
  } else if (name == "summary") {
    score.summary = value;
  } else if (name == "history") {
    o.history = value;
  } else if (name == "format") {
    if (value != "csv" && value != "jsonl") return bad("csv or jsonl");
    score.write.format =
        value == "csv" ? OutputFormat::kCsv : OutputFormat::kJsonLines;
  } else if (name == "encoding") {
    score.read.encoding = value;
  } else if (name == "sheet") {
    score.read.sheet = value;
  } else if (name == "header-row") {
    std::optional<long> row = ParseWhole(value, 0, 1 << 20);
    if (!row) return bad("a row number (0: found among the first rows)");
    score.read.header_row = *row;
  } else if (name == "absent-column") {
    score.read.absent_columns.push_back(value);
  } else if (name == "lang") {
    std::optional<Lang> lang = ParseLang(value);
    if (!lang) return bad("zh or en");
    score.write.lang = *lang;
    o.lang_set = true;
  } else if (name == "amount-unit") {
    std::optional<AmountUnit> unit = ParseAmountUnit(value);
    if (!unit) return bad("元 or 万元");
    score.write.amount_unit = *unit;
  } else if (name == "only") {
    if (value != "eligible" && !value.empty()) return bad("eligible");
    score.only_eligible = !value.empty();
  } else if (name == "excel" || name == "trace") {
    std::optional<bool> on = ParseSwitch(value);
    if (!on) return bad("true or false");
    (name == "excel" ? score.write.excel : score.write.trace) = *on;
  } else if (name == "threads") {
    std::optional<long> threads = ParseWhole(value, 1, kMaxThreads);
    if (!threads) return bad("a number of threads from 1 to 256");
    score.threads = static_cast<int>(*threads);
  } else if (name == "max-memory") {
    std::optional<long> mb =
        ParseWhole(value, 1, static_cast<long>(SIZE_MAX >> 20));
    if (!mb) return bad("a number of MB, 1 or more");
    score.read.max_memory_bytes = static_cast<size_t>(*mb) << 20;
  } else {
    return Fail(ELIGO_ERROR_NOT_FOUND,
                "eligo_score_files has no option `" + std::string(name) + "`");
  }
  return ELIGO_OK;
}

eligo_status FailWith(const Status& status) {
  return Fail(status.code() == StatusCode::kWriteFailed ? ELIGO_ERROR_WRITE
                                                        : ELIGO_ERROR_INPUT,
              status.message());
}

}  // namespace
}  // namespace eligo

using eligo::Fail;
using eligo::Guard;

extern "C" {

const char* eligo_version(void) { return eligo::Version(); }

const char* eligo_last_error(void) {
  return eligo::last_error_fallback != nullptr ? eligo::last_error_fallback
                                               : eligo::last_error.c_str();
}

void eligo_string_free(char* s) { std::free(s); }

eligo_status eligo_rules_load(const char* path, eligo_rules** rules) {
  return Guard([&]() -> eligo_status {
    if (path == nullptr || rules == nullptr)
      return Fail(ELIGO_ERROR_ARGUMENT, "path and rules must not be NULL");
    return eligo::FinishLoad(eligo::LoadRuleSet(path), rules);
  });
}

eligo_status eligo_rules_load_string(const char* text, const char* name,
                                     const char* base_dir,
                                     eligo_rules** rules) {
  return Guard([&]() -> eligo_status {
    if (text == nullptr || rules == nullptr)
      return Fail(ELIGO_ERROR_ARGUMENT, "text and rules must not be NULL");
    return eligo::FinishLoad(
        eligo::LoadRuleSetFromString(text, name ? name : "<string>",
                                     base_dir ? base_dir : ""),
        rules);
  });
}

const char* eligo_rules_warnings(const eligo_rules* rules) {
  return rules == nullptr ? "" : rules->warnings.c_str();
}

void eligo_rules_free(eligo_rules* rules) { delete rules; }

eligo_status eligo_evaluator_new(const eligo_rules* rules,
                                 eligo_evaluator** evaluator) {
  return Guard([&]() -> eligo_status {
    if (rules == nullptr || evaluator == nullptr)
      return Fail(ELIGO_ERROR_ARGUMENT, "rules and evaluator must not be NULL");
    auto handle = std::make_unique<eligo_evaluator>();
    handle->rules = rules->rules;
    eligo_status status = eligo::Rebind(handle.get(), {}, ELIGO_ERROR_INTERNAL);
    if (status == ELIGO_OK) *evaluator = handle.release();
    return status;
  });
}

eligo_status eligo_evaluator_set_param(eligo_evaluator* evaluator,
                                       const char* name, int year,
                                       const char* value) {
  return Guard([&]() -> eligo_status {
    if (evaluator == nullptr || name == nullptr || value == nullptr)
      return Fail(ELIGO_ERROR_ARGUMENT,
                  "evaluator, name and value must not be NULL");
    if (evaluator->rules->program().FindParam(name) < 0)
      return Fail(ELIGO_ERROR_NOT_FOUND,
                  std::string("unknown parameter `") + name + "`");
    eligo::Result<eligo::Decimal> number = eligo::Decimal::Parse(value);
    if (!number.ok())
      return Fail(ELIGO_ERROR_VALUE,
                  std::string("parameter `") + name + "`: " + number.error());
    eligo::ParamValues params = evaluator->params;
    params.Set(name, year, *number);
    return eligo::Rebind(evaluator, std::move(params), ELIGO_ERROR_VALUE);
  });
}

eligo_status eligo_evaluator_load_params(eligo_evaluator* evaluator,
                                         const char* path) {
  return Guard([&]() -> eligo_status {
    if (evaluator == nullptr || path == nullptr)
      return Fail(ELIGO_ERROR_ARGUMENT, "evaluator and path must not be NULL");
    eligo::ParamsResult loaded = eligo::LoadParams(path, *evaluator->rules);
    if (!loaded.ok())
      return Fail(ELIGO_ERROR_PARAMS, eligo::Format(loaded.diagnostics, true));
    eligo::ParamValues params = evaluator->params;
    for (const auto& [name, by_year] : loaded.values.by_year) {
      for (const auto& [year, value] : by_year) params.Set(name, year, value);
    }
    return eligo::Rebind(evaluator, std::move(params), ELIGO_ERROR_PARAMS);
  });
}

void eligo_evaluator_free(eligo_evaluator* evaluator) { delete evaluator; }

eligo_status eligo_panel_new(const eligo_rules* rules, const char* kind,
                             const char* id, eligo_panel** panel) {
  return Guard([&]() -> eligo_status {
    if (rules == nullptr || kind == nullptr || id == nullptr ||
        panel == nullptr)
      return Fail(ELIGO_ERROR_ARGUMENT,
                  "rules, kind, id and panel must not be NULL");
    const eligo::EntitySchema* schema = rules->rules->FindEntity(kind);
    if (schema == nullptr)
      return Fail(
          ELIGO_ERROR_NOT_FOUND,
          std::string("the rule set has no entity kind `") + kind + "`");
    *panel = new eligo_panel(rules->rules, *schema, id);
    return ELIGO_OK;
  });
}

eligo_status eligo_panel_add_row(eligo_panel* panel, int year, size_t* row) {
  return Guard([&]() -> eligo_status {
    if (panel == nullptr)
      return Fail(ELIGO_ERROR_ARGUMENT, "panel must not be NULL");
    if (year < eligo::kMinYear || year > eligo::kMaxYear)
      return Fail(ELIGO_ERROR_ARGUMENT,
                  "year " + std::to_string(year) + " is not in 1..9999");
    panel->panel.AddRow(year);
    if (row != nullptr) *row = panel->panel.rows().size() - 1;
    return ELIGO_OK;
  });
}

eligo_status eligo_panel_set(eligo_panel* panel, size_t row, const char* field,
                             const char* text) {
  return Guard([&]() -> eligo_status {
    if (panel == nullptr || field == nullptr || text == nullptr)
      return Fail(ELIGO_ERROR_ARGUMENT,
                  "panel, field and text must not be NULL");
    std::vector<eligo::Row>& rows = panel->panel.mutable_rows();
    if (row >= rows.size())
      return Fail(ELIGO_ERROR_ARGUMENT, "row " + std::to_string(row) +
                                            " does not exist (the panel has " +
                                            std::to_string(rows.size()) + ")");
    if (panel->panel.schema().FindField(field) < 0)
      return Fail(ELIGO_ERROR_NOT_FOUND, "`" + panel->panel.schema().kind +
                                             "` has no field `" + field + "`");
    eligo::Status s = panel->panel.Set(rows[row], field, text);
    if (!s.ok()) return Fail(ELIGO_ERROR_VALUE, s.message());
    return ELIGO_OK;
  });
}

eligo_status eligo_panel_add_past_award(eligo_panel* panel, const char* rule,
                                        const char* tier, int year,
                                        const char* amount) {
  return Guard([&]() -> eligo_status {
    if (panel == nullptr || rule == nullptr)
      return Fail(ELIGO_ERROR_ARGUMENT, "panel and rule must not be NULL");
    bool known = false;
    for (const eligo::RuleInfo& info : panel->rules->rules())
      known = known || info.id == rule;
    if (!known)
      return Fail(ELIGO_ERROR_NOT_FOUND,
                  std::string("the rule set has no rule `") + rule + "`");
    eligo::PastAward award;
    award.rule = rule;
    award.tier = tier ? tier : "";
    award.year = year;
    if (amount != nullptr && *amount != '\0') {
      eligo::Result<eligo::Decimal> number = eligo::Decimal::Parse(amount);
      if (!number.ok())
        return Fail(ELIGO_ERROR_VALUE, "amount: " + number.error());
      award.amount = *number;
    }
    panel->history.push_back(std::move(award));
    return ELIGO_OK;
  });
}

void eligo_panel_free(eligo_panel* panel) { delete panel; }

eligo_status eligo_evaluate_json(const eligo_evaluator* evaluator,
                                 const eligo_panel* panel, int trace,
                                 char** json) {
  return Guard([&]() -> eligo_status {
    if (json == nullptr)
      return Fail(ELIGO_ERROR_ARGUMENT, "json must not be NULL");
    std::vector<eligo::Decision> decisions;
    eligo_status status =
        eligo::Decide(evaluator, panel, trace != 0, &decisions);
    if (status != ELIGO_OK) return status;
    eligo::WriteOptions options;
    options.format = eligo::OutputFormat::kJsonLines;
    options.trace = trace != 0;
    eligo::DecisionWriter writer(*evaluator->rules, options);
    std::string out = "[";
    for (const eligo::Decision& d : decisions) {
      if (out.size() > 1) out += ",\n";
      writer.Append(d, panel->panel, out);
      if (out.back() == '\n') out.pop_back();  // JSON Lines end each line
    }
    out += "]\n";
    *json = eligo::CopyOut(out);
    return ELIGO_OK;
  });
}

eligo_status eligo_evaluate_text(const eligo_evaluator* evaluator,
                                 const eligo_panel* panel, int trace,
                                 char** text) {
  return Guard([&]() -> eligo_status {
    if (text == nullptr)
      return Fail(ELIGO_ERROR_ARGUMENT, "text must not be NULL");
    std::vector<eligo::Decision> decisions;
    eligo_status status =
        eligo::Decide(evaluator, panel, trace != 0, &decisions);
    if (status != ELIGO_OK) return status;
    std::string out;
    for (const eligo::Decision& d : decisions) {
      if (!out.empty()) out += '\n';
      out += eligo::TraceToText(
          d, eligo::Renderer(*evaluator->rules, eligo::Lang::kEn));
    }
    *text = eligo::CopyOut(out);
    return ELIGO_OK;
  });
}

eligo_status eligo_score_options_new(eligo_score_options** options) {
  return Guard([&]() -> eligo_status {
    if (options == nullptr)
      return Fail(ELIGO_ERROR_ARGUMENT, "options must not be NULL");
    *options = new eligo_score_options();
    return ELIGO_OK;
  });
}

eligo_status eligo_score_options_set(eligo_score_options* options,
                                     const char* name, const char* value) {
  return Guard([&]() -> eligo_status {
    if (options == nullptr || name == nullptr || value == nullptr) {
      return Fail(ELIGO_ERROR_ARGUMENT,
                  "options, name and value must not be NULL");
    }
    return eligo::SetScoreOption(*options, name, value);
  });
}

void eligo_score_options_free(eligo_score_options* options) { delete options; }

eligo_status eligo_score_files(const eligo_evaluator* evaluator,
                               const eligo_score_options* options,
                               char** summary_json, long* rows_not_read) {
  return Guard([&]() -> eligo_status {
    if (evaluator == nullptr || options == nullptr) {
      return Fail(ELIGO_ERROR_ARGUMENT,
                  "evaluator and options must not be NULL");
    }
    if (options->score.inputs.empty())
      return Fail(ELIGO_ERROR_ARGUMENT, "no input: set option `input`");
    const eligo::RuleSet& rules = *evaluator->rules;
    eligo::ScoreOptions score = options->score;
    if (!options->lang_set)
      score.write.lang =
          eligo::ParseLang(rules.info().lang).value_or(eligo::Lang::kEn);
    score.record.arguments = {"eligo_score_files"};
    eligo::History history;
    if (!options->history.empty()) {
      eligo::Result<eligo::History> read =
          eligo::ReadHistory(options->history, &rules);
      if (!read.ok()) return eligo::FailWith(read.status());
      history = std::move(read).value();
      eligo::Result<std::string> sha = eligo::Sha256File(options->history);
      if (!sha.ok()) return eligo::FailWith(sha.status());
      score.record.files.push_back({"history", options->history, *sha});
    }
    eligo::Result<eligo::ScoreReport> report =
        eligo::ScoreFiles(*evaluator->evaluator, history, score);
    if (!report.ok()) return eligo::FailWith(report.status());
    const eligo::PanelBatch& batch = report->batch;
    if (summary_json != nullptr)
      *summary_json = eligo::CopyOut(report->summary.ToJson());
    if (rows_not_read != nullptr) {
      *rows_not_read = batch.count(eligo::RejectedRow::Status::kRejected) +
                       batch.count(eligo::RejectedRow::Status::kPartlyRead);
    }
    return ELIGO_OK;
  });
}

}  // extern "C"
