// Fuzz target: CSV panels (eligo::ReadPanels) in every encoding, with the
// entity kind recognised from the header or forced; what reads is decided
// with the shipped rules and formatted as CSV and JSON Lines.
//
// The first byte chooses the encoding and the kind; the rest is the file.
// Checked: rows read = rows in panels + rows rejected.
#include <string>
#include <vector>

#include "eligo/io.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static eligo_fuzz::MemFile file;
  static const char* const kEncodings[] = {"auto", "utf-8", "gbk", "gb18030"};
  static const char* const kKinds[] = {"", "enterprise", "lender", ""};
  if (size == 0) return 0;
  unsigned choice = data[0];
  const std::shared_ptr<const eligo::RuleSet>& rules = eligo_fuzz::Luohe();
  eligo::ReadOptions options;
  options.encoding = kEncodings[choice & 3];
  std::vector<eligo::InputFile> inputs{
      {file.Set(data + 1, size - 1), kKinds[(choice >> 2) & 3]}};
  eligo::Result<eligo::PanelBatch> batch =
      eligo::ReadPanels(inputs, *rules, options);
  if (!batch.ok()) return 0;
  long rows = 0;
  for (const eligo::Panel& p : batch->panels)
    rows += static_cast<long>(p.rows().size());
  if (rows != batch->rows_scored())
    eligo_fuzz::Die("rows in panels != rows read - rows rejected");
  if (batch->rows_scored() < 0) eligo_fuzz::Die("negative rows scored");

  eligo::Result<eligo::Evaluator> evaluator =
      eligo::Evaluator::Create(rules, eligo_fuzz::LuoheParams());
  if (!evaluator.ok()) eligo_fuzz::Die("the shipped params do not bind");
  eligo::WriteOptions write;
  write.format = (choice & 16) ? eligo::OutputFormat::kJsonLines
                               : eligo::OutputFormat::kCsv;
  write.trace = write.format == eligo::OutputFormat::kJsonLines;
  write.excel = (choice & 32) != 0;
  eligo::DecisionWriter writer(*rules, write);
  std::string out = writer.Header();
  eligo::RunSummary summary;
  summary.SetRows(*batch);
  size_t panels = 0;
  for (const eligo::Panel& panel : batch->panels) {
    if (++panels > 16) break;  // enough to exercise the writer
    for (const eligo::Decision& d :
         evaluator->Evaluate(panel, {}, {.trace = write.trace})) {
      writer.Append(d, panel, out);
      summary.Add(d);
    }
  }
  (void)summary.ToText();
  (void)summary.ToJson();
  return 0;
}
