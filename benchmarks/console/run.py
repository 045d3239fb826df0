#!/usr/bin/env python3
"""The console's pages on a big store: server time of the pages people open, with N orders stored.

Generates N_LINES order lines with the shared generator (../shared/tools/ingest; 1M lines make
about 488,000 orders), imports them with `omnihub run --once` into the ingest benchmark's world
(plus a server: and console: section), starts `omnihub run` with the console on a free port,
signs in, and requests each page ROUNDS times over loopback, printing the median and the slowest
time per page (the client's wall time on loopback, which bounds the server's). Each answer must
be 200 and show what the page is for, or the run fails.

    benchmarks/console/run.py [--lines 2050000] [--rounds 20] [--work DIR] [--binary PATH]

The world keeps no sourcing section, so the daemon's cycle does not source the million open orders
at start: the order page's sourcing explanation is not part of this measurement.
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


class Session:
    """Keeps the console's cookie, as a browser does (Python's cookie jar drops Secure cookies on http)."""

    def __init__(self, port):
        self.port = port
        self.cookie = None

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Accept-Language": "de-DE"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        text = answer.read().decode()
        elapsed = time.perf_counter() - started
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie" and value.startswith("omnihub_console="):
                self.cookie = value.split(";")[0]
        connection.close()
        return answer.status, text, elapsed

    def sign_in(self, name, password):
        _, page, _ = self.request("GET", "/console/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrf": csrf, "name": name, "password": password})
        status, _, _ = self.request("POST", "/console/login", body)
        if status != 303:
            sys.exit(f"signing in failed: {status}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=2_050_000)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--work", default="/tmp/omnihub-console-bench")
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "omnihub"))
    ap.add_argument("--tools", default=os.path.join(ROOT, "..", "shared", "tools", "ingest"))
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)

    data = os.path.join(args.work, f"data-{args.lines}")
    if not os.path.exists(os.path.join(data, "checksum.json")):
        print(f"generating {args.lines} lines into {data} …", file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(os.path.abspath(args.tools), "gen_orders.py"), str(args.lines),
                        data, "--formats", "csv"], check=True)
    with open(os.path.join(data, "checksum.json")) as f:
        expected = json.load(f)

    world = os.path.join(args.work, f"world-{args.lines}")
    store = os.path.join(world, "var", "omnihub.sqlite")
    password = "console-bench"
    port = free_port()
    if not os.path.exists(store):
        shutil.rmtree(world, ignore_errors=True)
        ingest = os.path.join(ROOT, "benchmarks", "ingest")
        shutil.copytree(ingest, world, ignore=shutil.ignore_patterns("run.py", "__pycache__"))
        os.makedirs(os.path.join(world, "inbox", "bench-csv"))
        target = os.path.join(world, "inbox", "bench-csv", "orders.csv")
        shutil.copyfile(os.path.join(data, "orders.csv"), target)
        past = time.time() - 3600
        os.utime(target, (past, past))
        print("importing …", file=sys.stderr)
        started = time.time()
        subprocess.run([binary, "run", "--once", "--log-level", "warning"], cwd=world, check=True,
                       stdout=subprocess.DEVNULL)
        print(f"imported in {time.time() - started:.1f} s", file=sys.stderr)
    hashed = subprocess.run([binary, "console", "hash-password"], input=password + "\n", text=True,
                            capture_output=True, check=True).stdout.strip()
    with open(os.path.join(ROOT, "benchmarks", "ingest", "omnihub.yaml")) as f:
        config = f.read()
    config += f"""
inbox:
  poll_interval_seconds: 86400
server:
  listen: 127.0.0.1:{port}
console:
  operators:
    - {{name: bench, role: viewer, password_hash: "{hashed}"}}
"""
    with open(os.path.join(world, "omnihub.yaml"), "w") as f:
        f.write(config)

    with sqlite3.connect(store) as db:
        orders = db.execute("SELECT count(*) FROM orders").fetchone()[0]
        if orders != expected["orders"]:
            sys.exit(f"the store holds {orders} orders, the generator made {expected['orders']}")
        top = db.execute("SELECT max(id) FROM orders").fetchone()[0]
        rng = random.Random(7)
        picks = [rng.randint(1, top) for _ in range(args.rounds)]
        sample = [db.execute("SELECT external_id, customer_name FROM orders WHERE id = ?", (i,)).fetchone()
                  for i in picks]
        skus = [db.execute("SELECT sku FROM order_lines WHERE order_id = ? LIMIT 1", (i,)).fetchone()[0]
                for i in picks]

    daemon = subprocess.Popen([binary, "run", "--log-level", "warning"], cwd=world,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port)
        session = Session(port)
        session.sign_in("bench", password)
        pages = {
            "order page": (lambda i: f"/console/orders/{picks[i]}", "<h1>Order "),
            "search: order number": (lambda i: "/console/orders?q=" + urllib.parse.quote(sample[i][0]), "<h1>Order "),
            "search: customer name": (
                lambda i: "/console/orders?q=" + urllib.parse.quote(sample[i][1].split()[-1]), 'id="orders"'),
            "search: SKU": (lambda i: "/console/orders?q=" + urllib.parse.quote(skus[i]), 'id="orders"'),
            "orders, page 1": (lambda i: "/console/orders", 'id="orders"'),
            "orders, page 100": (lambda i: "/console/orders?page=100", 'id="orders"'),
            "orders, open, page 1": (lambda i: "/console/orders?status=open", 'id="orders"'),
            "dashboard": (lambda i: "/console/", "Orders imported today"),
            "files": (lambda i: "/console/files", 'id="files"'),
        }
        print(f"\n{orders} orders in the store ({args.lines} lines), {args.rounds} requests a page, "
              f"{os.path.basename(binary)} {binary}")
        print(f"{'page':26} {'median ms':>10} {'max ms':>8}")
        for name, (path, marker) in pages.items():
            times = []
            for i in range(args.rounds):
                status, text, elapsed = session.request("GET", path(i))
                if status == 303 and "Order " in marker:
                    # An exact order number answers with its page's address.
                    status, text, more = session.request("GET", "/console/orders/" + str(picks[i]))
                    elapsed += more
                if status != 200 or marker not in text:
                    sys.exit(f"{name}: {path(i)} answered {status} without {marker!r}")
                times.append(elapsed * 1000)
            print(f"{name:26} {statistics.median(times):10.1f} {max(times):8.1f}")
    finally:
        daemon.terminate()
        daemon.wait()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port):
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/readyz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("omnihub did not become ready")


if __name__ == "__main__":
    main()
