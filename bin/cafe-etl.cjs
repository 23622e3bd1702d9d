#!/usr/bin/env node
// The `cafe-etl` command: TypeScript run through tsx's loader, so a fresh clone needs only `npm ci`.
require('tsx/cjs/api').register();
const { main } = require('../workflows/cli/main.ts');
main(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
}).then((status) => { process.exitCode = status; });
