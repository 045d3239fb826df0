#!/usr/bin/env bash
# One import of a generated CSV (gen_orders.py's orders.csv) into a fresh copy of the ingest
# benchmark's world with the omnihub binary given, for timing two builds against each other in
# alternation (e.g. /usr/bin/time -v, A B A B …):
#
#   benchmarks/ingest/import-once.sh OMNIHUB_BINARY ORDERS_CSV
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
binary=$(realpath "$1")
source=$(realpath "$2")
world=$(mktemp -d "${TMPDIR:-/tmp}/import-once.XXXXXX")
trap 'rm -rf "$world"' EXIT
cp -r "$here/mappings" "$here/omnihub.yaml" "$world/"
mkdir -p "$world/inbox/bench-csv"
cp "$source" "$world/inbox/bench-csv/orders.csv"
touch -d '1 hour ago' "$world/inbox/bench-csv/orders.csv"
cd "$world"
"$binary" run --once --log-level warning > /dev/null
