#!/usr/bin/env bash
# Installs what the EN 16931 check of the e-invoice tests needs, when it is missing: Java and
# Saxon-HE from Debian, which run the European Commission's compiled schematron
# (shared/tools/einvoice/validate beside the repository, or OMNIHUB_EINVOICE_VALIDATE).
set -euo pipefail

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
if ! command -v java >/dev/null 2>&1 || ! ls /usr/share/java/Saxon-HE*.jar >/dev/null 2>&1; then
    echo "setup: installing Java and Saxon-HE (the e-invoice tests check EN 16931 with them)" >&2
    $sudo apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
        default-jre-headless libsaxonhe-java >&2
fi
