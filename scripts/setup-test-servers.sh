#!/usr/bin/env bash
# Installs the servers the transport tests start on loopback, when they are missing: OpenSSH's
# sshd (its SFTP subsystem) and openssl from Debian, and pyftpdlib (an FTP server) with pyOpenSSL
# (for FTPS) from PyPI. The tests make
# their own host and user keys and pick free high ports; nothing is started here.
set -euo pipefail

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
if [ ! -x /usr/sbin/sshd ]; then
    echo "setup: installing openssh-server (the SFTP tests start their own sshd on loopback)" >&2
    $sudo apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends openssh-server >&2
    # Debian's package starts a system sshd on port 22; the tests need none.
    $sudo systemctl disable --now ssh >/dev/null 2>&1 || true
fi
if ! command -v openssl >/dev/null 2>&1; then
    echo "setup: installing openssl (the FTPS tests make a certificate)" >&2
    $sudo apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends openssl >&2
fi
if ! python3 -c "import pyftpdlib, OpenSSL" >/dev/null 2>&1; then
    echo "setup: installing pyftpdlib and pyOpenSSL (the FTP and FTPS tests start it on loopback)" >&2
    python3 -m pip install -q "pyftpdlib==2.2.0" "pyopenssl==26.4.0" >&2
fi
