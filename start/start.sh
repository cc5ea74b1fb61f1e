#!/usr/bin/env bash
# `npm start`: make sure node_modules exists, then run the main job (start/main.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure-deps.sh
exec node --import tsx start/main.ts "$@"
