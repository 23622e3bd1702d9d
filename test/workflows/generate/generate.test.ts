import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../workflows/cli/main';
import { generateFileText } from '../../../workflows/generate/file';
import { FILE_LAYOUTS } from '../../../workflows/generate/layouts';

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
};

describe('generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const spec = { layout: 'standard' as const, branch: 'Leeds', day: '2021-09-01', rows: 50, badRows: 6, seed: 5 };
    expect(generateFileText(spec).text).toBe(generateFileText(spec).text);
    expect(generateFileText({ ...spec, seed: 6 }).text).not.toBe(generateFileText(spec).text);
  });

  it('bad rows cover every reject reason, each two ways over two cycles', () => {
    const { rejects, text } = generateFileText({ layout: 'padded', branch: 'Leeds', day: '2021-09-01', rows: 50, badRows: 14, seed: 5 });
    expect([...new Set(rejects.map((r) => r.reason))].sort()).toEqual(['amount', 'basket', 'columns', 'payment', 'text', 'timestamp', 'total_mismatch']);
    expect(text).toContain('\u0000');
    expect(text).toContain('100000000.00');
    expect(text).toMatch(/\/9999 /);
  });

  it('cafe-etl generate writes one file per branch and day, every layout when mixed', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cafe-etl-gen-'));
    const { io: terminal, err } = io();
    const status = await main(['generate', '--branches', '4', '--days', '2', '--rows', '5', '--out', out, '--seed', '3'], {}, terminal);
    expect(err).toEqual([]);
    expect(status).toBe(0);
    expect(fs.readdirSync(out)).toHaveLength(8);
    expect(fs.readdirSync(out)).toContain('leeds_26-08-2021_09-00-00.csv');
    expect(FILE_LAYOUTS).toHaveLength(8);
    fs.rmSync(out, { recursive: true });
  });

  it('cafe-etl generate refuses bad arguments', async () => {
    const { io: terminal, err } = io();
    expect(await main(['generate', '--branches', 'x', '--days', '1', '--rows', '1', '--out', 'o'], {}, terminal)).toBe(2);
    expect(err.join('')).toMatch(/branches/);
  });
});
