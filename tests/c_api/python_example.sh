#!/usr/bin/env bash
# Runs examples/python/score.py against a shared libeligo and checks that it
# exits 0 and prints the expected decisions.
# Usage: python_example.sh PYTHON SOURCE_DIR LIBELIGO
set -euo pipefail
python=$1 src=$2 library=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
out=$("$python" "$src/examples/python/score.py" --library "$library" \
        --rules "$src/rules/luohe-2017.yaml" \
        --input "$src/examples/enterprises-gbk.csv" --input "$src/examples/lenders.csv" \
        --output "$dir/decisions.csv")
echo "$out"
expect() {
  grep -qE -- "$1" <<<"$out" || { echo "FAILED: no line matching: $1" >&2; exit 1; }
}
expect '^eligo [0-9]+\.[0-9]+\.[0-9]+ '
expect '^2017 scale-tier-award +eligible +tier1 +100000\.00 源汇区人民政府$'
expect '^2018 scale-tier-award +eligible +tier2 +500000\.00 源汇区人民政府$'
expect '^2019 scale-tier-award +eligible +tier3 +1000000\.00 源汇区人民政府$'
expect '^ +\[true\] sales_revenue >= 5亿元  \(年销售收入达到5亿元级\): sales_revenue@2018 = 550000000\.00$'
rows=$(($(wc -l <"$src/examples/enterprises-gbk.csv") + $(wc -l <"$src/examples/lenders.csv") - 2))
expect "^files: $rows rows read, $rows scored, 0 rejected, [0-9]+ decisions in $dir/decisions.csv\$"
head -n 1 "$dir/decisions.csv" | grep -q '^主体类型,' || { echo "FAILED: decisions.csv has no Chinese header" >&2; exit 1; }
[ -f "$dir/decisions.csv.run.json" ] || { echo "FAILED: no run record beside decisions.csv" >&2; exit 1; }
