#!/usr/bin/env bash
# Remakes the example workbook and its exports from examples/enterprises.csv
# with LibreOffice headless (Debian: libreoffice-calc-nogui), as a user's
# Excel or WPS would hold them:
#   typed.csv              the sheet as typed (typed_sheet.py)
#   enterprises.xlsx       that sheet, cells typed by Calc (numbers, dates)
#   exported-gbk.csv       the workbook saved as CSV in GBK (简体中文)
#   exported-utf8-bom.csv  saved as CSV UTF-8 with a byte-order mark, as
#                          Excel's "CSV UTF-8" writes it (LibreOffice 7.4
#                          writes no BOM, so one is put in front)
#
# usage: make.sh [OUT_DIR]   (default: beside this script)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "${1:-$here}" && cd "${1:-$here}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/typed_sheet.py" "$here/../enterprises.csv" >"$out/typed.csv"
cp "$out/typed.csv" "$work/enterprises.csv"
# CSV import: comma, quote, UTF-8 (76), from line 1
soffice --headless -env:UserInstallation="file://$work/profile" \
  --infilter="CSV:44,34,76,1" --convert-to xlsx --outdir "$work" \
  "$work/enterprises.csv" >/dev/null 2>&1
cp "$work/enterprises.xlsx" "$out/enterprises.xlsx"
# CSV export: comma, quote, charset (85 GBK, 76 UTF-8), text not all quoted
export_csv() {
  mkdir -p "$work/$1"
  soffice --headless -env:UserInstallation="file://$work/profile" \
    --convert-to "csv:Text - txt - csv (StarCalc):44,34,$1,1,,0,false,true,true" \
    --outdir "$work/$1" "$out/enterprises.xlsx" >/dev/null 2>&1
}
export_csv 85
cp "$work/85/enterprises.csv" "$out/exported-gbk.csv"
export_csv 76
{ printf '\xEF\xBB\xBF'; cat "$work/76/enterprises.csv"; } >"$out/exported-utf8-bom.csv"
