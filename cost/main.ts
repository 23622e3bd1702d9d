/**
 * `npm run cost`: prints the cost model's report (`cli.ts`); a bad flag is one line on stderr and exit status 2.
 */
import * as fs from 'node:fs';
import { DEFINITION_FILE } from '../workflows/runner/definition';
import { parseOptions, report, UsageError } from './cli';

function main(): void {
  try {
    const options = parseOptions(process.argv.slice(2));
    const definition: unknown = JSON.parse(fs.readFileSync(DEFINITION_FILE, 'utf8'));
    for (const line of report(options, definition)) console.log(line);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`npm run cost: ${error.message}`);
    process.exitCode = 2;
  }
}

main();
