# Sourced by installer/install.sh: reads installer/browsers.tsv, the one table of every browser's
# native-messaging manifest folder, and answers "which rows apply here" and "is this browser here".
# Uses bash built-ins only (the installer tests run it with a minimal PATH).

optguard_browsers_table="$(dirname "${BASH_SOURCE[0]}")/browsers.tsv"

# linux or macos, from bash's own OSTYPE. OPTGUARD_OS overrides it (tests install the macOS rows
# into a temporary HOME on Linux).
optguard_os() {
  if [[ -n ${OPTGUARD_OS:-} ]]; then
    echo "$OPTGUARD_OS"
  elif [[ ${OSTYPE:-} == darwin* ]]; then
    echo macos
  else
    echo linux
  fi
}

# Expands `~` and `$CONFIG` at the start of a table path; system paths get the root prefix $2.
optguard_expand() { # $1 = path from the table, $2 = root prefix for absolute paths
  local p=$1 config="${XDG_CONFIG_HOME:-${HOME}/.config}"
  [[ $config == /* ]] || config="${HOME}/.config"
  case "$p" in
    '~'/*) echo "${HOME}/${p#\~/}" ;;
    '$CONFIG'/*) echo "${config}/${p#\$CONFIG/}" ;;
    /*) echo "${2}${p}" ;;
    *) echo "$p" ;;
  esac
}

# Prints the rows for one os and scope, tab-separated as in the table.
optguard_browser_rows() { # $1 = os, $2 = scope
  local id name os scope template folder probe note
  while IFS=$'\t' read -r id name os scope template folder probe note; do
    [[ -z $id || $id == \#* ]] && continue
    [[ $os == "$1" && $scope == "$2" ]] || continue
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$name" "$os" "$scope" "$template" "$folder" "$probe" "$note"
  done <"$optguard_browsers_table"
}

# True when any probe entry exists: a path (after expansion, under the root prefix) or a command.
optguard_browser_present() { # $1 = comma-separated probe, $2 = root prefix
  local entry list
  IFS=',' read -r -a list <<<"$1"
  for entry in "${list[@]}"; do
    case "$entry" in
      '~'/* | '$CONFIG'/* | /*) [[ -e $(optguard_expand "$entry" "$2") ]] && return 0 ;;
      *) command -v "$entry" >/dev/null 2>&1 && return 0 ;;
    esac
  done
  return 1
}
