#!/usr/bin/env bash
# Installs node_modules from the lock file (npm ci) when it is missing or older than package-lock.json,
# so `npm start` / `npm test` work on a fresh clone. Plain bash: npm can run it before node_modules exists.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm rewrites this hidden lockfile on every install, right after package-lock.json.
installed_stamp=node_modules/.package-lock.json

if [ -d node_modules ] && [ -f "$installed_stamp" ] && ! [ package-lock.json -nt "$installed_stamp" ]; then
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "[deps] npm is not installed: install Node.js 20.6+ (https://nodejs.org, or apt-get install -y nodejs npm)" >&2
  exit 1
fi

if [ -d node_modules ]; then
  echo "[deps] package-lock.json is newer than node_modules: reinstalling with npm ci"
else
  echo "[deps] node_modules is missing: installing with npm ci (first run, about a minute or two)"
fi
started=$SECONDS
if ! npm ci --no-audit --no-fund; then
  echo "[deps] npm ci failed (see above); nothing else was run" >&2
  exit 1
fi
echo "[deps] installed in $((SECONDS - started)) s"
