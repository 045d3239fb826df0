#!/usr/bin/env bash
# The web console and the partner portal on the sample world: sets up a world of its own in
# var/console-demo/ (or $1), runs the sample world's two cycles in it (all but Nordic Home's
# dispatch report, which Nordic Home uploads through the portal), then starts the daemon with its
# HTTP server and prints the address and the demo sign-ins. Ctrl-C stops it.
#
#   scripts/console-demo.sh [folder] [--prepare-only]
#
# OMNIHUB_CONSOLE_PORT picks the port (default 8470). The demo passwords are for this demo alone.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

demo=$repo/var/console-demo
prepare_only=false
for argument in "$@"; do
    case "$argument" in
        --prepare-only) prepare_only=true ;;
        *) demo=$(realpath -m "$argument") ;;
    esac
done
port=${OMNIHUB_CONSOLE_PORT:-8470}

if [ -z "${OMNIHUB_SKIP_BUILD:-}" ]; then
    scripts/setup-debian.sh
    scripts/fetch-ubl-schemas.sh
    swift build --product omnihub
fi
omnihub=$repo/.build/debug/omnihub

mkdir -p "$demo/secrets" "$demo/for-upload"
# bcrypt hashes of the demo passwords, made once.
[ -f "$demo/secrets/operator.hash" ] || echo "omnihub-demo" | "$omnihub" console hash-password > "$demo/secrets/operator.hash"
[ -f "$demo/secrets/nordic.hash" ] || echo "nordic-demo" | "$omnihub" console hash-password > "$demo/secrets/nordic.hash"

python3 - "$repo" "$demo" "$port" <<'PYTHON'
import sys
repo, demo, port = sys.argv[1:]
operator = open(f"{demo}/secrets/operator.hash").read().strip()
nordic_hash = open(f"{demo}/secrets/nordic.hash").read().strip()
text = open(f"{repo}/omnihub.yaml").read()
text = text.replace("mappings/", f"{repo}/mappings/").replace("network/", f"{repo}/network/")
text = text.replace("poll_interval_seconds: 60", "poll_interval_seconds: 3")
text = text.replace("stable_after_seconds: 2 ", "stable_after_seconds: 0 ")
nordic = "  - id: dropship-nordic\n    name: Nordic Home (dropshipper, stock changes)\n"
assert nordic in text
text = text.replace(
    nordic, nordic + f'    pull: {{portal_password_hash: "{nordic_hash}", upload_feed: dispatches}}\n')
text += f"""
server:
  listen: 127.0.0.1:{port}

console:
  stock_warning_below: 3
  operators:
    - {{name: ops, role: admin, password_hash: "{operator}"}}
    - {{name: care, role: care, password_hash: "{operator}"}}
    - {{name: viewer, role: viewer, password_hash: "{operator}"}}
"""
open(f"{demo}/omnihub.yaml", "w").write(text)
PYTHON

cd "$demo"
config=$demo/omnihub.yaml
if [ ! -f seeded ]; then
    for folder in "$repo"/sample-world/inbox/*/; do
        partner=$(basename "$folder")
        mkdir -p "inbox/$partner" && cp "$folder"* "inbox/$partner/"
    done
    "$omnihub" run --once --config "$config" >>seed.log 2>&1 || [ $? -le 1 ]
    for folder in "$repo"/sample-world/later/*/; do
        partner=$(basename "$folder")
        if [ "$partner" = dropship-nordic ]; then
            cp "$folder"* for-upload/
        else
            mkdir -p "inbox/$partner" && cp "$folder"* "inbox/$partner/"
        fi
    done
    "$omnihub" run --once --config "$config" >>seed.log 2>&1 || [ $? -le 1 ]
    touch seeded
fi

$prepare_only && exit 0
cat <<TEXT

omnihub console:  http://127.0.0.1:$port/console/   sign in as ops, care or viewer; password omnihub-demo
partner portal:   http://127.0.0.1:$port/portal/    sign in as dropship-nordic; password nordic-demo
                  (its dispatch report to upload is in $demo/for-upload/)
Ctrl-C stops omnihub.

TEXT
exec "$omnihub" run --config "$config"
