// Reading CSV panels: a sorted file's entities handed on unread and read on
// another thread give the same panels, rejects and warnings, in the same
// order, as the reader reading them itself.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "eligo/io.h"
#include "test_util.h"

namespace eligo::testing {
namespace {

// Sorted by credit code. Line 3's key ends in an ideographic space (the
// same entity as line 2); line 4 has a bad number (partly read: that cell is
// unknown, the rest of the row is used); line 5 is short; lines
// 6-7 (a quoted cell over two lines) and 8 are one entity's 2017 twice;
// line 9 is blank; line 11's check character is wrong (a warning).
constexpr const char* kPanel =
    "credit_code,name,county,year,sales_revenue,local_tax,"
    "in_cultivation_list,upgrade_year,new_national_hte,new_headquarters\n"
    "91411102MA3X4K7P2F,甲,源汇区,2016,80000000.00,1500000.00,true,,false,"
    "false\n"
    "91411102MA3X4K7P2F\u3000,甲,源汇区,2017,120000000.00,2500000.00,true,,"
    "false,false\n"
    "91411102MA3X4K7P2F,甲,源汇区,2018,abc,1,true,,false,false\n"
    "91411102MA3X4K7P2F,short\n"
    "91411103MA40B8Q1DU,\"乙\n公司\",召陵区,2017,1,1,true,,false,false\n"
    "91411103MA40B8Q1DU,乙,召陵区,2017,2,2,true,,false,false\n"
    "\n"
    "91411104MA44C2R5EX,丙,郾城区,2017,1,1,true,,false,false\n"
    "91411121MA45D3T6FA,丁,郾城区,2017,1,1,true,,false,false\n";

struct PanelFile {
  PanelFile() {
    path = (std::filesystem::temp_directory_path() /
            ("eligo-panel-reader-" + std::to_string(::getpid()) + ".csv"))
               .string();
    std::ofstream(path, std::ios::binary) << kPanel;
  }
  ~PanelFile() { std::filesystem::remove(path); }
  std::string path;
};

// Takes every entity unread, then reads them on another thread, last first,
// after ReadPanels has returned; merges rejects and warnings in entity order.
class ReadElsewhere : public UnreadPanelVisitor {
 public:
  void OnPanel(Panel&& panel) override { panels.push_back(std::move(panel)); }
  void OnUnreadPanel(UnreadPanel&& unread) override {
    unread_.push_back(std::move(unread));
  }
  size_t taken() const { return unread_.size(); }
  const std::vector<UnreadPanel>& unread() const { return unread_; }
  void Finish(PanelBatch& batch) {
    struct Read {
      std::optional<Panel> panel;
      std::vector<RejectedRow> rejects;
      std::vector<std::string> warnings;
    };
    std::vector<Read> reads(unread_.size());
    std::thread([&] {
      for (size_t i = unread_.size(); i-- > 0;)
        reads[i].panel = unread_[i].Read(reads[i].rejects, reads[i].warnings);
    }).join();
    for (Read& r : reads) {
      if (r.panel) panels.push_back(std::move(*r.panel));
      batch.rejects.insert(batch.rejects.end(), r.rejects.begin(),
                           r.rejects.end());
      batch.warnings.insert(batch.warnings.end(), r.warnings.begin(),
                            r.warnings.end());
    }
  }
  std::vector<Panel> panels;

 private:
  std::vector<UnreadPanel> unread_;
};

std::string Describe(const std::vector<Panel>& panels) {
  std::string out;
  for (const Panel& p : panels) {
    out += p.id() + ":";
    for (const Row& row : p.rows()) {
      const Cell& revenue = row.cells[4];
      out += " " + std::to_string(row.year) + "=" +
             (revenue.state == Cell::State::kUnreadable
                  ? "?"
                  : revenue.number.ToString());
    }
    for (int year : p.conflict_years())
      out += " conflict " + std::to_string(year);
    out += "\n";
  }
  return out;
}

std::string Describe(const std::vector<RejectedRow>& rejects) {
  std::string out;
  for (const RejectedRow& r : rejects) {
    out += std::to_string(r.line) + " [" + std::to_string(r.cells.size()) +
           " cells] " +
           (r.status == RejectedRow::Status::kPartlyRead ? "partly read: "
            : r.status == RejectedRow::Status::kSkipped  ? "skipped: "
                                                         : "") +
           r.reason + "\n";
  }
  return out;
}

TEST_CASE("entities read elsewhere equal entities read by the reader") {
  std::shared_ptr<const RuleSet> rules = LoadShipped();
  PanelFile file;
  std::string newline = "\n";
  SUBCASE("LF") {}
  SUBCASE("CRLF") {
    newline = "\r\n";
    std::string text = kPanel;
    for (size_t at = 0; (at = text.find('\n', at)) != std::string::npos;
         at += 2)
      text.replace(at, 1, newline);
    std::ofstream(file.path, std::ios::binary) << text;
  }
  Result<PanelBatch> here = ReadPanels({{file.path, ""}}, *rules);
  REQUIRE(here.ok());
  CHECK(here->streamed);

  PanelBatch batch;
  ReadElsewhere elsewhere;
  REQUIRE(ReadPanels({{file.path, ""}}, *rules, {}, elsewhere, batch).ok());
  CHECK(elsewhere.taken() == 4);  // one per key
  elsewhere.Finish(batch);

  const std::string panels =
      "91411102MA3X4K7P2F: 2016=80000000 2017=120000000 2018=?\n"
      "91411103MA40B8Q1DU: conflict 2017\n"
      "91411104MA44C2R5EX: 2017=1\n"
      "91411121MA45D3T6FA: 2017=1\n";
  CHECK(Describe(here->panels) == panels);
  CHECK(Describe(elsewhere.panels) == panels);

  const std::string dup =
      "two rows for 91411103MA40B8Q1DU in 2017 (lines 6 and 8); both "
      "rejected\n";
  const std::string rejects =
      "4 [10 cells] partly read: sales_revenue: \"abc\" is not a decimal "
      "number: "
      "unexpected character 'a'\n"
      "5 [2 cells] the row has 2 cells; the header has 10\n"
      "6 [10 cells] " +
      dup + "8 [10 cells] " + dup;
  CHECK(Describe(here->rejects) == rejects);
  CHECK(Describe(batch.rejects) == rejects);
  CHECK(here->rejects[2].cells[1] == "乙" + newline + "公司");
  CHECK(batch.rejects[2].cells[1] == "乙" + newline + "公司");

  CHECK(here->rows_read == 8);  // the quoted cell's record is one row
  CHECK(batch.rows_read == 8);
  CHECK(batch.rows_scored() == 5);  // line 4 partly read
  CHECK(here->warnings == batch.warnings);
  REQUIRE(batch.warnings.size() == 1);
  CHECK(batch.warnings[0].find(":11: credit code `91411121MA45D3T6FA` has "
                               "check character `A`") != std::string::npos);
}

// Reads each entity as it comes, its rejects and warnings straight into the
// batch as eligo score does, and can start over.
class ReadNow : public RestartablePanelVisitor {
 public:
  explicit ReadNow(PanelBatch& batch) : batch_(batch) {}
  bool CanRestart() const override { return true; }
  void Restart() override {
    ++restarts;
    panels.clear();
  }
  void OnPanel(Panel&& panel) override { panels.push_back(std::move(panel)); }
  void OnUnreadPanel(UnreadPanel&& unread) override {
    std::optional<Panel> panel = unread.Read(batch_.rejects, batch_.warnings);
    if (panel) panels.push_back(std::move(*panel));
  }
  int restarts = 0;
  std::vector<Panel> panels;

 private:
  PanelBatch& batch_;
};

// 2000 entities with keys in rising order, a bad number in the 11th, and
// `extra` (a row) placed before the 1001st.
std::string RisingPanel(const std::string& extra) {
  std::string text =
      std::string(kPanel).substr(0, std::string(kPanel).find('\n') + 1);
  for (int i = 0; i < 2000; ++i) {
    if (i == 1000) text += extra;
    text +=
        fmt::format("91411100000{:06}Y,甲,源汇区,2017,{},1,true,,false,false\n",
                    i, i == 10 ? "abc" : std::to_string(i));
  }
  return text;
}

// A visitor that can start over takes a file that looks sorted before it
// is known to be grouped: a grouped file is streamed once; a file found
// with an entity's rows apart as it goes starts over, grouped in memory,
// and ends as if grouped from the start, without the rejects, warnings or
// rows of the entities taken before. A file that does not look sorted is
// checked first, and streamed when grouped.
TEST_CASE("a visitor that can start over gets the panels of a plain read") {
  std::shared_ptr<const RuleSet> rules = LoadShipped();
  PanelFile file;
  std::string text = kPanel;
  bool streamed = true;
  int restarts = 0;
  long rows = 8;
  SUBCASE("sorted") {}
  SUBCASE("sorted files stacked, an entity in both") {
    streamed = false;
    text += "91411102MA3X4K7P2F,甲,源汇区,2019,1,1,true,,false,false\n";
    rows = 9;
  }
  SUBCASE("sorted files stacked, each entity in one") {
    text += "91411101MA3X4K7P2F,戊,源汇区,2019,1,1,true,,false,false\n";
    rows = 9;
  }
  SUBCASE("grouped, keys falling") {
    // kPanel's entities last first, each one's rows in their order
    std::vector<std::string> lines;
    std::istringstream in(kPanel);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    text = lines[0] + "\n" + lines[10] + "\n" + lines[9] + "\n" + lines[8] +
           "\n" + lines[5] + "\n" + lines[6] + "\n" + lines[7] + "\n";
    for (int i = 1; i <= 4; ++i) text += lines[static_cast<size_t>(i)] + "\n";
    rows = 8;
  }
  SUBCASE("one row out of place, after rejects and warnings") {
    streamed = false;
    restarts = 1;
    text = RisingPanel(
        "91411100000000005Y,甲,源汇区,2018,1,1,true,,false,false\n");
    rows = 2001;
  }
  SUBCASE("one new entity out of place, in a file that looks sorted") {
    // between the 999th and 1000th keys: every sample stays in order, and
    // the file is found unsorted, but grouped, only as it streams
    text = RisingPanel(
        "91411100000000998Z,甲,源汇区,2018,1,1,true,,false,false\n");
    rows = 2001;
  }
  std::ofstream(file.path, std::ios::binary) << text;
  Result<PanelBatch> plain = ReadPanels({{file.path, ""}}, *rules);
  REQUIRE(plain.ok());
  CHECK(plain->streamed == streamed);

  PanelBatch batch;
  ReadNow now(batch);
  REQUIRE(ReadPanels({{file.path, ""}}, *rules, {}, now, batch).ok());
  CHECK(now.restarts == restarts);
  CHECK(batch.streamed == streamed);
  CHECK(Describe(now.panels) == Describe(plain->panels));
  CHECK(Describe(batch.rejects) == Describe(plain->rejects));
  CHECK(batch.warnings == plain->warnings);
  CHECK(batch.rows_read == plain->rows_read);
  CHECK(batch.rows_read == rows);
}

// Every cell of every row, and the conflicts.
std::string DescribeCells(const Panel& panel) {
  std::string out = panel.schema().kind + "/" + panel.id() + ":";
  for (const Row& row : panel.rows()) {
    out += "\n" + std::to_string(row.year);
    for (const Cell& c : row.cells) {
      out += fmt::format(" [{} {} {} {}]", static_cast<int>(c.state), c.boolean,
                         c.number.ToString(), c.text);
    }
  }
  for (int year : panel.conflict_years())
    out += " conflict " + std::to_string(year);
  return out;
}

// eligo score reads entity after entity into the same panels: each must
// come out as when read into a new panel, whether the panel held more rows
// before, fewer, or rows of a year rejected as a duplicate.
TEST_CASE("a panel read into again equals a panel read afresh") {
  std::shared_ptr<const RuleSet> rules = LoadShipped();
  PanelFile file;
  // An entity whose only row is rejected (its key is not a credit code),
  // and one whose first row is rejected as a duplicate of its third.
  std::ofstream(file.path, std::ios::binary | std::ios::app)
      << "91411121MA45D3T6FI,戊,郾城区,2017,1,1,true,,false,false\n"
         "91411121MA45D3T6G1,己,郾城区,2016,1,1,true,,false,false\n"
         "91411121MA45D3T6G1,己,郾城区,2017,2,1,true,,false,false\n"
         "91411121MA45D3T6G1,己,郾城区,2016,3,1,true,,false,false\n";
  PanelBatch batch;
  ReadElsewhere elsewhere;
  REQUIRE(ReadPanels({{file.path, ""}}, *rules, {}, elsewhere, batch).ok());
  const std::vector<UnreadPanel>& entities = elsewhere.unread();
  REQUIRE(entities.size() == 6);

  Panel reused(*rules->FindEntity("enterprise"), "");
  for (size_t e : {0, 2, 0, 1, 4, 0, 3, 0, 5, 0}) {
    INFO("entity " << e);
    std::vector<RejectedRow> rejects, fresh_rejects;
    std::vector<std::string> warnings, fresh_warnings;
    std::optional<Panel> fresh =
        entities[e].Read(fresh_rejects, fresh_warnings);
    bool read = entities[e].ReadInto(reused, rejects, warnings);
    CHECK(read == fresh.has_value());
    CHECK(Describe(rejects) == Describe(fresh_rejects));
    CHECK(warnings == fresh_warnings);
    if (!read) {
      CHECK(DescribeCells(reused) == "enterprise/:");
      continue;
    }
    CHECK(DescribeCells(reused) == DescribeCells(*fresh));
    if (e == 5) CHECK(Describe({reused}).ends_with(": 2017=2 conflict 2016\n"));
  }
  // The entity of three rows, whose cells were all rewritten.
  REQUIRE(reused.rows().size() == 3);
  CHECK(reused.rows()[1].cells[1].text == "甲");
}

// A field without a column reads as the rule file says an empty cell does,
// also in a reused panel whose row had a value there.
TEST_CASE("a field without a column reads as its empty value") {
  std::shared_ptr<const RuleSet> rules = LoadShipped();
  PanelFile full;  // every column; its first entity is in the list
  const std::string partial = full.path + ".partial.csv";
  std::ofstream(partial, std::ios::binary)
      << "credit_code,name,county,year,sales_revenue,local_tax\n"
         "91411102MA3X4K7P2F,甲,源汇区,2016,1,1\n";
  ReadElsewhere elsewhere;
  PanelBatch batch;
  ReadOptions options;
  options.absent_columns = {"in_cultivation_list", "upgrade_year",
                            "new_national_hte", "new_headquarters"};
  for (const std::string& path : {full.path, partial})
    REQUIRE(ReadPanels({{path, ""}}, *rules, options, elsewhere, batch).ok());
  std::filesystem::remove(partial);
  REQUIRE(elsewhere.unread().size() == 5);

  const EntitySchema& schema = *rules->FindEntity("enterprise");
  auto cell = [&](const Panel& panel, const char* field) {
    return panel.rows()[0].cells[static_cast<size_t>(schema.FindField(field))];
  };
  Panel panel(schema, "");
  std::vector<RejectedRow> rejects;
  std::vector<std::string> warnings;
  REQUIRE(elsewhere.unread()[0].ReadInto(panel, rejects, warnings));
  REQUIRE(cell(panel, "in_cultivation_list").boolean);
  REQUIRE(elsewhere.unread()[4].ReadInto(panel, rejects, warnings));
  CHECK(cell(panel, "in_cultivation_list").state == Cell::State::kValue);
  CHECK_FALSE(cell(panel, "in_cultivation_list").boolean);
  CHECK(cell(panel, "upgrade_year").state == Cell::State::kNone);
  CHECK(cell(panel, "sales_revenue").number.ToString() == "1");
}

// A header slip (a field the rules read with no column) stops the read and
// names the field, its headers and the header the file has instead; a
// field said to be absent on purpose reads as empty.
TEST_CASE("a field the rules read without a column is an error") {
  std::shared_ptr<const RuleSet> rules = LoadShipped();
  PanelFile file;
  std::ofstream(file.path, std::ios::binary)
      << "统一社会信用代码,企业名称,所属县区,年度,年销售收入(万元),"
         "地方税收(万元),是否十百千培育企业,升规年度,"
         "新认定国家级高新技术企业,新入驻总部\n"
         "91411102MA3X4K7P2F,甲,源汇区,2017,12000,250,是,,否,否\n";
  Result<PanelBatch> slip = ReadPanels({{file.path, ""}}, *rules);
  REQUIRE_FALSE(slip.ok());
  CHECK(slip.error().find("no column for what the rules read:\n  "
                          "`in_cultivation_list` (headers: 十百千培育企业); "
                          "the nearest header is `是否十百千培育企业`") !=
        std::string::npos);
  CHECK(slip.error().find("--absent-column") != std::string::npos);

  ReadOptions options;
  options.absent_columns = {"in_cultivation_list"};
  Result<PanelBatch> absent = ReadPanels({{file.path, ""}}, *rules, options);
  REQUIRE(absent.ok());
  const EntitySchema& schema = *rules->FindEntity("enterprise");
  const Cell& cell = absent->panels[0].rows()[0].cells[static_cast<size_t>(
      schema.FindField("in_cultivation_list"))];
  CHECK(cell.state == Cell::State::kValue);
  CHECK_FALSE(cell.boolean);
}

// What a desktop export holds besides data: a title and a unit row above
// the header, a blank row, and totals rows with their label in the first
// cell or in the key's, all skipped and counted; the unit row scales the
// money columns without a unit of their own.
TEST_CASE("title, unit, blank and totals rows") {
  std::shared_ptr<const RuleSet> rules = LoadShipped();
  PanelFile file;
  std::ofstream(file.path, std::ios::binary)
      << "2017年度工业企业奖补申报汇总表,,,,,,,,,\n"
         "填报单位：漯河市工信委,,,,,,,,（单位：万元）,\n"
         "统一社会信用代码,企业名称,所属县区,年度,年销售收入,地方税收(元),"
         "十百千培育企业,升规年度,新认定国家级高新技术企业,新入驻总部\n"
         "91411102MA3X4K7P2F,甲,源汇区,2017,12000,2500000,是,,否,否\n"
         ",,,,,,,,,\n"
         "91411103MA40B8Q1DU,乙,郾城区,2017,１，２００.５,100000,√,—,×,否\n"
         "合计,,,,13200.5,2600000,,,,\n"
         ",,总 计：,,13200.5,2600000,,,,\n";
  Result<PanelBatch> batch = ReadPanels({{file.path, ""}}, *rules);
  REQUIRE(batch.ok());
  CHECK(batch->rows_read == 7);
  CHECK(batch->rows_scored() == 2);
  CHECK(batch->count(RejectedRow::Status::kSkipped) == 5);
  CHECK(batch->count(RejectedRow::Status::kRejected) == 0);
  CHECK(Describe(batch->rejects) ==
        "1 [10 cells] skipped: above the header\n"
        "2 [10 cells] skipped: above the header\n"
        "5 [10 cells] skipped: a blank row\n"
        "7 [10 cells] skipped: a totals row\n"
        "8 [10 cells] skipped: a totals row\n");
  REQUIRE(batch->notes.size() == 2);
  CHECK(batch->notes[0] == file.path +
                               ": the header is on line 3; lines 1-2 above "
                               "it are skipped");
  CHECK(batch->notes[1] == file.path +
                               ": the unit row above the header says 万元; "
                               "it applies to 年销售收入");
  // 万元 from the unit row; the header's own (元) wins over it
  CHECK(Describe(batch->panels) ==
        "91411102MA3X4K7P2F: 2017=120000000\n"
        "91411103MA40B8Q1DU: 2017=12005000\n");
  const EntitySchema& schema = *rules->FindEntity("enterprise");
  const Row& row = batch->panels[1].rows()[0];
  auto cell = [&](const char* field) {
    return row.cells[static_cast<size_t>(schema.FindField(field))];
  };
  CHECK(cell("local_tax").number.ToString() == "100000");
  CHECK(cell("in_cultivation_list").boolean);
  CHECK(cell("upgrade_year").state == Cell::State::kNone);
  CHECK_FALSE(cell("new_national_hte").boolean);

  // --header-row names the header; a row that is not one is an error
  ReadOptions options;
  options.header_row = 3;
  Result<PanelBatch> forced = ReadPanels({{file.path, ""}}, *rules, options);
  REQUIRE(forced.ok());
  CHECK(forced->rows_scored() == 2);
  options.header_row = 99;
  Result<PanelBatch> past = ReadPanels({{file.path, ""}}, *rules, options);
  REQUIRE_FALSE(past.ok());
  CHECK(past.error() ==
        file.path + ": --header-row 99, but the file ends at line 8");
  options.header_row = 2;
  Result<PanelBatch> wrong = ReadPanels({{file.path, ""}}, *rules, options);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().find("cannot tell the entity kind from the header") !=
        std::string::npos);
}

// No header among the first 30 rows: the error says how to name it.
TEST_CASE("a header too far down is not guessed") {
  std::shared_ptr<const RuleSet> rules = LoadShipped();
  PanelFile file;
  {
    std::ofstream out(file.path, std::ios::binary);
    for (int i = 0; i < 30; ++i) out << "说明,第" << i << "行\n";
    out << "credit_code,name,county,year,sales_revenue,local_tax,"
           "in_cultivation_list,upgrade_year,new_national_hte,"
           "new_headquarters\n"
           "91411102MA3X4K7P2F,甲,源汇区,2017,1,1,true,,false,false\n";
  }
  Result<PanelBatch> batch = ReadPanels({{file.path, ""}}, *rules);
  REQUIRE_FALSE(batch.ok());
  CHECK(batch.error().find("no row among the first 30 names the columns (say "
                           "which row is the header with --header-row N)") !=
        std::string::npos);
  ReadOptions options;
  options.header_row = 31;
  Result<PanelBatch> forced = ReadPanels({{file.path, ""}}, *rules, options);
  REQUIRE(forced.ok());
  CHECK(forced->rows_read == 31);
  CHECK(forced->rows_scored() == 1);
}

// The encoding of a file is decided by all of its bytes, checked a block
// (4 MiB) at a time: GBK bytes past the first block still make the file
// GBK, and a character across a block's end reads right. (A check that
// took such a character for invalid would only cost time: the file is then
// decoded as a whole, found to be UTF-8, and read the same.)
TEST_CASE("a file's encoding is decided by all of its bytes") {
  std::shared_ptr<const RuleSet> rules = LoadShipped();
  PanelFile file;
  const std::string header =
      std::string(kPanel).substr(0, std::string(kPanel).find('\n') + 1);
  constexpr size_t kPast = (size_t{4} << 20) + 16384;
  std::string name;
  for (int i = 0; i < 5000; ++i) name += "甲";  // rows of 15 kB
  // Rows of 3-byte characters past 4 MiB, shifted by `pad` bytes so that
  // each of a character's bytes comes to lie at the end of a block.
  auto rows = [&](size_t pad) {
    std::string text = header;
    for (int year = 1900; text.size() < kPast; ++year) {
      text += fmt::format(
          "91411102MA3X4K7P2F,{}{},源汇区,{},1,1,true,,false,"
          "false\n",
          year == 1900 ? std::string(pad, 'x') : "", name, year);
    }
    return text;
  };
  auto county = [](const Row& row) { return row.cells[2].text; };
  for (size_t pad = 0; pad < 3; ++pad) {
    INFO("pad " << pad);
    std::ofstream(file.path, std::ios::binary) << rows(pad);
    Result<PanelBatch> read = ReadPanels({{file.path, ""}}, *rules);
    REQUIRE(read.ok());
    CHECK(read->rejects.empty());
    REQUIRE(read->panels.size() == 1);
    const std::vector<Row>& got = read->panels[0].rows();
    REQUIRE(got.size() > 250);
    for (const Row& row : got) {
      CHECK(row.cells[1].text.ends_with(name));
      CHECK(county(row) == "源汇区");
    }
  }
  // GBK bytes only in the last row, past the first block (the rows before
  // are ASCII): the file is read as GBK.
  std::string text = header;
  for (int year = 1900; text.size() < kPast; ++year) {
    text += fmt::format("91411102MA3X4K7P2F,{},,{},1,1,true,,false,false\n",
                        std::string(15000, 'x'), year);
  }
  text +=
      "91411102MA3X4K7P2F,x,\xD4\xB4\xBB\xE3\xC7\xF8,2200,1,1,true,,"
      "false,false\n";
  std::ofstream(file.path, std::ios::binary) << text;
  Result<PanelBatch> read = ReadPanels({{file.path, ""}}, *rules);
  REQUIRE(read.ok());
  REQUIRE(read->panels.size() == 1);
  CHECK(read->rejects.empty());
  CHECK(county(read->panels[0].rows().back()) == "源汇区");
}

// Invalid UTF-8 and NUL bytes are found wherever they lie, among runs of
// ASCII of any length and after valid multi-byte characters.
TEST_CASE("invalid UTF-8 and NUL bytes are reported on their line") {
  std::shared_ptr<const RuleSet> rules = LoadShipped();
  PanelFile file;
  const std::string header =
      std::string(kPanel).substr(0, std::string(kPanel).find('\n') + 1);
  for (std::string bad :
       {"\xFF", "\xC0\xAF", "\xE6\xBC", "\xED\xA0\x80", "\0"}) {
    if (bad.empty()) bad.assign(1, '\0');
    std::string expected = bad[0] == '\0'
                               ? "line 12: a NUL byte"
                               : "line 12: bytes that are not valid UTF-8";
    for (size_t at = 0; at < 20; ++at) {
      std::string row =
          "91411102MA3X4K7P2F,甲,源汇区,2016,1,1,true,,false,false";
      row.insert(at, bad);
      std::ofstream(file.path, std::ios::binary)
          << header << kPanel + header.size() << row << "\n";
      ReadOptions options;
      options.encoding = "utf-8";
      Result<PanelBatch> read = ReadPanels({{file.path, ""}}, *rules, options);
      INFO("bad byte at " << at);
      REQUIRE_FALSE(read.ok());
      CHECK(read.error().find(expected) != std::string::npos);
    }
  }
}

}  // namespace
}  // namespace eligo::testing
