#!/usr/bin/env bash
# `npm start`: make sure node_modules exists, then run the main job (scripts/start.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec node --import tsx scripts/start.ts "$@"
