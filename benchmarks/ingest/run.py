#!/usr/bin/env python3
"""The ingest benchmark: one million order lines as CSV, JSON and XML, file to committed SQLite.

Runs omnihub's real import path (`omnihub run --once` over an inbox, the mapping engine, one
transaction, archive) side by side with the physical floor and the polars peer from
../shared/tools/ingest, interleaved, several rounds, and prints medians, ratios and peak memory.
Every omnihub run is checked against the generator's checksum; a fast run that lost rows fails.

    benchmarks/ingest/run.py [--lines 1000000] [--rounds 3] [--work DIR] [--tools DIR] [--skip-peers]
"""
import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def timed(cmd, cwd=None):
    """Wall seconds and peak RSS (MB) of a whole process, from GNU time."""
    out = run(["/usr/bin/time", "-f", "%e %M"] + cmd, cwd=cwd)
    seconds, kib = out.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kib) / 1024, out


def omnihub_checksum(db):
    con = sqlite3.connect(db)
    try:
        row = con.execute(
            "SELECT (SELECT count(*) FROM orders), count(*), sum(quantity), "
            "sum(CAST(replace(unit_price, '.', '') AS INTEGER)) FROM order_lines").fetchone()
    finally:
        con.close()
    return dict(zip(["orders", "lines", "sum_qty", "sum_price_minor"], row))


def omnihub_import(binary, fmt, source, scratch, expected):
    world = os.path.join(scratch, f"world-{fmt}")
    shutil.rmtree(world, ignore_errors=True)
    shutil.copytree(HERE, world, ignore=shutil.ignore_patterns("run.py", "__pycache__"))
    inbox = os.path.join(world, "inbox", f"bench-{fmt}")
    os.makedirs(inbox)
    target = os.path.join(inbox, os.path.basename(source))
    shutil.copyfile(source, target)
    past = time.time() - 3600
    os.utime(target, (past, past))
    seconds, peak, _ = timed([binary, "run", "--once", "--log-level", "warning", "--json"], cwd=world)
    got = omnihub_checksum(os.path.join(world, "var", "omnihub.sqlite"))
    if got != expected:
        sys.exit(f"omnihub {fmt}: checksum {got} does not match the generator's {expected}")
    shutil.rmtree(world)
    return seconds, peak


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "omnihub-ingest-bench"))
    ap.add_argument("--tools", default=os.path.join(ROOT, "..", "shared", "tools", "ingest"))
    ap.add_argument("--skip-peers", action="store_true", help="time omnihub only")
    args = ap.parse_args()

    tools = os.path.abspath(args.tools)
    data = os.path.join(args.work, f"data-{args.lines}")
    if not os.path.exists(os.path.join(data, "checksum.json")):
        print(f"generating {args.lines} lines into {data} …", file=sys.stderr)
        run([sys.executable, os.path.join(tools, "gen_orders.py"), str(args.lines), data])
    with open(os.path.join(data, "checksum.json")) as f:
        expected = {k: v for k, v in json.load(f).items() if k != "seed"}

    run(["swift", "build", "-c", "release", "--product", "omnihub"], cwd=ROOT)
    binary = os.path.join(ROOT, ".build", "release", "omnihub")

    floor_dir = os.path.join(tools, "floor")
    if not args.skip_peers:
        run(["make", "-C", floor_dir])
        run([sys.executable, os.path.join(floor_dir, "make_tsv.py"), os.path.join(data, "orders.csv"),
             os.path.join(data, "tsv")])
        run([os.path.join(tools, "setup.sh")])

    results = {name: [] for name in ["omnihub csv", "omnihub json", "omnihub xml", "floor csv", "polars csv"]}
    memory = {name: [] for name in results}
    for round_no in range(1, args.rounds + 1):
        for fmt in ["csv", "json", "xml"]:
            seconds, peak = omnihub_import(binary, fmt, os.path.join(data, f"orders.{fmt}"), args.work, expected)
            results[f"omnihub {fmt}"].append(seconds)
            memory[f"omnihub {fmt}"].append(peak)
        if not args.skip_peers:
            parse = json.loads(run([os.path.join(floor_dir, "csv_c_bench"), os.path.join(data, "orders.csv")])
                               .stdout.strip().splitlines()[-1])
            insert = json.loads(run([os.path.join(floor_dir, "sqlite_c_bench"), os.path.join(data, "tsv", "orders.tsv"),
                                     os.path.join(data, "tsv", "lines.tsv"), os.path.join(args.work, "floor.db")])
                                .stdout.strip().splitlines()[-1])
            results["floor csv"].append(parse["s"] + 0.1 + insert["total_commit_s"])
            seconds, peak, out = timed([os.path.join(tools, "run-peer.sh"), os.path.join(data, "orders.csv"),
                                        os.path.join(args.work, "polars.db")])
            peer = json.loads(out.stdout.strip().splitlines()[-1])
            results["polars csv"].append(peer["s"])
            memory["polars csv"].append(peak)
        print(f"round {round_no}: " + ", ".join(f"{k} {v[-1]:.2f}s" for k, v in results.items() if v),
              file=sys.stderr)

    median = {k: statistics.median(v) for k, v in results.items() if v}
    print(f"\n{args.lines} lines, {expected['orders']} orders, {args.rounds} rounds interleaved, "
          f"load {os.getloadavg()[0]:.2f}, sqlite {sqlite3.sqlite_version}\n")
    print("| pipeline | median s | min s | peak MB | vs omnihub csv |")
    print("| --- | --- | --- | --- | --- |")
    for name, values in results.items():
        if not values:
            continue
        peak = f"{max(memory[name]):.0f}" if memory[name] else "-"
        ratio = median[name] / median["omnihub csv"]
        print(f"| {name} | {median[name]:.2f} | {min(values):.2f} | {peak} | {ratio:.2f}× |")
    if "floor csv" in median:
        print(f"\nomnihub csv / floor: {median['omnihub csv'] / median['floor csv']:.2f} (target ≤ 2)")
        print(f"polars / omnihub csv: {median['polars csv'] / median['omnihub csv']:.2f} (target > 1: omnihub faster)")
    print(f"omnihub json / csv: {median['omnihub json'] / median['omnihub csv']:.2f} (target ≤ 1.3)")
    print(f"omnihub xml / csv: {median['omnihub xml'] / median['omnihub csv']:.2f} (target ≤ 1.3)")


if __name__ == "__main__":
    main()
