// Provenance: hashes that tie a run's outputs to the exact rules, params and
// inputs that produced them, and stable ids an auditor can quote.
#ifndef ELIGO_PROVENANCE_H_
#define ELIGO_PROVENANCE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eligo/decision.h"
#include "eligo/rule_set.h"
#include "eligo/status.h"

namespace eligo {

// SHA-256 of `bytes`, as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view bytes);

// SHA-256 of bytes given piece by piece.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  void Update(std::string_view bytes);
  // The digest as lowercase hex, `hex_digits` long (at most 64); once.
  std::string HexDigest(size_t hex_digits = 64);

 private:
  void* ctx_;  // EVP_MD_CTX
};

// SHA-256 of the file at `path`; fails when it cannot be read.
Result<std::string> Sha256File(const std::string& path);

// A decision's id: 20 hex digits of SHA-256 over the rule set's digest,
// entity kind, entity id, year, rule and tier. The same inputs and rules
// give the same id in every run.
std::string DecisionId(const RuleSet& rules, const Decision& decision);
// The same id appended to `out`, without allocating: for writers of many
// decisions.
void AppendDecisionId(const RuleSet& rules, const Decision& decision,
                      std::string& out);

// What one run read and how: recorded beside each output and in the
// summary, never inside the decision CSV.
struct RunRecord {
  struct File {
    std::string role;  // "rules", "params", "input", "history"
    std::string path;
    std::string sha256;
  };
  std::string version;  // eligo's
  std::string
      rule_set_digest;  // RuleSet::digest(): the rule file and its bases
  std::vector<File> files;
  std::vector<std::string> arguments;  // the command line as given
  std::string started_utc;             // ISO 8601, e.g. 2026-11-27T10:00:00Z
  long elapsed_ms = 0;
};

// The record as a JSON object.
std::string RunRecordToJson(const RunRecord& record);

}  // namespace eligo

#endif  // ELIGO_PROVENANCE_H_
