#!/usr/bin/env bash
# Instructions per decision of the compiled Luohe rules, without and with
# traces, and of the hand-written function, counted by valgrind's callgrind
# over eval_bench's loops (EvaluateAll, DecideAllByHand): unlike times, the
# counts do not change with the load of a shared machine, so small changes
# can be compared.
#
#   tests/bench/instructions.sh [BUILD_DIR]
#
# Needs valgrind. Takes about a minute. (awk reads to the end: with
# pipefail, a reader that stops early fails the pipe.)
set -euo pipefail
cd "$(dirname "$0")/../.."
bench=${1:-build}/tests/bench/eval_bench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# per_decision NAME FILTER LOOP CALLEE: instructions per decision run inside
# LOOP, which calls CALLEE once per enterprise, and an enterprise has 4
# years x 5 rules of decisions (kYears in eval_bench.cc).
per_decision() {
  valgrind --tool=callgrind --toggle-collect="*$3*" \
    --callgrind-out-file="$out/$1" "$bench" --benchmark_filter="$2" \
    --benchmark_min_time=0.01 >/dev/null 2>&1
  callgrind_annotate --inclusive=yes --tree=calling "$out/$1" 2>/dev/null |
    awk -v loop="$3(" -v callee="$4(" '
      index($0, "*  ") && index($0, loop) && !total {
        in_loop = 1; gsub(",", "", $1); total = $1; next }
      in_loop && index($0, "> ") && index($0, callee) && !calls {
        match($0, /\([0-9,]+x\)/); calls = substr($0, RSTART + 1, RLENGTH - 3)
        gsub(",", "", calls) }
      /^$/ { in_loop = 0 }
      END { printf "%.0f", total / (calls * 20) }'
}

hand=$(per_decision hand 'BM_HandWritten' DecideAllByHand DecideEnterprise)
plain=$(per_decision plain 'BM_Interpreter$' EvaluateAll Evaluator::Evaluate)
traced=$(per_decision traced 'BM_InterpreterWithTraces' EvaluateAll \
  Evaluator::Evaluate)
awk -v h="$hand" -v p="$plain" -v t="$traced" 'BEGIN {
  printf "hand-written %6d instructions per decision\n", h
  printf "untraced     %6d (%.1fx the hand-written)\n", p, p / h
  printf "traced       %6d (traces cost %.2fx)\n", t, t / p }'
