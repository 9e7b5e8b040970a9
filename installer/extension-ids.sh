# Sourced by installer/install.sh: the extension ids the host manifests allow, read from the table the
# build staged (BUILD/share/optguard/extension-ids.tsv: installer/extension-ids.tsv as the build
# used it, cmake/ExtensionIds.cmake). Uses bash built-ins only (the installer tests run it with a
# minimal PATH).

# Prints the JSON array for one family: allowed_origins for chromium ("chrome-extension://ID/" per
# known id), allowed_extensions for firefox. A row whose id is `-` (a store that has not published
# OptGuard yet) is left out. Fails, saying why, on a malformed id or when no id is known.
optguard_allowed_json() { # $1 = family, $2 = staged table
  local family=$1 table=$2 f where name id json="" count=0
  [[ -f $table ]] || { echo "install.sh: no ${table}; rebuild: bash scripts/build.sh" >&2; return 1; }
  while IFS=$'\t' read -r f where name id; do
    [[ -z $f || $f == \#* || $f != "$family" || $id == - ]] && continue
    if [[ $family == chromium ]]; then
      [[ $id =~ ^[a-p]{32}$ ]] || { echo "install.sh: ${where}: a Chromium extension id is 32 letters a-p, got '${id}' (${table})" >&2; return 1; }
      id="chrome-extension://${id}/"
    else
      [[ $id =~ ^[A-Za-z0-9._@{}+-]+$ ]] || { echo "install.sh: ${where}: not a Firefox add-on id: '${id}' (${table})" >&2; return 1; }
    fi
    json+="${json:+, }\"${id}\""
    count=$((count + 1))
  done <"$table"
  ((count)) || { echo "install.sh: no ${family} extension id in ${table}" >&2; return 1; }
  printf '[%s]\n' "$json"
}
