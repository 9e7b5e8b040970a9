#!/usr/bin/env bash
# The second command of the README: builds and runs every test.
#   unit + integration (ctest, release build), the same under ASan+UBSan (build-dev), the store
#   zips with their SHA-256 checksums (dist/: a release's extension artifacts) and web-ext lint on
#   them, extension unit tests and installer tests (node:test), the Windows build under Wine,
#   end-to-end in headless Chromium and Firefox, then the end-to-end suite once more with the
#   browsers and the host confined to one core (taskset -c 0), where a test that assumes a timing
#   (a value already there taken for the step's answer) loses its race.
# --quick skips the sanitizer build and the one-core end-to-end run while iterating.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
[[ ${1:-} == --quick ]] && quick=true

[[ -d node_modules ]] || npm ci --no-audit --no-fund

section() { printf '\n==== %s ====\n' "$1"; }

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

section "Windows: cross-built host and unit tests under Wine, binary frames, doctor and registry"
bash tests/windows/run.sh

section "end-to-end tests in headless Chromium"
OPTGUARD_HOST_BIN="$PWD/build/host/optguard-host" node --test --test-concurrency=1 tests/e2e/

if ! $quick; then
  # One core for the test runner, the browsers and every host they start (children inherit it).
  section "end-to-end tests again on one core (taskset -c 0)"
  if command -v taskset >/dev/null 2>&1; then
    # Core 0, or the first this shell may use (a container's cpuset may not hold core 0).
    core=$(taskset -pc $$ | sed 's/.*: *//; s/[,-].*//')
    started=$SECONDS
    OPTGUARD_HOST_BIN="$PWD/build/host/optguard-host" taskset -c "$core" node --test --test-concurrency=1 tests/e2e/
    echo "end-to-end on core $core alone: $((SECONDS - started)) s"
  else
    echo "skipped: no taskset (util-linux) on this machine"
  fi
fi
