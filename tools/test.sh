#!/usr/bin/env bash
# Sets up the machine and runs Backplane's whole test suite.
#   tools/test.sh [bazel test flags, e.g. --config=asan]
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
bazel test //... "$@" 2>&1 | tee "$log" || status=$?
# One plain closing line for CI: "N passed, M failed" (test targets).
passed=$(grep -cE '^//.*(PASSED|\(cached\) PASSED)' "$log" || true)
failed=$(grep -cE '^//.*(FAILED|TIMEOUT|NO STATUS|FAILED TO BUILD)' "$log" || true)
if [[ "$passed" == "0" ]]; then
  summary=$(grep -oE 'Executed [0-9]+ out of [0-9]+ tests?: [0-9]+ tests? pass' "$log" | tail -1 || true)
  passed=$(echo "$summary" | grep -oE '[0-9]+ tests? pass' | grep -oE '^[0-9]+' || echo 0)
fi
echo "${passed} passed, ${failed} failed"
exit $status
