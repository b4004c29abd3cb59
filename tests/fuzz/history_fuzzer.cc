// Fuzz target: the history of an earlier run (eligo::ReadHistory: eligo's
// CSV or JSON Lines output); awards that read are handed to the evaluator
// as the past of a sample entity.
#include "eligo/io.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static eligo_fuzz::MemFile file;
  eligo::Result<eligo::History> history =
      eligo::ReadHistory(file.Set(data, size));
  if (!history.ok() || history->empty()) return 0;
  const std::vector<eligo::PastAward>& past = history->begin()->second;
  eligo_fuzz::EvaluateSample(eligo_fuzz::Luohe(), eligo_fuzz::LuoheParams(),
                             past);
  return 0;
}
