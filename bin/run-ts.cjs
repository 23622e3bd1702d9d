#!/usr/bin/env node
// Runs a TypeScript file directly (tsx's CommonJS loader), so no build step stands between a clone and a run.
require('tsx/cjs/api').register();
const path = require('node:path');
const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], path.resolve(script), ...args];
require(path.resolve(script));
