#!/usr/bin/env bash
# Runs the whole test suite under a sanitizer, in a build folder of its own.
#
#   scripts/sanitize.sh address    AddressSanitizer: out-of-bounds access, use after free
#   scripts/sanitize.sh thread     ThreadSanitizer: data races (the mapping thread, the store)
#
# Extra arguments go to `swift test` (e.g. --filter Hostile).
set -euo pipefail
cd "$(dirname "$0")/.."

sanitizer="${1:?usage: scripts/sanitize.sh address|thread [swift test arguments]}"
shift
case "$sanitizer" in
    address) options=(ASAN_OPTIONS=detect_leaks=0) ;;  # see scripts/fuzz.sh on leaks and Swift enums
    thread) options=(TSAN_OPTIONS=halt_on_error=1) ;;
    *) echo "sanitize: '$sanitizer' is not address or thread" >&2; exit 64 ;;
esac
scratch=".build-$sanitizer"
swift build --scratch-path "$scratch" --build-tests --sanitize="$sanitizer"
# The tests make throwaway worlds under the temporary folder; they go with the run, passed or not.
TMPDIR="$(mktemp -d "${TMPDIR:-/tmp}/omnihub-tests.XXXXXX")"
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
# The tests start the omnihub executable; it is found beside the test bundle, built the same way.
env "${options[@]}" swift test --scratch-path "$scratch" --skip-build --sanitize="$sanitizer" "$@"
