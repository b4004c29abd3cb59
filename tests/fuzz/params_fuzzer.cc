// Fuzz target: a params file (eligo::LoadParamsFromString) checked against
// the shipped rules; values that load are bound to an evaluator and used.
#include <string_view>

#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::shared_ptr<const eligo::RuleSet>& rules = eligo_fuzz::Luohe();
  eligo::ParamsResult result =
      eligo::LoadParamsFromString(text, "params.yaml", *rules);
  for (const eligo::Diagnostic& d : result.diagnostics)
    (void)eligo::FormatDiagnostic(d);
  if (!result.ok()) return 0;
  eligo_fuzz::EvaluateSample(rules, result.values);
  return 0;
}
