/**
 * The one rule for tests that need something of the machine or of the folder beside the repository:
 *
 * - a **tool** (PostgreSQL 15's binaries, psql, chromium) that is missing FAILS the suite that needs it, naming what
 *   is missing and how to get it, so CI never goes green by skipping. On a laptop without it,
 *   `CAFE_ETL_ALLOW_MISSING_TOOLS=1` skips that suite instead, saying so;
 * - the **peer exports** (../shared/peer-data) are data that is by design not in this repository: where the folder
 *   is absent their suites skip, saying so, whatever the switch.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ALLOW_MISSING_TOOLS = 'CAFE_ETL_ALLOW_MISSING_TOOLS';

export interface Tool {
  /** What it is and where it is looked for, e.g. "PostgreSQL 15 (/usr/lib/postgresql/15/bin/initdb)". */
  name: string;
  /** How to get it, e.g. "apt-get install postgresql-15". */
  install: string;
  /** Whether it is there (asked once, when the suite is declared). */
  present(): boolean;
}

export const missingToolsAllowed = (env: NodeJS.ProcessEnv = process.env): boolean => env[ALLOW_MISSING_TOOLS] === '1';

/** Why a suite that needs `tool` cannot run: the message of its failure, or of its skip. */
export function missingToolMessage(tool: Tool, suite: string, allowed: boolean): string {
  return allowed
    ? `${suite}: skipped, ${tool.name} is missing (${ALLOW_MISSING_TOOLS}=1)`
    : `${suite}: ${tool.name} is missing; ${tool.install}, or set ${ALLOW_MISSING_TOOLS}=1 to skip the tests that need it`;
}

type Verdict = 'run' | 'skip' | 'fail';
function verdictOf(tool: Tool, env: NodeJS.ProcessEnv = process.env): Verdict {
  if (tool.present()) return 'run';
  return missingToolsAllowed(env) ? 'skip' : 'fail';
}

/** `describe` when `tool` is there; otherwise one failing test naming it (or, with the switch, a skip saying so). */
export function describeNeeding(tool: Tool, name: string, body: () => void): void {
  switch (verdictOf(tool)) {
    case 'run':
      return describe(name, body);
    case 'skip':
      console.warn(missingToolMessage(tool, name, true));
      return describe.skip(name, body);
    case 'fail':
      return describe(name, () => {
        it(`needs ${tool.name}`, () => {
          throw new Error(missingToolMessage(tool, name, false));
        });
      });
  }
}

/** `it` when `tool` is there; otherwise a failing test of the same name (or, with the switch, a skip saying so). */
export function itNeeding(tool: Tool, name: string, fn: jest.ProvidesCallback, timeout?: number): void {
  switch (verdictOf(tool)) {
    case 'run':
      return it(name, fn, timeout);
    case 'skip':
      console.warn(missingToolMessage(tool, name, true));
      return it.skip(name, fn, timeout);
    case 'fail':
      return it(name, () => {
        throw new Error(missingToolMessage(tool, name, false));
      });
  }
}

/** The real branch exports beside the repository (never copied into it). */
export const PEER_DATA = path.resolve(__dirname, '../../..', 'shared/peer-data');

export const peerDataPresent = (): boolean => fs.existsSync(PEER_DATA);

/** The peer exports' CSV files (none when the folder is absent). */
export const peerDataFiles = (): string[] => (peerDataPresent() ? fs.readdirSync(PEER_DATA).filter((f) => f.endsWith('.csv')).sort() : []);

/** `describe` when ../shared/peer-data is there; otherwise a skip that says so (by design, whatever the switch). */
export function describeWithPeerData(name: string, body: () => void): void {
  if (peerDataPresent()) return describe(name, body);
  console.warn(`${name}: skipped, the peer exports folder ${PEER_DATA} is absent`);
  describe.skip(name, body);
}
