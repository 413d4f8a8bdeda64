#!/usr/bin/env bash
# Sets up the machine and runs the main demo: a framework-side program that
# loads a plugin by name, lists its devices, uploads inputs, compiles a
# StableHLO program, executes it and prints the result.
#   tools/demo.sh [PLUGIN]     (cpu, sim or hello; default: cpu)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
plugin="${1:-cpu}"
bazel build -c opt //examples/quickstart //tools:backplane-info \
  //examples/hello_plugin:hello //cpu_plugin:cpu //sim_accelerator:sim
# Manifests sit beside the plugin libraries in Bazel's output folders.
bin="$PWD/bazel-bin"
export BACKPLANE_PLUGIN_PATH="$bin/cpu_plugin:$bin/sim_accelerator:$bin/examples/hello_plugin${BACKPLANE_PLUGIN_PATH:+:$BACKPLANE_PLUGIN_PATH}"
bazel-bin/tools/backplane-info "$plugin"
bazel-bin/examples/quickstart/quickstart "$plugin"
