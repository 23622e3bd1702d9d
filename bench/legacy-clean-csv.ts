/**
 * bench:transform's baseline: the staged clean-row format before the flat one (tasks/extract/clean-csv.ts),
 * kept only so the benchmark can time the old read-back beside the new. One transaction a line:
 * `row,sold_at,branch,payment_type,total_pence,items` where items is a JSON array of
 * `[name, size, flavour|null, price_pence]`, read back with d3-dsv, JSON.parse and io-ts.
 */
import { csvFormatRows, csvParseRows } from 'd3-dsv';
import { left, right, type Either } from 'fp-ts/Either';
import * as t from 'io-ts';
import { PathReporter } from 'io-ts/PathReporter';
import { InvalidInputError } from '../tasks/domain/errors';
import { CleanTransactionCodec, type CleanTransaction } from '../tasks/domain/transaction';

export function legacyCleanToCsv(rows: readonly CleanTransaction[]): string {
  const out = csvFormatRows(
    rows.map((tx) => [
      String(tx.row),
      tx.soldAt,
      tx.branch,
      tx.paymentType,
      String(tx.totalPence),
      JSON.stringify(tx.items.map((i) => [i.name, i.size, i.flavour, i.pricePence])),
    ]),
  );
  return out === '' ? '' : `${out}\n`;
}

function parseItems(json: string): unknown {
  try {
    const parsed: unknown = JSON.parse(json);
    if (!Array.isArray(parsed)) return parsed;
    return parsed.map((item: unknown) =>
      Array.isArray(item) ? { name: item[0], size: item[1], flavour: item[2], pricePence: item[3] } : item,
    );
  } catch {
    return json;
  }
}

const CleanRowsCodec = t.array(CleanTransactionCodec);

export function legacyCleanFromCsv(text: string): Either<InvalidInputError, CleanTransaction[]> {
  const candidates = csvParseRows(text).map((fields) =>
    fields.length === 6
      ? {
          row: Number(fields[0]),
          soldAt: fields[1],
          branch: fields[2],
          paymentType: fields[3],
          totalPence: Number(fields[4]),
          items: parseItems(fields[5]!),
        }
      : fields.length,
  );
  const decoded = CleanRowsCodec.decode(candidates);
  if (decoded._tag === 'Left') {
    const report = PathReporter.report(decoded).slice(0, 5).join('; ');
    return left(new InvalidInputError(`staged clean rows do not decode: ${report}`));
  }
  return right(decoded.right);
}
