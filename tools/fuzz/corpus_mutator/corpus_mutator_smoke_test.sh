#!/bin/bash
# Runs the corpus mutator campaign for 60 s (README.md). Passes with a
# message when ../shared/corpus is absent; fails on any signal, hang,
# INTERNAL error or disagreement, with the findings in the test's
# undeclared outputs.
#
#   bazel test //tools/fuzz/corpus_mutator:corpus_mutator_smoke_test
set -u
mutator="$1"
findings="${TEST_UNDECLARED_OUTPUTS_DIR:-${TEST_TMPDIR:-/tmp}}/findings"
out="$("$mutator" --seconds=60 --seed=1 --findings_dir="$findings")"
rc=$?
echo "$out"
if grep -q "no corpus seeds found" <<<"$out"; then
  echo "corpus_mutator_smoke_test: corpus absent; skipped"
  exit 0
fi
if ! grep -Eq '^corpus_mutator: mutants=[1-9][0-9]* ' <<<"$out"; then
  echo "corpus_mutator_smoke_test: no summary line with mutants > 0" >&2
  exit 1
fi
exit "$rc"
