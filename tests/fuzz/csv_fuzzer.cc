// Fuzz target: CSV panels (eligo::ReadPanels) in every encoding, with the
// entity kind recognised from the header or forced; what reads is decided
// with the shipped rules and formatted as CSV and JSON Lines.
//
// The first byte chooses the encoding and the kind; the rest is the file.
// Checked: rows read = rows in panels + rows rejected; and CsvParser::Skip,
// which finds entities in sorted files, and CsvParser::NextViews, which
// reads their rows, agree with CsvParser::Next record by record.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/io.h"
#include "fuzz_util.h"
#include "io/csv_reader.h"

namespace {

// Skip(column) reads the records Next reads: the same key cell, lines and
// positions, and the cell count up to column + 1. NextViews reads the same
// cells.
void CheckSkipAgreesWithNext(std::string_view text, size_t column) {
  eligo::CsvParser next(text), skip(text), views(text);
  std::vector<std::string> cells;
  std::vector<std::string_view> cell_views;
  std::string cell;
  long next_line = 0, skip_line = 0, views_line = 0;
  while (true) {
    bool more = next.Next(cells, next_line);
    bool more_views = views.NextViews(cell_views, views_line);
    if (more != more_views || views_line != next_line ||
        views.position() != next.position() || views.error() != next.error() ||
        !std::equal(cells.begin(), cells.end(), cell_views.begin(),
                    cell_views.end()))
      eligo_fuzz::Die("NextViews and Next read apart");
    size_t count = skip.Skip(column, cell, skip_line);
    if (more != (count > 0)) eligo_fuzz::Die("Skip and Next end apart");
    if (next.error() != skip.error())
      eligo_fuzz::Die("Skip and Next fail apart");
    if (!more) return;
    if (count != std::min(cells.size(), column + 1))
      eligo_fuzz::Die("Skip counts other cells than Next");
    if (cell != (column < cells.size() ? cells[column] : ""))
      eligo_fuzz::Die("Skip keeps another cell than Next");
    if (next_line != skip_line || next.position() != skip.position() ||
        next.line() != skip.line())
      eligo_fuzz::Die("Skip and Next stop at other places");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static eligo_fuzz::MemFile file;
  static const char* const kEncodings[] = {"auto", "utf-8", "gbk", "gb18030"};
  static const char* const kKinds[] = {"", "enterprise", "lender", ""};
  if (size == 0) return 0;
  unsigned choice = data[0];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  for (size_t column : {0, 1, 3}) CheckSkipAgreesWithNext(text, column);
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
  (void)summary.ToText(eligo::Renderer(*rules, eligo::Lang::kZh));
  (void)summary.ToJson();
  return 0;
}
