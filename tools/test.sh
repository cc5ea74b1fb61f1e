#!/usr/bin/env bash
# `npm test`: dependencies -> typecheck -> lint -> format -> build -> stack up -> migrations -> unit tests ->
# integration tests.
# Stops at the first stage that fails and names it.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

# The tests' own databases (test_dtx_*), Temporal namespace (dtx-test) and Kafka names (test.dtx.*), apart from a
# running `npm start`'s, for every stage: `stack up` registers the namespace and creates the databases, migrate
# migrates them, jest uses them. One list, test/support/test-names.json (jest.config.js reads it too); a value already
# in the environment wins, but the tests refuse `npm start`'s own names.
while IFS='=' read -r name value; do
  export "$name=$value"
done < <(node -e '
  const names = require("./test/support/test-names.json");
  for (const [name, value] of Object.entries(names)) if (!process.env[name]) console.log(`${name}=${value}`);
')
# The tests' logs go to test/artifacts/logs/ (a failing test file prints its own); so do the migrate stage's.
mkdir -p test/artifacts/logs

started=$SECONDS
stage() {
  local name=$1
  shift
  echo
  echo "==== npm test: ${name}"
  local stage_started=$SECONDS
  if ! "$@"; then
    echo >&2
    echo "npm test: FAILED at stage \"${name}\" (after $((SECONDS - started)) s); the stages after it did not run" >&2
    exit 1
  fi
  echo "==== npm test: ${name}: ok ($((SECONDS - stage_started)) s)"
}

stage "dependencies (npm ci when needed)" bash tools/ensure-deps.sh
stage "typecheck (tsc --noEmit)" tsc --noEmit -p .
stage "lint (eslint)" eslint .
stage "format (prettier --check; npm run format fixes it)" prettier --check --log-level warn .
# dist/ as `npm start` runs it; the dtx bin the tests spawn runs it too (it falls back to tsx when dist/ is stale)
stage "build (npm run build, when dist/ is stale)" node tools/build.js --if-stale
stage "stack up (Temporal, Kafka, PostgreSQL)" node cli/dtx.js stack up
# A fresh cluster has empty databases; integration tests expect the schemas (as a started dtx has them).
stage "migrate the databases" env DTX_LOG_FILE=test/artifacts/logs/migrate.log tsx tools/migrate.ts
stage "unit tests" jest --selectProjects unit
stage "chromium for the Temporal UI browser check" bash tools/ensure-chromium.sh
stage "integration tests" jest --selectProjects integration --runInBand

echo
echo "npm test: all stages passed in $((SECONDS - started)) s (the stack keeps running; npm run stack -- down stops it)"
