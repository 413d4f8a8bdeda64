#!/usr/bin/env bash
# Sets up the machine and runs Backplane's whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
bazel test //... "$@"
