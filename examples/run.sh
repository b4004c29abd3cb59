#!/usr/bin/env bash
# The main job on the example data: installs eligo's dependencies (Debian
# 12), builds it, scores the example enterprise and lender panels with the
# Luohe 2017 rules, and writes build/decisions.csv, build/rejects.csv and
# build/summary.json. The eligible decisions are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/build build
status=0
build/cli/eligo score --rules rules/luohe-2017.yaml --params examples/params.yaml \
  --input examples/enterprises.csv --input examples/lenders.csv \
  --output build/decisions.csv --rejects build/rejects.csv || status=$?
echo
echo "eligible decisions (all decisions: build/decisions.csv):"
build/cli/eligo score --rules rules/luohe-2017.yaml --params examples/params.yaml \
  --input examples/enterprises.csv --input examples/lenders.csv --only eligible 2>/dev/null |
  cut -d, -f1,2,5,6,7,9,10,11
exit "$status"
