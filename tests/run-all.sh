#!/usr/bin/env bash
# Installs eligo's dependencies (Debian 12), builds everything and runs every
# test with CTest. Usage: tests/run-all.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
.ci/build "$build"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
