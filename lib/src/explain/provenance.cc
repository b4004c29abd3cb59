// Hashes with OpenSSL's libcrypto (Debian libssl-dev): a reviewed SHA-256
// rather than a hand-written one, since auditors rely on these digests.
//
// Decision ids use the low-level SHA256_CTX, deprecated in OpenSSL 3 but
// kept by it: a plain struct, so the state after the rule set's digest is
// copied by value. EVP_MD_CTX_copy_ex allocates a provider context per copy
// (230 against 150 ns per id, measured on this machine).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "eligo/provenance.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <memory>

#include "explain/json.h"

namespace eligo {
namespace {

constexpr size_t kDecisionIdDigits = 20;

// SHA-256, fetched once: fetching it on every digest costs more than
// hashing a short decision key.
const EVP_MD* Sha256() {
  static const EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return kSha256;
}

// Appends the first `digits` hex digits of `digest` (at most
// 2 * EVP_MAX_MD_SIZE), in one append: a decision id is written per
// decision.
void AppendHex(const unsigned char* digest, size_t digits, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  char hex[2 * EVP_MAX_MD_SIZE];
  digits = std::min(digits, sizeof hex);
  for (size_t i = 0; i < (digits + 1) / 2; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  out.append(hex, digits);
}

}  // namespace

Sha256Hasher::Sha256Hasher() : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex2(static_cast<EVP_MD_CTX*>(ctx_), Sha256(), nullptr);
}

Sha256Hasher::~Sha256Hasher() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
}

void Sha256Hasher::Update(std::string_view bytes) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size());
}

std::string Sha256Hasher::HexDigest(size_t hex_digits) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), digest, &size);
  std::string hex;
  AppendHex(digest, std::min<size_t>(hex_digits, size_t{2} * size), hex);
  return hex;
}

std::string Sha256Hex(std::string_view bytes) {
  Sha256Hasher h;
  h.Update(bytes);
  return h.HexDigest();
}

Result<std::string> Sha256File(const std::string& path) {
  std::unique_ptr<std::FILE, decltype(&std::fclose)> f(
      std::fopen(path.c_str(), "rb"), &std::fclose);
  if (f == nullptr) return Status::Error(fmt::format("cannot read {}", path));
  Sha256Hasher h;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f.get())) > 0)
    h.Update(std::string_view(buffer, n));
  if (std::ferror(f.get()))
    return Status::Error(fmt::format("cannot read {}", path));
  return h.HexDigest();
}

void AppendDecisionId(const RuleSet& rules, const Decision& d,
                      std::string& out) {
  // The key is the rule set's digest, then the decision's fields, separated
  // by a byte no text contains, so ids cannot collide by moving characters
  // between fields. The digest is a whole SHA-256 block: the state after it
  // is kept per thread and copied by value for each id, so that only the
  // fields are hashed per decision and nothing is allocated.
  thread_local SHA256_CTX after_digest;
  thread_local std::string digest_taken;
  if (digest_taken != rules.digest()) {
    SHA256_Init(&after_digest);
    SHA256_Update(&after_digest, rules.digest().data(), rules.digest().size());
    digest_taken = rules.digest();
  }
  thread_local std::string key;
  key.clear();
  for (std::string_view part :
       {std::string_view(d.entity_kind), std::string_view(d.entity_id),
        std::string_view(d.rule), std::string_view(d.tier)}) {
    key += '\x1f';
    key.append(part);
  }
  key += '\x1f';
  char year[12];
  key.append(year,
             static_cast<size_t>(
                 std::to_chars(year, year + sizeof year, d.year).ptr - year));
  SHA256_CTX ctx = after_digest;
  SHA256_Update(&ctx, key.data(), key.size());
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256_Final(digest, &ctx);
  AppendHex(digest, kDecisionIdDigits, out);
}

std::string DecisionId(const RuleSet& rules, const Decision& d) {
  std::string id;
  AppendDecisionId(rules, d, id);
  return id;
}

std::string RunRecordToJson(const RunRecord& r) {
  std::string out = "{\"eligo_version\":";
  AppendJsonString(out, r.version);
  out += ",\"rule_set_digest\":";
  AppendJsonString(out, r.rule_set_digest);
  out += ",\"started_utc\":";
  AppendJsonString(out, r.started_utc);
  out += fmt::format(",\"elapsed_ms\":{},\"files\":[", r.elapsed_ms);
  for (size_t i = 0; i < r.files.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"role\":";
    AppendJsonString(out, r.files[i].role);
    out += ",\"path\":";
    AppendJsonString(out, r.files[i].path);
    out += ",\"sha256\":";
    AppendJsonString(out, r.files[i].sha256);
    out += '}';
  }
  out += "],\"arguments\":[";
  for (size_t i = 0; i < r.arguments.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, r.arguments[i]);
  }
  out += "]}";
  return out;
}

}  // namespace eligo
