#!/usr/bin/env bash
# Installs OptGuard's native host for the current user and registers it with the browsers.
#
#   installer/install.sh [--prefix DIR] [--build-dir DIR]   install (idempotent)
#   installer/install.sh --uninstall [--prefix DIR]         remove exactly what install wrote
#
# What it writes (and records in PREFIX/share/optguard/installed-files, so --uninstall removes
# exactly that and nothing else):
#   PREFIX/bin/optguard-host              the host (browser-launched and CLI)
#   PREFIX/bin/optguard                   link to it, for the command line
#   PREFIX/share/optguard/catalog/*.json  the known-good configuration
#   one native-messaging manifest per browser found, from the templates in manifests/
set -euo pipefail

readonly HOST_NAME="dev.optguard.host"
readonly CHROME_EXTENSION_ID="cmijejphlnikkmemcggjhadjlmobjaie"
readonly FIREFOX_EXTENSION_ID="optguard@optguard.dev"

repo=$(cd "$(dirname "$0")/.." && pwd)
prefix="${HOME}/.local"
build_dir="${repo}/build"
mode=install

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }

while (($#)); do
  case "$1" in
    --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
    --build-dir) build_dir=${2:?--build-dir needs a folder}; shift 2 ;;
    --uninstall) mode=uninstall; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

[[ $prefix == /* ]] || { echo "install.sh: --prefix must be an absolute path, got '$prefix'" >&2; exit 2; }
config_home="${XDG_CONFIG_HOME:-${HOME}/.config}"
record="${prefix}/share/optguard/installed-files"

# Browsers whose per-user manifest folder we know: name | folder | template | how to tell it is there.
# The full per-browser table (system-wide, macOS, Windows, Flatpak) comes with the packaging work.
browsers=(
  "Chromium|${config_home}/chromium/NativeMessagingHosts|chromium|chromium chromium-browser"
  "Google Chrome|${config_home}/google-chrome/NativeMessagingHosts|chromium|google-chrome google-chrome-stable"
)

# Creates a folder (mode 0755) and remembers every level that did not exist, so --uninstall can
# remove the folders we made, and only those, once they are empty.
created_dirs=()
ensure_dir() {
  local d=$1 missing=()
  while [[ ! -d $d ]]; do missing+=("$d"); d=$(dirname "$d"); done
  install -d -m 0755 "$1"
  created_dirs+=("${missing[@]}")
}

browser_present() { # $1 = config folder of the browser, $2 = candidate commands
  [[ -d $(dirname "$1") ]] && return 0
  local cmd
  for cmd in $2; do command -v "$cmd" >/dev/null 2>&1 && return 0; done
  return 1
}

uninstall() {
  if [[ ! -f $record ]]; then
    echo "OptGuard is not installed under ${prefix} (no ${record}); nothing to remove."
    return 0
  fi
  local path
  while IFS= read -r path; do
    [[ -n $path && $path != dir:* ]] || continue
    if [[ -e $path || -L $path ]]; then
      rm -f -- "$path"
      echo "removed ${path}"
    fi
  done <"$record"
  # Folders we created, deepest first, and only while empty (the record's own folder among them).
  local dirs
  dirs=$(grep '^dir:' "$record" | cut -c5- | awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2- || true)
  rm -f -- "$record"
  while IFS= read -r path; do
    [[ -n $path ]] && { rmdir -- "$path" 2>/dev/null || true; }
  done <<<"$dirs"
  echo "OptGuard's host is uninstalled. Your verification history stays in ${XDG_STATE_HOME:-${HOME}/.local/state}/optguard/."
}

install_host() {
  local host_bin="${build_dir}/host/optguard-host"
  local catalog_dir="${build_dir}/share/optguard/catalog"
  if [[ ! -x $host_bin || ! -f ${catalog_dir}/index.json ]]; then
    echo "install.sh: no built host in ${build_dir}. Build it first: bash scripts/build.sh" >&2
    exit 1
  fi
  local dest_bin="${prefix}/bin/optguard-host"
  case "$dest_bin" in *'"'* | *'\'*)
    echo "install.sh: the install path '${dest_bin}' contains a quote or backslash; choose another --prefix" >&2
    exit 2 ;;
  esac

  local written=()
  ensure_dir "${prefix}/bin"
  ensure_dir "${prefix}/share/optguard/catalog"
  install -m 0755 "$host_bin" "$dest_bin"
  written+=("$dest_bin")
  ln -sfn optguard-host "${prefix}/bin/optguard"
  written+=("${prefix}/bin/optguard")
  # Replace the catalog as a whole, so a platform dropped from the catalog does not linger.
  if [[ -f $record ]]; then
    grep -E '/share/optguard/catalog/[^/]+\.json$' "$record" | while IFS= read -r old; do rm -f -- "$old"; done
  fi
  local f
  for f in "${catalog_dir}"/*.json; do
    install -m 0644 "$f" "${prefix}/share/optguard/catalog/"
    written+=("${prefix}/share/optguard/catalog/$(basename "$f")")
  done
  echo "installed the host to ${dest_bin}"

  local entry name folder template probe manifest
  for entry in "${browsers[@]}"; do
    IFS='|' read -r name folder template probe <<<"$entry"
    if ! browser_present "$folder" "$probe"; then
      echo "skipped ${name}: not installed for this user"
      continue
    fi
    ensure_dir "$folder"
    manifest="${folder}/${HOST_NAME}.json"
    sed -e "s|@OPTGUARD_HOST_NAME@|${HOST_NAME}|g" \
        -e "s|@OPTGUARD_HOST_PATH@|${dest_bin}|g" \
        -e "s|@OPTGUARD_CHROME_EXTENSION_ID@|${CHROME_EXTENSION_ID}|g" \
        -e "s|@OPTGUARD_FIREFOX_EXTENSION_ID@|${FIREFOX_EXTENSION_ID}|g" \
        "${repo}/manifests/${template}.json.in" >"${manifest}.tmp"
    chmod 0644 "${manifest}.tmp"
    mv -f "${manifest}.tmp" "$manifest"
    written+=("$manifest")
    echo "registered with ${name}: ${manifest}"
  done

  # Record what we wrote, merged with an earlier record (idempotent, and a browser installed later
  # is added without forgetting the others).
  local tmp="${record}.tmp"
  {
    if [[ -f $record ]]; then grep -v -E '/share/optguard/catalog/[^/]+\.json$' "$record" || true; fi
    printf '%s\n' "${written[@]}"
    if ((${#created_dirs[@]})); then printf 'dir:%s\n' "${created_dirs[@]}"; fi
  } | sort -u >"$tmp"
  mv -f "$tmp" "$record"
}

if [[ $mode == uninstall ]]; then uninstall; else install_host; fi
