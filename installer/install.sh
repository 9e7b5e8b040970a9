#!/usr/bin/env bash
# Installs OptGuard's native host for the current user and registers it with the browsers.
#
#   installer/install.sh [--prefix DIR] [--build-dir DIR]   install (idempotent)
#   installer/install.sh --uninstall [--prefix DIR]         remove exactly what install wrote
#   add --system (as root) for every user: PREFIX defaults to /usr/local, manifests go to the
#   browsers' system folders (/etc/opt/chrome/..., /usr/lib/mozilla/...). Tests only: OPTGUARD_ROOT=DIR
#   puts everything --system writes under DIR (like DESTDIR); the manifests still name PREFIX/bin.
#
# What it writes (and records in PREFIX/share/optguard/installed-files, so --uninstall removes
# exactly that and nothing else):
#   PREFIX/bin/optguard-host              the host (browser-launched and CLI)
#   PREFIX/bin/optguard                   link to it, for the command line
#   PREFIX/share/optguard/catalog/*.json  the known-good configuration
#   PREFIX/share/optguard/keys/*.pub      the keys that sign catalog updates (when the build has any)
#   one native-messaging manifest per browser found (installer/browsers.tsv), from manifests/*.json.in,
#   allowing the extension ids the build used (BUILD/share/optguard/extension-ids.tsv)
#   per-user installs: a daily `optguard remind` (installer/reminder-timer.sh): systemd user units
#   ~/.config/systemd/user/optguard-remind.{service,timer}, enabled when a user systemd is reachable,
#   or on macOS ~/Library/LaunchAgents/dev.optguard.remind.plist; --uninstall disables them first
set -euo pipefail

readonly HOST_NAME="dev.optguard.host"

repo=$(cd "$(dirname "$0")/.." && pwd)
prefix="${HOME}/.local"
build_dir="${repo}/build"
mode=install

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }
system=false
prefix_given=false

while (($#)); do
  case "$1" in
    --prefix) prefix=${2:?--prefix needs a folder}; prefix_given=true; shift 2 ;;
    --system) system=true; shift ;;
    --build-dir) build_dir=${2:?--build-dir needs a folder}; shift 2 ;;
    --uninstall) mode=uninstall; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

[[ $prefix == /* ]] || { echo "install.sh: --prefix must be an absolute path, got '$prefix'" >&2; exit 2; }
# shellcheck source=installer/browsers.sh
source "${repo}/installer/browsers.sh"
# shellcheck source=installer/reminder-timer.sh
source "${repo}/installer/reminder-timer.sh"
# shellcheck source=installer/extension-ids.sh
source "${repo}/installer/extension-ids.sh"
scope=user
root=""
if $system; then
  scope=system
  $prefix_given || prefix=/usr/local
  root=${OPTGUARD_ROOT:-}
  [[ -z $root || $root == /* ]] || { echo "install.sh: OPTGUARD_ROOT must be an absolute path, got '$root'" >&2; exit 2; }
  if [[ -z $root && $EUID -ne 0 ]]; then
    echo "install.sh: --system writes to /etc and ${prefix}; run it as root: sudo bash $0 --system" >&2
    exit 1
  fi
fi
# Paths on disk are under root (empty unless testing --system); the record lists them as written.
record="${root}${prefix}/share/optguard/installed-files"

# Creates a folder (mode 0755) and remembers every level that did not exist, so --uninstall can
# remove the folders we made, and only those, once they are empty.
created_dirs=()
ensure_dir() {
  local d=$1 missing=()
  while [[ ! -d $d ]]; do missing+=("$d"); d=$(dirname "$d"); done
  install -d -m 0755 "$1"
  created_dirs+=("${missing[@]}")
}

uninstall() {
  if [[ ! -f $record ]]; then
    echo "OptGuard is not installed under ${prefix} (no ${record}); nothing to remove."
    return 0
  fi
  local path
  optguard_reminder_stop "$record"
  while IFS= read -r path; do
    [[ -n $path && $path != dir:* ]] || continue
    if [[ -e $path || -L $path ]]; then
      rm -f -- "$path"
      echo "removed ${path}"
    fi
  done <"$record"
  optguard_reminder_forget "$record"
  # Folders we created, deepest first, and only while empty (the record's own folder among them).
  local dirs
  dirs=$(grep '^dir:' "$record" | cut -c5- | awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2- || true)
  rm -f -- "$record"
  while IFS= read -r path; do
    [[ -n $path ]] && { rmdir -- "$path" 2>/dev/null || true; }
  done <<<"$dirs"
  if $system; then
    echo "OptGuard's host is uninstalled for every user. Each user's verification history stays in their ~/.local/state/optguard/."
  else
    echo "OptGuard's host is uninstalled. Your verification history stays in ${XDG_STATE_HOME:-${HOME}/.local/state}/optguard/."
  fi
}

install_host() {
  local host_bin="${build_dir}/host/optguard-host"
  local catalog_dir="${build_dir}/share/optguard/catalog"
  if [[ ! -x $host_bin || ! -f ${catalog_dir}/index.json ]]; then
    echo "install.sh: no built host in ${build_dir}. Build it first: bash scripts/build.sh" >&2
    exit 1
  fi
  local dest_bin="${root}${prefix}/bin/optguard-host"
  local manifest_bin="${prefix}/bin/optguard-host" # the path the browser starts
  case "$dest_bin" in *'"'* | *'\'*)
    echo "install.sh: the install path '${dest_bin}' contains a quote or backslash; choose another --prefix" >&2
    exit 2 ;;
  esac

  # The extensions each manifest allows: the ids the build used (installer/extension-ids.tsv).
  local allowed_origins allowed_extensions
  allowed_origins=$(optguard_allowed_json chromium "${build_dir}/share/optguard/extension-ids.tsv") || exit 1
  allowed_extensions=$(optguard_allowed_json firefox "${build_dir}/share/optguard/extension-ids.tsv") || exit 1

  local written=()
  ensure_dir "${root}${prefix}/bin"
  ensure_dir "${root}${prefix}/share/optguard/catalog"
  install -m 0755 "$host_bin" "$dest_bin"
  written+=("$dest_bin")
  ln -sfn optguard-host "${root}${prefix}/bin/optguard"
  written+=("${root}${prefix}/bin/optguard")
  # Replace the catalog as a whole, so a platform dropped from the catalog does not linger.
  if [[ -f $record ]]; then
    grep -E '/share/optguard/catalog/[^/]+\.json$' "$record" | while IFS= read -r old; do rm -f -- "$old"; done
  fi
  local f
  for f in "${catalog_dir}"/*.json; do
    install -m 0644 "$f" "${root}${prefix}/share/optguard/catalog/"
    written+=("${root}${prefix}/share/optguard/catalog/$(basename "$f")")
  done
  # The keys that sign catalog updates, beside the catalog; replaced as a whole too.
  if [[ -f $record ]]; then
    { grep -E '/share/optguard/keys/[^/]+\.pub$' "$record" || true; } | while IFS= read -r old; do rm -f -- "$old"; done
  fi
  for f in "${build_dir}/share/optguard/keys"/*.pub; do
    [[ -f $f ]] || continue
    ensure_dir "${root}${prefix}/share/optguard/keys"
    install -m 0644 "$f" "${root}${prefix}/share/optguard/keys/"
    written+=("${root}${prefix}/share/optguard/keys/$(basename "$f")")
  done
  echo "installed the host to ${dest_bin}"

  local id name os template folder probe note manifest where
  where="for this user"
  $system && where="on this system"
  while IFS=$'\t' read -r id name os _ template folder probe note; do
    if ! optguard_browser_present "$probe" "$root"; then
      echo "skipped ${name}: not installed ${where}"
      continue
    fi
    if [[ $note == unreachable:* ]]; then
      echo "cannot register with ${name}: ${note#unreachable: }"
      continue
    fi
    folder=$(optguard_expand "$folder" "$root")
    ensure_dir "$folder"
    manifest="${folder}/${HOST_NAME}.json"
    sed -e "s|@OPTGUARD_HOST_NAME@|${HOST_NAME}|g" \
        -e "s|@OPTGUARD_HOST_PATH@|${manifest_bin}|g" \
        -e "s|@OPTGUARD_ALLOWED_ORIGINS@|${allowed_origins}|g" \
        -e "s|@OPTGUARD_ALLOWED_EXTENSIONS@|${allowed_extensions}|g" \
        "${repo}/manifests/${template}.json.in" >"${manifest}.tmp"
    chmod 0644 "${manifest}.tmp"
    mv -f "${manifest}.tmp" "$manifest"
    written+=("$manifest")
    echo "registered with ${name}: ${manifest}"
  done < <(optguard_browser_rows "$(optguard_os)" "$scope")

  if $system; then
    echo "daily reminders: --system sets up no per-user timer; each user can schedule 'optguard remind'"
  else
    optguard_reminder_install "${prefix}/bin/optguard"
  fi

  # Record what we wrote, merged with an earlier record (idempotent, and a browser installed later
  # is added without forgetting the others).
  local tmp="${record}.tmp"
  {
    if [[ -f $record ]]; then grep -v -E '/share/optguard/(catalog/[^/]+\.json|keys/[^/]+\.pub)$' "$record" || true; fi
    printf '%s\n' "${written[@]}"
    if ((${#created_dirs[@]})); then printf 'dir:%s\n' "${created_dirs[@]}"; fi
  } | sort -u >"$tmp"
  mv -f "$tmp" "$record"
}

if [[ $mode == uninstall ]]; then uninstall; else install_host; fi
