#!/usr/bin/env python3
"""The sourcing benchmark: omnihub's strategies against the batch optimum HiGHS finds.

Generates the shared tool's problems (profile S, M, L; seed 1), runs `omnihub source` with each
strategy, has the shared referee cost and check every plan, solves `batch-optimal` with the
tool (cached in the work folder; L takes minutes) and prints cost vs optimum, split-order share
and seconds.

    benchmarks/sourcing/run.py [--profiles S,M,L] [--work DIR] [--tools DIR]
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def referee(tools, problem, plan):
    out = subprocess.run([sys.executable, os.path.join(tools, "sourcing.py"), "cost", problem, plan, "--json"],
                         text=True, capture_output=True)
    if out.returncode != 0:
        sys.exit(f"the referee refuses {plan}: {out.stdout}{out.stderr}")
    return json.loads(out.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profiles", default="S,M,L")
    ap.add_argument("--work", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "omnihub-sourcing-bench"))
    ap.add_argument("--tools", default=os.path.join(ROOT, "..", "shared", "tools", "sourcing"))
    args = ap.parse_args()
    tools = os.path.abspath(args.tools)
    os.makedirs(args.work, exist_ok=True)
    run(["swift", "build", "-c", "release", "--product", "omnihub"], cwd=ROOT)
    binary = os.path.join(ROOT, ".build", "release", "omnihub")

    print("| profile | strategy | cost | vs batch optimum | split orders | seconds |")
    print("| --- | --- | --- | --- | --- | --- |")
    for profile in args.profiles.split(","):
        problem = os.path.join(args.work, f"{profile}-1.problem.json")
        if not os.path.exists(problem):
            run([sys.executable, os.path.join(tools, "sourcing.py"), "gen", "--profile", profile, "--seed", "1",
                 "-o", problem])
        optimum = os.path.join(args.work, f"{profile}-1.batch-optimal.plan.json")
        info = os.path.join(args.work, f"{profile}-1.batch-optimal.info.json")
        if not os.path.exists(optimum):
            start = time.monotonic()
            run([os.path.join(tools, "sourcing"), "solve", problem, "--method", "batch-optimal", "--time-limit", "300",
                 "-o", optimum, "--info", info])
            with open(info + ".wall", "w") as f:
                f.write(str(time.monotonic() - start))
        best = referee(tools, problem, optimum)
        best_cost = best["cost"]["total"] if isinstance(best["cost"], dict) else best["cost"]
        with open(info + ".wall") as f:
            highs_seconds = float(f.read())
        for strategy in ["priority", "distance", "optimize"]:
            plan = os.path.join(args.work, f"{profile}-1.{strategy}.plan.json")
            report = json.loads(run([binary, "source", "--problem", problem, "--strategy", strategy, "-o", plan,
                                     "--json"]).stdout)
            costed = referee(tools, problem, plan)
            cost = costed["cost"]["total"] if isinstance(costed["cost"], dict) else costed["cost"]
            print(f"| {profile} | {strategy} | {cost:.2f} | {100 * (cost - best_cost) / best_cost:+.2f}% | "
                  f"{100 * report['summary']['split_share']:.1f}% | {report['seconds']:.2f} |")
        print(f"| {profile} | HiGHS batch-optimal (tool, warm start included) | {best_cost:.2f} | — | "
              f"{100 * best['metrics']['split_order_share']:.1f}% | {highs_seconds:.1f} |")


if __name__ == "__main__":
    main()
