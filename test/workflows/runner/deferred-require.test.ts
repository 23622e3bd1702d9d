/**
 * requireDeferring: a package's top-level require of a module it needs only sometimes gets a stand-in, and the real
 * module loads, from the package's own directory, on first use. Run in a child Node process, on packages written
 * here: Node's own CommonJS loader is what it works with, and jest's module registry (even its createRequire) never
 * goes through it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { onFirstUse } from '../../../workflows/runner/deferred-require';

/** node_modules/lib requires `heavy` (its own nested copy) and `light` at load; `heavy` counts its loads. */
function packages(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'deferred-require-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('node_modules/lib/package.json', '{"name":"lib","main":"main.js"}');
  write('node_modules/lib/main.js', `
    const heavy = require('heavy');
    const light = require('light');
    exports.check = (x) => heavy(x);
    exports.make = () => new heavy.Client('made');
    exports.light = light;`);
  // The top-level heavy is another version: the package must get its own.
  write('node_modules/heavy/index.js', 'throw new Error("the top-level heavy was loaded");');
  write('node_modules/lib/node_modules/heavy/index.js', `
    globalThis.heavyLoads = (globalThis.heavyLoads ?? 0) + 1;
    module.exports = (x) => 'checked ' + x;
    module.exports.Client = class { constructor(name) { this.name = name; } };`);
  write('node_modules/light/index.js', 'module.exports = { loadedAt: "once" };');
  buildSync({
    entryPoints: [path.resolve(__dirname, '../../../workflows/runner/deferred-require.ts')],
    bundle: true, platform: 'node', format: 'cjs', outfile: path.join(root, 'deferred-require.cjs'), logLevel: 'error',
  });
  return root;
}

/** Runs `body` in a child Node process in `root` (requireDeferring in scope); its `report(...)` is returned, in order. */
function inNode(root: string, body: string): unknown[] {
  const script = path.join(root, 'script.js');
  fs.writeFileSync(script, `
    const { requireDeferring } = require('./deferred-require.cjs');
    const loads = () => globalThis.heavyLoads ?? 0;
    const reports = [];
    const report = (...values) => reports.push(...values);
    try { ${body} } catch (error) { report('threw: ' + error.message); }
    console.log(JSON.stringify(reports));`);
  const child = spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8' });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as unknown[];
}

describe('requireDeferring', () => {
  it('hands the package a stand-in and loads the real module, its own copy, on first use, once', () => {
    expect(inNode(packages(), `
      const lib = requireDeferring(require, 'lib', ['heavy']);
      report(loads(), lib.light.loadedAt, lib.check('a'), loads(), lib.make().name, lib.check('b'), loads());
    `)).toEqual([0, 'once', 'checked a', 1, 'made', 'checked b', 1]);
  });

  it('leaves every other require as it was, during and after', () => {
    expect(inNode(packages(), `
      requireDeferring(require, 'lib', ['heavy']);
      require('heavy');
    `)).toEqual(['threw: the top-level heavy was loaded']);
  });

  it('requires a package already loaded as it is', () => {
    expect(inNode(packages(), `
      const first = require('lib');
      report(loads(), requireDeferring(require, 'lib', ['heavy']) === first);
    `)).toEqual([1, true]);
  });
});

describe('onFirstUse', () => {
  it('stands for a function, a class or an object, loading once on the first call, new or property read', () => {
    let calls = 0;
    class Real {
      constructor(readonly n: number) {}
    }
    const exports = Object.assign((x: number) => x * 2, { Real, value: 7 });
    const standIn = onFirstUse(() => (calls++, exports)) as typeof exports & (new (n: number) => { n: number });
    expect(calls).toBe(0);
    expect(standIn(3)).toBe(6);
    expect(new standIn.Real(4).n).toBe(4);
    expect(standIn.value).toBe(7);
    expect('Real' in standIn).toBe(true);
    expect(calls).toBe(1);
  });

  it('passes a load failure to whoever first uses it', () => {
    const standIn = onFirstUse(() => {
      throw new Error('not installed');
    }) as () => void;
    expect(() => standIn()).toThrow('not installed');
  });
});
