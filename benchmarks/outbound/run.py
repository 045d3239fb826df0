#!/usr/bin/env python3
"""The outbound benchmark: a Black Friday batch through both cycles of the sample world.

Builds a world from the shipped configuration and formats (omnihub.yaml, mappings/, network/,
schemas/) with N Amazon orders for articles only the central warehouse stocks, then runs
omnihub's real command twice, as `make sample` does: cycle 1 imports, sources and writes the
fulfilment order, the acknowledgement, the inventory feed and N order confirmations; cycle 2
books N parcels from the warehouse and writes Amazon's shipping confirmation, N UBL invoices
(each checked against the UBL 2.1 schema), the DATEV batch and N shipped messages. Each round
builds a fresh world; the same batch runs once with the invoice formats' schema check and once
without it, interleaved. Every run is checked: every document written once, N invoices whose
totals add up to what the orders cost.

    benchmarks/outbound/run.py [--orders 10000] [--rounds 3] [--work DIR] [--schema both|with|without]
                               [--binary OMNIHUB] [--against OTHER_OMNIHUB] [--stages]
"""
import argparse
import datetime
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SKUS = [f"BENCH-{i:02d}" for i in range(20)]
PLACES = [("10115", "Berlin"), ("20095", "Hamburg"), ("80331", "München"), ("50667", "Köln"), ("60311", "Frankfurt")]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def timed(cmd, cwd, log=None):
    """Wall seconds and peak RSS (MB) of a whole process, from GNU time; with `log`, its log goes
    to that file (GNU time's line is its last)."""
    with open(log or os.devnull, "w", encoding="utf-8") as sink:
        out = subprocess.run(["/usr/bin/time", "-o", "/dev/stdout", "-f", "%e %M"] + cmd, cwd=cwd, text=True,
                             stdout=subprocess.PIPE, stderr=sink)
    if out.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({out.returncode}); see {log or 'its output'}")
    seconds, kib = out.stdout.strip().splitlines()[-1].split()
    return float(seconds), int(kib) / 1024


def stages(log, started):
    """When each kind of step ran, from an info-level log: seconds after `started` (the process's
    start, whole seconds as the log has them) of the first and last line of each: a file imported,
    or a kind of document written."""
    spans = {}
    for line in open(log, encoding="utf-8", errors="replace"):
        match = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\S* info .*?\[OmnihubRuntime\] (?:wrote (\w+) |(\S+): \d+ imported)", line)
        if not match:
            continue
        at = datetime.datetime.fromisoformat(match.group(1)).replace(tzinfo=datetime.timezone.utc).timestamp()
        step = f"wrote {match.group(2)}" if match.group(2) else f"imported {match.group(3)}"
        first, _ = spans.get(step, (at, at))
        spans[step] = (first, at)
    return ", ".join(f"{step} {first - started:.0f}–{last - started:.0f} s"
                     for step, (first, last) in sorted(spans.items(), key=lambda item: item[1]))


def set_aside(work):
    """Moves an earlier world out of the way without deleting it yet. ext4 without a journal
    (this machine's) skips inodes freed in the last minute or more when it creates a file, one
    by one, so deleting a world of 100,000 files right before a run makes that run's own files
    slower to create; the worlds set aside are deleted when the benchmark ends."""
    if os.path.exists(work):
        aside = f"{work}.old-{os.getpid()}-{len(SET_ASIDE)}"
        os.rename(work, aside)
        SET_ASIDE.append(aside)


SET_ASIDE = []


def world(work, orders, schema):
    """A fresh world in `work`: the shipped configuration, formats and network, and the batch."""
    set_aside(work)
    os.makedirs(work)
    shutil.copytree(os.path.join(ROOT, "mappings"), os.path.join(work, "mappings"))
    shutil.copytree(os.path.join(ROOT, "network"), os.path.join(work, "network"))
    os.symlink(os.path.join(ROOT, "schemas"), os.path.join(work, "schemas"))
    shutil.copy(os.path.join(ROOT, "omnihub.yaml"), os.path.join(work, "omnihub.yaml"))
    if not schema:
        for name in ("ubl-invoice.format.yaml", "ubl-credit-note.format.yaml"):
            path = os.path.join(work, "mappings", name)
            text = open(path, encoding="utf-8").read()
            lines = [line for line in text.splitlines(True) if not line.lstrip().startswith("schema:")]
            open(path, "w", encoding="utf-8").write("".join(lines))
    columns = ("order-id order-item-id purchase-date payments-date buyer-email buyer-name buyer-phone-number sku "
               "product-name quantity-purchased currency item-price item-tax shipping-price shipping-tax "
               "item-promotion-discount item-promotion-id ship-promotion-discount ship-service-level recipient-name "
               "ship-address-1 "
               "ship-address-2 ship-city ship-state ship-postal-code ship-country ship-phone-number").split()
    inbox = os.path.join(work, "inbox", "amazon-de")
    os.makedirs(inbox)
    rows = ["\t".join(columns)]
    for i in range(orders):
        postal, city = PLACES[i % len(PLACES)]
        quantity = 1 + i % 3
        price = f"{quantity * (1999 + (i % 7) * 100) / 100:.2f}"
        values = {
            "order-id": f"303-{i:07d}-0000001", "order-item-id": f"2{i:013d}",
            "purchase-date": "2026-11-27T08:00:00+00:00", "buyer-email": f"b{i}@marketplace.amazon.de",
            "buyer-name": f"Kunde {i}", "sku": SKUS[i % len(SKUS)], "product-name": "Artikel",
            "quantity-purchased": str(quantity), "currency": "EUR", "item-price": price, "shipping-price": "4.95",
            "item-promotion-discount": "-1.00" if i % 4 == 0 else "", "ship-service-level": "Standard",
            "recipient-name": f"Kunde {i}", "ship-address-1": "Hauptstr. 1", "ship-city": city,
            "ship-postal-code": postal, "ship-country": "DE",
        }
        rows.append("\t".join(values.get(column, "") for column in columns))
    open(os.path.join(inbox, "orders.tsv"), "w", encoding="utf-8").write("\n".join(rows) + "\n")
    stock = os.path.join(work, "inbox", "wms-central")
    os.makedirs(stock)
    lines = ["Bestandsliste Zentrallager Kassel", "Lager;Stand;Artikel;Bezeichnung;Bestand"]
    lines += [f"DC-CENTRAL;27.11.2026 05:00;{sku};Artikel;{orders * 3},0" for sku in SKUS]
    open(os.path.join(stock, "BESTAND_20261127_0500.csv"), "w", encoding="cp1252").write("\r\n".join(lines) + "\r\n")
    # Backdate the inbox so the files count as stable.
    for folder, _, names in os.walk(os.path.join(work, "inbox")):
        for name in names:
            os.utime(os.path.join(folder, name), (1, 1))


def shipments(work, orders):
    """The warehouse's shipment report: one parcel per order, everything it was handed."""
    db = sqlite3.connect(os.path.join(work, "var", "omnihub.sqlite"))
    lines = ["Paket;Lager;Kanal;Auftrag;Position;Artikel;Menge;Versand;Spediteur;Versandart;Sendungsnummer"]
    for n, (order, line, sku, quantity) in enumerate(db.execute(
            "SELECT o.external_id, l.line_id, l.sku, l.quantity FROM orders o JOIN order_lines l ON l.order_id = o.id "
            "ORDER BY o.id")):
        lines.append(f"PK-{n:07d};DC-CENTRAL;amazon-de;{order};{line};{sku};{quantity};27.11.2026 14:10;DHL;Standard;"
                     f"0034043416{n:010d}")
    db.close()
    path = os.path.join(work, "inbox", "wms-central", "VERSAND_20261127_1410.csv")
    open(path, "w", encoding="cp1252").write("\r\n".join(lines) + "\r\n")
    os.utime(path, (1, 1))
    return len(lines) - 1


def check(work, orders):
    """Every document written once; N invoices whose totals are what the orders cost."""
    db = sqlite3.connect(os.path.join(work, "var", "omnihub.sqlite"))
    pending = db.execute("SELECT count(*) FROM outbound_documents WHERE status != 'written'").fetchone()[0]
    numbers = db.execute("SELECT count(*), count(DISTINCT number) FROM outbound_documents").fetchone()
    invoices = db.execute("SELECT count(*) FROM finance_documents WHERE kind = 'invoice'").fetchone()[0]
    invoiced = db.execute("SELECT sum(CAST(replace(payable, '.', '') AS INTEGER)) FROM finance_documents").fetchone()[0]
    kinds = dict(db.execute("SELECT kind, count(*) FROM outbound_documents GROUP BY kind").fetchall())
    db.close()
    expected = sum((1 + i % 3) * (1999 + (i % 7) * 100) + 495 - (100 if i % 4 == 0 else 0) for i in range(orders))
    files = sum(len(names) for _, _, names in os.walk(os.path.join(work, "outbox")))
    problems = []
    if pending:
        problems.append(f"{pending} documents not written")
    if numbers[0] != numbers[1] or numbers[0] != files:
        problems.append(f"{numbers[0]} documents, {numbers[1]} numbers, {files} files")
    if invoices != orders or invoiced != expected:
        problems.append(f"{invoices} invoices for {invoiced} cents, expected {orders} for {expected}")
    if problems:
        sys.exit("check failed: " + "; ".join(problems))
    return kinds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", default="/var/tmp/omnihub-outbound-bench",
                        help="where the worlds are built (away from /tmp, where the test suite creates and "
                             "deletes files all the time)")
    parser.add_argument("--schema", choices=("both", "with", "without"), default="both",
                        help="run the batch with the UBL schema check, without it, or both (the default)")
    parser.add_argument("--binary", help="an omnihub binary to measure instead of building this checkout")
    parser.add_argument("--stages", action="store_true",
                        help="log at info level and print when each step ran (imports, each kind of document)")
    parser.add_argument("--against", help="another omnihub binary, run on the same batch in every round, "
                                          "alternating which goes first; the ratios are printed")
    args = parser.parse_args()
    run([os.path.join(ROOT, "scripts", "fetch-ubl-schemas.sh")], cwd=ROOT)
    binary = args.binary
    if binary is None:
        run(["swift", "build", "-c", "release", "--product", "omnihub"], cwd=ROOT)
        binary = os.path.join(ROOT, ".build", "release", "omnihub")
    binaries = [binary] + ([args.against] if args.against else [])
    schemas = {"both": (True, False), "with": (True,), "without": (False,)}[args.schema]
    results = {(b, schema): [] for b in binaries for schema in schemas}
    for round_ in range(args.rounds):
        for schema in schemas:
            for b in binaries if round_ % 2 == 0 else list(reversed(binaries)):
                work = os.path.join(args.work, "schema" if schema else "plain")
                world(work, args.orders, schema)
                level = "info" if args.stages else "error"
                command = [b, "run", "--once", "--config", os.path.join(work, "omnihub.yaml"), "--log-level", level]
                logs = [os.path.join(work, f"cycle-{n}.log") for n in (1, 2)] if args.stages else [None, None]
                began = int(time.time())
                first, first_mb = timed(command, work, logs[0])
                parcels = shipments(work, args.orders)
                began_second = int(time.time())
                second, second_mb = timed(command, work, logs[1])
                kinds = check(work, args.orders)
                if args.stages:
                    print(f"  cycle 1 steps: {stages(logs[0], began)}\n  cycle 2 steps: {stages(logs[1], began_second)}",
                          flush=True)
                results[(b, schema)].append((first, second, max(first_mb, second_mb)))
                print(f"round {round_ + 1} {b} {'with' if schema else 'without'} schema check: cycle 1 {first:.2f} s, "
                      f"cycle 2 {second:.2f} s ({parcels} parcels), peak {max(first_mb, second_mb):.0f} MB, {kinds}",
                      flush=True)
    for old in SET_ASIDE:
        shutil.rmtree(old, ignore_errors=True)
    print(f"\n{args.orders} orders, {args.rounds} rounds, medians:")
    print("| binary | run | cycle 1 s | cycle 2 s | total s | per order ms | peak MB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for (b, schema), rows in results.items():
        total = statistics.median(r[0] + r[1] for r in rows)
        print(f"| {b} | {'UBL checked against the XSD' if schema else 'UBL not checked'} | "
              f"{statistics.median(r[0] for r in rows):.2f} | {statistics.median(r[1] for r in rows):.2f} | "
              f"{total:.2f} | {1000 * total / args.orders:.2f} | {max(r[2] for r in rows):.0f} |")
    if args.against:
        for schema in schemas:
            mine, theirs = results[(binary, schema)], results[(args.against, schema)]
            pairs = [((a[0] + a[1]) / (o[0] + o[1]), a[0] / o[0], a[1] / o[1]) for a, o in zip(mine, theirs)]
            print(f"{'with' if schema else 'without'} schema check, {binary} / {args.against} by round: total "
                  f"{[round(p[0], 3) for p in pairs]} (median {statistics.median(p[0] for p in pairs):.3f}), "
                  f"cycle 1 {[round(p[1], 3) for p in pairs]}, cycle 2 {[round(p[2], 3) for p in pairs]}")


if __name__ == "__main__":
    main()
