#!/usr/bin/env bash
# `npm start`: make sure node_modules exists, compile to dist/ when it is missing or older than the sources
# (tools/build.js --if-stale), then run the main job compiled (dist/start/main.js), which runs the parts compiled too.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure-deps.sh
node tools/build.js --if-stale
exec node --enable-source-maps dist/start/main.js "$@"
