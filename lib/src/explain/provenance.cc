// Hashes with OpenSSL's libcrypto (Debian libssl-dev): a reviewed SHA-256
// rather than a hand-written one, since auditors rely on these digests.
#include "eligo/provenance.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <cstdio>
#include <memory>

#include "explain/json.h"

namespace eligo {
namespace {

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr);
  }
  void Update(std::string_view bytes) {
    EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size());
  }
  std::string HexDigest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx_.get(), digest, &size);
    std::string hex;
    for (unsigned int i = 0; i < size; ++i)
      hex += fmt::format("{:02x}", digest[i]);
    return hex;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  Sha256 h;
  h.Update(bytes);
  return h.HexDigest();
}

Result<std::string> Sha256File(const std::string& path) {
  std::unique_ptr<std::FILE, decltype(&std::fclose)> f(
      std::fopen(path.c_str(), "rb"), &std::fclose);
  if (f == nullptr) return Status::Error(fmt::format("cannot read {}", path));
  Sha256 h;
  char buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f.get())) > 0)
    h.Update(std::string_view(buffer, n));
  if (std::ferror(f.get()))
    return Status::Error(fmt::format("cannot read {}", path));
  return h.HexDigest();
}

std::string DecisionId(const RuleSet& rules, const Decision& d) {
  Sha256 h;
  // Fields separated by a byte no text contains, so ids cannot collide by
  // moving characters between fields.
  for (std::string_view part :
       {std::string_view(rules.digest()), std::string_view(d.entity_kind),
        std::string_view(d.entity_id), std::string_view(d.rule),
        std::string_view(d.tier)}) {
    h.Update(part);
    h.Update(std::string_view("\x1f", 1));
  }
  h.Update(std::to_string(d.year));
  return h.HexDigest().substr(0, 20);
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
