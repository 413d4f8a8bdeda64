#!/usr/bin/env bash
# Proves the conformance suite fails deliberately broken plugins, each on
# the test family that should catch its defect, while the same families
# pass on the healthy plugin they were made from.
# Arguments: the conformance runner, the hello plugin, then the broken
# plugins in the order wrong_results, ignores_struct_size, crashes_on_null,
# never_completes, stale_buffer_aliases, set_touches_event,
# frees_run_arguments, leaks_unset_events, unchecked_strides, then the hello
# plugin's expectations file (its known failures are not run on the healthy
# plugin, as in //tests/conformance:hello).
set -uo pipefail
runner=$1
hello=$2
declare -A broken=(
  [wrong_results]=$3
  [ignores_struct_size]=$4
  [crashes_on_null]=$5
  [never_completes]=$6
  [stale_buffer_aliases]=$7
  [set_touches_event]=$8
  [frees_run_arguments]=$9
  [leaks_unset_events]=${10}
  [unchecked_strides]=${11}
)
hello_expectations=${12}
declare -A filter=(
  [wrong_results]='Programs/Numerics.*'
  [ignores_struct_size]='Compatibility.*'
  [crashes_on_null]='Robustness.*'
  [never_completes]='Buffers.ReadyEventCompletes'
  [stale_buffer_aliases]='Handles.*'
  [set_touches_event]='Lifetime.*'
  [frees_run_arguments]='Lifetime.*'
  [leaks_unset_events]='Lifetime.*'
  [unchecked_strides]='RobustnessWithClient.*'
)
declare -A must_fail=(
  [wrong_results]='Programs/Numerics.MatchesExpectedValues/AddSubtractMultiplyDivide'
  [ignores_struct_size]='Compatibility.SmallerStructIsNotOverrunByQueries'
  [crashes_on_null]='Robustness.NullRequiredHandleIsInvalidArgument'
  [never_completes]='Buffers.ReadyEventCompletes'
  [stale_buffer_aliases]='Handles.DestroyedBufferIsInvalidArgumentAndNeverAliasesANewOne'
  [set_touches_event]='Lifetime.OnReadyCallbackMayDestroyTheEvent'
  [frees_run_arguments]='Lifetime.RunKeepsExecutableAndArgumentsAlive'
  [leaks_unset_events]='Lifetime.DestroyingAnUnsetFrameworkEventCancelsWaitingRuns'
  [unchecked_strides]='RobustnessWithClient.BadByteStridesAreInvalidArgumentNamingTheDim'
)
status=0
for mode in wrong_results ignores_struct_size crashes_on_null never_completes \
    stale_buffer_aliases set_touches_event frees_run_arguments \
    leaks_unset_events unchecked_strides; do
  out=$(mktemp)
  "$runner" --plugin="${hello}" --gtest_filter="${filter[$mode]}" \
    --expectations="${hello_expectations}" --event_timeout=3 --report="${out}.healthy" >"$out" 2>&1
  if [[ $? -ne 0 ]]; then
    echo "FAIL healthy plugin does not pass ${filter[$mode]}:"
    tail -30 "$out"
    status=1
  fi
  "$runner" --plugin="${broken[$mode]}" --gtest_filter="${filter[$mode]}" \
    --event_timeout=3 --report="${out}.broken" >"$out" 2>&1
  code=$?
  if [[ $code -eq 0 ]]; then
    echo "FAIL the suite passed the broken plugin '$mode'"
    status=1
  elif grep -q "ERROR: AddressSanitizer" "$out" &&
      [[ "$(grep '^\[ RUN      \]' "$out" | tail -1)" == *"${must_fail[$mode]}"* ]]; then
    # Under --config=asan a defect that touches memory it must not (the
    # unchecked strides read outside the caller's data) ends the suite
    # inside the test that exposes it: caught, by the sanitizer.
    echo "PASS the suite catches '$mode' (${must_fail[$mode]}, AddressSanitizer)"
  elif ! grep -q "\[  FAILED  \] ${must_fail[$mode]}" "$out"; then
    echo "FAIL broken plugin '$mode' was not caught by ${must_fail[$mode]}:"
    tail -30 "$out"
    status=1
  else
    echo "PASS the suite catches '$mode' (${must_fail[$mode]})"
  fi
done
exit $status
