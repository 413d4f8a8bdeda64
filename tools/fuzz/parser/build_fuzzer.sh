#!/bin/sh
# Builds the libFuzzer + AddressSanitizer parser fuzzer with clang into
# $OUT (default /tmp/backplane_parse_fuzzer). Run from the repository root.
set -eu
OUT="${OUT:-/tmp/backplane_parse_fuzzer}"
ABSL_LIBS="$(pkg-config --libs absl_status absl_statusor absl_strings absl_str_format absl_raw_hash_set absl_hash)"
# Every non-test source of compiler/ir, so new IR files need no edit here.
IR_SRCS="$(ls compiler/ir/*.cc | grep -v '_test\.cc$')"
SRCS="tools/fuzz/parser/parse_fuzzer.cc compiler/parser/parser.cc compiler/parser/split_input.cc
compiler/parser/lexer.cc compiler/parser/dense_literal.cc compiler/parser/printer.cc
$IR_SRCS"
clang++ -std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -I. $SRCS \
  $ABSL_LIBS -o "$OUT"
echo "built $OUT"
