#!/usr/bin/env bash
# End-to-end benchmark of `eligo score`: rows/s, MB/s of input and peak RSS
# (from /usr/bin/time -v), median of REPEAT runs, for enterprise panels of
# 1M and 10M rows (sorted by key, grouped with entities in random order,
# and shuffled).
#
#   tests/bench/e2e.sh [BUILD_DIR] [REPEAT] [SIZES...]
#   e.g. tests/bench/e2e.sh build 3 1000000 10000000
#
# Needs the `time` package (/usr/bin/time). Data go to $BENCH_DIR
# (default /tmp/eligo-bench, about 10 GB for 10M rows with outputs).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
repeat=${2:-3}
shift $(( $# > 2 ? 2 : $# ))
sizes=("${@:-1000000}")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000)
dir=${BENCH_DIR:-/tmp/eligo-bench}
mkdir -p "$dir"
eligo=$build/cli/eligo
rules=(--rules rules/luohe-2017.yaml --params examples/params.yaml)
[ -x /usr/bin/time ] || { echo "install the 'time' package for /usr/bin/time" >&2; exit 2; }

# median of numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# run LABEL ROWS INPUT OUTPUT ARGS...: REPEAT timed runs, one line of medians.
run() {
  local label=$1 rows=$2 input=$3 output=$4
  shift 4
  local bytes secs=() rss=()
  bytes=$(stat -c %s "$input")
  for _ in $(seq "$repeat"); do
    /usr/bin/time -v "$eligo" score "${rules[@]}" --input "$input" --output "$output" "$@" \
      2>"$dir/time.log" >/dev/null || [ $? -eq 1 ]
    secs+=("$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$dir/time.log")")
    rss+=("$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$dir/time.log")")
  done
  local s r
  s=$(printf '%s\n' "${secs[@]}" | median)
  r=$(printf '%s\n' "${rss[@]}" | median)
  awk -v l="$label" -v n="$rows" -v b="$bytes" -v s="$s" -v r="$r" 'BEGIN {
    printf "%-44s %9.2f s %12.0f rows/s %8.1f MB/s %8.1f MB peak RSS\n", l, s, n / s, b / s / 1e6, r / 1024 }'
}

echo "eligo $("$eligo" --version | cut -d' ' -f2), $(nproc) cores, $(date -u +%Y-%m-%d), median of $repeat runs"
for rows in "${sizes[@]}"; do
  sorted=$dir/enterprises-$rows.csv
  grouped=$dir/enterprises-$rows-grouped.csv
  shuffled=$dir/enterprises-$rows-shuffled.csv
  [ -f "$sorted" ] || "$build/tests/bench/gen_panel" --enterprises $((rows / 4)) --years 4 >"$sorted"
  [ -f "$grouped" ] || "$build/tests/bench/gen_panel" --enterprises $((rows / 4)) --years 4 --order grouped >"$grouped"
  [ -f "$shuffled" ] || "$build/tests/bench/gen_panel" --enterprises $((rows / 4)) --years 4 --order shuffled >"$shuffled"
  run "$rows rows, every decision as CSV" "$rows" "$sorted" "$dir/out.csv"
  run "$rows rows, every decision, --threads 2" "$rows" "$sorted" "$dir/out.csv" --threads 2
  run "$rows rows, --only eligible" "$rows" "$sorted" "$dir/out.csv" --only eligible
  run "$rows rows, --only eligible, --threads 2" "$rows" "$sorted" "$dir/out.csv" --only eligible --threads 2
  run "$rows rows, --trace JSONL to /dev/null" "$rows" "$sorted" /dev/null --format jsonl --trace
  run "$rows rows grouped, every decision as CSV" "$rows" "$grouped" "$dir/out.csv"
  run "$rows rows grouped, --only eligible" "$rows" "$grouped" "$dir/out.csv" --only eligible
  run "$rows rows shuffled, every decision as CSV" "$rows" "$shuffled" "$dir/out.csv"
  rm -f "$dir/out.csv" "$dir"/.out.csv.tmp.* "$dir/out.csv.run.json"
done
