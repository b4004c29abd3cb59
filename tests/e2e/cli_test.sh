#!/usr/bin/env bash
# End-to-end tests of the eligo command-line tool.
#
# usage: cli_test.sh ELIGO_BINARY SOURCE_DIR CASE_NAME
#
# Each case is a function `case_NAME` below. It runs in its own temporary
# directory (removed on exit), runs eligo and checks exit codes and output.
# The first failed assertion prints a message and exits 1. Only bash,
# coreutils, grep, sed, awk and iconv are used.
set -u -o pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 ELIGO_BINARY SOURCE_DIR CASE_NAME" >&2
  exit 2
fi
ELIGO=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$(cd "$2" && pwd)
CASE=$3
RULES=$SRC/rules/luohe-2017.yaml
PARAMS=$SRC/examples/params.yaml
ENTERPRISES=$SRC/examples/enterprises.csv
ENTERPRISES_GBK=$SRC/examples/enterprises-gbk.csv
LENDERS=$SRC/examples/lenders.csv
HEADER=credit_code,name,county,year,sales_revenue,local_tax,in_cultivation_list,upgrade_year,new_national_hte,new_headquarters
COLUMNS=entity_kind,id,name,county,year,rule,tier,outcome,award,amount,payer,citation,reason,notes,decision_id

W=$(mktemp -d "${TMPDIR:-/tmp}/eligo-e2e.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
export LC_ALL=C.UTF-8

# ---------------------------------------------------------------- helpers

rc=0
last_cmd=""

fail() {
  {
    echo "FAIL [cli.$CASE]: $*"
    if [ -n "$last_cmd" ]; then
      echo "  last command: $last_cmd (exit $rc)"
      if [ -s "$W/stderr" ]; then
        echo "  its stderr (first 20 lines):"
        head -n 20 "$W/stderr" | sed 's/^/    /'
      fi
    fi
  } >&2
  exit 1
}

# run ARGS...: runs eligo; stdout to $W/stdout, stderr to $W/stderr; sets rc.
# The cases assert English words: score and explain get --lang en unless
# they say otherwise (the shipped rules default to Chinese; case lang_zh
# tests that default).
run() {
  local args=("$@")
  if [[ ($1 == score || $1 == explain) && " $* " != *" --lang "* &&
    " $* " != *" --help "* ]]; then
    args=("$@" --lang en)
  fi
  last_cmd="eligo ${args[*]}"
  "$ELIGO" "${args[@]}" >"$W/stdout" 2>"$W/stderr"
  rc=$?
}

# score ARGS...: `eligo score` with the shipped rules and params.
score() { run score --rules "$RULES" --params "$PARAMS" "$@"; }

expect_rc() {
  [ "$rc" -eq "$1" ] || fail "expected exit status $1, got $rc${2:+ ($2)}"
}

# expect_same EXPECTED ACTUAL [WHAT]: byte-for-byte equal files.
expect_same() {
  if ! cmp -s "$1" "$2"; then
    echo "--- diff $1 $2 (first 20 lines)" >&2
    diff "$1" "$2" | head -n 20 >&2
    fail "${3:-$2} differs from $1"
  fi
}

# expect_line FILE LINE: FILE has a line exactly LINE.
# Decision ids (the last CSV column, "decision_id" in JSON) are left out of
# the comparison: they change with the rule file; case_provenance checks them.
without_ids() {
  sed -E 's/,[0-9a-f]{20}$//; s/,"decision_id":"[0-9a-f]{20}"//' "$1"
}

expect_line() {
  # grep reads all its input (no -q), so sed never dies of SIGPIPE
  without_ids "$1" | grep -Fx -- "$2" >/dev/null || fail "$1 has no line exactly: $2"
}

# expect_no_line FILE LINE
expect_no_line() {
  ! without_ids "$1" | grep -Fx -- "$2" >/dev/null || fail "$1 has an unexpected line: $2"
}

# expect_contains FILE TEXT: TEXT occurs in FILE.
expect_contains() {
  grep -Fq -- "$2" "$1" || fail "$1 does not contain: $2"
}

expect_not_contains() {
  ! grep -Fq -- "$2" "$1" || fail "$1 unexpectedly contains: $2"
}

expect_eq() {  # expect_eq EXPECTED ACTUAL WHAT
  [ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}

expect_absent() {
  [ ! -e "$1" ] || fail "$1 exists but should not"
}

# expect_no_temp DIR: no leftover temporary output file in DIR.
expect_no_temp() {
  local leftover
  leftover=$(compgen -G "$1/.*.tmp.*")
  [ -z "$leftover" ] || fail "temporary files left in $1: $leftover"
}

# The decisions for the shipped enterprise example, as the reference.
reference() {
  score --input "$ENTERPRISES" --output "$W/ref.csv"
  expect_rc 0 "reference run"
  [ "$(wc -l <"$W/ref.csv")" -gt 100 ] || fail "reference output is too short"
  score --input "$ENTERPRISES" --format jsonl --trace --output "$W/ref.jsonl"
  expect_rc 0 "reference run (JSON Lines with traces)"
  expect_contains "$W/ref.jsonl" '{"name":"sales_revenue","year":2018,"value":"550000000.00"}'
}

# A data line of a reference decision: "ID,YEAR,RULE" -> the whole CSV line.
decision() {  # decision FILE ID YEAR RULE
  awk -F, -v id="$2" -v y="$3" -v r="$4" '$2 == id && $5 == y && $6 == r' "$1"
}

# ------------------------------------------------------- input variants

# variant NAME: scores $W/NAME.csv and compares with the reference.
variant() {
  local name=$1
  shift
  score "$@" --output "$W/$name.out.csv"
  expect_rc 0 "variant $name"
  expect_same "$W/ref.csv" "$W/$name.out.csv" "decisions for variant $name"
  # the traces hold every value read: the same values, to the cent
  score "$@" --format jsonl --trace --output "$W/$name.out.jsonl"
  expect_rc 0 "variant $name (JSON Lines with traces)"
  expect_same "$W/ref.jsonl" "$W/$name.out.jsonl" "traced decisions for variant $name"
}

# Shifts the decimal point of a plain number N places left ("" stays "").
AWK_SHIFT='
function shift(s, n,   p, i, f, d, pos) {
  if (s == "") return s
  p = index(s, ".")
  if (p) { i = substr(s, 1, p - 1); f = substr(s, p + 1) } else { i = s; f = "" }
  d = i f
  pos = length(i) - n
  while (pos < 1) { d = "0" d; pos++ }
  return substr(d, 1, pos) "." substr(d, pos + 1)
}
function commas(s,   p, i, f, out) {
  if (s == "") return s
  p = index(s, ".")
  if (p) { i = substr(s, 1, p - 1); f = substr(s, p) } else { i = s; f = "" }
  out = ""
  while (length(i) > 3) { out = "," substr(i, length(i) - 2) out; i = substr(i, 1, length(i) - 3) }
  return "\"" i out f "\""
}'

# money_variant OUT SCALE_DIGITS HEADER_SALES HEADER_TAX
money_variant() {
  awk -F, -v OFS=, -v n="$2" -v hs="$3" -v ht="$4" "$AWK_SHIFT"'
    NR == 1 { $5 = hs; $6 = ht; print; next }
    { $5 = shift($5, n); $6 = shift($6, n); print }' "$ENTERPRISES" >"$1"
}

# bool_variant OUT TRUE FALSE
bool_variant() {
  awk -F, -v OFS=, -v t="$2" -v f="$3" '
    NR > 1 { for (c = 7; c <= 10; c++) if (c != 8) $c = ($c == "true") ? t : f }
    { print }' "$ENTERPRISES" >"$1"
}

case_input_variants() {
  reference

  # UTF-8 with a byte-order mark
  { printf '\xEF\xBB\xBF'; cat "$ENTERPRISES"; } >bom.csv
  variant bom --input bom.csv
  variant bom-forced --input bom.csv --encoding utf-8

  # GBK and GB18030 with English headers
  iconv -f UTF-8 -t GBK "$ENTERPRISES" >gbk.csv || fail "iconv to GBK failed"
  cmp -s gbk.csv "$ENTERPRISES" && fail "the GBK variant equals the UTF-8 file"
  variant gbk --input gbk.csv
  variant gbk-forced --input gbk.csv --encoding gbk
  iconv -f UTF-8 -t GB18030 "$ENTERPRISES" >gb18030.csv ||
    fail "iconv to GB18030 failed"
  variant gb18030 --input gb18030.csv
  variant gb18030-forced --input gb18030.csv --encoding gb18030

  # the shipped GBK example: Chinese headers, other column order, 万元, 是/否
  variant example-gbk --input "$ENTERPRISES_GBK"
  variant example-gbk-forced --input "$ENTERPRISES_GBK" --encoding gbk

  # CRLF line endings
  sed 's/$/\r/' "$ENTERPRISES" >crlf.csv
  variant crlf --input crlf.csv

  # columns in another order
  awk -F, -v OFS=, '{ print $4, $10, $6, $1, $3, $9, $2, $8, $5, $7 }' \
    "$ENTERPRISES" >reordered.csv
  variant reordered --input reordered.csv

  # headers as the rule file's Chinese aliases
  sed '1s/.*/统一社会信用代码,企业名称,所属县区,年度,年销售收入,地方税收,十百千培育企业,升规年度,新认定国家级高新技术企业,新入驻总部/' \
    "$ENTERPRISES" >aliases.csv
  variant aliases --input aliases.csv

  # money in 万元 with ASCII and full-width brackets, and in 亿元
  money_variant wan.csv 4 'sales_revenue(万元)' 'local_tax(万元)'
  grep -Fq ',8000.000000,' wan.csv || fail "wan.csv was not scaled: $(sed -n 2p wan.csv)"
  variant wan --input wan.csv
  money_variant wan-fullwidth.csv 4 '年销售收入（万元）' '地方税收（万元）'
  variant wan-fullwidth --input wan-fullwidth.csv
  money_variant yi.csv 8 '年销售收入(亿元)' 'local_tax (亿元)'
  grep -Fq ',0.8000000000,' yi.csv || fail "yi.csv was not scaled: $(sed -n 2p yi.csv)"
  variant yi --input yi.csv
  money_variant yuan.csv 0 '年销售收入(元)' 'local_tax（元）'
  variant yuan --input yuan.csv

  # quoted amounts with thousands separators
  awk -F, -v OFS=, "$AWK_SHIFT"'
    NR > 1 { $5 = commas($5); $6 = commas($6) } { print }' \
    "$ENTERPRISES" >thousands.csv
  grep -Fq '"1,200,000,000.00"' thousands.csv ||
    fail "thousands.csv has no separators"
  variant thousands --input thousands.csv

  # booleans in every accepted spelling
  bool_variant bool-10.csv 1 0
  variant bool-10 --input bool-10.csv
  bool_variant bool-yesno.csv yes no
  variant bool-yesno --input bool-yesno.csv
  bool_variant bool-yn.csv Y N
  variant bool-yn --input bool-yn.csv
  bool_variant bool-shifou.csv 是 否
  variant bool-shifou --input bool-shifou.csv
  bool_variant bool-case.csv TRUE False
  variant bool-case --input bool-case.csv

  # an extra column the rules do not use (in the middle)
  awk -F, -v OFS=, '{ $2 = $2 OFS (NR == 1 ? "legal_person" : "张三") } { print }' \
    "$ENTERPRISES" >extra.csv
  variant extra --input extra.csv --summary extra-summary.json
  expect_contains extra-summary.json 'column `legal_person` is not used by the rules'

  # standard input
  score --input - --output "$W/stdin.out.csv" <"$ENTERPRISES"
  expect_rc 0 "--input -"
  expect_same ref.csv stdin.out.csv "decisions read from standard input"
  score --input enterprise=- --output "$W/stdin2.out.csv" <"$ENTERPRISES_GBK"
  expect_rc 0 "--input enterprise=- (GBK)"
  expect_same ref.csv stdin2.out.csv "decisions read from GBK standard input"
  score --input - --format jsonl --trace --output "$W/stdin.out.jsonl" <wan.csv
  expect_rc 0 "--input - (万元)"
  expect_same ref.jsonl stdin.out.jsonl "traced decisions read from standard input"

  # the kind forced with KIND=PATH
  variant forced-kind --input "enterprise=$ENTERPRISES"
  variant forced-kind-gbk --input "enterprise=$ENTERPRISES_GBK" --encoding gbk
  # pipes: a process substitution, and a named FIFO written after the
  # run has started
  score --input <(cat "$ENTERPRISES") --output "$W/pipe.out.csv"
  expect_rc 0 "--input <(cat ...)"
  expect_same ref.csv pipe.out.csv "decisions read from a process substitution"
  mkfifo panel.fifo
  (sleep 1; cat "$ENTERPRISES_GBK" >panel.fifo) &
  score --input panel.fifo --output "$W/fifo.out.csv"
  wait
  expect_rc 0 "--input FIFO"
  expect_same ref.csv fifo.out.csv "decisions read from a named pipe"

  # two columns for one field: refused, whichever comes first
  printf '%s\n%s\n' "$HEADER,年销售收入(万元)" \
    '91411102MA3X4K7P2F,恒达,源汇区,2017,120000000.00,2500000.00,true,,false,false,1' >two-columns.csv
  score --input two-columns.csv --output two-columns.out.csv
  expect_rc 2 "two columns for sales_revenue"
  expect_contains stderr 'two-columns.csv: columns `sales_revenue` and `年销售收入(万元)` are both `sales_revenue`; keep one'
  expect_absent two-columns.out.csv

  # a path with '=' in it: in a directory, or a file by that name
  mkdir -p "run=1"
  cp "$ENTERPRISES" "run=1/enterprises.csv"
  cp "$ENTERPRISES" "enterprise=x.csv"
  variant equals-in-dir --input "run=1/enterprises.csv"
  variant equals-in-name --input "enterprise=x.csv"

  # and every variant at once with the lenders: the same as both originals
  score --input "$ENTERPRISES" --input "$LENDERS" --output "$W/both.csv"
  expect_rc 0
  iconv -f UTF-8 -t GBK "$LENDERS" | sed 's/$/\r/' >lenders-gbk-crlf.csv
  score --input "$ENTERPRISES_GBK" --input lenders-gbk-crlf.csv \
    --output "$W/both2.csv"
  expect_rc 0
  expect_same both.csv both2.csv "decisions for GBK enterprises + GBK CRLF lenders"
}

# ---------------------------------------------------------- exit status

case_exit_status() {
  # 0: the clean examples
  score --input "$ENTERPRISES" --input "$LENDERS" --output out0.csv
  expect_rc 0 "clean examples"
  [ -s out0.csv ] || fail "out0.csv was not written"
  expect_contains stderr "rows read 31 = scored 31 + rejected 0"

  # 1: a row rejected (its key is not a credit code); the rest is still
  # scored and written
  { cat "$ENTERPRISES"; echo "91411102MA48G6X9JI,x,源汇区,2021,1,0,false,,false,false"; } >one-bad.csv
  score --input one-bad.csv --output out1.csv
  expect_rc 1 "one rejected row"
  [ -s out1.csv ] || fail "out1.csv was not written"
  expect_contains stderr "one-bad.csv:26: credit_code: credit code \`91411102MA48G6X9JI\` has \`I\` at position 18"
  expect_contains stderr "1 rows rejected or partly read; name a --rejects file to keep them all"
  score --input "$ENTERPRISES" --output ref.csv
  expect_same ref.csv out1.csv "decisions with one rejected row"

  # 2: a rule file with a typo; stderr names file:line:col
  sed 's/sales_revenue >= 10亿元/sales_revnue >= 10亿元/' "$RULES" >typo.yaml
  local line
  line=$(grep -n 'sales_revnue' typo.yaml | head -n 1 | cut -d: -f1)
  [ -n "$line" ] || fail "could not make typo.yaml"
  local col
  col=$(sed -n "${line}p" typo.yaml | awk '{ print index($0, "sales_revnue") }')
  run score --rules typo.yaml --params "$PARAMS" --input "$ENTERPRISES" \
    --output out2.csv
  expect_rc 2 "rule file with a typo"
  grep -Eq "^typo\.yaml:$line:$col: error: .*sales_revnue" stderr ||
    fail "stderr has no typo.yaml:$line:$col: error: line"
  expect_absent out2.csv
  expect_no_temp .

  # 2: a bad params file (a value that is not a number; an unknown name)
  printf 'city_industrial_revenue_growth:\n  2017: lots\n' >bad-value.yaml
  run score --rules "$RULES" --params bad-value.yaml --input "$ENTERPRISES" \
    --output out3.csv
  expect_rc 2 "params value not a number"
  grep -Eq '^bad-value\.yaml:2:9: error: ' stderr ||
    fail "stderr has no bad-value.yaml:2:9: error: line"
  expect_absent out3.csv
  printf 'city_industrial_revenue_grwth:\n  2017: 5%%\n' >bad-name.yaml
  run score --rules "$RULES" --params bad-name.yaml --input "$ENTERPRISES" \
    --output out4.csv
  expect_rc 2 "unknown params name"
  grep -Eq '^bad-name\.yaml:1:1: error: .*city_industrial_revenue_grwth' stderr ||
    fail "stderr has no bad-name.yaml:1:1: error: line"
  expect_absent out4.csv

  # 2: usage errors
  score --input "$ENTERPRISES" --output out5.csv --bogus
  expect_rc 2 "unknown option"
  expect_contains stderr "bogus"
  expect_absent out5.csv
  score --input "$ENTERPRISES" --output out6.csv --format xml
  expect_rc 2 "--format xml"
  expect_contains stderr "--format must be csv or jsonl"
  expect_absent out6.csv
  score --input "$ENTERPRISES" --output out7.csv --only ineligible
  expect_rc 2 "--only ineligible"
  expect_absent out7.csv
  run score --params "$PARAMS" --input "$ENTERPRISES" --output out8.csv
  expect_rc 2 "no --rules"
  expect_absent out8.csv
  run frobnicate
  expect_rc 2 "unknown command"

  # 2: invalid input files
  score --input does-not-exist.csv --output out9.csv
  expect_rc 2 "missing input file"
  expect_absent out9.csv
  printf 'a,b,c\n1,2,3\n' >unknown-kind.csv
  score --input unknown-kind.csv --output out10.csv
  expect_rc 2 "input of no known kind"
  expect_contains stderr "cannot tell the entity kind"
  expect_absent out10.csv
  score --input "lender=$ENTERPRISES" --output out11.csv
  expect_rc 2 "enterprise file forced as lender"
  expect_absent out11.csv
  printf 'credit_code,name\n91411102MA3X4K7P2F,x\n' >no-year.csv
  score --input enterprise=no-year.csv --output out11b.csv
  expect_rc 2 "a panel without its period column"
  expect_contains stderr 'needs columns `credit_code` and `year`'
  expect_absent out11b.csv
  printf '%s\n"91411102MA3X4K7P2F,2017\n' "$HEADER" >unclosed.csv
  score --input unclosed.csv --output out12.csv
  expect_rc 2 "a quoted cell never closed"
  expect_contains stderr "never closed"
  expect_absent out12.csv
  : >empty.csv
  score --input empty.csv --output out13.csv
  expect_rc 2 "empty input"
  expect_absent out13.csv
  printf 'junk\n' >history.csv
  score --input "$ENTERPRISES" --history history.csv --output out14.csv
  expect_rc 2 "history that is not an eligo decision file"
  expect_absent out14.csv
  expect_no_temp .

  # 3: the output cannot be written
  score --input "$ENTERPRISES" --output /dev/full
  expect_rc 3 "--output /dev/full"
  expect_contains stderr "/dev/full"
}

# -------------------------------------------------------------- rejects

# The panel for the rejects cases; line numbers are file lines.
write_bad_panel() {
  cat >panel.csv <<EOF
$HEADER
91411102MA3X4K7P2F,好企业,源汇区,2017,120000000.00,2500000.00,true,,false,false
91411103MA40B8Q1DU,坏数字,郾城区,2017,12abc,2500000.00,true,,false,false
91411104MA44C2R5EX,坏年度,召陵区,20x7,120000000.00,2500000.00,true,,false,false
91411104MA44C2R5EX,早年度,召陵区,1850,120000000.00,2500000.00,true,,false,false
91411121MA45D3T6FW,负数,舞阳县,2017,-5.00,2500000.00,true,,false,false
91411122MA46E4U7GN,少一列,临颍县,2017,120000000.00,2500000.00,true,,false
91411100MA47F5W8H,代码太短,市直,2017,120000000.00,2500000.00,true,,false,false
91411100MA47F5W8HI,代码有I,市直,2017,120000000.00,2500000.00,true,,false,false
91411100MAO7F5W8H6,代码有O,市直,2017,120000000.00,2500000.00,true,,false,false
9.14E+17,指数代码,市直,2017,120000000.00,2500000.00,true,,false,false
91411102MA48G6X9JE,重复甲,源汇区,2018,120000000.00,2500000.00,true,,false,false
91411102MA3X4K7P2F,好企业,源汇区,2018,550000000.00,6000000.00,true,,false,false
91411102MA48G6X9JE,重复乙,源汇区,2018,130000000.00,2500000.00,true,,false,false
91411102MA48G6X9JE,重复丙,源汇区,2018,140000000.00,2500000.00,true,,false,false
91411100MA47F5W8H6,空年度,市直,,120000000.00,2500000.00,true,,false,false
,空代码,市直,2017,120000000.00,2500000.00,true,,false,false
91411102MA3X4K7P2G,校验位错,源汇区,2017,120000000.00,2500000.00,true,,false,false
91411103MA40B8Q1DU,不是布尔,郾城区,2019,120000000.00,2500000.00,maybe,,false,false
EOF
}

# reject_line N: the line of rejects.csv for input line N (exactly one).
reject_line() {
  local n
  n=$(grep -c "^panel\.csv,$1," rejects.csv)
  [ "$n" -eq 1 ] || fail "rejects.csv has $n lines for panel.csv line $1 (want 1)"
  grep "^panel\.csv,$1," rejects.csv
}

# expect_reject N PHRASE: input line N is rejected with PHRASE in the reason,
# followed by the original cells (the input line, which has no quotes).
expect_reject() {
  local got original
  got=$(reject_line "$1") || exit 1
  original=$(sed -n "$1p" panel.csv)
  case "$got" in
    *"$2"*) ;;
    *) fail "the reject for line $1 lacks '$2': $got" ;;
  esac
  case "$got" in
    *",$original") ;;
    *) fail "the reject for line $1 does not end with its cells '$original': $got" ;;
  esac
}

case_rejects() {
  write_bad_panel
  score --input panel.csv --output out.csv --rejects rejects.csv \
    --summary summary.json
  expect_rc 1 "a panel with bad rows"
  expect_eq "file,line,status,reason" "$(head -n 1 rejects.csv)" "rejects header"

  # a cell that cannot be read leaves the row partly read: the value is
  # unknown, the rest of the row is used
  expect_reject 3 'partly_read,"sales_revenue: ""12abc"" is not a decimal number'
  expect_reject 4 'rejected,year: `20x7` is not a year or a date'
  expect_reject 5 'rejected,year: `1850` of `year` is not a year'
  expect_reject 6 'partly_read,sales_revenue: negative money `-5.00`'
  expect_reject 7 'rejected,the row has 9 cells; the header has 10'
  expect_reject 8 'credit code `91411100MA47F5W8H` has 17 characters; a unified social credit code has 18'
  expect_reject 9 'credit code `91411100MA47F5W8HI` has `I` at position 18, which is not in its alphabet'
  expect_reject 10 'credit code `91411100MAO7F5W8H6` has `O` at position 11, which is not in its alphabet'
  expect_reject 11 'credit code `9.14E+17` is in exponent form'
  expect_reject 12 'two rows for 91411102MA48G6X9JE in 2018 (lines 12 and 14); both rejected'
  expect_reject 14 'two rows for 91411102MA48G6X9JE in 2018 (lines 12 and 14); both rejected'
  expect_reject 15 'another row for 91411102MA48G6X9JE in 2018; all rejected'
  expect_reject 16 'rejected,year: required but empty'
  expect_reject 17 'rejected,credit_code: required but empty'
  expect_reject 19 'partly_read,"in_cultivation_list: `maybe` is not a yes/no value'
  for good in 2 13 18; do
    ! grep -q "^panel\.csv,$good," rejects.csv ||
      fail "good line $good was rejected: $(grep "^panel\.csv,$good," rejects.csv)"
  done
  expect_eq 16 "$(wc -l <rejects.csv)" "lines in rejects.csv (header + 15)"

  # read == scored + rejected + skipped: 18 rows, 12 rejected, 6 scored (3
  # of them partly read)
  expect_contains summary.json '"rows":{"read":18,"scored":6,"rejected":12,"skipped":0,"partly_read":3}'
  expect_contains summary.json \
    '"panel.csv:18: credit code `91411102MA3X4K7P2G` has check character `G`, expected `F`"'
  # 7 entity-years x 5 enterprise rules: the 2018 of two conflicting rows
  # is decided too (undetermined); 91411104MA44C2R5EX has no year read
  expect_contains summary.json '"decisions":35'

  # the good rows are scored, the wrong check character with a warning only
  expect_eq 36 "$(wc -l <out.csv)" "lines in out.csv (header + 35 decisions)"
  expect_line out.csv 'enterprise,91411102MA3X4K7P2F,好企业,源汇区,2017,scale-tier-award,tier1,eligible,money,100000.00,源汇区人民政府,四(六)2,tier1 reached: sales_revenue >= 1亿元 and local_tax >= 200万元,'
  expect_line out.csv 'enterprise,91411102MA3X4K7P2F,好企业,源汇区,2018,scale-tier-award,tier2,eligible,money,500000.00,源汇区人民政府,四(六)2,tier2 reached: sales_revenue >= 5亿元 and local_tax >= 500万元,'
  expect_line out.csv 'enterprise,91411102MA3X4K7P2G,校验位错,源汇区,2017,scale-tier-award,tier1,eligible,money,100000.00,源汇区人民政府,四(六)2,tier1 reached: sales_revenue >= 1亿元 and local_tax >= 200万元,'
  # the unreadable cell is named, with its file and line
  expect_line out.csv 'enterprise,91411103MA40B8Q1DU,坏数字,郾城区,2017,scale-tier-award,,undetermined,,,,四(六)2,"cannot tell whether tier1 is reached: sales_revenue@2017: ""12abc"" at panel.csv:3 could not be read",'
  # conflicting rows: that year undetermined, not gone
  expect_contains out.csv 'enterprise,91411102MA48G6X9JE,,,2018,scale-tier-award,,undetermined,,,,四(六)2,cannot tell whether the rule applies: in_cultivation_list@2018 (duplicate rows for 2018),'
  expect_not_contains out.csv 91411104MA44C2R5EX

  # the same with the summary as text on stderr
  score --input panel.csv --output out2.csv --rejects rejects2.csv
  expect_rc 1
  expect_contains stderr "rows read 18 = scored 6 + rejected 12 + skipped 0 (3 scored partly read)"
  expect_same rejects.csv rejects2.csv "rejects of the second run"

  # the lines of rejects and warnings after blank lines, in a file grouped
  # in memory (parsed twice) and in one with CR alone between lines
  printf 'credit_code,year,sales_revenue\n91411103MA40B8Q1DU,2017,1\n\n91411102MA3X4K7P2F,2017,5\n\n91411102MA3X4K7P2F,2017,6\n\n\n91411104MA44C2R5E0,2017,x\n' >blank-lines.csv
  local absent="--absent-column county --absent-column local_tax --absent-column in_cultivation_list --absent-column upgrade_year --absent-column new_national_hte --absent-column new_headquarters"
  # shellcheck disable=SC2086
  score --input blank-lines.csv --output /dev/null --rejects blank-rejects.csv $absent
  expect_rc 1 "blank lines in an unsorted file"
  expect_eq "4:6:9" "$(tail -n +2 blank-rejects.csv | cut -d, -f2 | paste -sd:)" \
    "lines of the rejects of an unsorted file with blank lines"
  tr '\n' '\r' <blank-lines.csv >cr-lines.csv
  # shellcheck disable=SC2086
  score --input cr-lines.csv --output /dev/null --rejects cr-rejects.csv $absent
  expect_rc 1 "CR alone between lines"
  expect_eq "4:6:9" "$(tail -n +2 cr-rejects.csv | cut -d, -f2 | paste -sd:)" \
    "lines of the rejects of a file with CR line breaks"

  # two rows for one year in two files: the reason names both files
  printf '%s\n%s\n' "$HEADER" \
    '91411102MA3X4K7P2F,恒达,源汇区,2017,120000000.00,2500000.00,true,,false,false' >one.csv
  cp one.csv two.csv
  score --input one.csv --input two.csv --output /dev/null --rejects two-files.csv
  expect_rc 1 "one row in two files"
  expect_contains two-files.csv 'one.csv,2,rejected,two rows for 91411102MA3X4K7P2F in 2017 (one.csv:2 and two.csv:2); both rejected'
  expect_contains two-files.csv 'two.csv,2,rejected,two rows for 91411102MA3X4K7P2F in 2017 (one.csv:2 and two.csv:2); both rejected'

  # rejects in line order also when a sorted file is streamed, where the
  # first of two rows for a year is rejected only once the second is read
  cat >sorted.csv <<EOF
$HEADER
91411102MA3X4K7P2F,恒达,源汇区,2017,120000000.00,2500000.00,true,,false,false
91411102MA3X4K7P2F,恒达,源汇区,2018,12abc,2500000.00,true,,false,false
91411102MA3X4K7P2F,恒达,源汇区,2017,130000000.00,2500000.00,true,,false,false
91411103MA40B8Q1DU,郾城,郾城区,2017,120000000.00,2500000.00,true,,false,false
EOF
  score --input sorted.csv --output sorted-out.csv --rejects sorted-rejects.csv
  expect_rc 1 "sorted panel with a duplicate"
  expect_eq "2:3:4" "$(tail -n +2 sorted-rejects.csv | cut -d, -f2 | paste -sd:)" \
    "lines of the rejects of a streamed file"
  { head -n 1 sorted.csv; tail -n 1 sorted.csv; sed -n 2,4p sorted.csv; } >unsorted.csv
  score --input unsorted.csv --output unsorted-out.csv --rejects unsorted-rejects.csv
  expect_rc 1 "unsorted panel with a duplicate"
  expect_eq "3:4:5" "$(tail -n +2 unsorted-rejects.csv | cut -d, -f2 | paste -sd:)" \
    "lines of the rejects of a grouped file"
}

# A rejected row's reason names only what is wrong with it: a column that is
# in the header but holds a bad value is not "missing".
case_rejects_reasons_exact() {
  write_bad_panel
  score --input panel.csv --output out.csv --rejects rejects.csv
  expect_rc 1
  expect_line rejects.csv 'panel.csv,5,rejected,year: `1850` of `year` is not a year,91411104MA44C2R5EX,早年度,召陵区,1850,120000000.00,2500000.00,true,,false,false'
  expect_line rejects.csv 'panel.csv,8,rejected,credit_code: credit code `91411100MA47F5W8H` has 17 characters; a unified social credit code has 18,91411100MA47F5W8H,代码太短,市直,2017,120000000.00,2500000.00,true,,false,false'
  expect_line rejects.csv 'panel.csv,16,rejected,year: required but empty,91411100MA47F5W8H6,空年度,市直,,120000000.00,2500000.00,true,,false,false'
  expect_not_contains rejects.csv 'required column missing'
}

# -------------------------------------------------------------- history

case_history() {
  printf '%s\n%s\n' "$HEADER" \
    '91411102MA3X4K7P2F,恒达,源汇区,2017,120000000.00,2500000.00,true,,false,false' >y2017.csv
  printf '%s\n%s\n' "$HEADER" \
    '91411102MA3X4K7P2F,恒达,源汇区,2018,150000000.00,2500000.00,true,,true,false' >y2018.csv
  printf '%s\n%s\n' "$HEADER" \
    '91411102MA3X4K7P2F,恒达,源汇区,2019,150000000.00,2500000.00,true,,true,false' >y2019.csv
  local paid blocked
  paid='enterprise,91411102MA3X4K7P2F,恒达,源汇区,2018,scale-tier-award,tier1,eligible,money,100000.00,源汇区人民政府,四(六)2,tier1 reached: sales_revenue >= 1亿元 and local_tax >= 200万元,'
  blocked='enterprise,91411102MA3X4K7P2F,恒达,源汇区,2018,scale-tier-award,tier1,ineligible,,,,四(六)2,"tier1 reached, but tier1 was awarded in 2017; a tier is paid only if higher than every tier paid before",'

  score --input y2017.csv --output h2017.csv
  expect_rc 0
  expect_line h2017.csv 'enterprise,91411102MA3X4K7P2F,恒达,源汇区,2017,scale-tier-award,tier1,eligible,money,100000.00,源汇区人民政府,四(六)2,tier1 reached: sales_revenue >= 1亿元 and local_tax >= 200万元,'
  score --input y2017.csv --format jsonl --output h2017.jsonl
  expect_rc 0
  expect_contains h2017.jsonl '"year":2017,"rule":"scale-tier-award","tier":"tier1","outcome":"eligible"'
  score --input y2017.csv --excel --output h2017-excel.csv
  expect_rc 0

  # without history: tier1 is paid in 2018
  score --input y2018.csv --output none.csv
  expect_rc 0
  expect_line none.csv "$paid"
  # with the 2017 run as history (CSV, JSON Lines, Excel CSV): not again
  for h in h2017.csv h2017.jsonl h2017-excel.csv; do
    score --input y2018.csv --history "$h" --output "with-$h.csv"
    expect_rc 0 "--history $h"
    expect_line "with-$h.csv" "$blocked"
    expect_no_line "with-$h.csv" "$paid"
    local scale
    scale=$(decision "with-$h.csv" 91411102MA3X4K7P2F 2018 scale-tier-award)
    case "$scale" in
      *",ineligible,"*"2017"*) ;;
      *) fail "--history $h: 2018 scale-tier-award is not ineligible because of 2017: $scale" ;;
    esac
  done
  # explain shows the award consulted
  run explain --rules "$RULES" --params "$PARAMS" --input y2018.csv \
    --id 91411102MA3X4K7P2F --rule scale-tier-award --history h2017.jsonl
  expect_rc 0 "explain with --history"
  sed 's/^ *//' stdout >explain.txt
  expect_line explain.txt 'tier1 awarded in 2017 (100000.00) (from history)'
  expect_line explain.txt 'outcome: ineligible, tier1'

  # new-hightech-award paid in 2018 is not paid again in 2019
  expect_contains with-h2017.csv.csv ',2018,new-hightech-award,,eligible,money,500000.00,市财政,'
  for fmt in csv jsonl; do
    score --input y2018.csv --history h2017.csv --format "$fmt" \
      --output "h2018.$fmt"
    expect_rc 0
    score --input y2019.csv --history "h2018.$fmt" --output "y2019-$fmt.csv"
    expect_rc 0 "2019 with the 2018 $fmt history"
    expect_contains "y2019-$fmt.csv" \
      ',2019,new-hightech-award,,ineligible,,,,四(六)4,once per enterprise: already awarded in 2018,'
  done
  score --input y2019.csv --output y2019-none.csv
  expect_rc 0
  expect_contains y2019-none.csv ',2019,new-hightech-award,,eligible,money,500000.00,市财政,'

  # history is by kind and id: another enterprise's award does not count
  sed 's/91411102MA3X4K7P2F/91411103MA40B8Q1DU/' y2018.csv >other.csv
  score --input other.csv --history h2017.csv --output other-out.csv
  expect_rc 0
  expect_contains other-out.csv ',2018,scale-tier-award,tier1,eligible,money,100000.00,'
}

# ---------------------------------------------------------------- excel

case_excel() {
  cat >formula.csv <<EOF
$HEADER
91411102MA3X4K7P2F,"=HYPERLINK(""http://evil.example/"",""click"")",源汇区,2017,120000000.00,2500000.00,true,,false,false
91411103MA40B8Q1DU,@SUM(1),+郾城区,2017,120000000.00,2500000.00,true,,false,false
91411104MA44C2R5EX,-1,召陵区,2017,120000000.00,2500000.00,true,,false,false
91411121MA45D3T6FW,=1+1,舞阳县,2017,bad,2500000.00,true,,false,false
EOF
  score --input formula.csv --excel --output excel.csv --rejects excel-rejects.csv
  expect_rc 1
  expect_eq efbbbf "$(head -c 3 excel.csv | od -An -tx1 | tr -d ' \n')" \
    "first bytes of the --excel output"
  expect_eq "$COLUMNS" "$(head -n 1 excel.csv | tail -c +4)" "--excel header after the BOM"
  expect_line excel.csv 'enterprise,91411102MA3X4K7P2F,"'"'"'=HYPERLINK(""http://evil.example/"",""click"")",源汇区,2017,scale-tier-award,tier1,eligible,money,100000.00,源汇区人民政府,四(六)2,tier1 reached: sales_revenue >= 1亿元 and local_tax >= 200万元,'
  expect_line excel.csv 'enterprise,91411103MA40B8Q1DU,"'"'"'@SUM(1)","'"'"'+郾城区",2017,scale-tier-award,tier1,eligible,money,100000.00,"'"'"'+郾城区人民政府",四(六)2,tier1 reached: sales_revenue >= 1亿元 and local_tax >= 200万元,'
  expect_line excel.csv 'enterprise,91411104MA44C2R5EX,"'"'"'-1",召陵区,2017,scale-tier-award,tier1,eligible,money,100000.00,召陵区人民政府,四(六)2,tier1 reached: sales_revenue >= 1亿元 and local_tax >= 200万元,'
  # no cell of the output starts with a formula character unescaped
  ! tail -n +2 excel.csv | grep -Eq '(^|,)[=+@-]' ||
    fail "an unescaped formula cell in the --excel output: $(tail -n +2 excel.csv | grep -E '(^|,)[=+@-]' | head -n 1)"
  # the rejects file is escaped too
  expect_eq efbbbf "$(head -c 3 excel-rejects.csv | od -An -tx1 | tr -d ' \n')" \
    "first bytes of the --excel rejects"
  expect_contains excel-rejects.csv ',91411121MA45D3T6FW,"'"'"'=1+1",舞阳县,2017,bad,'

  # without --excel: no BOM, cells as they are
  score --input formula.csv --output plain.csv --rejects plain-rejects.csv
  expect_rc 1
  expect_eq "$COLUMNS" "$(head -n 1 plain.csv)" "header without --excel"
  expect_line plain.csv 'enterprise,91411102MA3X4K7P2F,"=HYPERLINK(""http://evil.example/"",""click"")",源汇区,2017,scale-tier-award,tier1,eligible,money,100000.00,源汇区人民政府,四(六)2,tier1 reached: sales_revenue >= 1亿元 and local_tax >= 200万元,'
  expect_line plain.csv 'enterprise,91411103MA40B8Q1DU,@SUM(1),+郾城区,2017,scale-tier-award,tier1,eligible,money,100000.00,+郾城区人民政府,四(六)2,tier1 reached: sales_revenue >= 1亿元 and local_tax >= 200万元,'
  expect_line plain.csv 'enterprise,91411104MA44C2R5EX,-1,召陵区,2017,scale-tier-award,tier1,eligible,money,100000.00,召陵区人民政府,四(六)2,tier1 reached: sales_revenue >= 1亿元 and local_tax >= 200万元,'
  expect_contains plain-rejects.csv ',91411121MA45D3T6FW,=1+1,舞阳县,2017,bad,'

  # the examples: --excel is the plain output with a BOM (nothing to escape)
  score --input "$ENTERPRISES" --output ref.csv
  score --input "$ENTERPRISES" --excel --output ref-excel.csv
  expect_rc 0
  { printf '\xEF\xBB\xBF'; cat ref.csv; } >ref-bom.csv
  expect_same ref-bom.csv ref-excel.csv "--excel output of the examples"

  # --excel needs CSV
  score --input "$ENTERPRISES" --excel --format jsonl --output x.jsonl
  expect_rc 2 "--excel --format jsonl"
  expect_absent x.jsonl
}

# --------------------------------------------------------------- atomic

case_atomic_output() {
  mkdir out
  # a run that fails after opening its output: nothing under the final name
  score --input "$ENTERPRISES" --output out/decisions.csv \
    --rejects /proc/eligo-cannot-write/rejects.csv
  [ "$rc" -eq 2 ] || [ "$rc" -eq 3 ] ||
    fail "unwritable --rejects: expected exit status 2 or 3, got $rc"
  expect_contains stderr /proc/eligo-cannot-write
  expect_absent out/decisions.csv
  expect_no_temp out
  expect_eq "" "$(ls -A out)" "files left in out/"

  # an earlier file under the final name is left as it was
  echo "earlier run" >out/decisions.csv
  score --input "$ENTERPRISES" --output out/decisions.csv \
    --summary /proc/eligo-cannot-write/summary.json
  [ "$rc" -eq 2 ] || [ "$rc" -eq 3 ] ||
    fail "unwritable --summary: expected exit status 2 or 3, got $rc"
  expect_eq "earlier run" "$(cat out/decisions.csv)" "out/decisions.csv after a failed run"
  expect_no_temp out
  rm out/decisions.csv

  # exit 2 for a bad input file: nothing written
  printf 'a,b\n1,2\n' >bad-input.csv
  score --input "$ENTERPRISES" --input bad-input.csv \
    --output out/decisions.csv --rejects out/rejects.csv --summary out/summary.json
  expect_rc 2 "bad input file"
  expect_eq "" "$(ls -A out)" "files left in out/ after exit 2"

  # /dev/full: exit 3 with a message
  score --input "$ENTERPRISES" --output /dev/full
  expect_rc 3 "--output /dev/full"
  expect_contains stderr "error: writing /dev/full failed"
  score --input "$ENTERPRISES" --format jsonl --output /dev/full
  expect_rc 3 "--format jsonl --output /dev/full"

  # a successful run leaves exactly its outputs, complete, and no temporary
  score --input "$ENTERPRISES" --output out/decisions.csv \
    --rejects out/rejects.csv --summary out/summary.json
  expect_rc 0
  expect_eq ".:decisions.csv:decisions.csv.run.json:rejects.csv:rejects.csv.run.json:summary.json:summary.json.run.json" \
    ".:$(ls -A out | sort | paste -sd:)" "files in out/"
  expect_eq "file,line,status,reason" "$(cat out/rejects.csv)" "empty rejects file"
  score --input "$ENTERPRISES" --output ref.csv
  expect_same ref.csv out/decisions.csv
  # output to a file in the current directory (no directory part)
  (cd out && "$ELIGO" score --lang en --rules "$RULES" --params "$PARAMS" \
    --input "$ENTERPRISES" --output here.csv 2>/dev/null) ||
    fail "--output here.csv failed"
  expect_same ref.csv out/here.csv
  expect_no_temp out
}

# A failed run leaves no output file: when one output of a run cannot be
# written (exit 3), the others do not appear under their final names either.
# Provenance: a sidecar OUTPUT.run.json beside each output with the SHA-256
# of every file read, the same record in the summary, none in the CSV; and
# decision ids that are stable from run to run and change with the rules.
case_provenance() {
  score --input "$ENTERPRISES" --output a.csv --summary a.json
  expect_rc 0
  for f in a.csv.run.json a.json.run.json; do
    [ -f "$f" ] || fail "no sidecar $f"
    expect_contains "$f" "\"sha256\":\"$(sha256sum "$RULES" | cut -d' ' -f1)\""
    expect_contains "$f" "\"sha256\":\"$(sha256sum "$PARAMS" | cut -d' ' -f1)\""
    expect_contains "$f" "\"sha256\":\"$(sha256sum "$ENTERPRISES" | cut -d' ' -f1)\""
    expect_contains "$f" '"eligo_version":"'
    expect_contains "$f" '"arguments":["eligo","score","--rules"'
  done
  expect_contains a.json "\"run\":{\"eligo_version\""
  expect_not_contains a.csv sha256
  # the digest of each input's bytes, however it was read: streamed (with a
  # BOM, or CRLF), decoded from GBK, grouped when unsorted
  { printf '\xEF\xBB\xBF'; cat "$ENTERPRISES"; } >bom.csv
  sed 's/$/\r/' "$ENTERPRISES" >crlf.csv
  { head -n 1 "$ENTERPRISES"; tail -n +2 "$ENTERPRISES" | sort -r; } >unsorted.csv
  local input
  for input in bom.csv crlf.csv "$ENTERPRISES_GBK" unsorted.csv; do
    score --input "$input" --output d.csv
    expect_rc 0 "$input"
    expect_contains d.csv.run.json "\"sha256\":\"$(sha256sum "$input" | cut -d' ' -f1)\""
  done
  head -1 a.csv | grep -q ',decision_id$' || fail "no decision_id column"
  # ids: one per decision, all different, the same in a second run
  local ids
  ids=$(tail -n +2 a.csv | awk -F, '{print $NF}')
  expect_eq "$(tail -n +2 a.csv | wc -l)" "$(printf '%s\n' "$ids" | sort -u | wc -l)" "distinct decision ids"
  printf '%s\n' "$ids" | grep -Evq '^[0-9a-f]{20}$' && fail "malformed decision id"
  score --input "$ENTERPRISES" --output b.csv
  expect_same a.csv b.csv
  # JSON Lines carry the same ids
  score --input "$ENTERPRISES" --format jsonl --output a.jsonl
  expect_contains a.jsonl "\"decision_id\":\"$(sed -n 2p a.csv | awk -F, '{print $NF}')\""
  # another rule set (a variant) gives other ids for the same decisions
  run score --rules "$SRC/rules/luohe-2017-top-up.yaml" --params "$PARAMS" \
    --input "$ENTERPRISES" --output c.csv
  expect_rc 0 "variant rules"
  [ "$(sed -n 2p a.csv | awk -F, '{print $NF}')" != "$(sed -n 2p c.csv | awk -F, '{print $NF}')" ] ||
    fail "decision ids do not depend on the rule set"
  # the rules and params are hashed as they are loaded, not after the run:
  # params edited while the run waits for its input do not show
  cp "$PARAMS" live-params.yaml
  local loaded
  loaded=$(sha256sum live-params.yaml | cut -d' ' -f1)
  mkfifo live.fifo
  # Opening the FIFO waits for eligo to open its input, which it does once
  # the rules and params are loaded: the edit comes after, however slow.
  (exec 3>live.fifo
    echo "# edited during the run" >>live-params.yaml
    cat "$ENTERPRISES" >&3) &
  run score --rules "$RULES" --params live-params.yaml --input live.fifo \
    --output live.csv
  wait
  expect_rc 0 "params edited during the run"
  expect_contains live.csv.run.json "\"sha256\":\"$loaded\""

  # params from a pipe: loaded, but not hashed again, so refused
  run score --rules "$RULES" --params <(cat "$PARAMS") --input "$ENTERPRISES" \
    --output piped.csv
  expect_rc 2 "--params from a pipe"
  expect_contains stderr "is not a regular file, whose SHA-256 the run's record needs"
  expect_absent piped.csv

  # standard output gets no sidecar
  score --input "$ENTERPRISES" >/dev/null
  expect_eq "" "$(compgen -G '-.run.json')" "sidecar for standard output"
}

# Outputs that would lose data are refused before anything is written: two
# to one file, two to standard output, one over a file the run reads.
case_output_paths() {
  cp "$ENTERPRISES" in.csv
  score --input in.csv --output o.csv --summary ./o.csv
  expect_rc 2 "--output and --summary to one file"
  expect_contains stderr "the output and the summary name the same file: ./o.csv"
  score --input in.csv --output o.csv --rejects o.csv
  expect_rc 2 "--output and --rejects to one file"
  score --input in.csv --output o.csv --summary o.csv.run.json
  expect_rc 2 "--summary over --output's sidecar"
  expect_contains stderr "the output's run record and the summary name the same file"
  score --input in.csv --output - --rejects -
  expect_rc 2 "--output and --rejects both to standard output"
  score --input in.csv --output "$W/in.csv"
  expect_rc 2 "--output over --input"
  expect_contains stderr "the input and the output name the same file"
  expect_same "$ENTERPRISES" in.csv "the input after a refused run"
  cp "$PARAMS" params.yaml
  run score --rules "$RULES" --params params.yaml --input in.csv \
    --summary params.yaml
  expect_rc 2 "--summary over --params"
  expect_same "$PARAMS" params.yaml "the params after a refused run"
  expect_eq "in.csv:params.yaml" "$(ls -A | grep -v -e stdout -e stderr | sort | paste -sd:)" \
    "files after refused runs"
  # devices may repeat
  score --input in.csv --output /dev/null --rejects /dev/null --summary /dev/null
  expect_rc 0 "every output to /dev/null"
}

# Input whose entities' rows are not together is grouped in memory up to
# --max-memory MB; past it the run stops (exit 2, nothing written) with a
# message that suggests sorting the file. Input grouped by key in any order
# of keys is streamed.
case_max_memory() {
  awk -v header="$HEADER" 'BEGIN {
    print header
    for (e = 30000; e >= 1; e--)
      printf "91411100MA%08d,企业%d,源汇区,2017,120000000.00,2500000.00,true,,false,false\n", e, e
  }' >unsorted.csv
  # the first entity again at the end: its rows are not together
  { cat unsorted.csv
    echo '91411100MA00030000,企业30000,源汇区,2016,1.00,1.00,true,,false,false'
  } >scattered.csv
  score --input scattered.csv --output out.csv --max-memory 1
  expect_rc 2 "a scattered 2.6 MB panel with --max-memory 1"
  expect_contains stderr "scattered.csv: the rows of one credit_code are not all together, and grouping them needs more than --max-memory (1 MB); sort the file"
  expect_absent out.csv
  expect_no_temp .
  score --input scattered.csv --output out.csv --only eligible --max-memory 64
  expect_rc 0 "the same with --max-memory 64"
  expect_eq 30001 "$(wc -l <out.csv)" "lines of out.csv (header + 30,000 tier1 awards)"
  # keys in falling order, each entity's rows together: streamed within 1 MB,
  # into a file (checked as it goes) and into standard output (checked first)
  score --input unsorted.csv --output grouped.csv --only eligible --max-memory 1
  expect_rc 0 "a grouped, unsorted panel with --max-memory 1"
  expect_same out.csv grouped.csv "decisions of the grouped panel"
  expect_not_contains stderr "after all"
  score --input unsorted.csv --only eligible --max-memory 1
  expect_rc 0 "the same into standard output"
  expect_same out.csv "$W/stdout" "decisions of the grouped panel on standard output"
  # sorted, but for rows without a key (commas only, as spreadsheets leave
  # at the end, and one in the middle): streamed, those rows rejected
  { echo "$HEADER"; tail -n +2 unsorted.csv | sort -t, -k1,1; } >sorted.csv
  { head -n 15001 sorted.csv; echo ',,,,,,,,,'; tail -n +15002 sorted.csv
    echo ',,,,,,,,,'; echo ',,,,,,,,,'; } >sorted-blank-keys.csv
  score --input sorted-blank-keys.csv --output out.csv --only eligible \
    --max-memory 1 --rejects rejects.csv
  expect_rc 0 "a sorted panel with blank rows, --max-memory 1"
  expect_eq 30001 "$(wc -l <out.csv)" "lines of out.csv from sorted-blank-keys.csv"
  expect_eq "15002,skipped:30003,skipped:30004,skipped" \
    "$(tail -n +2 rejects.csv | cut -d, -f2,3 | paste -sd:)" \
    "lines of the blank rows, skipped"
  expect_not_contains stderr "after all"
  score --input unsorted.csv --output out2.csv --max-memory 0
  expect_rc 2 "--max-memory 0"
  score --input unsorted.csv --output out2.csv --max-memory 99999999999999999
  expect_rc 2 "a --max-memory that overflows"
  expect_contains stderr "--max-memory must be between 1 and"
}

case_atomic_all_or_nothing() {
  write_bad_panel
  mkdir out
  score --input panel.csv --output out/decisions.csv --rejects /dev/full
  expect_rc 3 "--rejects /dev/full"
  expect_contains stderr "/dev/full"
  expect_absent out/decisions.csv
  expect_no_temp out
  score --input "$ENTERPRISES" --output out/decisions.csv --summary /dev/full
  expect_rc 3 "--summary /dev/full"
  expect_absent out/decisions.csv
  expect_no_temp out
}

# ---------------------------------------------------------------- jsonl

case_jsonl() {
  score --input "$ENTERPRISES" --input "$LENDERS" --output out.csv
  expect_rc 0
  score --input "$ENTERPRISES" --input "$LENDERS" --format jsonl --output out.jsonl
  expect_rc 0
  expect_eq "$(($(wc -l <out.csv) - 1))" "$(wc -l <out.jsonl)" \
    "JSON Lines records vs CSV decisions"
  # every line one object with the keys in order
  local shape='^\{"entity_kind":"(enterprise|lender)","id":"[^"]+","name":".*","county":".*","year":[0-9]{4},"rule":"[a-z-]+","tier":(null|"[a-z0-9+]+"),"outcome":"(eligible|ineligible|undetermined)","award":(null|"[a-z]+"),"amount":(null|"[0-9]+\.[0-9]{2}"),"payer":".*","citation":".*","reason":".*","notes":\[.*\].*\}$'
  local bad
  bad=$(grep -Evc "$shape" out.jsonl)
  expect_eq 0 "$bad" "JSON lines not of the decision shape (first: $(grep -Ev "$shape" out.jsonl | head -n 1))"
  expect_not_contains out.jsonl '"trace"'

  expect_line out.jsonl '{"entity_kind":"enterprise","id":"91411102MA3X4K7P2F","name":"漯河市恒达食品有限公司","county":"源汇区","year":2017,"rule":"scale-tier-award","tier":"tier1","outcome":"eligible","award":"money","amount":"100000.00","payer":"源汇区人民政府","citation":"四(六)2","reason":"tier1 reached: sales_revenue >= 1亿元 and local_tax >= 200万元","notes":[],"missing":[]}'
  expect_contains out.jsonl '"year":2018,"rule":"new-hightech-award","tier":null,"outcome":"eligible","award":"money","amount":"500000.00","payer":"市财政"'
  # amount null unless paid; tier null for rules without tiers
  expect_eq 0 "$(grep -F '"outcome":"ineligible"' out.jsonl | grep -vcF '"amount":null')" \
    "ineligible decisions with an amount"
  expect_eq 0 "$(grep -F '"outcome":"undetermined"' out.jsonl | grep -vcF '"amount":null')" \
    "undetermined decisions with an amount"
  expect_eq 0 "$(grep -F '"outcome":"eligible","award":"money"' out.jsonl | grep -cF '"amount":null')" \
    "paid decisions without an amount"
  expect_eq 0 "$(grep -F '"award":"designation"' out.jsonl | grep -vcF '"amount":null')" \
    "designations with an amount"
  local r
  for r in new-hightech-award headquarters-referral key-enterprise-service lender-industrial-ratio; do
    grep -qF "\"rule\":\"$r\"" out.jsonl || fail "no decision for $r"
    expect_eq 0 "$(grep -F "\"rule\":\"$r\"" out.jsonl | grep -vcF '"tier":null')" \
      "$r decisions with a tier"
  done
  # the same decisions as the CSV, in the same order
  awk -F, 'NR > 1 { print $2 "|" $5 "|" $6 "|" $8 }' out.csv >csv-keys
  sed -E 's/^.*"id":"([^"]*)".*"year":([0-9]+),"rule":"([^"]*)".*"outcome":"([a-z]*)".*$/\1|\2|\3|\4/' \
    out.jsonl >jsonl-keys
  expect_same csv-keys jsonl-keys "id|year|rule|outcome of the JSON Lines"

  # --trace adds a trace to every record
  score --input "$ENTERPRISES" --input "$LENDERS" --format jsonl --trace \
    --output trace.jsonl
  expect_rc 0
  expect_eq "$(wc -l <out.jsonl)" "$(wc -l <trace.jsonl)" "records with --trace"
  expect_eq 0 "$(grep -vcF ',"trace":{' trace.jsonl)" "records without a trace"
  sed 's/,"trace":{.*}}$/}/' trace.jsonl >untraced.jsonl
  expect_same out.jsonl untraced.jsonl "--trace records without their trace"

  # --trace with CSV is a usage error
  score --input "$ENTERPRISES" --trace --output t.csv
  expect_rc 2 "--trace with csv"
  expect_contains stderr "error: a trace needs the jsonl format"
  expect_absent t.csv
}

# ----------------------------------------------------------- only, order

case_only_and_order() {
  score --input "$ENTERPRISES" --input "$LENDERS" --output all.csv \
    --summary summary.json
  expect_rc 0
  score --input "$ENTERPRISES" --input "$LENDERS" --only eligible --output only.csv
  expect_rc 0
  # the eligible decisions of the full output, in the same order
  awk -F, 'NR == 1 || $8 == "eligible"' all.csv >expected-only.csv
  expect_same expected-only.csv only.csv "--only eligible"
  local eligible
  eligible=$(grep -o '"eligible":[0-9]*' summary.json | awk -F: '{ s += $2 } END { print s }')
  [ "$eligible" -gt 0 ] || fail "no eligible decision in the summary"
  expect_eq "$((eligible + 1))" "$(wc -l <only.csv)" "lines of --only eligible (header + eligible in summary)"
  expect_eq 0 "$(awk -F, 'NR > 1 && $8 != "eligible"' only.csv | wc -l)" \
    "non-eligible decisions with --only eligible"
  score --input "$ENTERPRISES" --only eligible --format jsonl --output only.jsonl
  expect_rc 0
  expect_eq 0 "$(grep -vcF '"outcome":"eligible"' only.jsonl)" \
    "non-eligible JSON records with --only eligible"

  # order: entities in input order, then year, then rule-file order
  local rules
  rules=$(sed -n 's/^  - id: //p' "$RULES" | paste -sd' ')
  expect_eq "scale-tier-award upgrade-growth-award new-hightech-award headquarters-referral key-enterprise-service lender-industrial-ratio" \
    "$rules" "rule ids in the rule file"
  awk -F, -v rules="$rules" '
    BEGIN { n = split(rules, r, " "); for (i = 1; i <= n; i++) rank[r[i]] = i }
    NR == 1 { next }
    {
      key = $1 "/" $2
      if (key != last_key) {
        if (key in seen) { print "entity " key " is not contiguous (line " NR ")"; exit 1 }
        seen[key] = 1; last_key = key; last_year = 0; last_rank = 0
      }
      if ($5 < last_year) { print "year goes back at line " NR; exit 1 }
      if ($5 > last_year) { last_year = $5; last_rank = 0 }
      if (!($6 in rank) || rank[$6] <= last_rank) { print "rule out of order at line " NR; exit 1 }
      last_rank = rank[$6]
    }' all.csv >order.err || fail "all.csv order: $(cat order.err)"
  # entities in the order they first appear in the inputs
  cut -d, -f2 all.csv | tail -n +2 | uniq >entities-out
  { tail -n +2 "$ENTERPRISES"; tail -n +2 "$LENDERS"; } | cut -d, -f1 |
    awk '!seen[$0]++' >entities-in
  expect_same entities-in entities-out "entity order"

  # rows in another order (entities interleaved, years reversed): the same
  # decisions, ordered by the entities' first appearance then by year
  { head -n 1 "$ENTERPRISES"; tail -n +2 "$ENTERPRISES" | tac; } >reversed.csv
  score --input reversed.csv --output reversed-out.csv
  expect_rc 0
  tail -n +2 reversed.csv | cut -d, -f1 | awk '!seen[$0]++' >order-reversed
  { head -n 1 all.csv
    while read -r id; do awk -F, -v id="$id" 'NR > 1 && $2 == id' all.csv; done <order-reversed
  } >expected-reversed.csv
  expect_same expected-reversed.csv reversed-out.csv "decisions of the reversed panel"
  { tail -n +2 "$ENTERPRISES" | sed -n '1~2p'; tail -n +2 "$ENTERPRISES" | sed -n '2~2p'; } |
    { head -n 1 "$ENTERPRISES"; cat; } >interleaved.csv
  score --input interleaved.csv --output interleaved-out.csv
  expect_rc 0
  tail -n +2 interleaved.csv | cut -d, -f1 | awk '!seen[$0]++' >order-interleaved
  { head -n 1 all.csv
    while read -r id; do awk -F, -v id="$id" 'NR > 1 && $2 == id' all.csv; done <order-interleaved
  } >expected-interleaved.csv
  expect_same expected-interleaved.csv interleaved-out.csv "decisions of the interleaved panel"

  # a panel sorted but for one row out of place: it looks sorted, so scoring
  # into a file starts at once and starts over when the row comes; into
  # standard output (which cannot be taken back) the order is checked
  # first. Both give the same decisions, rejects and counts.
  head -n 1 "$ENTERPRISES" >out-of-place.csv
  awk 'BEGIN {
    for (i = 0; i < 2000; i++) {
      if (i == 1000) print "91411100000000005Y,甲,源汇区,2018,1,1,是,,否,否"
      printf "91411100000%06dY,甲,源汇区,2017,%s,1,是,,否,否\n", i, i == 10 ? "abc" : i * 100000
    } }' >>out-of-place.csv
  for threads in 1 2; do
    score --input out-of-place.csv --threads "$threads" --rejects oop-rejects-1.csv \
      --summary oop-summary-1.json --output oop-file.csv
    expect_rc 1
    expect_contains "$W/stderr" "not grouped by its key after all"
    score --input out-of-place.csv --threads "$threads" --rejects oop-rejects-2.csv \
      --summary oop-summary-2.json
    expect_rc 1
    expect_same "$W/stdout" oop-file.csv "decisions of a panel found out of order ($threads threads)"
    expect_same oop-rejects-2.csv oop-rejects-1.csv "rejects of a panel found out of order"
    # the summaries but for their run records (arguments, times)
    expect_eq "$(sed 's/,"run":.*$//' oop-summary-2.json)" \
      "$(sed 's/,"run":.*$//' oop-summary-1.json)" "summary of a panel found out of order"
  done
  expect_contains oop-summary-1.json '"rows":{"read":2001,"scored":2001,"rejected":0,"skipped":0,"partly_read":1}'

  # lenders first when their file comes first
  score --input "$LENDERS" --input "$ENTERPRISES" --output lenders-first.csv
  expect_rc 0
  expect_eq "entity_kind lender enterprise" \
    "$(cut -d, -f1 lenders-first.csv | uniq | paste -sd' ')" "kinds with lenders first"
}

# -------------------------------------------------------------- explain

case_explain() {
  local id=91411102MA3X4K7P2F
  run explain --rules "$RULES" --params "$PARAMS" --input "$ENTERPRISES" \
    --id "$id" --year 2018
  expect_rc 0 "explain"
  sed 's/^ *//' stdout >text
  expect_contains text '对列入“十百千”亿级培育的企业,2017年至2020年底期间,每年年销售收入完成相应目标'
  expect_line text 'sales_revenue@2018 = 550000000.00'
  expect_line text 'local_tax@2018 = 6000000.00'
  expect_line text 'outcome: eligible, tier2, money 500000.00 yuan, paid by 源汇区人民政府'
  expect_line text 'tier1 awarded in 2017 (100000.00)'
  expect_line text "2018 scale-tier-award — enterprise $id"
  # one block per enterprise rule, all of 2018
  expect_eq 5 "$(grep -c " — enterprise $id\$" text)" "decisions explained"
  expect_eq 5 "$(grep -c "^2018 .* — enterprise $id\$" text)" "decisions of 2018 explained"

  run explain --rules "$RULES" --params "$PARAMS" --input "$ENTERPRISES" \
    --id "$id" --year 2018 --rule key-enterprise-service
  expect_rc 0
  expect_eq 1 "$(grep -c " — enterprise $id\$" stdout)" "decisions with --rule"

  # the GBK example explains the same
  run explain --rules "$RULES" --params "$PARAMS" --input "$ENTERPRISES_GBK" \
    --id "$id" --year 2018
  expect_rc 0
  sed 's/^ *//' stdout >text-gbk
  expect_same text text-gbk "explain of the GBK example"

  # JSON: one decision per line, with its trace
  run explain --rules "$RULES" --params "$PARAMS" --input "$ENTERPRISES" \
    --id "$id" --year 2018 --format json
  expect_rc 0 "explain --format json"
  cp stdout json
  expect_eq 5 "$(wc -l <json)" "JSON lines"
  expect_eq 5 "$(grep -c "^{\"entity_kind\":\"enterprise\",\"id\":\"$id\",.*\"year\":2018,.*,\"trace\":{.*}}\$" json)" \
    "JSON lines with a trace"
  expect_contains json '"rule":"scale-tier-award","tier":"tier2","outcome":"eligible","award":"money","amount":"500000.00"'
  expect_contains json '550000000'

  # unknown id; bad format
  run explain --rules "$RULES" --params "$PARAMS" --input "$ENTERPRISES" \
    --id 91411100MA00000000 --year 2018
  expect_rc 2 "explain of an unknown id"
  expect_contains stderr 'no decision for `91411100MA00000000`'
  run explain --rules "$RULES" --params "$PARAMS" --input "$ENTERPRISES" \
    --id "$id" --year 2030
  expect_rc 2 "explain of a year without a row"
  run explain --rules "$RULES" --params "$PARAMS" --input "$ENTERPRISES" \
    --id "$id" --format xml
  expect_rc 2 "explain --format xml"
  run explain --rules "$RULES" --params "$PARAMS" --input "$ENTERPRISES"
  expect_rc 2 "explain without --id"
}

# ---------------------------------------------------------------- check

# check_diagnostic FILE LINE COL SOURCE_FILE: stderr has
# "FILE:LINE:COL: error: ..." followed by the source line and a caret line.
check_diagnostic() {
  local file=$1 line=$2 col=$3 src=$4
  awk -v p="$file:$line:$col: error: " -v srcline="  $(sed -n "${line}p" "$src")" \
      -v caret="$(printf '%*s^' $((col + 1)) '')" '
    found == 1 { if ($0 != srcline) { print "source line: [" $0 "] want [" srcline "]"; bad = 1 } found = 2; next }
    found == 2 { if ($0 != caret) { print "caret line: [" $0 "] want [" caret "]"; bad = 1 } found = 3; next }
    index($0, p) == 1 && !found { found = 1 }
    END { if (!found) print "no line starting " p; exit (found == 3 && !bad) ? 0 : 1 }' \
    stderr >diag.err || fail "diagnostic $file:$line:$col: $(cat diag.err)"
}

# column of the first TEXT in line LINE of FILE (1-based, in bytes)
column_of() {
  sed -n "$2p" "$1" | LC_ALL=C awk -v t="$3" '{ print index($0, t) }'
}

case_check() {
  run check "$RULES" --params "$PARAMS"
  expect_rc 0 "check of the shipped rules"
  expect_line stdout "$RULES: 6 rules, 2 entity kinds"
  expect_line stderr "0 errors, 0 warnings"
  local f
  for f in "$SRC"/rules/luohe-2017*.yaml; do
    run check "$f" --params "$PARAMS"
    expect_rc 0 "check $f"
  done

  # one mistake
  sed 's/sales_revenue >= 10亿元/sales_revnue >= 10亿元/' "$RULES" >broken.yaml
  local line col
  line=$(grep -n sales_revnue broken.yaml | cut -d: -f1)
  col=$(column_of broken.yaml "$line" sales_revnue)
  run check broken.yaml --params "$PARAMS"
  expect_rc 2 "check of a broken copy"
  check_diagnostic broken.yaml "$line" "$col" broken.yaml
  expect_line stderr "1 errors, 0 warnings"
  expect_not_contains stdout "broken.yaml: 6 rules"

  # three separate mistakes, all reported
  local l1 l2 l3
  l1=$(grep -n 'hit: first' "$RULES" | head -n 1 | cut -d: -f1)
  l2=$(grep -n 'limit: once-per-tier' "$RULES" | head -n 1 | cut -d: -f1)
  l3=$line
  sed -e "${l1}s/hit: first/hit: firts/" -e "${l2}s/limit: once-per-tier/limit: twice/" \
    -e "${l3}s/sales_revenue >= 10亿元/sales_revnue >= 10亿元/" "$RULES" >three.yaml
  run check three.yaml
  expect_rc 2 "check of three mistakes"
  check_diagnostic three.yaml "$l1" "$(column_of three.yaml "$l1" firts)" three.yaml
  check_diagnostic three.yaml "$l2" "$(column_of three.yaml "$l2" twice)" three.yaml
  check_diagnostic three.yaml "$l3" "$(column_of three.yaml "$l3" sales_revnue)" three.yaml
  expect_eq 3 "$(grep -c '^three\.yaml:[0-9]*:[0-9]*: error: ' stderr)" "errors reported"
  expect_line stderr "3 errors, 0 warnings"

  # a params file checked against the rules
  printf 'city_industrial_revenue_growth:\n  2017: lots\n' >bad-params.yaml
  run check "$RULES" --params bad-params.yaml
  expect_rc 2 "check of a bad params file"
  check_diagnostic bad-params.yaml 2 9 bad-params.yaml

  # a file that is not YAML at all / does not exist
  printf 'eligo: 1\nrules: [\n' >not-yaml.yaml
  run check not-yaml.yaml
  expect_rc 2 "check of broken YAML"
  grep -Eq '^not-yaml\.yaml:[0-9]+:[0-9]+: error: ' stderr ||
    fail "no not-yaml.yaml:line:col: error: line"
  run check no-such-file.yaml
  expect_rc 2 "check of a missing file"
  run check
  expect_rc 2 "check without a file"
}

# ----------------------------------------------------------------- help

case_help_version() {
  run --help
  expect_rc 0 "eligo --help"
  expect_contains stdout "usage: eligo COMMAND"
  local c
  for c in score explain check; do
    grep -Eq "^  $c " stdout || fail "eligo --help does not list $c"
  done
  expect_contains stdout "example"
  run -h
  expect_rc 0 "eligo -h"
  for c in score explain check; do
    run "$c" --help
    expect_rc 0 "eligo $c --help"
    expect_contains stdout "usage: eligo $c"
    expect_contains stdout "example"
    expect_contains stdout "eligo $c "
  done
  run score --help
  for o in --rules --params --input --output --format --rejects --history \
           --only --trace --excel --encoding --summary; do
    expect_contains stdout "$o"
  done
  expect_contains stdout "exit status"

  run --version
  expect_rc 0 "eligo --version"
  local version
  version=$(sed -n 's/^project(eligo VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
  grep -Eq '^eligo [0-9]+\.[0-9]+\.[0-9]+' stdout ||
    fail "eligo --version printed: $(cat stdout)"
  expect_eq "eligo $version" "$(cat stdout)" "eligo --version"
}

# The worked example in each help text runs as written.
case_help_examples() {
  cp -r "$SRC/rules" "$SRC/examples" .
  local c cmd
  for c in "" score explain check; do
    if [ -z "$c" ]; then "$ELIGO" --help >help.txt; else "$ELIGO" "$c" --help >help.txt; fi
    cmd=$(awk '/^example:/ { f = 1; next } f && /^$/ { exit } f' help.txt |
      sed 's/\\$//' | tr '\n' ' ')
    read -r -a words <<<"$cmd"
    [ "${words[0]:-}" = eligo ] || fail "no example in eligo $c --help"
    run "${words[@]:1}"
    expect_rc 0 "the example of eligo $c --help: $cmd"
  done
  [ -s decisions.csv ] && [ -s rejects.csv ] && [ -s summary.json ] ||
    fail "the score example did not write decisions.csv, rejects.csv, summary.json"
}

# ------------------------------------------------------------ real files

# The 2017 revenue of 91411103MA40B8Q1DU (tier3 paid in 2017) given as `—`
# (no figure) or as `abc` (unreadable): its 2017 scale-tier-award and
# key-enterprise-service are undetermined, and so is its 2018
# scale-tier-award, which higher-only ties to 2017; no other decision
# changes. The row is scored, and listed as partly read when unreadable.
# The shipped rules say `lang: zh`: what people read is in Chinese unless
# --lang en is given; JSON Lines stay in English; a Chinese CSV (in yuan or
# in 万元) serves as history as the English one does.
case_lang_zh() {
  printf '%s\n%s\n' "$HEADER" \
    '91411102MA3X4K7P2F,恒达,源汇区,2017,120000000.00,2500000.00,true,,false,false' >y2017.csv
  printf '%s\n%s\n' "$HEADER" \
    '91411102MA3X4K7P2F,恒达,源汇区,2018,150000000.00,2500000.00,true,,true,false' >y2018.csv
  printf '%s\n%s\n' "$HEADER" \
    '91411102MA3X4K7P2F,恒达,源汇区,2018,150000000.00,,true,,true,false' >y2018-gap.csv
  # the rule set's default: no --lang (run would add --lang en)
  "$ELIGO" score --rules "$RULES" --params "$PARAMS" --input y2017.csv \
    --output zh.csv 2>zh.err || fail "score in the rule set's language"
  expect_line zh.csv '主体类型,统一社会信用代码/机构代码,名称,所属县区,年度,规则,档次,结果,奖励类型,金额(元),支付单位,政策条款,理由,备注,决定编号'
  expect_line zh.csv '企业,91411102MA3X4K7P2F,恒达,源汇区,2017,“十百千”亿级培育企业规模奖励,1亿元级,符合,资金奖励,100000.00,源汇区人民政府,四(六)2,达到1亿元级：年销售收入 1.2亿元 达到 1亿元；地方税收 250万元 达到 200万元,'
  expect_line zh.csv '企业,91411102MA3X4K7P2F,恒达,源汇区,2017,重点企业精准服务(一企一策),,不符合,,,,四(六)8,条件未满足：年销售收入 1.2亿元 未达到 5亿元（年度销售收入5亿元以上）,'
  expect_line zh.csv '企业,91411102MA3X4K7P2F,恒达,源汇区,2017,新认定国家级高新技术企业奖补,,不符合,,,,四(六)4,不适用：新认定国家级高新技术企业：否（新认定国家级高新技术企业）,'
  expect_contains zh.err '读取行数 1 = 已评分 1 + 拒收 0 + 跳过 0'
  expect_contains zh.err '  “十百千”亿级培育企业规模奖励: 符合 1 不符合 0 待定 0'
  expect_contains zh.err '金额按支付单位汇总(元)'
  # the same decisions, ids included, in English
  score --input y2017.csv --output en.csv
  expect_rc 0
  expect_line en.csv 'enterprise,91411102MA3X4K7P2F,恒达,源汇区,2017,scale-tier-award,tier1,eligible,money,100000.00,源汇区人民政府,四(六)2,tier1 reached: sales_revenue >= 1亿元 and local_tax >= 200万元,'
  expect_same <(cut -d, -f15 en.csv | tail -n +2) <(awk -F, '{print $NF}' zh.csv | tail -n +2) "decision ids"
  # amounts in 万元, exact
  score --input y2017.csv --lang zh --amount-unit 万元 --output wan.csv
  expect_rc 0
  expect_contains wan.csv ',金额(万元),'
  expect_contains wan.csv ',符合,资金奖励,10.00,源汇区人民政府,'
  score --input y2017.csv --amount-unit 千元 --output bad.csv
  expect_rc 2
  expect_contains "$W/stderr" '--amount-unit must be 元 or 万元'
  score --input y2017.csv --lang fr --output bad.csv
  expect_rc 2
  expect_contains "$W/stderr" '--lang must be zh or en'
  # an undetermined decision names what is missing in Chinese
  score --input y2018-gap.csv --lang zh --output gap.csv
  expect_rc 0
  expect_line gap.csv '企业,91411102MA3X4K7P2F,恒达,源汇区,2018,“十百千”亿级培育企业规模奖励,,待定,,,,四(六)2,无法确定是否达到1亿元级：地方税收(2018年)缺失,'
  # JSON Lines are for programs: English whatever --lang says
  score --input y2018-gap.csv --lang zh --format jsonl --output gap.jsonl
  expect_rc 0
  expect_contains gap.jsonl '"outcome":"undetermined","award":null,"amount":null,"payer":"","citation":"四(六)2","reason":"cannot tell whether tier1 is reached: local_tax@2018","notes":[],"missing":["local_tax@2018"]'
  # Chinese CSVs as history, in yuan and in 万元: tier1 is not paid twice
  for h in zh.csv wan.csv; do
    score --input y2018.csv --lang zh --history "$h" --output "after-$h"
    expect_rc 0 "--history $h"
    expect_line "after-$h" '企业,91411102MA3X4K7P2F,恒达,源汇区,2018,“十百千”亿级培育企业规模奖励,1亿元级,不符合,,,,四(六)2,达到1亿元级，但1亿元级已于2017年获得；只有高于此前所获各档才予奖励,'
  done
  # explain in Chinese
  run explain --rules "$RULES" --params "$PARAMS" --input y2017.csv \
    --id 91411102MA3X4K7P2F --rule scale-tier-award --lang zh
  expect_rc 0
  expect_contains "$W/stdout" '  结果：符合，1亿元级，资金奖励 10万元，支付单位：源汇区人民政府'
  expect_contains "$W/stdout" '  理由：达到1亿元级：'
  expect_contains "$W/stdout" '[成立] sales_revenue >= 1亿元（年销售收入达到1亿元级）'
  expect_contains "$W/stdout" '年销售收入(2017年) = 120000000.00'
}

case_real_unreadable_row() {
  score --input "$ENTERPRISES" --output clean.csv
  expect_rc 0 "the clean panel"
  local changed='^enterprise,91411103MA40B8Q1DU,[^,]*,[^,]*,(2017,(scale-tier-award|key-enterprise-service)|2018,scale-tier-award),'
  grep -Ev "$changed" clean.csv >clean-rest.csv
  local mark
  for mark in — abc; do
    sed "s/^\(91411103MA40B8Q1DU,[^,]*,[^,]*,2017,\)1200000000.00,/\1$mark,/" \
      "$ENTERPRISES" >marked.csv
    grep -q "2017,$mark," marked.csv || fail "could not write $mark into the panel"
    score --input marked.csv --output out.csv --rejects rejects.csv
    grep -Ev "$changed" out.csv >rest.csv
    expect_same clean-rest.csv rest.csv "decisions other than the three (revenue $mark)"
    expect_eq 3 "$(grep -Ec "$changed" out.csv)" "decisions that change (revenue $mark)"
    local cause
    if [ "$mark" = abc ]; then
      expect_rc 1 "a partly read row"
      cause='sales_revenue@2017: ""abc"" at marked.csv:8 could not be read'
      expect_line rejects.csv 'marked.csv,8,partly_read,"sales_revenue: ""abc"" is not a decimal number: unexpected character '"'a'"'",91411103MA40B8Q1DU,漯河市郾城精工机械有限公司,郾城区,2017,abc,12000000.00,true,,false,false'
    else
      expect_rc 0 "an empty mark reads as an empty cell"
      cause='sales_revenue@2017'
      expect_eq "file,line,status,reason" "$(cat rejects.csv)" "no reject for —"
    fi
    local q=""  # a reason with a quote in it is quoted
    [ "$mark" = abc ] && q='"'
    expect_line out.csv "enterprise,91411103MA40B8Q1DU,漯河市郾城精工机械有限公司,郾城区,2017,scale-tier-award,,undetermined,,,,四(六)2,${q}cannot tell whether tier3 is reached: $cause$q,"
    expect_line out.csv "enterprise,91411103MA40B8Q1DU,漯河市郾城精工机械有限公司,郾城区,2017,key-enterprise-service,,undetermined,,,,四(六)8,${q}cannot tell whether the conditions hold: $cause$q,"
    expect_line out.csv "enterprise,91411103MA40B8Q1DU,漯河市郾城精工机械有限公司,郾城区,2018,scale-tier-award,tier2,undetermined,,,,四(六)2,${q}cannot tell whether tier2 may be paid: the decision of 2017 under this rule is undetermined for want of $cause$q,"
  done
  # without --rejects the reason is on stderr at once
  score --input marked.csv --output out.csv
  expect_contains stderr 'marked.csv:8: partly read: sales_revenue: "abc" is not a decimal number'
  expect_contains stderr "1 rows rejected or partly read; name a --rejects file"
  # the trace of 2018 shows the unsettled 2017
  run explain --rules "$RULES" --params "$PARAMS" --input marked.csv \
    --id 91411103MA40B8Q1DU --year 2018 --rule scale-tier-award
  expect_contains stdout "undetermined in 2017; it may have paid tier3 or tier2 or tier1"
}

# A row whose year cannot be read is rejected; its entity's decisions say
# so, and those a limit ties to earlier awards are undetermined.
case_real_unplaced_row() {
  { cat "$ENTERPRISES"; echo "91411103MA40B8Q1DU,漯河市郾城精工机械有限公司,郾城区,20１x,1,1,true,,false,false"; } >unplaced.csv
  score --input unplaced.csv --output out.csv --rejects rejects.csv
  expect_rc 1
  expect_contains rejects.csv 'unplaced.csv,26,rejected,year: `20１x` is not a year or a date'
  expect_line out.csv 'enterprise,91411103MA40B8Q1DU,漯河市郾城精工机械有限公司,郾城区,2017,scale-tier-award,tier3,undetermined,,,,四(六)2,cannot tell whether tier3 may be paid: the row at unplaced.csv:26 could not be placed in a year (year: `20１x` is not a year or a date),the row at unplaced.csv:26 could not be placed in a year (year: `20１x` is not a year or a date); this decision may depend on that row'
  # a designation without a limit stands, with the note
  expect_line out.csv 'enterprise,91411103MA40B8Q1DU,漯河市郾城精工机械有限公司,郾城区,2017,key-enterprise-service,,eligible,designation,,市工业和信息化委,四(六)8,conditions met: sales_revenue >= 5亿元,the row at unplaced.csv:26 could not be placed in a year (year: `20１x` is not a year or a date); this decision may depend on that row'
}

# Header slips fail loudly: a column the rules read under another header
# is an error naming the field and the nearest header; a money column in
# another unit than it says is warned of first thing.
case_real_header_slips() {
  sed '1s/.*/统一社会信用代码,企业名称,所属县区,年度,年销售收入,地方税收,是否十百千培育企业,升规年度,新认定国家级高新技术企业,新入驻总部/' \
    "$ENTERPRISES" >slip.csv
  score --input slip.csv --output out.csv
  expect_rc 2 "a header slip"
  expect_contains stderr 'slip.csv: no column for what the rules read:'
  expect_contains stderr '`in_cultivation_list` (headers: 十百千培育企业); the nearest header is `是否十百千培育企业`'
  expect_contains stderr "--absent-column"
  expect_absent out.csv
  # said on purpose: read as empty (false), and scored
  score --input slip.csv --output out.csv --absent-column in_cultivation_list
  expect_rc 0 "--absent-column"
  expect_contains stderr "column \`是否十百千培育企业\` is not used by the rules"
  # a column the rules do not read may be missing
  cut -d, -f1-9 "$ENTERPRISES" >no-hq.csv
  score --input no-hq.csv --output out.csv
  expect_rc 2 "new_headquarters is read by a rule"
  expect_contains stderr '`new_headquarters` (headers: 新入驻总部)'

  # 年销售收入 and 地方税收 without (万元), over values in 万元
  awk -F, -v OFS=, -v CONVFMT=%.8f 'NR == 1 { $5 = "年销售收入"; $6 = "地方税收"; print; next }
    { for (i = 5; i <= 6; i++) if ($i != "") $i = $i / 10000; print }' "$ENTERPRISES" >wan.csv
  score --input wan.csv --output out.csv --summary summary.json
  expect_rc 0
  expect_eq 'warning: wan.csv: 年销售收入: values look like 万元 (23 of 23 rows sampled fit only so); write 年销售收入(万元) or declare the unit' \
    "$(head -n 1 stderr)" "the first line of stderr"
  expect_contains stderr 'warning: wan.csv: 地方税收: values look like 万元'
  expect_contains summary.json '"notes":["warning: wan.csv: 年销售收入: values look like 万元'
  # with the unit written, the same decisions as the file in yuan
  sed '1s/年销售收入/年销售收入(万元)/; 1s/地方税收/地方税收(万元)/' wan.csv >wan-unit.csv
  score --input wan-unit.csv --output unit.csv
  expect_rc 0
  expect_not_contains stderr "values look like"
  score --input "$ENTERPRISES" --output clean.csv
  expect_same clean.csv unit.csv "decisions of the panel in 万元"
}

# The example workbook (examples/workbook/: title and unit rows, amounts in
# 万元, full-width digits, units in cells, —, dates, √/×, a blank row and a
# 合计 row) and its GBK and UTF-8-with-BOM exports, made with LibreOffice,
# give the decisions of examples/enterprises.csv, except the three that the
# deliberately missing 2017 revenue of 91411103MA40B8Q1DU leaves
# undetermined. Remade here with LibreOffice headless, as a user would.
case_real_workbook() {
  score --input "$ENTERPRISES" --output clean.csv
  local changed='^enterprise,91411103MA40B8Q1DU,[^,]*,[^,]*,(2017,(scale-tier-award|key-enterprise-service)|2018,scale-tier-award),'
  grep -Ev "$changed" clean.csv >clean-rest.csv
  bash "$SRC/examples/workbook/make.sh" made || fail "examples/workbook/make.sh failed"
  cmp -s made/typed.csv "$SRC/examples/workbook/typed.csv" ||
    fail "examples/workbook/typed.csv is not what typed_sheet.py makes"
  local f
  for f in "$SRC"/examples/workbook/{typed.csv,enterprises.xlsx,exported-gbk.csv,exported-utf8-bom.csv} \
    made/enterprises.xlsx made/exported-gbk.csv; do
    score --input "$f" --output out.csv --rejects rejects.csv --summary summary.json
    expect_rc 0 "$f"
    grep -Ev "$changed" out.csv >rest.csv
    expect_same clean-rest.csv rest.csv "decisions of $f but the three"
    expect_line out.csv 'enterprise,91411103MA40B8Q1DU,漯河市郾城精工机械有限公司,郾城区,2018,scale-tier-award,tier2,undetermined,,,,四(六)2,cannot tell whether tier2 may be paid: the decision of 2017 under this rule is undetermined for want of sales_revenue@2017,'
    expect_contains summary.json "\"notes\":[\"$f: the header is on line 3; lines 1-2 above it are skipped\",\"$f: the unit row above the header says 万元; it applies to 年销售收入, 地方税收\"]"
    expect_eq "skipped:skipped" "$(tail -n +2 rejects.csv | cut -d, -f3 | sort -u | paste -sd: | sed 's/^skipped$/skipped:skipped/')" \
      "only skipped rows in $f"
    expect_contains rejects.csv ",skipped,a totals row,合计"
  done
  # the workbook, opened and saved as CSV by LibreOffice at once, in UTF-8
  # without a BOM
  soffice --headless -env:UserInstallation="file://$W/profile" \
    --convert-to "csv:Text - txt - csv (StarCalc):44,34,76,1" --outdir lo \
    "$SRC/examples/workbook/enterprises.xlsx" >/dev/null 2>&1 ||
    fail "LibreOffice could not open the example workbook"
  score --input lo/enterprises.csv --output lo.csv
  grep -Ev "$changed" lo.csv >rest.csv
  expect_same clean-rest.csv rest.csv "decisions of the workbook saved by LibreOffice"

  # a second sheet by name; a missing one lists those there are
  score --input "$SRC/examples/workbook/enterprises.xlsx" --sheet 没有这张表 --output out.csv
  expect_rc 2 "--sheet of no sheet"
  expect_contains stderr "没有这张表"
  score --input "$ENTERPRISES" --sheet Sheet1 --output out.csv
  expect_rc 2 "--sheet on a CSV file"
  expect_contains stderr "--sheet Sheet1 is for workbooks"

  # what is not a CSV file is named, with what to do
  printf '\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1%0500d' 0 >old.xls
  score --input old.xls --output old.csv
  expect_rc 2 ".xls"
  expect_contains stderr "old.xls: not a CSV file but an Excel 97-2003 workbook (.xls)"
  expect_absent old.csv
  # Excel's "Unicode text" (UTF-16 with a BOM, tab-separated) and a TSV
  tr ',' '\t' <"$ENTERPRISES" >tabs.txt
  { printf '\xFF\xFE'; iconv -f UTF-8 -t UTF-16LE tabs.txt; } >unicode.txt
  for f in tabs.txt unicode.txt; do
    score --input "$f" --output out.csv
    expect_rc 0 "$f"
    expect_same clean.csv out.csv "decisions of $f"
  done
}

# ------------------------------------------------------------------ main

if ! declare -F "case_$CASE" >/dev/null; then
  echo "unknown case: $CASE (cases: $(declare -F | sed -n 's/^declare -f case_//p' | paste -sd' '))" >&2
  exit 2
fi
[ -x "$ELIGO" ] || { echo "not executable: $ELIGO" >&2; exit 2; }
"case_$CASE"
echo "PASS [cli.$CASE]"
