#!/usr/bin/env bash
# Fails when a shipped rule-set document is stale: runs `eligo doc` on the
# rule file and compares the result byte for byte with the shipped file.
#
# usage: check_current.sh ELIGO_BINARY SOURCE_DIR RULES DOCUMENT FORMAT
#   RULES and DOCUMENT are relative to SOURCE_DIR, e.g.
#   rules/luohe-2017.yaml rules/luohe-2017.md md
set -u -o pipefail

if [ $# -ne 5 ]; then
  echo "usage: $0 ELIGO_BINARY SOURCE_DIR RULES DOCUMENT FORMAT" >&2
  exit 2
fi
ELIGO=$1
SRC=$2
RULES=$3
DOCUMENT=$4
FORMAT=$5

fresh=$(mktemp "${TMPDIR:-/tmp}/eligo-doc.XXXXXX") || exit 1
trap 'rm -f "$fresh"' EXIT

if ! "$ELIGO" doc "$SRC/$RULES" --format "$FORMAT" --output "$fresh"; then
  echo "FAIL: eligo doc $RULES --format $FORMAT failed" >&2
  exit 1
fi
if [ ! -f "$SRC/$DOCUMENT" ]; then
  echo "FAIL: $DOCUMENT is missing" >&2
elif cmp -s "$fresh" "$SRC/$DOCUMENT"; then
  exit 0
else
  echo "FAIL: $DOCUMENT is stale: it differs from what $RULES gives now." >&2
  echo "Differences (first 80 lines; - shipped, + current):" >&2
  diff -u "$SRC/$DOCUMENT" "$fresh" | head -n 80 >&2
fi
echo "Regenerate it from the source directory with:" >&2
echo "  $ELIGO doc $RULES --format $FORMAT --output $DOCUMENT" >&2
exit 1
