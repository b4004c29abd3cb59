// Shared by eligo's fuzz targets: the shipped rule set and params, loaded
// once; a memory file for the APIs that read paths; a panel filled with
// plausible cells, so that a loaded rule set is also evaluated.
#ifndef ELIGO_TESTS_FUZZ_FUZZ_UTIL_H_
#define ELIGO_TESTS_FUZZ_FUZZ_UTIL_H_

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "eligo/decision.h"
#include "eligo/panel.h"
#include "eligo/render.h"
#include "eligo/rule_set.h"

#ifndef ELIGO_SOURCE_DIR
#error "ELIGO_SOURCE_DIR must name the source tree"
#endif

namespace eligo_fuzz {

inline std::string SourcePath(std::string_view relative) {
  return std::string(ELIGO_SOURCE_DIR) + "/" + std::string(relative);
}

// Stops the process loudly: libFuzzer records the input as a crash.
[[noreturn]] inline void Die(const char* what) {
  std::fprintf(stderr, "eligo fuzz invariant violated: %s\n", what);
  std::abort();
}

// rules/luohe-2017.yaml, loaded once.
inline const std::shared_ptr<const eligo::RuleSet>& Luohe() {
  static const std::shared_ptr<const eligo::RuleSet> rules = [] {
    eligo::LoadResult r =
        eligo::LoadRuleSet(SourcePath("rules/luohe-2017.yaml"));
    if (!r.ok()) Die("rules/luohe-2017.yaml does not load");
    return r.rule_set;
  }();
  return rules;
}

// examples/params.yaml, loaded once.
inline const eligo::ParamValues& LuoheParams() {
  static const eligo::ParamValues values = [] {
    eligo::ParamsResult r =
        eligo::LoadParams(SourcePath("examples/params.yaml"), *Luohe());
    if (!r.ok()) Die("examples/params.yaml does not load");
    return r.values;
  }();
  return values;
}

// A file in memory whose contents each input replaces; its path works for
// every API that opens a file by name.
class MemFile {
 public:
  MemFile() {
    fd_ = memfd_create("eligo-fuzz", 0);
    if (fd_ < 0) Die("memfd_create failed");
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  const std::string& Set(const uint8_t* data, size_t size) {
    if (ftruncate(fd_, 0) != 0) Die("ftruncate failed");
    size_t done = 0;
    while (done < size) {
      ssize_t n =
          pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
      if (n <= 0) Die("pwrite failed");
      done += static_cast<size_t>(n);
    }
    return path_;
  }

 private:
  int fd_ = -1;
  std::string path_;
};

// A plausible cell for a field of `type`; `salt` varies it.
inline std::string_view CellFor(eligo::FieldType type, unsigned salt) {
  using eligo::FieldType;
  switch (type) {
    case FieldType::kBoolean:
      return salt % 2 ? "是" : "false";
    case FieldType::kInteger:
      return salt % 2 ? "3" : "0";
    case FieldType::kYear:
      return salt % 3 == 0 ? "" : "2017";
    case FieldType::kMoney:
      return salt % 3 == 0 ? "120000000.00" : salt % 3 == 1 ? "0" : "";
    case FieldType::kRatio:
      return salt % 2 ? "8.5%" : "0";
    case FieldType::kCreditCode:
      return "91411102MA3X4K7P2F";
    case FieldType::kText:
      return salt % 2 ? "源汇区" : "";
  }
  return "";
}

// Decides every rule of `rules` for one entity of each kind with rows for
// 2016..2018, with traces, and renders them as text and JSON.
inline void EvaluateSample(const std::shared_ptr<const eligo::RuleSet>& rules,
                           const eligo::ParamValues& params,
                           const std::vector<eligo::PastAward>& history = {}) {
  eligo::Result<eligo::Evaluator> evaluator =
      eligo::Evaluator::Create(rules, params);
  if (!evaluator.ok()) return;
  for (const eligo::EntitySchema& schema : rules->entities()) {
    eligo::Panel panel(schema, "91411102MA3X4K7P2F");
    for (int year = 2016; year <= 2018; ++year) {
      eligo::Row& row = panel.AddRow(year);
      unsigned salt = static_cast<unsigned>(year);
      for (const eligo::FieldSchema& field : schema.fields) {
        if (field.name == schema.period) continue;
        (void)panel.Set(row, field.name, CellFor(field.type, salt++));
      }
    }
    for (const eligo::Decision& d :
         evaluator->Evaluate(panel, history, {.trace = true})) {
      (void)eligo::TraceToText(d, eligo::Renderer(*rules, eligo::Lang::kEn));
      if (d.trace) (void)eligo::TraceToJson(*d.trace);
    }
  }
}

}  // namespace eligo_fuzz

#endif  // ELIGO_TESTS_FUZZ_FUZZ_UTIL_H_
