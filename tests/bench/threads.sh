#!/usr/bin/env bash
# How much `--threads N` gains over one thread, measured in alternating
# pairs (one thread, then N) so that a shared machine's changing load hits
# both sides alike: prints each pair's wall times and the median ratio.
# Beside each pair, N one-thread runs at once: what N independent runs gain
# in throughput (N x one run's time / their time together) is the most that
# N threads can gain on this machine, which is less than N when its cores
# share a physical core or the host is busy.
#
#   tests/bench/threads.sh [BUILD_DIR] [PAIRS] [N] [ROWS] [-- SCORE_ARGS...]
#   e.g. tests/bench/threads.sh build 7 2 1000000 -- --only eligible
#
# The input is the sorted panel e2e.sh generates (in $BENCH_DIR).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
pairs=${2:-7}
threads=${3:-2}
rows=${4:-1000000}
shift $(($# > 4 ? 4 : $#))
[ "${1:-}" = "--" ] && shift
dir=${BENCH_DIR:-/tmp/eligo-bench}
mkdir -p "$dir"
input=$dir/enterprises-$rows.csv
[ -f "$input" ] ||
  "$build/tests/bench/gen_panel" --enterprises $((rows / 4)) --years 4 >"$input"

score() {  # score OUTPUT ARGS...: one eligo score run
  local out=$1
  shift
  "$build/cli/eligo" score --rules rules/luohe-2017.yaml \
    --params examples/params.yaml --input "$input" --output "$out" \
    "$@" 2>/dev/null >/dev/null || [ $? -eq 1 ]
}

seconds() {  # seconds ARGS...: wall time of one eligo score run
  local start end
  start=$(date +%s.%N)
  score "$dir/out.csv" "$@"
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

together() {  # together ARGS...: wall time of $threads one-thread runs at once
  local start end k
  start=$(date +%s.%N)
  for k in $(seq "$threads"); do score "$dir/out-$k.csv" "$@" & done
  wait
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

median() {
  sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m }'
}

echo "eligo score on $rows rows $*: 1 thread vs $threads, $pairs pairs"
ratios=() ceilings=()
for _ in $(seq "$pairs"); do
  one=$(seconds "$@")
  many=$(seconds --threads "$threads" "$@")
  apart=$(together "$@")
  ratio=$(awk -v a="$one" -v b="$many" 'BEGIN { printf "%.3f", a / b }')
  ceiling=$(awk -v a="$one" -v b="$apart" -v n="$threads" \
    'BEGIN { printf "%.3f", n * a / b }')
  ratios+=("$ratio")
  ceilings+=("$ceiling")
  printf '  1 thread %6.2f s   %s threads %6.2f s   ratio %s   %s runs at once %6.2f s   gain %s\n' \
    "$one" "$threads" "$many" "$ratio" "$threads" "$apart" "$ceiling"
done
echo "median ratio $(printf '%s\n' "${ratios[@]}" | median)" \
  "(independent runs at once: $(printf '%s\n' "${ceilings[@]}" | median))"
rm -f "$dir"/out*.csv "$dir"/out*.csv.run.json
