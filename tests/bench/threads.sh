#!/usr/bin/env bash
# How much `--threads N` gains over one thread, measured in alternating
# pairs (one thread, then N) so that a shared machine's changing load hits
# both sides alike: prints each pair's wall times and the median ratio.
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

seconds() {  # seconds ARGS...: wall time of one eligo score run
  local start end
  start=$(date +%s.%N)
  "$build/cli/eligo" score --rules rules/luohe-2017.yaml \
    --params examples/params.yaml --input "$input" --output "$dir/out.csv" \
    "$@" 2>/dev/null >/dev/null || [ $? -eq 1 ]
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

echo "eligo score on $rows rows $*: 1 thread vs $threads, $pairs pairs"
ratios=()
for _ in $(seq "$pairs"); do
  one=$(seconds "$@")
  many=$(seconds --threads "$threads" "$@")
  ratio=$(awk -v a="$one" -v b="$many" 'BEGIN { printf "%.3f", a / b }')
  ratios+=("$ratio")
  printf '  1 thread %6.2f s   %s threads %6.2f s   ratio %s\n' "$one" "$threads" "$many" "$ratio"
done
printf '%s\n' "${ratios[@]}" | sort -g |
  awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "median ratio %.2f\n", m }'
rm -f "$dir/out.csv" "$dir/out.csv.run.json"
