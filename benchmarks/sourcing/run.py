#!/usr/bin/env python3
"""The sourcing benchmark: omnihub's strategies against the batch optimum HiGHS finds.

For every class and seed it generates the shared tool's problem, runs `omnihub source` with each
strategy, has the shared referee cost and check every plan, solves `batch-optimal` and `lp-bound`
with the tool (cached in the work folder: L and the tight classes take minutes each), and prints
one Markdown table: cost against the best known plan and against the LP bound, split-order
share, fill rate and seconds. A summary table gives the worst case of each class.

    benchmarks/sourcing/run.py [--classes S,M,L,tight,tighter] [--seeds 11,12,13]
                               [--strategies priority,distance,optimize] [--work DIR] [--tools DIR]
                               [--highs-time-limit 200]

The best known plan of a problem is the cheapest the referee has accepted for it: HiGHS's, this
run's, or one kept in the work folder as `<class>-<seed>.best-known.plan.json` (each run keeps
omnihub's plan there when it is cheaper than the one kept, and costs the kept one again).

Classes: S, M, L are the tool's profiles; `tight` is M with `--scarcity 0.5 --store-capacity 2-6
--collect-share 0.3`, `tighter` is M with `--scarcity 0.3 --store-capacity 1-3 --collect-share
0.5`. Exits 1 if the referee refuses any plan.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CLASSES = {
    "S": ["--profile", "S"],
    "M": ["--profile", "M"],
    "L": ["--profile", "L"],
    "tight": ["--profile", "M", "--scarcity", "0.5", "--store-capacity", "2-6", "--collect-share", "0.3"],
    "tighter": ["--profile", "M", "--scarcity", "0.3", "--store-capacity", "1-3", "--collect-share", "0.5"],
}


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def referee(tools, problem, plan):
    out = subprocess.run([sys.executable, os.path.join(tools, "sourcing.py"), "cost", problem, plan, "--json"],
                         text=True, capture_output=True)
    if out.returncode != 0:
        sys.exit(f"the referee refuses {plan}: {out.stdout}{out.stderr}")
    costed = json.loads(out.stdout)
    cost = costed["cost"]["total"] if isinstance(costed["cost"], dict) else costed["cost"]
    return cost, costed["metrics"]


def cached(path, make):
    """Runs `make()` (which writes `path`) unless `path` is there; returns its wall seconds."""
    wall = path + ".wall"
    if not os.path.exists(wall):
        start = time.monotonic()
        make()
        with open(wall, "w") as f:
            f.write(str(time.monotonic() - start))
    with open(wall) as f:
        return float(f.read())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--classes", default="S,M,L,tight,tighter")
    ap.add_argument("--seeds", default="11,12,13")
    ap.add_argument("--strategies", default="priority,distance,optimize")
    ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "omnihub-sourcing-bench"))
    ap.add_argument("--tools", default=os.path.join(ROOT, "..", "shared", "tools", "sourcing"))
    ap.add_argument("--highs-time-limit", default="200")
    args = ap.parse_args()
    tools = os.path.abspath(args.tools)
    os.makedirs(args.work, exist_ok=True)
    run(["swift", "build", "-c", "release", "--product", "omnihub"], cwd=ROOT)
    binary = os.path.join(ROOT, ".build", "release", "omnihub")
    tool = os.path.join(tools, "sourcing")

    print("| class | seed | strategy | cost | vs best known | vs LP bound | split orders | fill rate | seconds |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    worst = {}
    for name in args.classes.split(","):
        for seed in args.seeds.split(","):
            stem = os.path.join(args.work, f"{name}-{seed}")
            problem = stem + ".problem.json"
            if not os.path.exists(problem):
                run([sys.executable, os.path.join(tools, "sourcing.py"), "gen", *CLASSES[name], "--seed", seed,
                     "-o", problem])
            optimum = stem + ".batch-optimal.plan.json"
            info = stem + ".batch-optimal.info.json"
            highs_seconds = cached(optimum, lambda: run(
                [tool, "solve", problem, "--method", "batch-optimal", "--time-limit", args.highs_time_limit,
                 "--threads", "1", "-o", optimum, "--info", info]))
            bound_file = stem + ".lp-bound.json"
            cached(bound_file, lambda: open(bound_file, "w").write(run(
                [tool, "solve", problem, "--method", "lp-bound", "--time-limit", args.highs_time_limit,
                 "--json"]).stdout))
            with open(bound_file) as f:
                bound_info = json.load(f)
            bound = bound_info.get("bound", bound_info.get("lp_bound", bound_info.get("objective")))
            with open(info) as f:
                highs_status = json.load(f).get("status", "?")
            highs_cost, highs_metrics = referee(tools, problem, optimum)
            kept = stem + ".best-known.plan.json"
            kept_cost = referee(tools, problem, kept)[0] if os.path.exists(kept) else None
            rows = []
            for strategy in args.strategies.split(","):
                plan = f"{stem}.{strategy}.plan.json"
                report = json.loads(run([binary, "source", "--problem", problem, "--strategy", strategy, "-o", plan,
                                         "--json"]).stdout)
                cost, metrics = referee(tools, problem, plan)
                rows.append((strategy, cost, metrics, report["seconds"]))
            best = min([highs_cost] + ([kept_cost] if kept_cost is not None else [])
                       + [cost for _, cost, _, _ in rows])
            for strategy, cost, _, _ in rows:
                if strategy == "optimize" and (kept_cost is None or cost < kept_cost):
                    shutil.copyfile(f"{stem}.{strategy}.plan.json", kept)
            rows.append((f"HiGHS batch-optimal ({highs_status}, 1 thread)", highs_cost, highs_metrics,
                         highs_seconds))
            for strategy, cost, metrics, seconds in rows:
                gap = 100 * (cost - best) / best
                over_bound = 100 * (cost - bound) / bound if bound else float("nan")
                print(f"| {name} | {seed} | {strategy} | {cost:.2f} | {gap:+.2f}% | {over_bound:+.2f}% | "
                      f"{100 * metrics['split_order_share']:.1f}% | {100 * metrics['fill_rate']:.2f}% | "
                      f"{seconds:.2f} |", flush=True)
                if strategy == "optimize":
                    previous = worst.get(name)
                    speedup = highs_seconds / seconds if seconds > 0 else float("inf")
                    if previous is None or gap > previous[0]:
                        worst[name] = (gap, seed, max(seconds, previous[2] if previous else 0), speedup)
                    else:
                        worst[name] = (previous[0], previous[1], max(seconds, previous[2]),
                                       min(speedup, previous[3]))
    if worst:
        print()
        print("| class | worst vs best known (seed) | slowest optimize, s | least speed-up over HiGHS |")
        print("| --- | --- | --- | --- |")
        for name, (gap, seed, seconds, speedup) in worst.items():
            print(f"| {name} | {gap:+.2f}% ({seed}) | {seconds:.2f} | {speedup:.0f}× |")


if __name__ == "__main__":
    main()
