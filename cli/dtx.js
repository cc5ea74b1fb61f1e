#!/usr/bin/env node
// The `dtx` bin: registers tsx so the TypeScript CLI runs as is, then hands over to cli/main.ts.
'use strict';
require('tsx/cjs');
// `dtx ... | head` closes the pipe early: that is not an error
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = require('./main.ts');

main(process.argv).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`dtx: ${error && error.message ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
