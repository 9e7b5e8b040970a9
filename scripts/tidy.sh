#!/usr/bin/env bash
# clang-tidy (bugprone-*, cert-*, performance-*: .clang-tidy) over every host/src translation unit,
# with the flags of a compile database of its own (build-tidy/). Fails on any warning.
#   scripts/tidy.sh [build folder, default build-tidy]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-tidy}
# Its own compile database, one entry per file (the presets join files into unity files, and a
# warning must name the file it is in). Configuring is enough, nothing is built.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPTGUARD_WERROR=ON \
  -DCMAKE_UNITY_BUILD=OFF -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
tidy=$(command -v clang-tidy || command -v clang-tidy-14)
# host/src/os/win32 is the Windows build's (scripts/windows-cross.sh): not in this compile database.
mapfile -t files < <(find host/src -path host/src/os/win32 -prune -o -name '*.cpp' -print | sort)
echo "tidy: ${#files[@]} files with $($tidy --version | sed -n 's/.*version /clang-tidy /p')"
# Two at a time (the CI machine has two cores); -quiet keeps the log to the warnings themselves.
printf '%s\n' "${files[@]}" \
  | xargs -P 2 -n 4 "$tidy" -p "$build" --quiet --extra-arg=-Wno-unknown-warning-option 2>/dev/null \
  | tee "$build/clang-tidy.log" || true
if grep -qE '(warning|error):' "$build/clang-tidy.log"; then
  echo "tidy: FAILED, see above ($build/clang-tidy.log)" >&2
  exit 1
fi
echo "tidy: no warnings"
