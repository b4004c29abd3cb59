// eligo doc: a rule set described for people who do not read YAML.
#include <fmt/format.h>

#include <iostream>

#include "common.h"
#include "eligo/document.h"

namespace eligo::cli {
namespace {

constexpr const char* kHelp =
    R"(usage: eligo doc RULES [--format md|html] [--output PATH]

Writes a document of the rule set: for each rule its title, citation and
Chinese clause text, the conditions in plain words, the tiers as a table
(thresholds in yuan and in 万元), the award, payer and frequency limit;
then the parameters with their values and sources, and the derived values.
The HTML is one self-contained file. The output depends on the rules
alone, so it can be kept beside them and compared byte for byte. A rule
file with errors prints them and exits 2.

example:
  eligo doc rules/luohe-2017.yaml --output rules/luohe-2017.md
  eligo doc rules/luohe-2017.yaml --format html --output rules/luohe-2017.html
)";

}  // namespace

int Doc(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("help,h", "show this help")(
      "rules", po::value<std::string>()->required(), "rule file (positional)")(
      "format", po::value<std::string>()->default_value("md"),
      "md (Markdown) or html")("output,o",
                               po::value<std::string>()->default_value("-"),
                               "file to write, - for standard output");
  po::positional_options_description positional;
  positional.add("rules", 1);
  po::variables_map vm;
  if (!ParseArgs(args, options, positional, kHelp, vm)) return kOk;
  std::string format = vm["format"].as<std::string>();
  if (format != "md" && format != "html")
    throw UsageError{
        fmt::format("--format must be md or html, not `{}`", format)};

  LoadResult loaded = LoadRuleSet(vm["rules"].as<std::string>());
  for (const Diagnostic& d : loaded.diagnostics)
    std::cerr << FormatDiagnostic(d);
  if (!loaded.ok()) return kUsage;
  std::string text = DescribeRuleSet(
      *loaded.rule_set,
      format == "html" ? DocFormat::kHtml : DocFormat::kMarkdown);

  Result<std::unique_ptr<OutputFile>> out =
      OutputFile::Create(vm["output"].as<std::string>());
  if (!out.ok()) {
    std::cerr << "error: " << out.error() << "\n";
    return kWriteFailed;
  }
  std::unique_ptr<OutputFile> file = std::move(out).value();
  file->Write(text);
  if (Status s = file->Commit(); !s.ok()) {
    std::cerr << "error: " << s.message() << "\n";
    return kWriteFailed;
  }
  return kOk;
}

}  // namespace eligo::cli
