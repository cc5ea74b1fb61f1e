#!/usr/bin/env node
// The `dtx` bin: runs the compiled CLI (dist/cli/main.js) when `npm run build` output is current, else the TypeScript
// as is through tsx (a fresh clone before its first build, or sources edited since: never a stale dist/).
// DTX_CLI_FROM=source|dist forces one (dist fails when it is stale or missing).
'use strict';
const path = require('node:path');
const { staleReason } = require('../tools/build.js');

const root = path.resolve(__dirname, '..');
const from = process.env.DTX_CLI_FROM;
const reason = from === 'source' ? 'DTX_CLI_FROM=source' : staleReason(root);
if (from === 'dist' && reason !== undefined) {
  process.stderr.write(`dtx: DTX_CLI_FROM=dist, but dist/ cannot be used: ${reason} (npm run build)\n`);
  process.exit(1);
}
const compiled = reason === undefined;
if (compiled) {
  // stack traces name the .ts files
  process.setSourceMapsEnabled(true);
} else {
  require('tsx/cjs');
}
// `dtx ... | head` closes the pipe early: that is not an error
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const cli = (name) => (compiled ? path.join(root, 'dist', 'cli', `${name}.js`) : `./${name}.ts`);
// tracing first (cli/telemetry.ts): set up before grpc, pg and kafkajs are required. OTEL_* variables turn it on
// (common/telemetry.ts); without any it is not even loaded (@opentelemetry/api alone took ~20% of `dtx --help`)
const tracing = Object.keys(process.env).some((name) => name.startsWith('OTEL_') || name === 'DTX_TRACING');
const telemetry = tracing ? require(cli('telemetry')) : undefined;
const { main } = require(cli('main'));

main(process.argv).then(
  // queued spans are flushed first (bounded: an unreachable collector never holds the command)
  (code) => (telemetry ? telemetry.shutdownTelemetry() : Promise.resolve()).then(() => process.exit(code)),
  (error) => {
    process.stderr.write(`dtx: ${error && error.message ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
