#!/usr/bin/env bash
# The console's and the portal's browser tests (Tests/Browser/console_test.py): installs Debian's
# chromium and chromium-driver and Selenium when missing, sets up the console demo world in a
# temporary folder, starts omnihub on a free port, runs the tests, and stops omnihub.
#
#   scripts/browser-test.sh [screenshots-folder]
#
# With a folder, the main pages are saved there as PNG files (docs/console/ holds the README's).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    echo "browser-test: installing chromium and chromium-driver" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium chromium-driver >&2
fi
python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q "selenium>=4.20,<5" >&2

if [ -z "${OMNIHUB_SKIP_BUILD:-}" ]; then   # scripts/test.sh has done these already
    scripts/setup-debian.sh
    scripts/fetch-ubl-schemas.sh
    swift build --product omnihub
fi
demo=$(mktemp -d "${TMPDIR:-/tmp}/omnihub-console.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
OMNIHUB_SKIP_BUILD=1 OMNIHUB_CONSOLE_PORT=$port scripts/console-demo.sh "$demo" --prepare-only
.build/debug/omnihub run --config "$demo/omnihub.yaml" > "$demo/omnihub.log" 2>&1 &
daemon=$!
trap 'kill $daemon 2>/dev/null || true; wait $daemon 2>/dev/null || true; rm -rf "$demo"' EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.2
done
screenshots=""
[ $# -ge 1 ] && screenshots=$(realpath -m "$1")
status=0
OMNIHUB_CONSOLE_URL="http://127.0.0.1:$port" OMNIHUB_DEMO="$demo" OMNIHUB_SCREENSHOTS="$screenshots" \
    python3 Tests/Browser/console_test.py || status=$?
if [ $status -ne 0 ]; then
    echo "browser-test: omnihub's log:" >&2
    tail -40 "$demo/omnihub.log" >&2
fi
exit $status
