#!/usr/bin/env node
// The `cafe-etl` command: the compiled command line (dist/cli.cjs, built from workflows/cli/main.ts by
// scripts/build-cli.mjs, which `npm ci` runs as the `prepare` script). No TypeScript is compiled at start.
const path = require('node:path');
const CLI = path.join(__dirname, '..', 'dist', 'cli.cjs');
let cli;
try {
  cli = require(CLI);
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(CLI)) {
    process.stderr.write(`cafe-etl: ${path.relative(process.cwd(), CLI) || CLI} is missing: run \`npm ci\` (or \`npm run build\`) first\n`);
    process.exit(1);
  }
  throw error;
}
// `cafe-etl … | head`: the reader left; stop quietly as other Unix tools do, not with an EPIPE stack.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
cli.main(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
}).then((status) => { process.exitCode = status; });
