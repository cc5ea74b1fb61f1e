#!/usr/bin/env bash
# Headless Chromium for the Temporal UI browser check (test/integration/ui): the Debian package "chromium" at
# /usr/bin/chromium. Installs it with apt-get when missing and running as root; otherwise says what to install
# (the browser test then fails with the same message).
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  echo "chromium: $CHROMIUM present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "chromium: $CHROMIUM is missing and this is not root, so it is not installed here;" >&2
  echo "  install the Debian package \"chromium\": sudo apt-get update && sudo apt-get install -y chromium" >&2
  echo "  (the Temporal UI browser test fails until then)" >&2
  exit 0
fi

echo "chromium: $CHROMIUM is missing; installing the Debian package \"chromium\" (apt-get, takes a minute)"
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update && apt-get install -y chromium; }; then
  echo "chromium: apt-get could not install the package \"chromium\" (see above); the Temporal UI browser test needs it" >&2
  exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "chromium: the package \"chromium\" is installed but $CHROMIUM is missing" >&2
  exit 1
fi
echo "chromium: installed ($("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"))"
