#!/usr/bin/env bash
# clang-tidy (bugprone-*, cert-*, performance-*: .clang-tidy) over every host/src source file, with
# the flags of a compile database of its own (build-tidy/). Fails on any warning.
#   scripts/tidy.sh [build folder, default build-tidy]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-tidy}
# Its own compile database, with each layer's files joined into unity files as the presets build
# them: clang-tidy then parses the shared headers (nlohmann/json, Boost, the standard library) once
# per unity file instead of once per source file (about a third of the time). A warning still names
# the source file and line it is in, and NOLINT comments work as before. Configuring is enough,
# nothing is built.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPTGUARD_WERROR=ON \
  -DCMAKE_UNITY_BUILD=ON -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
tidy=$(command -v clang-tidy || command -v clang-tidy-14)
# The host's unity files (its layers and main; not the tests or the benchmarks).
mapfile -t units < <(sed -n 's|^ *"file": "\(.*/host/CMakeFiles/.*\)",*$|\1|p' \
  "$build/compile_commands.json" | sort -u)
# Every source file of host/src must be in one (host/src/os/win32 is the Windows build's,
# scripts/windows-cross.sh): a file left out would go unchecked.
mapfile -t sources < <(find host/src -path host/src/os/win32 -prune -o -name '*.cpp' -print | sort)
mapfile -t covered < <(grep -ho '"[^"]*/host/src/[^"]*\.cpp"' "${units[@]}" | sed 's|^".*/host/src/|host/src/|; s|"$||' | sort)
if [[ "${sources[*]}" != "${covered[*]}" ]]; then
  echo "tidy: the unity files do not cover host/src exactly:" >&2
  diff <(printf '%s\n' "${sources[@]}") <(printf '%s\n' "${covered[@]}") >&2 || true
  exit 1
fi
# The unity files include .cpp files by design, so bugprone-suspicious-include is off for them; the
# same rule for host/src itself is this grep.
if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"][^>"]*\.(c|cc|cpp|cxx)[>"]' -r host/src; then
  echo "tidy: FAILED, a source file includes another source file (bugprone-suspicious-include)" >&2
  exit 1
fi
echo "tidy: ${#sources[@]} files in ${#units[@]} unity files with $($tidy --version | sed -n 's/.*version /clang-tidy /p')"
# Two at a time (the CI machine has two cores); -quiet keeps the log to the warnings themselves.
# --config-file: the unity files lie in the build folder, which may be outside the source tree.
printf '%s\n' "${units[@]}" \
  | xargs -P 2 -n 1 "$tidy" -p "$build" --config-file=.clang-tidy \
      --checks=-bugprone-suspicious-include --quiet --extra-arg=-Wno-unknown-warning-option \
      2>/dev/null \
  | tee "$build/clang-tidy.log" || true
if grep -qE '(warning|error):' "$build/clang-tidy.log"; then
  echo "tidy: FAILED, see above ($build/clang-tidy.log)" >&2
  exit 1
fi
echo "tidy: no warnings"
