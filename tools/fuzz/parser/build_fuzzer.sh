#!/bin/sh
# Builds the libFuzzer + AddressSanitizer parser fuzzer with clang into
# $OUT (default /tmp/backplane_parse_fuzzer). Run from the repository root.
set -eu
OUT="${OUT:-/tmp/backplane_parse_fuzzer}"
ABSL_LIBS="$(pkg-config --libs absl_status absl_statusor absl_strings absl_str_format absl_raw_hash_set absl_hash)"
# Every non-test library source of what the parser and verifier link
# (base/, compiler/ir/ with verify/, compiler/parser/, compiler/sharding/),
# so new files there need no edit here.
SRCS="tools/fuzz/parser/parse_fuzzer.cc $(ls base/*.cc compiler/ir/*.cc \
  compiler/ir/verify/*.cc compiler/parser/*.cc compiler/sharding/*.cc |
  grep -v -e '_test\.cc$' -e 'parse_tool\.cc$')"
clang++ -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -I. $SRCS \
  $ABSL_LIBS -o "$OUT"
echo "built $OUT"
