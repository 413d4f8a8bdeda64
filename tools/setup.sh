#!/usr/bin/env bash
# Installs every Debian package that Backplane's build, tests and benchmarks
# need. Idempotent: returns quickly when everything is present.
set -euo pipefail

PACKAGES=(
  bazel-bootstrap bazel-platforms
  g++ clang clang-format libclang-rt-14-dev
  pkg-config
  libabsl-dev
  libprotobuf-dev protobuf-compiler
  libgrpc++-dev protobuf-compiler-grpc
  libdnnl-dev
  libgtest-dev libgmock-dev
  libbenchmark-dev
  binutils python3 git universal-ctags
)
# Benchmarks compare against PyTorch; only installed when asked for.
if [[ "${BACKPLANE_SETUP_BENCH:-0}" == "1" ]]; then
  PACKAGES+=(python3-torch python3-torchvision libopenblas0-pthread)
fi

# Machine-specific Bazel settings that .bazelrc cannot express portably.
repo="$(cd "$(dirname "$0")/.." && pwd)"
cat > "$repo/.bazelrc.local" <<BAZELRC
build:tsan --test_env=TSAN_OPTIONS="halt_on_error=1 die_after_fork=0 suppressions=$repo/tools/tsan_suppressions.txt"
BAZELRC

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
