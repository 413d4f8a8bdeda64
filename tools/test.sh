#!/usr/bin/env bash
# Sets up the machine and runs every Backplane test suite:
#   1. repository checks (tools/lint: no non-test function over 200 lines);
#   2. the Bazel suite (bazel test //...).
#   tools/test.sh [bazel test flags, e.g. --config=asan]
# Closes with one plain line for CI, "N passed, M failed", counting each
# check and each Bazel test target.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
passed=0
failed=0

# 1. Repository checks.
for check in tools/lint/function_lengths.sh; do
  if "$check"; then
    passed=$((passed + 1))
  else
    echo "FAILED: $check" >&2
    failed=$((failed + 1))
    status=1
  fi
done

# 2. The Bazel suite.
bazel_status=0
bazel test //... "$@" 2>&1 | tee "$log" || bazel_status=$?
bazel_passed=$(grep -cE '^//.*(PASSED|\(cached\) PASSED)' "$log" || true)
bazel_failed=$(grep -cE '^//.*(FAILED|TIMEOUT|NO STATUS|FAILED TO BUILD)' "$log" || true)
if [[ "$bazel_passed" == "0" ]]; then
  summary=$(grep -oE 'Executed [0-9]+ out of [0-9]+ tests?: [0-9]+ tests? pass' "$log" | tail -1 || true)
  bazel_passed=$(echo "$summary" | grep -oE '[0-9]+ tests? pass' | grep -oE '^[0-9]+' || echo 0)
fi
if ((bazel_status != 0)); then
  status=$bazel_status
  # A build failure before any test ran still counts as a failure.
  if ((bazel_failed == 0)); then bazel_failed=1; fi
fi
passed=$((passed + bazel_passed))
failed=$((failed + bazel_failed))

echo "${passed} passed, ${failed} failed"
exit $status
