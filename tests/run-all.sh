#!/usr/bin/env bash
# Installs eligo's dependencies (Debian 12), builds everything and runs every
# test with CTest. Usage: tests/run-all.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
# Tests open and make spreadsheets with the tools users have: LibreOffice
# headless (and python3 for the example workbook's script).
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
test_packages="libreoffice-calc-nogui python3"
# shellcheck disable=SC2086
if ! dpkg -s $test_packages >/dev/null 2>&1; then
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $test_packages >/dev/null
fi
.ci/build "$build"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
