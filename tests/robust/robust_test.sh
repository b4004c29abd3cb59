#!/usr/bin/env bash
# Robustness tests of `eligo score`: limits of CSV input, failing output
# devices, SIGKILL at random moments, determinism, and "nothing lost, nothing
# paid silently" over generated panels.
#
# usage: robust_test.sh ELIGO_BINARY MEASURE_BINARY SOURCE_DIR CASE_NAME
#
# Each case is a function `case_NAME` below, run in its own temporary
# directory (removed on exit). MEASURE_BINARY (tests/robust/measure.cc) runs
# a command and fails it when its peak memory or time is over a bound. Only
# bash, coreutils, grep, sed, awk and iconv are used.
set -u -o pipefail

if [ $# -ne 4 ]; then
  echo "usage: $0 ELIGO_BINARY MEASURE_BINARY SOURCE_DIR CASE_NAME" >&2
  exit 2
fi
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
ELIGO=$(abs "$1")
MEASURE=$(abs "$2")
SRC=$(cd "$3" && pwd)
CASE=$4
RULES=$SRC/rules/luohe-2017.yaml
PARAMS=$SRC/examples/params.yaml
HEADER=credit_code,name,county,year,sales_revenue,local_tax,in_cultivation_list,upgrade_year,new_national_hte,new_headquarters
GOOD_ROW=91411102MA3X4K7P2F,恒达,源汇区,2017,120000000.00,2500000.00,true,,false,false

W=$(mktemp -d "${TMPDIR:-/tmp}/eligo-robust.XXXXXX") || exit 1
trap 'chmod -R u+w "$W" 2>/dev/null; rm -rf "$W"' EXIT
cd "$W" || exit 1
export LC_ALL=C.UTF-8

# Sanitizer builds take more memory and time: the bounds grow with them.
SLOW=1
if grep -q __asan_init "$ELIGO" 2>/dev/null; then
  SLOW=4
  export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0:quarantine_size_mb=64
fi
grep -q __tsan_init "$ELIGO" 2>/dev/null && SLOW=4

# ---------------------------------------------------------------- helpers

rc=0
last_cmd=""

fail() {
  {
    echo "FAIL [robust.$CASE]: $*"
    if [ -n "$last_cmd" ]; then
      echo "  last command: $last_cmd (exit $rc)"
      if [ -s "$W/stderr" ]; then
        echo "  its stderr (first 20 lines):"
        head -n 20 "$W/stderr" | cut -c 1-300 | sed 's/^/    /'
      fi
    fi
  } >&2
  exit 1
}

# run MAX_MB MAX_SECONDS ARGS...: `eligo ARGS` under the bounds (scaled for
# sanitizer builds); stdout to $W/stdout, stderr to $W/stderr; sets rc.
run() {
  local mb=$(($1 * SLOW)) seconds=$(($2 * SLOW))
  shift 2
  last_cmd="eligo $*"
  "$MEASURE" "$mb" "$seconds" "$ELIGO" "$@" >"$W/stdout" 2>"$W/stderr"
  rc=$?
  [ "$rc" -ne 124 ] || fail "over $seconds s: $(tail -n 2 "$W/stderr")"
  [ "$rc" -ne 125 ] || fail "over $mb MB: $(tail -n 2 "$W/stderr")"
}

# score ARGS...: `eligo score` with the shipped rules and params, in English. 512 MB and
# 60 s at most.
score() { run 512 60 score --lang en --rules "$RULES" --params "$PARAMS" "$@"; }

expect_rc() {
  [ "$rc" -eq "$1" ] || fail "expected exit status $1, got $rc${2:+ ($2)}"
}
expect_contains() {
  grep -Fq -- "$2" "$1" || fail "$1 does not contain: $2"
}
expect_absent() {
  [ ! -e "$1" ] || fail "$1 exists but should not"
}
expect_same() {
  if ! cmp -s "$1" "$2"; then
    echo "--- diff $1 $2 (first 10 lines)" >&2
    diff "$1" "$2" | head -n 10 | cut -c 1-300 >&2
    fail "${3:-$2} differs from $1"
  fi
}
expect_eq() {  # expect_eq EXPECTED ACTUAL WHAT
  [ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}
# expect_no_temp DIR: no leftover temporary output file in DIR.
expect_no_temp() {
  local leftover
  leftover=$(compgen -G "$1/.*.tmp.*")
  [ -z "$leftover" ] || fail "temporary files left in $1: $leftover"
}

# The summary JSON without the provenance of the run (times, paths).
summary_core() { sed -E 's/,"run":\{.*$//; s/,"warnings":\[[^]]*\]//' "$1"; }

# gen_panel SEED ENTERPRISES LENDERS: a panel of enterprises (and lenders,
# in a second file) over 2015..2022, with every kind of cell the readers
# accept and some they reject: bad numbers, negative money, bad codes, a
# wrong number of cells, bad years, duplicate rows for one entity and year,
# empty (missing) cells, 万元 scaled columns. Writes ent-SEED.csv and
# len-SEED.csv.
gen_panel() {
  awk -v seed="$1" -v n="$2" -v nl="$3" -v header="$HEADER" '
    function pick(list,   a, k) { k = split(list, a, "|"); return a[int(rand() * k) + 1] }
    function money(   r) {
      r = rand()
      if (r < 0.05) return ""
      if (r < 0.08) return pick("12abc|-5.00|1e9|1,2,3")
      return sprintf("%d.%02d", int(rand() ^ 3 * 3000000000), int(rand() * 100))
    }
    function code(i,   c) {
      c = sprintf("914111%02dMA%08d", i % 100, i)
      return rand() < 0.01 ? "9.14E+17" : c
    }
    BEGIN {
      srand(seed)
      print header > ("ent-" seed ".csv")
      for (e = 1; e <= n; e++) {
        first = 2015 + int(rand() * 4); last = first + int(rand() * 5)
        for (y = first; y <= last; y++) {
          year = (rand() < 0.01) ? "20x7" : y
          up = (rand() < 0.3) ? 2014 + int(rand() * 8) : ""
          row = code(e) ",企业" e "," pick("源汇区|郾城区|召陵区|舞阳县|临颍县|市直") "," year "," \
                money() "," money() "," pick("true|false|是|否|Y|N|1|0|") "," up "," \
                pick("true|false|是|否") "," pick("false|false|true")
          if (rand() < 0.01) row = row ",extra"
          print row > ("ent-" seed ".csv")
          if (rand() < 0.01) print row > ("ent-" seed ".csv")  # duplicate
        }
      }
      print "institution_code,name,year,new_local_loans,new_local_industrial_loans" > ("len-" seed ".csv")
      for (e = 1; e <= nl; e++)
        for (y = 2016; y <= 2021; y++)
          print "B" (41110000 + e) ",银行" e "," y "," money() "," money() > ("len-" seed ".csv")
    }'
}

# ---------------------------------------------------------- hostile rules

# The rule files of the reviewers' findings, through `eligo check`: each an
# error (exit 2) within 256 MB and 10 s (more with sanitizers).
case_hostile_rules() {
  local head='eligo: 1
ruleset: {id: hostile}
entities:
  e:
    key: id
    period: year
    fields:
      id: {type: text}
      year: {type: year}
      p: {type: boolean}
      m: {type: money}'
  rule() {  # rule WHEN
    printf '%s\nrules:\n  - id: r\n    title: t\n    citation: c\n    entity: e\n    award: {kind: designation}\n    when: %s\n' "$head" "$1"
  }
  # 900,000 chained `not`s (a stack overflow)
  rule "'$(yes 'not' | head -n 900000 | tr '\n' ' ')p'" >nots.yaml
  # 20,000 `and`s (1.2 GB) and 100,000 `+`
  rule "'p$(yes ' and p' | head -n 20000 | tr -d '\n')'" >ands.yaml
  rule "'m$(yes ' + m' | head -n 100000 | tr -d '\n') > 0元'" >sums.yaml
  # 60,000 chained derived values (36 s, then a stack overflow)
  { echo "$head"; echo "derived:"; echo "  d0: {entity: e, expr: m}";
    awk 'BEGIN { for (i = 1; i < 60000; i++) printf "  d%d: {entity: e, expr: d%d + m}\n", i, i - 1 }';
    echo "rules:"; rule "d59999 > 0元" | sed -n '/^  - id/,$p'; } >derived.yaml
  # a 33 KB file of anchors that expands to a million conditions
  { echo "$head"; echo "rules:";
    for r in $(seq 0 999); do
      printf '  - id: r%d\n    title: t\n    citation: c\n    entity: e\n    award: {kind: designation}\n' "$r"
      if [ "$r" -eq 0 ]; then
        printf '    when: &c [%s p]\n' "$(yes 'p,' | head -n 999 | tr '\n' ' ')"
      else
        echo '    when: *c'
      fi
    done; } >anchors.yaml
  # a billion laughs
  { echo "$head"; echo "x:"; echo "  - &l0 lol";
    for i in $(seq 1 9); do
      printf '  - &l%d [%s]\n' "$i" "$(printf '*l%d, ' $(yes $((i - 1)) | head -n 10) | sed 's/, $//')"
    done; } >laughs.yaml
  # nesting: 4 MB of `[`; a value of 1 MB; a file of 5 MB
  { printf 'x: '; head -c 4000000 /dev/zero | tr '\0' '['; } >brackets.yaml
  { echo "$head"; printf 'x: '; head -c 1000000 /dev/zero | tr '\0' 'x'; echo; } >scalar.yaml
  { echo "$head"; head -c 5000000 /dev/zero | tr '\0' '#'; } >big.yaml
  # a sum over 10^9 years
  rule "'sum(1 .. 1000000000, m) > 0元'" >years.yaml
  local f
  for f in nots ands sums derived anchors laughs brackets scalar big years; do
    run 256 10 check "$f.yaml"
    expect_rc 2 "eligo check $f.yaml"
    grep -Eq "^$f\.yaml:[0-9]+:[0-9]+: error: " stderr ||
      fail "$f.yaml: no error with its place"
  done
  run 256 10 check big.yaml
  expect_contains stderr "the limit is 4194304"
  run 256 10 check years.yaml
  expect_contains stderr "covers 1000000000 years"
  run 256 10 check laughs.yaml
  expect_contains stderr "more than 200000 nodes"
}

# A rule set at the depth limits (a derived value 500 deep used by a rule
# expression, 511 levels in all) is scored with traces on worker threads,
# without running out of stack (the sanitizer build uses the most).
case_depth_limits() {
  local tail
  tail=$(yes ' + m' | head -n 249 | tr -d '\n')
  cat >deep.yaml <<EOF_RULES
eligo: 1
ruleset: {id: deep}
entities:
  e:
    key: id
    period: year
    fields:
      id: {type: text}
      year: {type: year}
      m: {type: money}
derived:
  d0: {entity: e, expr: 'm$tail'}
  d1: {entity: e, expr: 'd0$tail'}
rules:
  - id: r
    title: t
    citation: c
    entity: e
    award: {kind: designation}
    when: 'd1$(yes ' + m' | head -n 9 | tr -d '\n') > 0元'
EOF_RULES
  awk 'BEGIN { print "id,year,m"; for (i = 0; i < 200; i++) for (y = 2015; y < 2020; y++) print "E" i "," y "," i + 1 }' >panel.csv
  run 512 60 score --rules deep.yaml --input panel.csv --threads 4 --format jsonl \
    --trace --output out.jsonl
  expect_rc 0 "scoring at the depth limits"
  expect_eq 1000 "$(grep -c '"outcome":"eligible"' out.jsonl)" "eligible decisions"
  # one level more is refused when the file is checked
  sed -i 's/ > 0元/ + m + m > 0元/' deep.yaml
  run 256 10 check deep.yaml
  expect_rc 2 "one level over the limit"
  expect_contains stderr "is more than 512 levels deep"
}

# ------------------------------------------------------------ CSV limits

case_csv_limits() {
  # an unterminated quote that would swallow the rest of the file: an
  # error naming the line where it started; nothing written
  {
    echo "$HEADER"
    echo "$GOOD_ROW"
    echo '91411103MA40B8Q1DU,"坏引号,郾城区,2017,1,1,true,,false,false'
    for i in $(seq 1 5000); do echo "$GOOD_ROW"; done
  } >unterminated.csv
  score --input unterminated.csv --output out.csv
  expect_rc 2 "unterminated quote"
  expect_contains stderr "line 3"
  expect_contains stderr "never closed"
  expect_absent out.csv
  expect_no_temp .

  # a NUL byte: the line
  { echo "$HEADER"; echo "$GOOD_ROW"; printf '91411102MA3X4K7P2F,a\0b,源汇区,2018,1,1,true,,false,false\n'; } >nul.csv
  score --input nul.csv --output out.csv
  expect_rc 2 "a NUL byte"
  expect_contains stderr "line 3"
  expect_contains stderr "NUL"
  expect_absent out.csv

  # bytes invalid in the encoding forced or detected: the line
  { echo "$HEADER"; echo "$GOOD_ROW"; echo "$GOOD_ROW" | sed 's/2017/2018/';
    printf '91411102MA3X4K7P2F,\xff\xfe,源汇区,2019,1,1,true,,false,false\n'; } >bad-utf8.csv
  score --input bad-utf8.csv --encoding utf-8 --output out.csv
  expect_rc 2 "invalid UTF-8"
  expect_contains stderr "line 4"
  expect_contains stderr "UTF-8"
  expect_absent out.csv
  # detected: not UTF-8, so GB18030, where 0xFF is no character either
  { echo "$HEADER"; echo "$GOOD_ROW" | tr -d '\200-\377' ;
    printf '91411102MA3X4K7P2F,\xff\xfe,x,2019,1,1,true,,false,false\n'; } >bad-auto.csv
  score --input bad-auto.csv --output out.csv
  expect_rc 2 "invalid in UTF-8 and GB18030 (auto)"
  expect_contains stderr "line 3"
  expect_absent out.csv
  { echo "$HEADER" ; echo "$GOOD_ROW"; } | iconv -f UTF-8 -t GBK >bad-gbk.csv
  printf '91411102MA3X4K7P2F,\x81\x20,x,2019,1,1,true,,false,false\n' >>bad-gbk.csv
  score --input bad-gbk.csv --encoding gbk --output out.csv
  expect_rc 2 "invalid GBK"
  expect_contains stderr "line 3"
  expect_absent out.csv

  # an empty file; a file of blank lines
  : >empty.csv
  score --input empty.csv --output out.csv
  expect_rc 2 "an empty file"
  expect_contains stderr "empty"
  expect_absent out.csv
  printf '\n\r\n\n' >blank.csv
  score --input blank.csv --output out.csv
  expect_rc 2 "a file of blank lines"
  expect_absent out.csv

  # a header of 100,000 columns and a row of 100,000 cells: bounded
  { echo "$HEADER$(printf ',x%d' $(seq 1 100000))";
    echo "$GOOD_ROW$(printf ',%d' $(seq 1 100000))"; } >wide.csv
  score --input wide.csv --output out.csv
  [ "$rc" -le 2 ] || fail "a wide file: exit $rc"
}

# A line of hundreds of megabytes: a clear error naming the line, in memory
# far below the line's size times the copies a reader makes of it.
case_csv_line_length() {
  { echo "$HEADER"; echo "$GOOD_ROW";
    printf '91411103MA40B8Q1DU,'; head -c 200000000 /dev/zero | tr '\0' 'x';
    printf ',郾城区,2017,1,1,true,,false,false\n'; } >long.csv
  run 600 120 score --rules "$RULES" --params "$PARAMS" --input long.csv \
    --output out.csv --rejects rejects.csv
  expect_rc 2 "a line of 200 MB"
  expect_contains stderr "line 3"
  grep -Eq 'longer than|too long' stderr ||
    fail "stderr does not say the line is too long"
  expect_absent out.csv
}

# A file with a header and no rows is a mistake (a truncated export), not
# an empty result.
case_csv_header_only() {
  echo "$HEADER" >header-only.csv
  score --input header-only.csv --output out.csv
  expect_rc 2 "a header and no rows"
  expect_contains stderr "header-only.csv"
  expect_contains stderr "no rows"
  expect_absent out.csv
}

# ---------------------------------------------------------------- numbers

# Values beyond the decimal range are errors, never wrapped or rounded.
case_numbers() {
  {
    echo "credit_code,name,county,year,年销售收入(亿元),local_tax,in_cultivation_list,upgrade_year,new_national_hte,new_headquarters"
    echo "91411102MA3X4K7P2F,a,源汇区,2017,1.2,2500000.00,true,,false,false"
    echo "91411102MA3X4K7P2F,b,源汇区,2018,999999999999999999999999999999,1,true,,false,false"
    echo "91411102MA3X4K7P2F,c,源汇区,2019,0.0000000000000000000000000000000000000001,1,true,,false,false"
    echo "91411102MA3X4K7P2F,d,源汇区,2020,1,99999999999999999999999999999999999999999,true,,false,false"
    echo "91411102MA3X4K7P2F,e,源汇区,99999999999999999999,1,1,true,,false,false"
    echo "91411102MA3X4K7P2F,f,源汇区,2021,1,1,true,18446744073709551617,false,false"
  } >big.csv
  score --input big.csv --output out.csv --rejects rejects.csv \
    --summary summary.json
  expect_rc 1 "rows with values out of range"
  # out-of-range cells leave their rows partly read; the year's rejects it
  expect_contains summary.json '"rows":{"read":6,"scored":5,"rejected":1,"skipped":0,"partly_read":3}'
  local line
  for line in 4 5 6 7; do
    grep -q "^big.csv,$line," rejects.csv || fail "line $line is not rejected"
  done
  expect_contains rejects.csv "more than 30 decimal places"
  expect_contains rejects.csv "more than 30 digits"
  # 1.2亿元 is 120000000 yuan exactly; 30 nines of 亿元 fit, exactly
  # it reaches tier1, but the row of line 6 (year unreadable) may be an
  # earlier award under the rule's limit: undetermined, saying so
  grep -q ',2017,scale-tier-award,tier1,undetermined,,,,四(六)2,cannot tell whether tier1 may be paid: the row at big.csv:6 could not be placed in a year' out.csv ||
    fail "the good row was not decided as tier1, held by the unplaced row"
  score --input big.csv --format jsonl --trace --output out.jsonl
  expect_contains out.jsonl \
    '"name":"sales_revenue","year":2018,"value":"99999999999999999999999999999900000000.00"'

  # a params value out of range: an error with its place
  printf 'city_industrial_revenue_growth:\n  2017: 99999999999999999999999999999999999%%\n' >p.yaml
  run 512 60 score --rules "$RULES" --params p.yaml --input "$SRC/examples/enterprises.csv" \
    --output out2.csv
  expect_rc 2 "a params value out of range"
  grep -Eq '^p\.yaml:2:[0-9]+: error: ' stderr || fail "no p.yaml:2:COL: error"
  expect_absent out2.csv
}

# ---------------------------------------------------------- output failure

# An output that cannot be written ends with a clear error and exit 3, and
# leaves no file under its final name: not the failed one, and not the
# others of the same run either.
case_output_failure() {
  gen_panel 7 300 20
  local in=(--input ent-7.csv --input len-7.csv)

  score "${in[@]}" --output /dev/full
  expect_rc 3 "--output /dev/full"
  expect_contains stderr "/dev/full"

  score "${in[@]}" --output out.csv --rejects /dev/full --summary s.json
  expect_rc 3 "--rejects /dev/full"
  expect_absent out.csv
  expect_absent s.json
  expect_no_temp .

  score "${in[@]}" --output out.csv --summary /dev/full
  expect_rc 3 "--summary /dev/full"
  expect_absent out.csv
  expect_no_temp .

  # the disk fills up halfway through: a file size limit, with the signal
  # ignored so that write() fails with EFBIG
  last_cmd="eligo score (ulimit -f 16)"
  (trap '' XFSZ; ulimit -f 16; exec "$ELIGO" score --lang en --rules "$RULES" \
    --params "$PARAMS" "${in[@]}" --output out.csv --rejects rej.csv \
    >stdout 2>stderr)
  rc=$?
  expect_rc 3 "a file size limit reached while writing"
  expect_absent out.csv
  expect_absent rej.csv
  expect_no_temp .
  [ -s stderr ] || fail "no message for a full disk"

  # a directory that does not exist, or cannot be written
  score "${in[@]}" --output no/such/dir/out.csv
  expect_rc 3 "an output directory that does not exist"
  expect_contains stderr "no/such/dir"
  mkdir ro
  chmod 555 ro
  if [ ! -w ro ]; then  # not as root, which may write anyway
    score "${in[@]}" --output ro/out.csv
    expect_rc 3 "an unwritable directory"
    expect_contains stderr "ro"
    expect_absent ro/out.csv
  fi
  chmod 755 ro
}

# Out of memory (a 500 MB address space; 2,000 entities, sorted, with 300
# rows each for one year, every row kept as a rejected row): exit 3 with a message,
# whichever thread runs out (with two, mostly the pool's), and no output or
# temporary file left. Not in sanitizer builds, whose allocators abort
# instead of throwing (tests/CMakeLists.txt).
case_out_of_memory() {
  awk -v header="$HEADER" 'BEGIN {
    print header
    for (e = 1; e <= 2000; e++)
      for (r = 1; r <= 300; r++)
        printf "91411100MA%08d,企业,源汇区,2017,120000000.00,2500000.00,true,,false,false\n", e
  }' >same.csv
  local threads
  for threads in 1 2 2 2; do
    last_cmd="eligo score --threads $threads (ulimit -v 500000)"
    (ulimit -v 500000; exec "$ELIGO" score --lang en --rules "$RULES" --params "$PARAMS" \
      --input same.csv --output out.csv --rejects rej.csv --threads "$threads" \
      >stdout 2>stderr)
    rc=$?
    expect_rc 3 "out of memory, $threads threads"
    expect_contains stderr "eligo score: out of memory"
    expect_absent out.csv
    expect_absent rej.csv
    expect_no_temp .
  done
}

# -------------------------------------------------------------------- kill

# A run interrupted while its outputs are open (it waits for its input, a
# FIFO) ends by the signal and leaves no temporary file; a signal the
# caller ignores (trap '', nohup) stays ignored and the run goes on.
case_interrupt() {
  # wait_for_temps N: until N temporary files exist (10 s at most)
  wait_for_temps() {
    local tries=0
    while [ "$(compgen -G '.*.tmp.*' | wc -l)" -lt "$1" ]; do
      [ $((tries += 1)) -le 100 ] || fail "the run made no temporary files"
      sleep 0.1
    done
  }
  set -m  # else a background job would start with SIGINT ignored
  local signal pid
  for signal in INT TERM HUP; do
    rm -f in.fifo
    mkfifo in.fifo
    last_cmd="eligo score --input in.fifo ... (SIG$signal)"
    "$ELIGO" score --lang en --rules "$RULES" --params "$PARAMS" --input in.fifo \
      --output out.csv --rejects rej.csv --summary s.json 2>stderr &
    pid=$!
    wait_for_temps 3
    kill -"$signal" "$pid"
    wait "$pid"
    rc=$?
    expect_rc $((128 + $(kill -l "$signal"))) "SIG$signal"
    expect_no_temp .
    expect_absent out.csv
  done
  rm -f in.fifo
  mkfifo in.fifo
  last_cmd="eligo score --input in.fifo ... (SIGINT ignored)"
  (trap '' INT; exec "$ELIGO" score --lang en --rules "$RULES" --params "$PARAMS" \
    --input in.fifo --output out.csv 2>stderr) &
  pid=$!
  wait_for_temps 1
  kill -INT "$pid"
  printf '%s\n%s\n' "$HEADER" "$GOOD_ROW" >in.fifo
  wait "$pid"
  rc=$?
  set +m
  expect_rc 0 "SIGINT ignored"
  expect_eq 6 "$(wc -l <out.csv)" "lines of out.csv (header + 5 decisions)"
  expect_no_temp .
}

# SIGKILL at varying moments never leaves a partial output under its final
# name: each output is either absent or complete (the reference run's).
case_kill() {
  gen_panel 11 $((3000 / SLOW)) $((100 / SLOW))
  local in=(--input ent-11.csv --input len-11.csv)
  score "${in[@]}" --output ref.csv --rejects ref-rej.csv
  [ "$rc" -le 1 ] || fail "the reference run failed"
  score "${in[@]}" --format jsonl --trace --output ref.jsonl
  [ "$rc" -le 1 ] || fail "the reference JSON Lines run failed"
  # how long a run takes, to spread the kills over it
  local start end ms
  start=$(date +%s%N)
  "$ELIGO" score --lang en --rules "$RULES" --params "$PARAMS" "${in[@]}" \
    --format jsonl --trace --output /dev/null 2>/dev/null
  end=$(date +%s%N)
  ms=$(((end - start) / 1000000 + 20))
  local i delay killed=0 complete=0 absent=0 pid
  for i in $(seq 1 16); do
    rm -rf "k$i"
    mkdir "k$i"
    delay=$((ms * i / 17))  # from the start to near the end of a run
    if [ $((i % 2)) -eq 0 ]; then
      "$ELIGO" score --lang en --rules "$RULES" --params "$PARAMS" "${in[@]}" \
        --output "k$i/out.csv" --rejects "k$i/rej.csv" >/dev/null 2>&1 &
    else
      "$ELIGO" score --lang en --rules "$RULES" --params "$PARAMS" "${in[@]}" \
        --format jsonl --trace --threads 2 --output "k$i/out.jsonl" \
        >/dev/null 2>&1 &
    fi
    pid=$!
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    kill -KILL "$pid" 2>/dev/null && killed=$((killed + 1))
    wait "$pid" 2>/dev/null
    if [ $((i % 2)) -eq 0 ]; then
      if [ -e "k$i/out.csv" ]; then
        expect_same ref.csv "k$i/out.csv" "decisions after SIGKILL at $delay ms"
        complete=$((complete + 1))
      else
        absent=$((absent + 1))
      fi
      [ ! -e "k$i/rej.csv" ] || expect_same ref-rej.csv "k$i/rej.csv" \
        "rejects after SIGKILL at $delay ms"
    elif [ -e "k$i/out.jsonl" ]; then
      expect_same ref.jsonl "k$i/out.jsonl" "JSON Lines after SIGKILL at $delay ms"
      complete=$((complete + 1))
    else
      absent=$((absent + 1))
    fi
    # what a killed run leaves is hidden, never a final name; a provenance
    # record (X.run.json) only beside the complete output X it describes
    local f
    for f in "k$i"/*; do
      [ -e "$f" ] || continue
      case $(basename "$f") in
        out.csv | rej.csv | out.jsonl) ;;
        *.run.json)
          [ -e "${f%.run.json}" ] ||
            fail "a killed run left $f without ${f%.run.json}"
          grep -q '}$' "$f" || fail "a killed run left $f incomplete" ;;
        *) fail "a killed run left $f" ;;
      esac
    done
  done
  echo "killed $killed runs: outputs absent $absent times, complete $complete times"
  [ "$absent" -gt 0 ] || fail "no kill came before the end of a run"
}

# ------------------------------------------------------------- determinism

# Byte-identical output across repeated runs, thread counts and input
# encodings of the same data.
case_determinism() {
  gen_panel 23 $((1500 / SLOW)) $((50 / SLOW))
  local in=(--input ent-23.csv --input len-23.csv)
  score "${in[@]}" --output ref.csv --rejects ref-rej.csv --summary ref.json
  [ "$rc" -le 1 ] || fail "the reference run failed"
  summary_core ref.json >ref-core.json
  score "${in[@]}" --format jsonl --trace --output ref.jsonl
  local run threads
  for run in 1 2; do
    for threads in 1 2 4 7; do
      score "${in[@]}" --threads "$threads" --output "o$run-$threads.csv" \
        --rejects "r$run-$threads.csv" --summary "s$run-$threads.json"
      [ "$rc" -le 1 ] || fail "run $run with $threads threads failed"
      expect_same ref.csv "o$run-$threads.csv" "decisions (run $run, $threads threads)"
      expect_same ref-rej.csv "r$run-$threads.csv" "rejects (run $run, $threads threads)"
      summary_core "s$run-$threads.json" >core.json
      expect_same ref-core.json core.json "summary (run $run, $threads threads)"
      score "${in[@]}" --threads "$threads" --format jsonl --trace \
        --output "o$run-$threads.jsonl"
      expect_same ref.jsonl "o$run-$threads.jsonl" "traces (run $run, $threads threads)"
    done
  done
  # the same data in other encodings and line endings; rejects name the
  # file, so they are compared without it
  cut -d, -f2- ref-rej.csv >ref-rej-cells.csv
  iconv -f UTF-8 -t GBK ent-23.csv >gbk.csv || fail "iconv GBK"
  iconv -f UTF-8 -t GB18030 ent-23.csv >gb18030.csv || fail "iconv GB18030"
  { printf '\xEF\xBB\xBF'; cat ent-23.csv; } >bom.csv
  sed 's/$/\r/' ent-23.csv >crlf.csv
  local variant
  for variant in gbk gb18030 bom crlf; do
    score --input "$variant.csv" --input len-23.csv --output "$variant.out.csv" \
      --rejects "$variant.rej.csv" --summary "$variant.json" --threads 2
    [ "$rc" -le 1 ] || fail "the $variant run failed"
    # reasons name the file of an unreadable cell
    sed "s/at $variant\.csv:/at ent-23.csv:/g" "$variant.out.csv" >"$variant.named.csv"
    expect_same ref.csv "$variant.named.csv" "decisions from $variant input"
    cut -d, -f2- "$variant.rej.csv" | tr -d '\r' >"$variant.rej-cells.csv"
    expect_same ref-rej-cells.csv "$variant.rej-cells.csv" "rejects from $variant input"
    summary_core "$variant.json" >core.json
    expect_same ref-core.json core.json "summary from $variant input"
  done
}

# ------------------------------------------------------- streaming memory

# A sorted panel streams in bounded memory: 1,000,000 rows (83 MB; a quarter
# with sanitizers), peak RSS under 64 MB on one thread and on two. Codes
# carry their right check characters (a warning per row would be kept).
case_streaming_memory() {
  awk -v n=$((250000 / SLOW)) -v header="$HEADER" '
    BEGIN {
      split("1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28", w, " ")
      alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
      print header
      for (e = 1; e <= n; e++) {
        code = sprintf("91411100000%06d", e)
        sum = 0
        for (i = 1; i <= 17; i++) sum += substr(code, i, 1) * w[i]
        code = code substr(alphabet, (31 - sum % 31) % 31 + 1, 1)
        for (y = 2017; y <= 2020; y++)
          printf "%s,企业%d,源汇区,%d,%d.00,%d.00,是,,否,否\n", code, e, y,
            e * 7919 % 2000000000, e * 31 % 30000000
      }
    }' >sorted.csv
  local threads
  for threads in 1 2; do
    run 64 60 score --rules "$RULES" --params "$PARAMS" --input sorted.csv \
      --only eligible --threads "$threads" --output out.csv --summary s.json
    expect_rc 0 "a sorted panel on $threads threads"
    expect_contains s.json "\"rows\":{\"read\":$((1000000 / SLOW)),"
  done
}

# ---------------------------------------------------------------- property

# Over generated panels: rows read = rows scored + rows rejected; every
# scored row yields exactly one decision per rule of its kind; the eligible
# amounts of the output add up to the summary's totals by rule, payer and
# year, to the fen.
case_property() {
  local rules_enterprise rules_lender
  rules_enterprise=$(awk '/^rules:/{ r = 1 } r && /^    entity: enterprise/{ n++ } END { print n }' "$RULES")
  rules_lender=$(awk '/^rules:/{ r = 1 } r && /^    entity: lender/{ n++ } END { print n }' "$RULES")
  expect_eq 5 "$rules_enterprise" "enterprise rules"
  expect_eq 1 "$rules_lender" "lender rules"
  local seed threads
  for seed in 1 2 3 4 5 6 7 8; do
    gen_panel "$seed" $((seed * 60)) $((seed * 3))
    threads=$((seed % 3 + 1))
    score --input "ent-$seed.csv" --input "len-$seed.csv" --format jsonl \
      --output "d$seed.jsonl" --rejects "r$seed.csv" --summary "s$seed.json" \
      --threads "$threads"
    [ "$rc" -le 1 ] || fail "seed $seed: exit $rc"
    local lines read scored rejected skipped partly conflicts rejected_lines
    lines=$(($(wc -l <"ent-$seed.csv") + $(wc -l <"len-$seed.csv") - 2))
    read=$(sed -nE 's/.*"rows":\{"read":([0-9]+).*/\1/p' "s$seed.json")
    scored=$(sed -nE 's/.*"scored":([0-9]+).*/\1/p' "s$seed.json")
    rejected=$(sed -nE 's/.*"rejected":([0-9]+),.*/\1/p' "s$seed.json")
    skipped=$(sed -nE 's/.*"skipped":([0-9]+),.*/\1/p' "s$seed.json")
    partly=$(sed -nE 's/.*"partly_read":([0-9]+)\}.*/\1/p' "s$seed.json")
    rejected_lines=$(($(wc -l <"r$seed.csv") - 1))
    expect_eq "$lines" "$read" "seed $seed: rows read = data lines of the inputs"
    expect_eq "$read" "$((scored + rejected + skipped))" "seed $seed: read = scored + rejected + skipped"
    expect_eq "$((rejected + skipped + partly))" "$rejected_lines" \
      "seed $seed: rejected + skipped + partly read = lines of --rejects"
    [ "$rejected" -gt 0 ] || fail "seed $seed: the generator made no bad row"
    # a year of two rows is decided too (undetermined)
    conflicts=$(grep -oE 'two rows for [^ ]+ in [0-9]+' "r$seed.csv" | sort -u | wc -l)
    # id|year|kind|rule|outcome|amount|payer of each decision
    sed -E 's/^\{"entity_kind":"([a-z]+)","id":"([^"]*)",.*"year":([0-9]+),"rule":"([^"]*)","tier":(null|"[^"]*"),"outcome":"([a-z]+)","award":(null|"[a-z]+"),"amount":(null|"[0-9.]+"),"payer":"([^"]*)".*$/\2|\3|\1|\4|\6|\8|\9/' \
      "d$seed.jsonl" | tr -d '"' >"k$seed"
    expect_eq 0 "$(grep -vc '^[^|]*|[0-9]*|[a-z]*|[a-z-]*|[a-z]*|[0-9.nul]*|' "k$seed")" \
      "seed $seed: decisions not parsed"
    # one decision per rule of its kind, for each scored row, none twice
    awk -F'|' -v ne="$rules_enterprise" -v nl="$rules_lender" '
      { key = $3 "/" $1 "/" $2; n[key]++; kind[key] = $3
        if (seen[key "/" $4]++) { print "twice: " key " " $4; bad = 1 } }
      END {
        for (k in n) {
          want = kind[k] == "enterprise" ? ne : nl
          if (n[k] != want) { print k ": " n[k] " decisions, want " want; bad = 1 }
          rows++
        }
        print rows > "rows-decided"
        exit bad
      }' "k$seed" >problems || fail "seed $seed: $(head -n 3 problems)"
    expect_eq "$((scored + conflicts))" "$(cat rows-decided)" \
      "seed $seed: entity-years decided = rows scored + years of two rows"
    local decisions
    decisions=$(sed -nE 's/.*"decisions":([0-9]+).*/\1/p' "s$seed.json")
    expect_eq "$decisions" "$(wc -l <"k$seed")" "seed $seed: decisions in the summary"
    # the money of eligible decisions, in fen, by rule, payer and year
    awk -F'|' '$5 == "eligible" && $6 != "null" {
        split($6, p, "."); fen = p[1] * 100 + p[2]
        r[$4] += fen; y[$2] += fen; pay[$7] += fen }
      END {
        for (k in r) printf "rule %s %d\n", k, r[k]
        for (k in y) printf "year %s %d\n", k, y[k]
        for (k in pay) printf "payer %s %d\n", k, pay[k] }' "k$seed" |
      sort >"money-out"
    for what in rule year payer; do
      sed -nE "s/.*\"money_by_$what\":\{([^}]*)\}.*/\1/p" "s$seed.json" |
        tr ',' '\n' | sed -nE "s/^\"([^\"]*)\":\"([0-9]+)\.([0-9]{2})\"$/$what \1 \2\3/p" |
        awk '{ printf "%s %s %d\n", $1, $2, $3 }'
    done | sort >"money-summary"
    [ -s money-out ] || fail "seed $seed: no money was awarded"
    expect_same money-summary money-out "seed $seed: eligible amounts vs the summary"
  done
}

# ------------------------------------------------------------------ main

if ! declare -F "case_$CASE" >/dev/null; then
  echo "unknown case: $CASE (cases: $(declare -F | sed -n 's/^declare -f case_//p' | paste -sd' '))" >&2
  exit 2
fi
[ -x "$ELIGO" ] || { echo "not executable: $ELIGO" >&2; exit 2; }
"case_$CASE"
echo "PASS [robust.$CASE]"
