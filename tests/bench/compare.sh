#!/usr/bin/env bash
# Two builds of eligo timed in alternating runs (the first, then the
# second, N times) on the same `eligo score` arguments, so that a shared
# machine's changing load hits both alike: prints each build's median wall
# time and its runs.
#
#   tests/bench/compare.sh BASE_BUILD_DIR NEW_BUILD_DIR N -- SCORE_ARGS...
#   e.g. tests/bench/compare.sh /tmp/base/build build 9 -- \
#          --input /tmp/eligo-bench/enterprises-1000000.csv \
#          --output /tmp/out.csv --only eligible
#
# --rules and --params are the shipped ones; outputs are overwritten.
# With SETTLE=1, the --output file is removed and the disk synced before
# each run: a run that replaces a large output pays for freeing the old
# one, and that cost lands on one build more than the other (0.3-1.2 s of
# system time for 860 MB, seen on the first or the second build of each
# pair depending on the pause between runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
base=$1 new=$2 runs=$3
shift 3
[ "${1:-}" = "--" ] && shift

output=""
for ((i = 1; i < $#; i++)); do
  [ "${!i}" = "--output" ] && { j=$((i + 1)); output=${!j}; }
done

seconds() {  # seconds BUILD: wall time of one eligo score run
  local start end
  if [ "${SETTLE:-0}" = 1 ]; then
    [ -f "$output" ] && rm -f "$output"
    sync
    sleep 1
  fi
  start=$(date +%s.%N)
  "$1/cli/eligo" score --rules rules/luohe-2017.yaml \
    --params examples/params.yaml "${@:2}" >/dev/null 2>&1 || [ $? -eq 1 ]
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

declare -A times
for _ in $(seq "$runs"); do
  for build in "$base" "$new"; do
    times[$build]+="$(seconds "$build" "$@") "
  done
done
for build in "$base" "$new"; do
  # shellcheck disable=SC2086
  printf '%s\n' ${times[$build]} | sort -g | awk -v b="$build" '
    { v[NR] = $1; all = all " " $1 }
    END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
          printf "%s: median %.3f s  (%s )\n", b, m, all }'
done
