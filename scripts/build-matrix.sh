#!/usr/bin/env bash
# The host built the ways packagers and other compilers build it, warnings as errors: a CMake
# configure without preset, -DOPTGUARD_WERROR=ON, GCC in Release (-O3) and MinSizeRel (-Os) in unity
# files, clang++ in Release file by file; then each build's unit tests (ctest -L unit). The presets
# (scripts/build.sh) cover RelWithDebInfo and Debug, scripts/windows-cross.sh MinGW-w64. CI runs
# this (.ci/run).
#   bash scripts/build-matrix.sh         the host and the unit tests of each (what CI builds)
#   bash scripts/build-matrix.sh --all   every target, as a plain `cmake --build` builds them
# Build folders: build-matrix/<compiler>-<type>.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(--target optguard-host optguard_unit_tests)
[[ ${1:-} == --all ]] && targets=()

for config in gcc:Release gcc:MinSizeRel clang:Release; do
  compiler=${config%%:*}
  type=${config#*:}
  case $compiler in
    gcc) cc=gcc cxx=g++ ;;
    clang) cc=clang cxx=clang++ ;;
  esac
  dir=build-matrix/$compiler-$type
  started=$SECONDS
  printf '\n== %s %s (%s) ==\n' "$compiler" "$type" "$dir"
  # GCC builds as the presets do, in unity files (half the CPU: CI runs this beside everything
  # else on two cores); clang++ file by file, as a plain configure does, so every file, tests
  # included, is still compiled on its own.
  unity=ON
  [[ $compiler == clang ]] && unity=OFF
  CC=$cc CXX=$cxx cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$type" -DOPTGUARD_WERROR=ON \
    -DCMAKE_UNITY_BUILD=$unity >/dev/null
  cmake --build "$dir" -j 2 "${targets[@]}"
  if ! ctest --test-dir "$dir" -L unit -j 2 --no-tests=error --output-on-failure >"$dir/ctest.log" 2>&1; then
    cat "$dir/ctest.log"
    exit 1
  fi
  grep 'tests passed' "$dir/ctest.log"
  echo "build-matrix: $compiler $type built and its unit tests passed in $((SECONDS - started)) s"
done
