#!/usr/bin/env bash
# Fails when a non-test C or C++ function in the repository is longer than
# the limit (200 lines, the function's first line to its closing brace).
#
#   tools/lint/function_lengths.sh            # check the repository
#   tools/lint/function_lengths.sh --top 20   # also list the 20 longest
#   MAX_FUNCTION_LINES=150 tools/lint/function_lengths.sh
#   tools/lint/function_lengths.sh --repo DIR # another git checkout
#
# Test code (*_test.cc, *_test.c, test_util.*, *_benchmark.cc, tests/ and
# fuzz/ folders' test drivers) is not held to the limit. Data tables may be
# exempted by name in function_length_exemptions.txt, one
# `path function reason...` per line; an exemption that no longer matches
# a long function is itself an error, so the list cannot go stale.
# Needs Universal Ctags (Debian's universal-ctags, installed by setup.sh).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
top=0
while (($#)); do
  case "$1" in
    --top) top="$2"; shift 2 ;;
    --repo) repo="$2"; shift 2 ;;
    *) echo "function_lengths: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
cd "$repo"
limit="${MAX_FUNCTION_LINES:-200}"
exemptions="tools/lint/function_length_exemptions.txt"

if ! ctags --version 2>/dev/null | grep -q "Universal Ctags"; then
  echo "function_lengths: Universal Ctags is required (apt-get install universal-ctags)" >&2
  exit 2
fi

mapfile -t files < <(git ls-files '*.cc' '*.h' '*.c' | grep -v '^third_party/' |
  grep -vE '(_test\.cc|_test\.c|_benchmark\.cc|(^|/)test_util\.(cc|h))$')
table="$(mktemp)"
trap 'rm -f "$table"' EXIT
if ((${#files[@]} == 0)); then
  echo "function_lengths: no source files"
  exit 0
fi
# One row per function: length path start name.
ctags --languages=C,C++ --kinds-C=f --kinds-C++=f --fields=+ne -o - "${files[@]}" 2>/dev/null |
  awk -F'\t' '{
    line = ""; end = "";
    for (i = 4; i <= NF; i++) {
      if ($i ~ /^line:/) line = substr($i, 6);
      if ($i ~ /^end:/) end = substr($i, 5);
    }
    if (line != "" && end != "") print end - line + 1, $2, line, $1;
  }' | sort -rn > "$table"

if ((top > 0)); then
  echo "longest functions:"
  head -n "$top" "$table" | awk '{printf "  %5d  %s:%s %s\n", $1, $2, $3, $4}'
fi

status=0
declare -A exempt=()
if [[ -f "$exemptions" ]]; then
  while read -r path fn reason; do
    [[ -z "$path" || "$path" == \#* ]] && continue
    if [[ -z "$reason" ]]; then
      echo "function_lengths: $exemptions: '$path $fn' has no reason" >&2
      status=1
    fi
    exempt["$path $fn"]=0
  done < "$exemptions"
fi

while read -r length path start name; do
  ((length > limit)) || break
  key="$path $name"
  if [[ -n "${exempt[$key]+x}" ]]; then
    exempt["$key"]=1
    continue
  fi
  echo "function_lengths: $path:$start: $name is $length lines (limit $limit)" >&2
  status=1
done < "$table"

for key in "${!exempt[@]}"; do
  if [[ "${exempt[$key]}" == 0 ]]; then
    echo "function_lengths: exemption '$key' matches no function over $limit lines; remove it" >&2
    status=1
  fi
done

if ((status == 0)); then
  echo "function_lengths: no function over $limit lines (${#files[@]} files)"
fi
exit $status
