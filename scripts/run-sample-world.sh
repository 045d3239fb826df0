#!/usr/bin/env bash
# Runs omnihub's main job on the shipped sample world: the partners' files in
# sample-world/inbox/ are dropped into inbox/ and one cycle runs (import, sourcing, fulfilment
# orders, acknowledgements, inventory feed, order confirmations); then the shipment reports of
# the warehouse, a store and a dropshipper arrive from sample-world/later/ and a second cycle
# books them, confirms them to Amazon, invoices them for the ERP (UBL and DATEV) and tells the
# customers. The result is shown.
# Run it again and the same files come back as duplicates: nothing is imported twice.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
scripts/fetch-ubl-schemas.sh   # the UBL invoice formats check every file against them
swift build --product omnihub
omnihub=.build/debug/omnihub

# Copies each partner folder under $1 into inbox/<partner>/.
drop() {
    for folder in "$1"/*/; do
        partner=$(basename "$folder")
        mkdir -p "inbox/$partner"
        cp -v "$folder"* "inbox/$partner/"
    done
}

# One cycle; 1 means "done, some files were quarantined or were duplicates": reported, not a failure here.
cycle() {
    echo
    echo "== omnihub run --once"
    local status=0
    "$omnihub" run --once || status=$?
    [ "$status" -le 1 ] || exit "$status"
}

echo "== dropping the sample world's files into inbox/"
drop sample-world/inbox
cycle

echo
echo "== later that day the warehouse, the Berlin store and Nordic Home report shipments: sample-world/later/ into inbox/"
drop sample-world/later
cycle

echo
echo "== omnihub orders list"
"$omnihub" orders list
echo
echo "== omnihub stock show TSHIRT-WHT-M"
"$omnihub" stock show TSHIRT-WHT-M
echo
echo "== omnihub files list"
"$omnihub" files list
echo
echo "== omnihub outbox list"
"$omnihub" outbox list
echo
echo "== the shipping confirmation for Amazon"
cat outbox/amazon-de/shipconfirm-*.txt 2>/dev/null || true
echo
echo "== the DATEV batch for the ERP (Windows-1252, shown as UTF-8; first columns)"
for batch in outbox/erp/EXTF_*.csv; do
    [ -f "$batch" ] && iconv -f WINDOWS-1252 -t UTF-8 "$batch" | cut -d';' -f1-14
done
echo
echo "== where the files went"
find archive quarantine outbox -type f ! -name .gitkeep 2>/dev/null | sort || true
echo
echo "The store is var/omnihub.sqlite. Try: $omnihub orders show 302-1111111-2000001, $omnihub trace order 3"
