// Hashes and decision ids.
#include "eligo/provenance.h"

#include <doctest/doctest.h>

#include "test_util.h"

namespace eligo::testing {
namespace {

TEST_CASE("SHA-256 matches the FIPS 180-2 test vectors") {
  CHECK(Sha256Hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Hex("") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK_FALSE(Sha256File("/nonexistent/eligo").ok());
}

TEST_CASE(
    "decision ids are stable, and change with the rules, entity, year, rule or "
    "tier") {
  auto rules = LoadShipped();
  auto again = LoadShipped();
  auto variant = LoadShipped("luohe-2017-top-up.yaml");
  CHECK(rules->digest() == again->digest());
  CHECK(rules->digest() != variant->digest());
  Decision d;
  d.entity_kind = "enterprise";
  d.entity_id = "91411102MA3X4K7P2F";
  d.year = 2017;
  d.rule = "scale-tier-award";
  d.tier = "tier1";
  std::string id = DecisionId(*rules, d);
  CHECK(id.size() == 20);
  const std::string sep = "\x1f";
  std::string key = rules->digest() + sep + "enterprise" + sep +
                    "91411102MA3X4K7P2F" + sep + "scale-tier-award" + sep +
                    "tier1" + sep + "2017";
  CHECK(id == Sha256Hex(key).substr(0, 20));
  CHECK(DecisionId(*again, d) == id);
  CHECK(DecisionId(*variant, d) != id);
  CHECK(DecisionId(*variant, d) ==
        Sha256Hex(variant->digest() + key.substr(rules->digest().size()))
            .substr(0, 20));
  CHECK(DecisionId(*rules, d) == id);  // back to the first rule set
  Decision other = d;
  other.year = 2018;
  CHECK(DecisionId(*rules, other) != id);
  other = d;
  other.tier = "tier2";
  CHECK(DecisionId(*rules, other) != id);
  other = d;
  other.outcome = Outcome::kEligible;  // the outcome is not part of the id
  CHECK(DecisionId(*rules, other) == id);
}

}  // namespace
}  // namespace eligo::testing
