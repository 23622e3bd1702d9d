/**
 * Fresh homes whose embedded warehouse is already initialised: a PGlite initdb takes 5-12 s on a busy machine and
 * these tests are about processes sharing a warehouse, not about initdb. One template per PGlite version is made
 * once (built aside, then renamed into place, so parallel jest workers never see half of it) and copied.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openPglite } from '../../tasks/warehouse/pglite';
import { REPO } from './cli-process';

export async function homeWithWarehouse(prefix: string): Promise<string> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(await template(), path.join(home, 'warehouse'), { recursive: true });
  return home;
}

async function template(): Promise<string> {
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  const dir = path.join(os.tmpdir(), `cafe-etl-pglite-template-${version}`);
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return dir;
  const building = fs.mkdtempSync(`${dir}-building-`);
  await (await openPglite(building)).close();
  try {
    fs.renameSync(building, dir);
  } catch {
    fs.rmSync(building, { recursive: true, force: true }); // another worker's template is in place
  }
  return dir;
}
