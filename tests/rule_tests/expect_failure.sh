#!/usr/bin/env bash
# Runs `eligo test` on a test file with a deliberately failing case and checks
# both the exit status (1) and the summary line.
# usage: expect_failure.sh ELIGO RULES TESTFILE "N passed, M failed"
set -u
eligo=$1 rules=$2 tests=$3 summary=$4
out=$("$eligo" test "$rules" "$tests" 2>&1)
rc=$?
echo "$out"
if [ "$rc" -ne 1 ]; then
  echo "FAIL: eligo test exited $rc, expected 1" >&2
  exit 1
fi
if [ "$(printf '%s\n' "$out" | tail -n 1)" != "$summary" ]; then
  echo "FAIL: the last line is not \"$summary\"" >&2
  exit 1
fi
for want in "FAIL fails on purpose" "expected: scale-tier-award 2017:" \
            "actual:   scale-tier-award 2017:" "trace:"; do
  if ! printf '%s\n' "$out" | grep -qF -- "$want"; then
    echo "FAIL: the output lacks \"$want\"" >&2
    exit 1
  fi
done
echo "PASS"
