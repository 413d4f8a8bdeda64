#!/usr/bin/env bash
# Every plugin library exports exactly one dynamic symbol, BPL_GetApi, so
# plugins never clash with frameworks or with each other over symbols
# (abseil, protobuf, the kit). Arguments: the plugin libraries to check.
set -euo pipefail
status=0
for lib in "$@"; do
  case "$lib" in *.so) ;; *) continue ;; esac
  symbols=$(nm -D --defined-only "$lib" | awk '{print $3}' | sort -u)
  if [[ "$symbols" != "BPL_GetApi" ]]; then
    echo "FAIL $lib exports:"
    echo "$symbols" | head -20
    status=1
  else
    echo "PASS $lib exports only BPL_GetApi"
  fi
done
exit $status
