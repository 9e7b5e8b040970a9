#!/usr/bin/env bash
# A short libFuzzer run of every target (CI calls it from .ci/run; tests/fuzz/README).
#   tests/fuzz/run.sh [seconds per target, default 60]
# Builds build-fuzz with clang if needed, fuzzes each target from a scratch copy of its checked-in
# corpus (so the tree stays clean), and fails on the first crash, leak or timeout; the reproducer
# is kept in build-fuzz/findings/<target>/. Prints executions and time per target.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-${OPTGUARD_FUZZ_SECONDS:-60}}
build=build-fuzz

if [[ ! -f $build/CMakeCache.txt ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_UNITY_BUILD=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DOPTGUARD_FUZZ=ON -DOPTGUARD_BUILD_TESTS=OFF -DOPTGUARD_BUILD_BENCH=OFF -DOPTGUARD_WERROR=ON >/dev/null
fi
cmake --build "$build" -j 2 --target fuzz_frame_reader fuzz_session fuzz_catalog_config

targets=(fuzz_frame_reader fuzz_session fuzz_catalog_config)

# One target's run; its log and exit status are read afterwards.
fuzz_one() {
  local target=$1 work=$build/fuzz-work/$1 findings=$build/findings/$1
  rm -rf "$work"
  mkdir -p "$work" "$findings"
  cp tests/fuzz/corpus/$target/* "$work/"
  # -rss_limit_mb: the host's own limits (1 MiB frames) keep memory far below this.
  "$build/tests/fuzz/$target" "$work" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/" \
    >"$build/fuzz-work/$target.log" 2>&1
}

# All targets at once: each run is one thread, so together they take `seconds`, not three times it.
echo "fuzz: ${targets[*]} for ${seconds}s each, side by side"
mkdir -p "$build/fuzz-work"
declare -A pids
for target in "${targets[@]}"; do
  fuzz_one "$target" &
  pids[$target]=$!
done
total_runs=0
failed=0
for target in "${targets[@]}"; do
  status=0
  wait "${pids[$target]}" || status=$?
  log=$build/fuzz-work/$target.log
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  echo "fuzz: $target: ${runs:-?} executions in ${seconds}s, $(ls "$build/fuzz-work/$target" | wc -l) corpus inputs"
  if ((status != 0)); then
    tail -n 60 "$log"
    echo "fuzz: $target FAILED (status $status); reproducer in $build/findings/$target/" >&2
    failed=1
  fi
  total_runs=$((total_runs + ${runs:-0}))
done
((failed == 0)) || exit 1
echo "fuzz: all targets clean, $total_runs executions in total"
