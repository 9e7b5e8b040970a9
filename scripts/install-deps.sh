#!/usr/bin/env bash
# Installs what OptGuard needs to build and test on Debian 12: compilers and libraries from Debian,
# browsers for the end-to-end tests, and the pinned npm packages (package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config clang clang-tidy libclang-rt-14-dev
  lld valgrind # the host's start-up code laid out together, and its list checked (cmake/StartupOrder.cmake)
  nlohmann-json3-dev libboost-dev libboost-filesystem-dev doctest-dev libsqlite3-dev sqlite3
  libsodium-dev minisign # signed catalog releases: Ed25519 in the host, signing and tests
  chromium firefox-esr libnotify-bin python3 ca-certificates
  chromium-l10n firefox-esr-l10n-de # the browsers' German UI, for the German end-to-end tests (issue 16)
  openssl unzip dpkg-dev
  g++-mingw-w64-x86-64-posix wine64 wine # the Windows build and its tests under Wine (issue 6)
)
# Node.js may come from Debian or from another packager (npm is then bundled): only ask for it if absent.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  as_root=()
  [[ $(id -u) -eq 0 ]] || as_root=(sudo)
  echo "install-deps: installing ${missing[*]}"
  "${as_root[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "install-deps: Debian packages already installed"
fi

if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
