// Fuzz target: a rule file (YAML bytes) loaded, checked, analysed and
// compiled (eligo::LoadRuleSetFromString), its diagnostics formatted; a
// rule set that loads is described (Markdown and HTML) and decides a
// sample entity of each kind. `extends` resolves in the shipped rules/
// directory, so a variant of the shipped rules is a useful input.
#include <string_view>

#include "eligo/document.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string rules_dir = eligo_fuzz::SourcePath("rules");
  std::string_view text(reinterpret_cast<const char*>(data), size);
  eligo::LoadResult loaded =
      eligo::LoadRuleSetFromString(text, "fuzz.yaml", rules_dir);
  for (const eligo::Diagnostic& d : loaded.diagnostics)
    (void)eligo::FormatDiagnostic(d);
  if (!loaded.ok()) {
    if (!eligo::HasErrors(loaded.diagnostics))
      eligo_fuzz::Die("a rule file failed to load without an error");
    return 0;
  }
  (void)eligo::DescribeRuleSet(*loaded.rule_set, eligo::DocFormat::kMarkdown);
  (void)eligo::DescribeRuleSet(*loaded.rule_set, eligo::DocFormat::kHtml);
  eligo_fuzz::EvaluateSample(loaded.rule_set, {});
  return 0;
}
