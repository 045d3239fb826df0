#!/usr/bin/env bash
# Fuzzes the feed readers, the mapping expressions and the mapping of whole records with libFuzzer
# and AddressSanitizer.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     default: 10 seconds each for csv json xml expression mapping
#
# Seeds: fuzz/seeds/<target>/ and the sample world's feeds of the target's format. What libFuzzer
# finds on the way is kept in .build-fuzz/corpus/<target>/ for the next run. A crash, a trap or a
# sanitizer report is saved to fuzz/crashes/<target>/ and fails the script: turn it into a
# regression test, fix it, and delete the file. Leak detection is off: LeakSanitizer cannot follow
# Swift's indirect enum payloads (their pointers carry tag bits) and reports the mapping's
# expressions, held for the whole run, as leaked.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-10}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(csv json xml expression mapping)

scratch=.build-fuzz
echo "fuzz: building with -sanitize=fuzzer,address into $scratch" >&2
OMNIHUB_FUZZ=1 swift build -c release --scratch-path "$scratch" --product omnihub-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld >&2
binary="$(OMNIHUB_FUZZ=1 swift build -c release --scratch-path "$scratch" --show-bin-path)/omnihub-fuzz"

failed=0
for target in "${targets[@]}"; do
    corpus="$scratch/corpus/$target"
    crashes="fuzz/crashes/$target"
    mkdir -p "$corpus" "$crashes"
    cp -n fuzz/seeds/"$target"/* "$corpus"/ 2>/dev/null || true
    case "$target" in
        csv) cp -n sample-world/inbox/*/*.csv sample-world/inbox/*/*.tsv sample-world/later/*/*.csv "$corpus"/ 2>/dev/null || true ;;
        json) cp -n sample-world/inbox/*/*.json sample-world/later/*/*.json "$corpus"/ 2>/dev/null || true ;;
        xml) cp -n sample-world/inbox/*/*.xml sample-world/later/*/*.xml "$corpus"/ 2>/dev/null || true ;;
    esac
    echo "fuzz: $target for ${seconds}s" >&2
    if ASAN_OPTIONS=detect_leaks=0 OMNIHUB_FUZZ_TARGET="$target" "$binary" "$corpus" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$crashes/" \
        >"$scratch/fuzz-$target.log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$scratch/fuzz-$target.log" | grep -o '[0-9]*$' || echo "?")
        echo "fuzz: $target: nothing found in $runs runs" >&2
    else
        echo "fuzz: $target FOUND A CRASH; the input is in $crashes/, the report in $scratch/fuzz-$target.log:" >&2
        grep -E "ERROR|Fatal error|SUMMARY" "$scratch/fuzz-$target.log" | head -5 >&2
        failed=1
    fi
done
exit $failed
