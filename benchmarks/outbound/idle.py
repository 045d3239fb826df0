#!/usr/bin/env python3
"""What an idle cycle costs on a store that has done a peak day's batch.

Builds the outbound benchmark's world of N orders (run.py's `world` and `shipments`) for each
binary, runs both of its cycles with that binary (not timed), runs one more cycle to let the
store settle (a first run may migrate it), and then times RUNS idle cycles (no new files, nothing
due) of each binary on its own world, alternating which goes first; prints each run's seconds and
peak memory, the medians and the ratios pair by pair. The worlds stay in DIR (about 13 GB
each for a million orders) for a look afterwards.

    benchmarks/outbound/idle.py --orders 100000 --binary NEW [--against OLD] [--runs 5] [--work DIR]
"""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402


def cycle(binary, work):
    return bench.timed([binary, "run", "--once", "--config", os.path.join(work, "omnihub.yaml"),
                        "--log-level", "error"], work)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100000)
    parser.add_argument("--binary", required=True, help="the omnihub binary to measure")
    parser.add_argument("--against", help="another omnihub binary, on a world of its own")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default="/var/tmp/omnihub-idle-bench")
    args = parser.parse_args()
    binaries = [args.binary] + ([args.against] if args.against else [])
    worlds = {}
    for n, binary in enumerate(binaries):
        work = os.path.join(args.work, f"world-{n}")
        bench.world(work, args.orders, False)
        cycle(binary, work)
        bench.shipments(work, args.orders)
        cycle(binary, work)
        cycle(binary, work)
        worlds[binary] = work
    results = {binary: [] for binary in binaries}
    for n in range(args.runs):
        for binary in binaries if n % 2 == 0 else list(reversed(binaries)):
            seconds, mb = cycle(binary, worlds[binary])
            results[binary].append((seconds, mb))
            print(f"run {n + 1} {binary}: {seconds:.2f} s, peak {mb:.0f} MB", flush=True)
    for old in bench.SET_ASIDE:
        bench.shutil.rmtree(old, ignore_errors=True)
    print(f"\nidle cycle on {args.orders} orders' store, {args.runs} runs, medians:")
    for binary, rows in results.items():
        print(f"{binary}: {statistics.median(r[0] for r in rows):.2f} s, peak {max(r[1] for r in rows):.0f} MB")
    if args.against:
        ratios = [a[0] / o[0] for a, o in zip(results[args.binary], results[args.against])]
        print(f"{args.binary} / {args.against} by run: {[round(r, 3) for r in ratios]} "
              f"(median {statistics.median(ratios):.3f})")


if __name__ == "__main__":
    main()
