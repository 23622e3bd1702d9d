/**
 * Jest's global setup: builds dist/cli.cjs from the sources as they are now (about a second), so the tests that spawn
 * `bin/cafe-etl.cjs` never run a bundle older than the code under test.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function buildCli() {
  execFileSync(process.execPath, [path.resolve(__dirname, '../../scripts/build-cli.mjs')], { stdio: 'inherit' });
};
