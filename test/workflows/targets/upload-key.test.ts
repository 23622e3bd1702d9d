import { executionNameFor } from '../../../workflows/runner/local-runner';
import { branchSlug, keyFileName, MAX_KEY_BYTES, rawKeyFor, uploadIdOf } from '../../../workflows/targets/upload-key';

describe('upload keys', () => {
  it('keep the real file name, spaces and any script included, replacing only what S3 says to avoid', () => {
    expect(keyFileName('leeds day.csv')).toBe('leeds day.csv');
    expect(keyFileName('leeds_day.csv')).toBe('leeds_day.csv');
    expect(keyFileName('Café Zürich 東京.csv')).toBe('Café Zürich 東京.csv');
    expect(keyFileName('a\\b{c}^d%e`f[g]h"i<j>k~l#m|n\u0007o.csv')).toBe('a_b_c__d_e_f_g_h_i_j_k_l_m_n_o.csv');
    expect(keyFileName('.hidden.csv')).toBe('_hidden.csv');
  });

  it('end in the .csv the EventBridge rule matches (case-sensitively)', () => {
    expect(keyFileName('DAY.CSV')).toBe('DAY.csv');
    expect(keyFileName('day.txt')).toBe('day.txt.csv');
  });

  it('stay within S3 limits whatever the name and branch', () => {
    const key = rawKeyFor({ fileName: `${'é'.repeat(400)}.csv`, branch: 'b'.repeat(500), uploadId: uploadIdOf(new Date()) });
    expect(Buffer.byteLength(key)).toBeLessThanOrEqual(MAX_KEY_BYTES);
    expect(Buffer.byteLength(key.split('/').at(-1)!)).toBeLessThanOrEqual(255);
    expect(key.split('/').at(-1)).toMatch(/^é+\.csv$/);
  });

  it('put the branch in a readable folder and the upload in its own', () => {
    expect(branchSlug('Isle of Wight')).toBe('isle-of-wight');
    expect(branchSlug('  Café  Royale! ')).toBe('cafe-royale');
    expect(branchSlug('../..')).toBe('upload');
    expect(uploadIdOf(new Date('2024-05-01T08:30:00.123Z'), '3f9a2c')).toBe('20240501T083000Z-3f9a2c');
    expect(rawKeyFor({ fileName: 'leeds day.csv', branch: 'Leeds', uploadId: '20240501T083000Z-3f9a2c' })).toBe('raw/leeds/20240501T083000Z-3f9a2c/leeds day.csv');
    expect(rawKeyFor({ fileName: 'stock-take.csv', branch: 'head-office' })).toBe('raw/head-office/stock-take.csv');
  });

  it('give execution names that are safe file names', () => {
    for (const name of ['café _1 東京.csv', 'leeds day.csv', '..csv']) {
      expect(executionNameFor(rawKeyFor({ fileName: name, branch: 'x', uploadId: uploadIdOf(new Date()) }), new Date())).toMatch(/^[A-Za-z0-9_-]+$/);
    }
  });
});
