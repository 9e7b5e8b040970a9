#!/usr/bin/env bash
# The second command of the README: builds and runs every test.
#   unit + integration (ctest, release build), the same under ASan+UBSan (build-dev), the store
#   zips with their SHA-256 checksums (dist/: a release's extension artifacts) and web-ext lint on
#   them, extension unit tests and installer tests (node:test), the Windows build under Wine,
#   end-to-end in headless Chromium and Firefox, then the end-to-end suite once more with the
#   browsers and the host confined to one core (taskset), where a test that assumes a timing (a
#   value already there taken for the step's answer) loses its race; with a second core the
#   Windows part runs there meanwhile.
# --quick skips the sanitizer build and the one-core end-to-end run while iterating.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
[[ ${1:-} == --quick ]] && quick=true

[[ -d node_modules ]] || npm ci --no-audit --no-fund

# Each section's time, so a slow step is seen (CI keeps the whole run under half an hour).
section_started=$SECONDS
section_name=
section() {
  [[ -n $section_name ]] && printf 'took %d s: %s\n' "$((SECONDS - section_started))" "$section_name"
  section_name=$1
  section_started=$SECONDS
  printf '\n==== %s ====\n' "$1"
}
trap 'section "done"' EXIT

section "build (release)"
bash scripts/build.sh
section "unit + integration tests (release)"
ctest --preset release -j 2
section "package: cpack .deb, dpkg -i, checks, dpkg -r leaves nothing (root only)"
bash tests/package/deb-test.sh build

if ! $quick; then
  section "build (ASan + UBSan)"
  bash scripts/build.sh --dev
  section "unit + integration tests (ASan + UBSan)"
  ctest --preset dev -j 2
fi

section "lint (eslint)"
npm run --silent lint
section "store artifacts: the Firefox and Chromium zips with SHA-256 checksums (dist/)"
node scripts/build-ext.mjs dist
(cd dist && sha256sum -c SHA256SUMS)
section "lint (web-ext lint: the source folder and both store zips)"
node scripts/lint-ext.mjs dist

section "extension unit tests and installer tests"
node --test tests/js/ tests/installer/

windows_title="Windows: cross-built host and unit tests under Wine, binary frames, doctor and registry"
e2e() { OPTGUARD_HOST_BIN="$PWD/build/host/optguard-host" node --test --test-concurrency=1 tests/e2e/; }

# The cores this shell may use (a container's cpuset may not start at 0), one per line.
allowed_cores() {
  local list part
  list=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status 2>/dev/null)
  for part in ${list//,/ }; do
    if [[ $part == *-* ]]; then seq "${part%-*}" "${part#*-}"; else echo "$part"; fi
  done
}
# The one-core run repeats the whole suite for its races, but of the catalog-wide sweeps (every entry
# on its fixture, every label of its history) only a third, a different third each day.
one_core_sample="$((10#$(date +%j) % 3))/3"
one_core_e2e() { OPTGUARD_E2E_SAMPLE="$one_core_sample" e2e; }
cores=()
if ! $quick && command -v taskset >/dev/null 2>&1; then
  mapfile -t cores < <(allowed_cores)
fi

if ((${#cores[@]} < 2)); then
  section "$windows_title"
  bash tests/windows/run.sh
fi

section "end-to-end tests in headless Chromium and Firefox"
e2e

if ! $quick; then
  if ((${#cores[@]} == 0)); then
    section "end-to-end tests again on one core"
    echo "skipped: no taskset (util-linux) or no CPU list on this machine"
  elif ((${#cores[@]} == 1)); then
    section "end-to-end tests again on one core (${cores[0]}), catalog sweeps sampled $one_core_sample"
    taskset -c "${cores[0]}" bash -c "$(declare -f e2e one_core_e2e); one_core_sample=$one_core_sample one_core_e2e"
  else
    # One core for the test runner, the browsers and every host they start (children inherit it),
    # where a test that takes a value already there for its step's answer loses its race. The
    # Windows build and its Wine tests use another core meanwhile: neither slows the other.
    section "end-to-end tests again on core ${cores[0]} alone (catalog sweeps sampled $one_core_sample); meanwhile on core ${cores[1]}: $windows_title"
    windows_log=$(mktemp /tmp/optguard-windows.XXXXXX.log)
    taskset -c "${cores[1]}" bash tests/windows/run.sh >"$windows_log" 2>&1 &
    windows_pid=$!
    e2e_status=0
    taskset -c "${cores[0]}" bash -c "$(declare -f e2e one_core_e2e); one_core_sample=$one_core_sample one_core_e2e" || e2e_status=$?
    windows_status=0
    wait "$windows_pid" || windows_status=$?
    section "$windows_title (its output, run on core ${cores[1]})"
    cat "$windows_log"
    if ((windows_status != 0)); then
      echo "the Windows build or its tests FAILED" >&2
      exit "$windows_status"
    fi
    if ((e2e_status != 0)); then
      echo "the end-to-end tests on one core FAILED" >&2
      exit "$e2e_status"
    fi
  fi
fi
