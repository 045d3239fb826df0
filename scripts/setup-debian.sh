#!/usr/bin/env bash
# Installs the C libraries omnihub builds against, when they are missing, on Debian or Ubuntu.
# The Swift 6 toolchain itself must be on PATH (https://www.swift.org/install/linux/).
set -euo pipefail

packages=(libcurl4-openssl-dev libxml2-dev libsqlite3-dev libzstd-dev pkg-config)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}" >&2
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: no 'swift' on PATH; install Swift 6 from https://www.swift.org/install/linux/ first" >&2
    exit 1
fi
