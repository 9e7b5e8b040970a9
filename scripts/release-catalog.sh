#!/usr/bin/env bash
# Makes a signed catalog release (docs/catalog-format.md, "Signed catalog releases"):
#   OUT/optguard-catalog-VERSION.json          the whole catalog in one file, with version and date
#   OUT/optguard-catalog-VERSION.json.minisig  its minisign signature (Ed25519 of its BLAKE2b-512)
#
#   bash scripts/release-catalog.sh --key SECRET_KEY [--pub PUBLIC_KEY] [--catalog DIR]
#                                   [--date YYYY-MM-DD] [--out DIR]
#
# --key      the minisign secret key file (required; the script refuses to run without one, and
#            refuses a key inside this repository: the private key never enters it)
# --pub      a public key: the new signature is checked with `minisign -V` against it
# --catalog  the catalog folder (default extension/catalog); its index.json gives the version
# --date     the release date (default today, UTC); not before the version's date
# --out      where to write (default build/catalog-release)
# Needs minisign (Debian package minisign) and node. Publishes nothing.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "release-catalog: $*" >&2; exit 1; }

key='' pub='' catalog="$repo/extension/catalog" date=$(date -u +%Y-%m-%d) out="$repo/build/catalog-release"
while (($#)); do
  case $1 in
    --key) key=${2:-}; shift 2 || usage ;;
    --pub) pub=${2:-}; shift 2 || usage ;;
    --catalog) catalog=${2:-}; shift 2 || usage ;;
    --date) date=${2:-}; shift 2 || usage ;;
    --out) out=${2:-}; shift 2 || usage ;;
    -h|--help) usage ;;
    *) echo "release-catalog: unknown argument: $1" >&2; usage ;;
  esac
done

[[ -n $key ]] || die "no signing key given: --key SECRET_KEY_FILE (made once with: minisign -G -s FILE -p FILE.pub, kept outside this repository)"
[[ -f $key ]] || die "signing key $key: no such file"
key_abs=$(cd "$(dirname "$key")" && pwd)/$(basename "$key")
case $key_abs in
  "$repo"/*) die "the signing key $key_abs is inside the repository; keep private keys outside it" ;;
esac
command -v minisign >/dev/null 2>&1 || die "minisign not found (apt-get install minisign)"
command -v node >/dev/null 2>&1 || die "node not found"
[[ -f $catalog/index.json ]] || die "$catalog/index.json: no such file"

mkdir -p "$out"
tmp=$(mktemp "$out/.release-XXXXXX")
trap 'rm -f "$tmp"' EXIT
version=$(node "$repo/scripts/build-catalog-release.mjs" "$catalog" "$date" "$tmp")
file="$out/optguard-catalog-$version.json"
chmod 644 "$tmp"
mv "$tmp" "$file"
trap - EXIT
rm -f "$file.minisig"
minisign -S -s "$key" -m "$file" -x "$file.minisig" \
  -c "OptGuard catalog $version" -t "optguard catalog $version of $date" >/dev/null
if [[ -n $pub ]]; then
  minisign -V -q -p "$pub" -m "$file" -x "$file.minisig" || die "the new signature does not verify with $pub"
fi
echo "$file"
echo "$file.minisig"
