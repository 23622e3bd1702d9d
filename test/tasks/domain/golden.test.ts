/** Golden cases, written as our own lines in the formats of the real exports. */
import { runCore } from './helpers';
import { toStarRows } from '../../oracles/star-rows';
import { starToCsv } from '../../../tasks/transform/star-lines';

const STANDARD = [
  '01/09/2021 09:00,Leeds,Ann Example,"Regular Flavoured latte - Hazelnut - 2.55, Large Latte - 2.45, Regular Speciality Tea - Earl Grey - 1.30",6.3,CARD,4000',
  '01/09/2021 09:05,Leeds,Bob Example,Large Frappes - Strawberries & Cream - 3.25,3.25,CASH,',
  '01/09/2021 09:07,Leeds,Cy Example,"Regular Espresso - 1.50, Regular Espresso - 1.50, Large Espresso - 1.80",4.8,card,',
].join('\n');

describe('golden cases', () => {
  it('reads flavoured, un-flavoured and 3-part items; 01/09/2021 is 1 September', async () => {
    const { transactions, rejects } = await runCore(STANDARD);
    expect(rejects).toEqual([]);
    expect(transactions[0]).toEqual({
      row: 1,
      soldAt: '2021-09-01 09:00:00',
      branch: 'Leeds',
      paymentType: 'CARD',
      totalPence: 630,
      items: [
        { name: 'Flavoured latte', size: 'Regular', flavour: 'Hazelnut', pricePence: 255 },
        { name: 'Latte', size: 'Large', flavour: null, pricePence: 245 },
        { name: 'Speciality Tea', size: 'Regular', flavour: 'Earl Grey', pricePence: 130 },
      ],
    });
    expect(transactions[1]!.items).toEqual([{ name: 'Frappes', size: 'Large', flavour: 'Strawberries & Cream', pricePence: 325 }]);
    expect(transactions[2]!.paymentType).toBe('CARD');
  });

  it('merges repeated identical basket lines into a quantity', async () => {
    const { transactions } = await runCore(STANDARD);
    const star = toStarRows(transactions, { bucket: 'raw', key: 'raw/leeds/a.csv' });
    const lines = star.basket_items.filter((l) => l.transactionId === star.transactions[2]!.transactionId);
    expect(lines.map((l) => [l.lineNo, l.quantity, l.unitPricePence, l.lineTotalPence])).toEqual([
      [1, 2, 150, 300],
      [2, 1, 180, 180],
    ]);
    expect(star.products.filter((p) => p.productName === 'Espresso').map((p) => p.size)).toEqual(['Regular', 'Large']);
  });

  it('gives the same rows with and without a header, a BOM, CRLF and a last line of one space', async () => {
    const plain = await runCore(STANDARD);
    const decorated = await runCore(`\uFEFFWhen,Shop,Who,What,How Much,Paid With,Card Ref\r\n${STANDARD.replace(/\n/g, '\r\n')}\r\n `);
    expect(decorated.plan.layout).toEqual({ kind: 'standard', headerRows: 1 });
    expect(decorated.rejects).toEqual([]);
    expect(decorated.transactions.map((t) => ({ ...t, row: t.row - 1 }))).toEqual(plain.transactions);
  });

  it('reads space-padded fields, where d3-dsv leaves an extra blank field after the quoted basket', async () => {
    const padded = await runCore(
      '01/09/2021 09:00 ,Leeds   ,Ann Example   ,"Regular Latte - 2.15, Large Latte - 2.45"     ,4.6   ,CARD ,4000\n' +
        '01/09/2021 09:01 ,Leeds   ,Bob Example   ,Regular Latte - 2.15                          ,2.15  ,CASH ,    \n',
    );
    expect(padded.rejects).toEqual([]);
    expect(padded.transactions.map((t) => [t.branch, t.totalPence, t.paymentType, t.items.length])).toEqual([
      ['Leeds', 460, 'CARD', 2],
      ['Leeds', 215, 'CASH', 1],
    ]);
  });

  it('reads Excel-mangled files: unpadded dates, sci-notation cards, whole-pound totals', async () => {
    const { transactions, rejects } = await runCore(
      'date,branch_name,customer,orders,total_price,payment_method,card_number\n' +
        '9/5/2023 9:00,Leeds,Ann Example,"Regular Latte - 2.15, Large Hot Chocolate - 1.70, Regular Hot chocolate - 2.20",6.05,CARD,5.12345E+15\n' +
        '9/5/2023 9:01,Leeds,Bob Example,"Regular Latte - 2.50, Regular Latte - 2.50",5,CASH,\n',
    );
    expect(rejects).toEqual([]);
    expect(transactions.map((t) => [t.soldAt, t.totalPence])).toEqual([
      ['2023-05-09 09:00:00', 605],
      ['2023-05-09 09:01:00', 500],
    ]);
    expect(transactions[0]!.items.map((i) => i.name)).toEqual(['Latte', 'Hot Chocolate', 'Hot chocolate']);
  });

  it('reads Aberdeen 2020 baskets: a missing size word is Regular, leading and double spaces are dropped', async () => {
    const { transactions, rejects } = await runCore(
      '11/10/2020 08:11,Aberdeen,Ann Example," Speciality Tea - Camomile - 1.30,  Iced  latte - 2.35, Large Latte - 2.45, Babyccino - 0.00",6.10,CASH,\r\n',
    );
    expect(rejects).toEqual([]);
    expect(transactions[0]!.items).toEqual([
      { name: 'Speciality Tea', size: 'Regular', flavour: 'Camomile', pricePence: 130 },
      { name: 'Iced latte', size: 'Regular', flavour: null, pricePence: 235 },
      { name: 'Latte', size: 'Large', flavour: null, pricePence: 245 },
      { name: 'Babyccino', size: 'Regular', flavour: null, pricePence: 0 },
    ]);
  });

  it('reads the Isle of Wight layout: ISO timestamps, triples with blank sizes, payment before total, card brands', async () => {
    const { plan, transactions, rejects } = await runCore(
      '2021-02-23 09:00:48,Isle of Wight,Ann Example,"Large,Hot chocolate,2.9,,Flavoured latte - Gingerbread,2.55",CASH,5.45,None\n' +
        '2021-02-23 09:01:45,Isle of Wight,Bob Example,"Regular,Latte,2.15",CARD,2.15,"visa,4000"\n',
    );
    expect(plan.layout).toEqual({ kind: 'isle-of-wight', headerRows: 0 });
    expect(rejects).toEqual([]);
    expect(transactions[0]).toMatchObject({ soldAt: '2021-02-23 09:00:48', paymentType: 'CASH', totalPence: 545 });
    expect(transactions[0]!.items).toEqual([
      { name: 'Hot chocolate', size: 'Large', flavour: null, pricePence: 290 },
      { name: 'Flavoured latte', size: 'Regular', flavour: 'Gingerbread', pricePence: 255 },
    ]);
    expect(transactions[1]).toMatchObject({ paymentType: 'CARD', totalPence: 215 });
  });

  it('writes the star CSV contract: no header, money in 2 dp, NULL flavour as an empty field', async () => {
    const { transactions } = await runCore(STANDARD);
    const star = toStarRows(transactions, { bucket: 'raw', key: 'raw/leeds/a.csv' });
    const products = starToCsv('products', star.products).split('\n');
    expect(products).toContain(`${star.products.find((p) => p.productName === 'Latte')!.productId},Latte,Large,`);
    const tx = starToCsv('transactions', star.transactions).split('\n')[0]!.split(',');
    expect(tx.slice(2)).toEqual(['1', star.branches[0]!.branchId, '2021-09-01 09:00:00', 'CARD', '6.30']);
    expect(star.transactions.every((t) => /^[1-9]\d*$/.test(t.transactionId) && BigInt(t.transactionId) < 2n ** 63n)).toBe(true);
    // Deterministic: the same file and rows give the same ids.
    expect(toStarRows(transactions, { bucket: 'raw', key: 'raw/leeds/a.csv' })).toEqual(star);
    expect(toStarRows(transactions, { bucket: 'raw', key: 'raw/leeds/b.csv' }).transactions[0]!.transactionId).not.toBe(
      star.transactions[0]!.transactionId,
    );
  });
});
