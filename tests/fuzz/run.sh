#!/usr/bin/env bash
# Builds eligo's libFuzzer targets (clang, -fsanitize=fuzzer,address,
# undefined) and runs each in turn for SECONDS (default 60) over its seed
# corpus: the shipped rules, examples and test data, plus tests/fuzz/seeds/
# and tests/fuzz/regressions/.
#
# usage: tests/fuzz/run.sh [SECONDS] [TARGET...]
#   TARGET: csv rules expr params history xlsx (default: all, in that order)
#   FUZZ_BUILD   build directory (default build-fuzz)
#   FUZZ_FLAGS   extra libFuzzer flags, e.g. "-runs=1000000"
#
# New corpus units collect in FUZZ_BUILD/corpus/TARGET (kept between runs),
# crashes in FUZZ_BUILD/artifacts/TARGET/, logs in FUZZ_BUILD/logs/. One
# fuzzer runs at a time, one worker each. Exit status 1 if any target found
# a crash, a leak or a timeout.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-csv rules expr params history xlsx}
build=${FUZZ_BUILD:-build-fuzz}
here=$root/tests/fuzz

# clang 14 and its runtime (libFuzzer, sanitizers), on a fresh Debian 12
if ! command -v clang++-14 >/dev/null ||
   ! compgen -G "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends clang-14 libclang-rt-14-dev >/dev/null
fi

CC=clang-14 CXX=clang++-14 cmake -S "$here" -B "$build" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" >"$build/build.log" 2>&1 ||
  { tail -n 40 "$build/build.log"; exit 2; }

# ---------------------------------------------------------- seed corpora
seeds=$build/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{csv,rules,expr,params,history,xlsx}
add() {  # add TARGET < bytes: a seed named by its content
  local tmp
  tmp=$(mktemp "$seeds/$1/.new.XXXXXX")
  cat >"$tmp"
  mv "$tmp" "$seeds/$1/shipped-$(sha1sum <"$tmp" | cut -c 1-16)"
}
# CSV: the first byte picks encoding and kind (see csv_fuzzer.cc):
# '@' auto, header decides; 'B' gbk; 'P' auto, JSON Lines output; 'D' lender
for f in examples/*.csv; do
  { printf '@'; cat "$f"; } | add csv
  { printf 'P'; cat "$f"; } | add csv
done
{ printf 'B'; cat examples/enterprises-gbk.csv; } | add csv
{ printf 'H'; cat examples/enterprises.csv; } | add csv
{ printf 'D'; cat examples/lenders.csv; } | add csv
# rule files: the shipped rules and variants, the rule tests, and every
# YAML example in the language reference
for f in rules/*.yaml rules/tests/*.yaml tests/rule_tests/*.yaml; do
  add rules <"$f"
done
awk -v dir="$seeds/rules" '
  /^```yaml/ { f = sprintf("%s/readme-%03d", dir, ++k); next }
  /^```/ { f = ""; next }
  f { print > f }' rules/README.md
# params files
add params <examples/params.yaml
grep -l -E '^[a-z_]+:$' "$seeds"/rules/readme-* 2>/dev/null | while read -r f; do
  cp "$f" "$seeds/params/"
done
# expressions: every `expr:`, `years:`, `amount:` and `decided_in:` of the
# shipped rules and the reference
cat rules/*.yaml rules/README.md |
  sed -n -E 's/.*(expr|years|amount|decided_in): *"?([^,}"]+)"?.*/\2/p' |
  sed -E 's/ +$//' | sort -u | while IFS= read -r e; do
    printf '%s' "$e" | add expr
  done
# workbooks: the test fixtures (whole files, each starting with "PK"; see
# xlsx_fuzzer.cc)
for f in tests/data/xlsx/*.xlsx tests/data/xlsx/*.xlsb tests/data/xlsx/*.ods \
    tests/data/xlsx/*.docx tests/data/xlsx/*.zip; do
  if [ -f "$f" ]; then add xlsx <"$f"; fi
done
for t in csv rules expr params history xlsx; do
  [ -d "$here/seeds/$t" ] && cp "$here/seeds/$t"/* "$seeds/$t/" 2>/dev/null || true
  [ -d "$here/regressions/$t" ] && cp "$here/regressions/$t"/* "$seeds/$t/" 2>/dev/null || true
done

# ---------------------------------------------------------------- run
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
mkdir -p "$build/logs"
printf '%-8s %12s %8s %8s %8s %s\n' target execs exec/s cov ft result
for t in $targets; do
  mkdir -p "$build/corpus/$t" "$build/artifacts/$t"
  dict=$here/$t.dict
  [ "$t" = expr ] && dict=$here/rules.dict
  [ "$t" = params ] && dict=$here/rules.dict
  log=$build/logs/$t.log
  result=ok
  # shellcheck disable=SC2086
  if ! "$build/fuzz_$t" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -malloc_limit_mb=2048 -print_final_stats=1 \
      -dict="$dict" -artifact_prefix="$build/artifacts/$t/" \
      ${FUZZ_FLAGS:-} "$build/corpus/$t" "$seeds/$t" >"$log" 2>&1; then
    result="FAILED (see $log and $build/artifacts/$t/)"
    status=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
  printf '%-8s %12s %8s %8s %8s %s\n' "$t" "${execs:-?}" "${rate:-?}" \
    "${cov:-?}" "${ft:-?}" "$result"
done
exit $status
