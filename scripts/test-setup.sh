#!/usr/bin/env bash
# Install what the tests need on a fresh Debian machine with Node 20: Debian's Chromium (browser and
# accessibility tests, PDF rendering) and poppler-utils (pdftotext/pdftoppm), then the npm packages.
# No browser is downloaded from anywhere but Debian.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing Debian packages: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# `npm install` rather than `npm ci`: npm 11 writes a lock file without the other platforms' optional
# Biome binaries and then refuses `npm ci` for their absence; install still follows the lock file.
npm install --no-audit --no-fund
