#!/usr/bin/env bash
# Runs abi_sequence_fuzz (its path and flags are the arguments) and checks
# that it ended without a finding and printed its summary line.
set -uo pipefail
out="${TEST_TMPDIR:-/tmp}/abi_sequence_fuzz.out"
crash_dir="${TEST_UNDECLARED_OUTPUTS_DIR:-${TEST_TMPDIR:-/tmp}}"
"$@" --crash_dir="$crash_dir" >"$out" 2>&1
rc=$?
cat "$out"
if [[ $rc -ne 0 ]]; then
  echo "FAIL: abi_sequence_fuzz exited with $rc (input: $crash_dir/current.bin)"
  exit 1
fi
if ! grep -Eq '^abi_sequence_fuzz: executions=[1-9][0-9]* seconds=[0-9]+ calls=[1-9][0-9]* findings=0$' "$out"; then
  echo "FAIL: no summary line with findings=0"
  exit 1
fi
echo PASS
