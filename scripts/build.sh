#!/usr/bin/env bash
# Configures and builds OptGuard (release build in build/, or the ASan+UBSan build with --dev).
set -euo pipefail
cd "$(dirname "$0")/.."
preset=release
[[ ${1:-} == --dev ]] && preset=dev
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
