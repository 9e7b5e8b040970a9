#!/usr/bin/env bash
# Writes host/startup-order.txt: the functions a start of the host runs, for the linker to lay out
# together (cmake/StartupOrder.cmake). Each start maps the host's code a 64 KB window at a time, so
# start-up code spread over the binary costs a cold start dozens of page faults.
#
#   scripts/startup-order.sh [build-dir]          writes host/startup-order.txt (build-dir: build)
#   scripts/startup-order.sh build-dir --check    fails if that list misses a tenth of what a start
#                                                 of this build runs (tests/CMakeLists.txt runs it)
#
# Needs valgrind (callgrind lists every function that ran). Run it from the build the release is
# made from (scripts/build.sh: unity files, whose static set-up functions are named after them)
# when the start-up path changes: a stale list only makes a cold start slower, never wrong.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
check=${2:-}
host="$build/host/optguard-host"
out=host/startup-order.txt
[[ -x $host ]] || { echo "startup-order: no $host; build first (scripts/build.sh)" >&2; exit 2; }
if ! command -v valgrind >/dev/null; then
  echo "startup-order: needs valgrind (apt install valgrind)" >&2
  [[ $check == --check ]] && exit 77 # the test is skipped, not failed
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
export OPTGUARD_CATALOG_DIR="$build/share/optguard/catalog"
mkdir -p "$XDG_STATE_HOME" "$XDG_CONFIG_HOME"
origin=chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/ # a caller the host serves, as bench/ starts it

# Native-messaging frames: a 32-bit native-endian length, then the JSON.
frames() {
  python3 -c 'import struct,sys
for m in sys.argv[1:]:
    b = m.encode(); sys.stdout.buffer.write(struct.pack("=I", len(b)) + b)' "$@"
}
hello='{"id":1,"type":"hello"}'
report='{"id":2,"type":"report","platform":"linkedin","setting":"generative-ai-training","state":"off","url":"https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"}'
status='{"id":3,"type":"status"}'

# Functions that ran, mangled, in callgrind's order, each once.
ran() {
  frames "$@" | valgrind --tool=callgrind --demangle=no --compress-strings=no \
    --callgrind-out-file="$work/callgrind.out" "$host" "$origin" >/dev/null 2>"$work/valgrind.log"
  grep -E '^c?fn=' "$work/callgrind.out" | sed -E "s/^c?fn=//; s/'[0-9]+$//" \
    | grep -v -e '^0x' -e '^(below main)' | awk '!seen[$0]++'
}

frames "$hello" | "$host" "$origin" >/dev/null # the first start writes the catalog cache
ran "$hello" >"$work/hello"                    # what every later start runs: first

if [[ $check == --check ]]; then
  ran_count=$(grep -c . "$work/hello")
  missing=$(grep -vxF -f <(grep -v '^#' "$out") "$work/hello" || true)
  missing_count=$(grep -c . <<<"$missing" || true)
  if ((missing_count * 10 > ran_count)); then
    echo "startup-order: $out lacks $missing_count of the $ran_count functions a start runs;" \
      "run scripts/startup-order.sh again. Some of them:" >&2
    head -5 <<<"$missing" >&2
    exit 1
  fi
  echo "startup-order: $out lists all but $missing_count of the $ran_count functions a start runs"
  exit 0
fi
ran "$hello" "$report" "$status" >"$work/session"

# glibc picks a string function's variant for the CPU it runs on (__memmove_avx_unaligned_erms,
# __strlen_evex, ...), and valgrind's CPU is not the member's: every variant of a string function
# whose variant ran (__strlen_avx2) or whose selector ran (strcmp_ifunc: a start runs them all).
nm "$host" | awk '$2 ~ /^[tTW]$/ {print $3}' | sort -u >"$work/symbols"
variants() {
  {
    grep -oE '^__[a-z0-9]+_(sse2|ssse3|sse4_1|sse4_2|avx|avx2|avx512|evex|evex512|erms)' "$1" \
      | sed -E 's/_[a-z0-9]+$//'
    grep -E '^_*(str|stp|mem|rawmem|wcs|wmem)[a-z]*(_ifunc)?$' "$1" | sed -E 's/^_*/__/; s/_ifunc$//'
  } | sort -u | while read -r family; do
    grep -E "^${family}_(sse|ssse|avx|evex|erms)" "$work/symbols" || true
  done | awk '{ print (/evex|avx512/ ? 0 : /avx/ ? 1 : 2), $0 }' | sort -s -k1,1n | cut -d' ' -f2
  # grouped by CPU generation: a CPU runs one group, so the code it runs lies together
}

{
  echo "# The host's start-up code, for the linker to lay out together (cmake/StartupOrder.cmake)."
  echo "# Written by scripts/startup-order.sh; run it again when the start-up path changes."
  echo _start # the entry point, which callgrind calls "(below main)"
  # What glibc and GCC's start files run before main on the machine itself but not under valgrind.
  printf '%s\n' frame_dummy register_tm_clones _dl_add_to_namespace_list ___pthread_mutex_lock \
    ___pthread_mutex_unlock __pthread_mutex_unlock_usercnt
  cat "$work/hello"
  variants "$work/hello" # after: each CPU runs one variant of each
  cat "$work/session"
  variants "$work/session"
} | awk '/^#/ || !seen[$0]++' >"$out"
echo "startup-order: $(grep -vc '^#' "$out") functions in $out"
