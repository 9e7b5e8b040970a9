#!/usr/bin/env bash
# Builds the host for 64-bit Windows on Debian (issue 6): optguard-host.exe and the unit tests'
# optguard_unit_tests.exe in build-windows/, statically linked (no DLLs to ship or to find), with
# MinGW-w64 (cmake/toolchains/mingw-w64.cmake). tests/windows/run.sh runs them under Wine.
#   bash scripts/windows-cross.sh            configure + build
# Needs g++-mingw-w64-x86-64-posix, nlohmann-json3-dev, doctest-dev (scripts/install-deps.sh).
# SQLite for Windows is compiled from the amalgamation: Debian ships none, so it comes from a
# pinned npm tarball (better-sqlite3 11.10.0 carries SQLite 3.49.2's sqlite3.c), checked by hash.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v x86_64-w64-mingw32-g++-posix >/dev/null 2>&1; then
  echo "windows-cross: x86_64-w64-mingw32-g++-posix not found; apt-get install g++-mingw-w64-x86-64-posix" >&2
  exit 2
fi

build=build-windows
sqlite_pkg=better-sqlite3@11.10.0
sqlite_sha256=71e2d66a44dafc35649ff82742cf4908557fc31841108d19703b74b7065c0293
sqlite_dir="$PWD/$build/third_party/sqlite-3.49.2"
if [[ ! -f $sqlite_dir/sqlite3.c ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$sqlite_pkg" >/dev/null)
  tarball=$(ls "$work"/*.tgz)
  echo "$sqlite_sha256  $tarball" | sha256sum --check --quiet
  mkdir -p "$sqlite_dir"
  tar -xzf "$tarball" -C "$work" package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h
  mv "$work"/package/deps/sqlite3/sqlite3.[ch] "$sqlite_dir"/
fi

cmake -S . -B "$build" -DCMAKE_UNITY_BUILD=ON -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/mingw-w64.cmake \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" -DOPTGUARD_SQLITE_AMALGAMATION="$sqlite_dir" -DOPTGUARD_WERROR=ON >/dev/null
cmake --build "$build" -j "$(nproc)" --target optguard-host optguard_unit_tests
echo "windows-cross: $build/host/optguard-host.exe $build/tests/optguard_unit_tests.exe"
