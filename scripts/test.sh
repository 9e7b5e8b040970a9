#!/usr/bin/env bash
# The second command of the README: builds and runs every test.
#   unit + integration (ctest, release build), the same under ASan+UBSan (build-dev), the store
#   zips with their SHA-256 checksums (dist/: a release's extension artifacts) and web-ext lint on
#   them, extension unit tests and installer tests (node:test), the Windows build under Wine,
#   end-to-end in headless Chromium and Firefox.
# --quick skips the sanitizer build while iterating.
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
