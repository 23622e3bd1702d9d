/**
 * Extract reads an ASCII chunk's baskets, timestamps and payment types from its bytes (csv-kernels/ascii-bytes.ts).
 * The rows must be exactly those the characters give: generated files of every layout with bad rows and damaged
 * quotes, baskets of arbitrary items, and every peer export, decoded both ways.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { AsciiBytes } from '../../../tasks/csv-kernels/ascii-bytes';
import { BasketReader } from '../../../tasks/domain/basket';
import { generateFileText } from '../../../workflows/generate/file';
import { FILE_LAYOUTS } from '../../../workflows/generate/layouts';
import { describeWithPeerData, PEER_DATA, peerDataFiles } from '../../support/requirements';
import { runCore } from './helpers';

async function bothWays(content: string | Buffer, target: number, piece = 4096): Promise<void> {
  const fromBytes = await runCore(content, target, piece);
  const fromText = await runCore(content, target, piece, { bytes: false });
  expect(fromBytes).toEqual(fromText);
}

describe('the ASCII path', () => {
  it('gives the rows and rejects the text gives, for generated files of every layout, cut anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          layout: fc.constantFrom(...FILE_LAYOUTS),
          branch: fc.constantFrom('Leeds', 'Isle of Wight', 'Southend-on-Sea'),
          day: fc.constantFrom('2021-09-01', '2024-02-29'),
          rows: fc.integer({ min: 1, max: 80 }),
          badRows: fc.integer({ min: 0, max: 10 }),
          seed: fc.integer({ min: 0, max: 2 ** 31 }),
        }),
        fc.integer({ min: 200, max: 6000 }),
        async (spec, target) => {
          const { text } = generateFileText({ ...spec, badRows: Math.min(spec.badRows, Math.floor(spec.rows / 3)) });
          await bothWays(text, target);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives the same rows for damaged lines: padded fields, escaped quotes, blank and duplicated items, lower-case payments', async () => {
    const lines = [
      '01/09/2021 09:00,Leeds,Ann,"Large Latte - 2.45, Large Latte - 2.45",4.90,CARD,1234',
      '01/09/2021 09:00,Leeds,Bob,"  Large Latte - 2.45 ,Regular Tea - 1.00  ",3.45,cash,',
      '01/09/2021 09:01, Leeds ,Cy,"Large ""Latte"" - 2.45",2.45,CARD,',
      '01/09/2021 09:01,Leeds,Di,"Large Latte - 2.45,,Regular Tea - 1.00",3.45,CASH,',
      '01/09/2021 09:01,Leeds,Ed,"Large Latte - 2.45, ",2.45,CASH,',
      '01/09/2021 09:02,Leeds,Fi,"Large Latte - 2.45"   ,2.45,CARD,',
      '01/09/2021 09:02,Leeds,Gu,Large Latte - x,2.45,CARD,',
      '01/09/2021 09:02,Leeds,Hu,"Large Latte - 2.45",2.45,CAR,',
      '01/09/2021 09:02,Leeds,Io,"Large Latte - 2.45",2.45,CARDS,',
      '01/09/2021 09:03,Leeds,"Jo ""J"" Smith","Large Latte - 2.45",2.45,CASH,',
      '"01/09/2021 09:03",Leeds,Ka,"Large Latte - 2.45",2.45,"CASH",',
      '01/09/2021 09:03,Leeds,La,"Large Latte - 2.45, Large Latte - 2.55",5.00,CASH,',
    ];
    for (const target of [64, 200, 1 << 20]) await bothWays(`${lines.join('\n')}\n`, target, 17);
  });

  it('reads any basket of ASCII items as the text reader does', () => {
    const part = fc.constantFrom('Large', 'Regular', 'large', ' ', '  ', 'Latte', 'Flavoured latte', ' - ', '-', 'Hazelnut', '2.45', '0', 'x', ',', '');
    fc.assert(
      fc.property(fc.array(fc.array(part, { maxLength: 8 }).map((p) => p.join('')), { minLength: 1, maxLength: 6 }), fc.nat(5), (items, pad) => {
        const basket = items.join(',');
        const line = `${'#'.repeat(pad)}${basket}#${basket}`;
        const bytes = new AsciiBytes(Buffer.from(line));
        const fromBytes = new BasketReader('standard');
        const fromText = new BasketReader('standard');
        // Twice, the second from the table the first filled.
        for (const start of [pad, pad + basket.length + 1]) {
          expect(fromBytes.read(line, start, start + basket.length, bytes)).toEqual(fromText.read(line, start, start + basket.length));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describeWithPeerData('the ASCII path on peer exports', () => {
  it.each(peerDataFiles())('%s decodes the same from bytes as from text', async (file) => {
    await bothWays(fs.readFileSync(path.join(PEER_DATA, file)), 64 * 1024, 64 * 1024);
  });
});
