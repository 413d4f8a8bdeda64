#!/usr/bin/env bash
# Tests function_lengths.sh on small throwaway repositories: a long function
# fails, a long test function or an exempted table passes, an exemption
# without a reason or without a matching function fails.
set -uo pipefail
lint="$(cd "$(dirname "$0")" && pwd)/function_lengths.sh"
if [[ -n "${TEST_SRCDIR:-}" ]]; then
  lint="$TEST_SRCDIR/backplane/tools/lint/function_lengths.sh"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

# make_repo DIR LINES: a repository with one function of LINES body lines.
make_repo() {
  local dir="$1" lines="$2" file="${3:-src/long.cc}"
  mkdir -p "$dir/$(dirname "$file")" "$dir/tools/lint"
  {
    echo "int Long(int x) {"
    for ((i = 0; i < lines; i++)); do echo "  x += $i;"; done
    echo "  return x;"
    echo "}"
  } > "$dir/$file"
  git -C "$dir" init -q
  git -C "$dir" add -A
}

expect() {  # expect STATUS DESCRIPTION COMMAND...
  local want="$1" what="$2"
  shift 2
  local out
  out="$("$@" 2>&1)"
  local got=$?
  if [[ "$got" != "$want" ]]; then
    echo "FAIL: $what: exit $got, want $want"
    echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
  else
    echo "ok: $what"
  fi
}

make_repo "$work/short" 190
expect 0 "a 193-line function passes" "$lint" --repo "$work/short"

make_repo "$work/long" 250
expect 1 "a 253-line function fails" "$lint" --repo "$work/long"
expect 0 "the limit can be raised" env MAX_FUNCTION_LINES=300 "$lint" --repo "$work/long"

make_repo "$work/test" 250 src/long_test.cc
expect 0 "test files are not held to the limit" "$lint" --repo "$work/test"

make_repo "$work/exempt" 250
echo "src/long.cc Long a data table" > "$work/exempt/tools/lint/function_length_exemptions.txt"
expect 0 "an exempted function passes" "$lint" --repo "$work/exempt"

make_repo "$work/noreason" 250
echo "src/long.cc Long" > "$work/noreason/tools/lint/function_length_exemptions.txt"
expect 1 "an exemption needs a reason" "$lint" --repo "$work/noreason"

make_repo "$work/stale" 10
echo "src/long.cc Long was long once" > "$work/stale/tools/lint/function_length_exemptions.txt"
expect 1 "a stale exemption fails" "$lint" --repo "$work/stale"

if ((failures)); then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
