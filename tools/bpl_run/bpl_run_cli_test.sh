#!/usr/bin/env bash
# bpl_run's command line: exit codes and messages for what a CI job must not
# mistake for success. Argument: the bpl_run binary.
set -uo pipefail
bpl_run="$1"
dir="${TEST_TMPDIR:-$(mktemp -d)}/bpl_run_cli"
rm -rf "$dir" && mkdir -p "$dir/empty_folder"
cat > "$dir/pass.mlir" <<'MLIR'
func.func @main() {
  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi32>
  check.expect_eq_const %a, dense<[1, 2]> : tensor<2xi32>
  func.return
}
MLIR
cat > "$dir/fail.mlir" <<'MLIR'
func.func @main() {
  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi32>
  check.expect_eq_const %a, dense<[1, 5]> : tensor<2xi32>
  func.return
}
MLIR
# Only a function with arguments and no @main: not a test.
cat > "$dir/no_tests.mlir" <<'MLIR'
func.func @helper(%x: tensor<i32>) -> tensor<i32> {
  func.return %x : tensor<i32>
}
MLIR

failures=0
# expect NAME CODE PATTERN ARGS...: bpl_run ARGS exits CODE and prints
# PATTERN (grep -E) on stdout or stderr.
expect() {
  local name="$1" code="$2" pattern="$3"
  shift 3
  local out rc
  out=$("$bpl_run" "$@" 2>&1)
  rc=$?
  if [[ $rc -ne $code ]] || ! grep -Eq -- "$pattern" <<<"$out"; then
    echo "FAIL $name: exit $rc (want $code), output:"
    echo "$out" | head -20
    failures=$((failures + 1))
  else
    echo "PASS $name"
  fi
}

expect passing_test 0 "1 passed, 0 failed" --interpreter "$dir/pass.mlir"
expect failing_test 1 "0 passed, 1 failed" --interpreter "$dir/fail.mlir"
expect empty_plugin_flag 2 "--plugin= needs a plugin name" \
  --plugin= "$dir/pass.mlir"
expect file_without_tests 2 "no tests ran" --interpreter "$dir/no_tests.mlir"
expect folder_without_files 2 "no tests ran" --interpreter "$dir/empty_folder"
expect no_paths 2 "no paths given" --interpreter
exit $((failures > 0))
