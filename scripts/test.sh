#!/usr/bin/env bash
# Sets up the machine and runs every test, then checks the formatting.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
scripts/setup-test-servers.sh   # sshd and an FTP server, which the transport tests start on loopback
scripts/fetch-ubl-schemas.sh   # the official UBL 2.1 schemas the invoice tests check against
scripts/setup-einvoice-check.sh  # Java and Saxon-HE, which check the e-invoices against EN 16931
swift build --build-tests
# The tests make throwaway worlds under the temporary folder; they go with the run, passed or not.
TMPDIR="$(mktemp -d "${TMPDIR:-/tmp}/omnihub-tests.XXXXXX")"
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
swift test --skip-build
OMNIHUB_SKIP_BUILD=1 scripts/browser-test.sh   # the web console and the partner portal in Debian's chromium, driven by Selenium
scripts/fuzz.sh 8              # a short libFuzzer run per target; scripts/fuzz.sh 600 is the long one
swift format lint --strict -r Sources Tests Package.swift
echo "test: all tests passed and the code is formatted"
