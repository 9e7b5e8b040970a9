#!/usr/bin/env bash
# Builds the .deb with cpack from a configured build folder (default: build/), installs it with
# dpkg -i, checks the files, `optguard-host --version` and `optguard doctor` against the installed
# system-wide manifests, removes it with dpkg -r and checks that nothing is left behind.
# Needs root and dpkg; elsewhere it says it is skipped and succeeds. It refuses to touch a
# machine where the optguard package is already installed.
#
#   bash tests/package/deb-test.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
build_dir=${1:-build}

if [[ $EUID -ne 0 ]] || ! command -v dpkg >/dev/null || ! command -v cpack >/dev/null; then
  echo "deb-test: skipped (needs root, dpkg and cpack; run it as root on Debian)"
  exit 0
fi
if dpkg-query -W -f='${Status}' optguard 2>/dev/null | grep -q 'install ok installed'; then
  echo "deb-test: skipped: the optguard package is installed on this machine; remove it first (dpkg -r optguard)"
  exit 0
fi
[[ -f $build_dir/CPackConfig.cmake ]] || { echo "deb-test: no $build_dir/CPackConfig.cmake; build first: bash scripts/build.sh" >&2; exit 1; }

work=$(mktemp -d)
installed=false
cleanup() {
  if $installed; then dpkg -r optguard >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
check() { # description, command...
  local what=$1; shift
  if "$@"; then echo "ok    $what"; else echo "FAIL  $what"; failures=$((failures + 1)); fi
}

watched=(/usr/bin /usr/share/optguard /etc/opt/chrome /etc/chromium /etc/opt/edge /usr/lib/mozilla)
snapshot() { # missing folders are fine: find then exits 1
  { find "${watched[@]}" -xdev \( -name 'optguard*' -o -path '*optguard*' -o -path '*native-messaging-hosts*' \) 2>/dev/null || true; } | sort
}
snapshot >"$work/before"

(cd "$build_dir" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/out/optguard_*.deb)
echo "built $(basename "$deb")"

dpkg -i "$deb" >"$work/dpkg-i.log" 2>&1 || { cat "$work/dpkg-i.log"; exit 1; }
installed=true
dpkg -L optguard | sort >"$work/listed"

manifest_ok() { # file, key, value
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); sys.exit(0 if m["name"]=="dev.optguard.host" and m["path"]=="/usr/bin/optguard-host" and m[sys.argv[2]]==[sys.argv[3]] else 1)' "$@"
}
check "/usr/bin/optguard-host is executable" test -x /usr/bin/optguard-host
check "/usr/bin/optguard links to it" test "$(readlink /usr/bin/optguard)" = optguard-host
check "optguard-host --version" bash -c '/usr/bin/optguard-host --version | grep -qx "optguard-host [0-9.]* (protocol [0-9]*)"'
check "catalog in /usr/share/optguard/catalog" test -f /usr/share/optguard/catalog/index.json
for dir in /etc/opt/chrome/native-messaging-hosts /etc/chromium/native-messaging-hosts /etc/opt/edge/native-messaging-hosts; do
  check "Chromium-family manifest in $dir" manifest_ok "$dir/dev.optguard.host.json" allowed_origins 'chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/'
done
check "Firefox manifest in /usr/lib/mozilla/native-messaging-hosts" \
  manifest_ok /usr/lib/mozilla/native-messaging-hosts/dev.optguard.host.json allowed_extensions optguard@optguard.dev
# The doctor, for a user with nothing of their own: Chromium and Firefox (stand-ins on PATH) must
# reach the host through the package's system-wide manifests.
mkdir -p "$work/home" "$work/bin"
printf '#!/bin/sh\n' >"$work/bin/chromium"; printf '#!/bin/sh\n' >"$work/bin/firefox"; chmod 755 "$work/bin"/*
check "optguard doctor passes with the system-wide manifests" bash -c \
  "env -i HOME='$work/home' PATH='$work/bin' XDG_STATE_HOME='$work/state' /usr/bin/optguard doctor >'$work/doctor.log' 2>&1"
grep -q 'manifest present: /etc/chromium/native-messaging-hosts' "$work/doctor.log" || { echo "FAIL  doctor did not use /etc/chromium"; failures=$((failures + 1)); }

dpkg -r optguard >"$work/dpkg-r.log" 2>&1 || { cat "$work/dpkg-r.log"; exit 1; }
installed=false
check "dpkg -r leaves no package state" bash -c "! dpkg-query -W -f='\${Status}' optguard 2>/dev/null | grep -q 'ok installed\\|config-files'"
snapshot >"$work/after"
check "no file of ours is left behind" diff -u "$work/before" "$work/after"
leftover=()
while IFS= read -r path; do
  [[ -e $path && ! -d $path ]] && leftover+=("$path")
done <"$work/listed"
check "every file dpkg listed is gone" test ${#leftover[@]} -eq 0

if ((failures)); then
  [[ -f $work/doctor.log ]] && cat "$work/doctor.log"
  echo "deb-test: $failures check(s) failed"
  exit 1
fi
echo "deb-test: the package installs, works and removes cleanly"
