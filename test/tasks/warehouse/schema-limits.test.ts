/** The star schema's column types are written from domain/limits.ts, the limits the row decoder enforces. */
import { MAX_PENCE, MONEY_PRECISION, MONEY_SCALE, TEXT_BYTES, textFault } from '../../../tasks/domain/limits';
import { formatPence } from '../../../tasks/domain/money';
import { postgresDialect, redshiftDialect } from '../../../tasks/warehouse/dialect';
import { statements } from '../../../tasks/warehouse/sql/v001-star-schema';

const typeOf = (sql: string, column: string) => new RegExp(`\\n  ${column} ([A-Z]+(?:\\(\\d+(?:,\\d+)?\\))?)`).exec(sql)?.[1];

describe('star schema limits', () => {
  it.each([postgresDialect, redshiftDialect])('$name: money and text columns are the limits the decoder checks', (dialect) => {
    const sql = statements(dialect).join('\n');
    const money = `NUMERIC(${MONEY_PRECISION},${MONEY_SCALE})`;
    for (const column of ['total', 'unit_price', 'line_total']) expect(typeOf(sql, column)).toBe(money);
    expect(typeOf(sql, 'branch_name')).toBe(`VARCHAR(${TEXT_BYTES.branchName})`);
    expect(typeOf(sql, 'product_name')).toBe(`VARCHAR(${TEXT_BYTES.productName})`);
    expect(typeOf(sql, 'flavour')).toBe(`VARCHAR(${TEXT_BYTES.flavour})`);
    expect(typeOf(sql, 'size')).toBe(`VARCHAR(${TEXT_BYTES.size})`);
    expect(typeOf(sql, 'payment_type')).toBe(`VARCHAR(${TEXT_BYTES.paymentType})`);
    // Migration 1 is applied already in every warehouse: its text must not change.
    expect(sql).toContain('branch_name VARCHAR(256) NOT NULL');
    expect(sql).toContain('total NUMERIC(10,2) NOT NULL');
  });

  it('the largest amount is NUMERIC(10,2)\'s, and text is measured in UTF-8 bytes, control characters refused', () => {
    expect(formatPence(MAX_PENCE)).toBe('99999999.99');
    expect(textFault('a'.repeat(256), 256)).toBeNull();
    expect(textFault('a'.repeat(257), 256)).toMatch(/longer than 256 bytes/);
    expect(textFault('€'.repeat(85), 256)).toBeNull();
    expect(textFault('€'.repeat(86), 256)).toMatch(/longer/);
    expect(textFault('😀'.repeat(64), 256)).toBeNull();
    expect(textFault('😀'.repeat(65), 256)).toMatch(/longer/);
    for (const c of ['\u0000', '\n', '\u001b', '\u007f', '\u0085']) expect(textFault(`Le${c}eds`, 256)).toMatch(/control character/);
  });
});
