import { decodeLoadRequest } from '../../../tasks/warehouse/load-request';

const request = {
  file: { bucket: 'b', key: 'raw/leeds/big.csv', sha256: 'a'.repeat(64), size: 50 * 1024 ** 3 },
  fileId: '123456789012345678',
  executionId: 'exec',
  rowsIn: 400_000_000,
  rowsRejected: 12,
  staged: { branches: ['s/b.csv'], products: ['s/p.csv'], transactions: ['s/t.csv'], basket_items: ['s/i.csv'] },
  aggregates: ['s/a.csv'],
};

describe('decodeLoadRequest', () => {
  it('takes a file past 2 GiB (its size is a BIGINT column)', () => {
    expect(decodeLoadRequest(request).file.size).toBe(50 * 1024 ** 3);
  });

  it('refuses what would not be safe to inline into SQL, naming it', () => {
    expect(() => decodeLoadRequest({ ...request, fileId: '1; DROP TABLE x' })).toThrow(/fileId/);
    expect(() => decodeLoadRequest({ ...request, file: { ...request.file, sha256: 'not-hex' } })).toThrow(/sha256/);
    expect(() => decodeLoadRequest({ ...request, rowsIn: 2 ** 31 })).toThrow(/rowsIn/);
  });
});
