// Decisions as CSV: a cell is quoted when it holds a comma, a quote or a
// line break at any position, whatever its length, and only then.
#include <doctest/doctest.h>

#include <string>

#include "eligo/io.h"
#include "test_util.h"

namespace eligo::testing {
namespace {

TEST_CASE("a CSV cell is quoted when a special character is anywhere in it") {
  std::shared_ptr<const RuleSet> rules = LoadShipped();
  DecisionWriter writer(*rules, WriteOptions{});
  Panel panel(*rules->FindEntity("enterprise"), "91411102MA3X4K7P2F");
  Decision d;
  d.rule = "scale-tier-award";
  d.entity_kind = "enterprise";
  d.entity_id = panel.id();
  d.year = 2017;
  for (size_t size = 1; size <= 40; ++size) {
    for (bool wide : {false, true}) {
      std::string plain;
      for (size_t i = 0; i < size; ++i)
        plain += wide && i % 3 == 0 ? "企" : "a";
      d.payer = plain;
      std::string line;
      writer.Append(d, panel, line);
      CHECK(line.find("," + plain + ",") != std::string::npos);
      for (char special : {',', '"', '\n', '\r'}) {
        for (size_t at = 0; at < plain.size(); ++at) {
          d.payer = plain;
          d.payer[at] = special;
          std::string quoted = d.payer;
          if (special == '"') quoted.insert(at, 1, '"');
          line.clear();
          writer.Append(d, panel, line);
          INFO("size " << size << (wide ? " wide" : "") << ", special "
                       << int{special} << " at " << at);
          REQUIRE(line.find(",\"" + quoted + "\",") != std::string::npos);
        }
      }
    }
  }
}

}  // namespace
}  // namespace eligo::testing
