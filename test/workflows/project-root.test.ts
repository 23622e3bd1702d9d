import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT, projectRootFrom } from '../../workflows/project-root';
import { DEFINITION_FILE } from '../../workflows/runner/definition';
import { ASSETS_DIR, WEB_DIR } from '../../workflows/console/build';

const REPO = path.resolve(__dirname, '../..');

describe('the project root', () => {
  it('is the same from the sources and from the bundle directory (dist/), so paths do not depend on __dirname', () => {
    expect(PROJECT_ROOT).toBe(REPO);
    expect(projectRootFrom(path.join(REPO, 'workflows/runner'))).toBe(REPO);
    expect(projectRootFrom(path.join(REPO, 'dist'))).toBe(REPO);
    expect(DEFINITION_FILE).toBe(path.join(REPO, 'statemachine.asl.json'));
    expect([WEB_DIR, ASSETS_DIR]).toEqual([path.join(REPO, 'workflows/console/web'), path.join(REPO, 'workflows/console/dist')]);
  });

  it('is an error, naming the marker, outside the project', () => {
    expect(() => projectRootFrom(os.tmpdir())).toThrow(/no statemachine\.asl\.json in/);
  });
});
