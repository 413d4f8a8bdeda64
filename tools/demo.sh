#!/usr/bin/env bash
# Sets up the machine and runs the main demo: a framework-side program that
# loads a plugin by name, lists its devices, uploads inputs, compiles a
# StableHLO program, executes it and prints the result.
#   tools/demo.sh [PLUGIN]     (default: hello)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
plugin="${1:-hello}"
bazel build -c opt //examples/quickstart //examples/hello_plugin:hello \
  //tools:backplane-info
# Manifests sit beside the plugin libraries in Bazel's output folders.
export BACKPLANE_PLUGIN_PATH="$PWD/bazel-bin/examples/hello_plugin${BACKPLANE_PLUGIN_PATH:+:$BACKPLANE_PLUGIN_PATH}"
bazel-bin/tools/backplane-info "$plugin"
bazel-bin/examples/quickstart/quickstart "$plugin"
