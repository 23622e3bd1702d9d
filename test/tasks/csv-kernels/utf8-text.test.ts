import { utf8Text } from '../../../tasks/csv-kernels/utf8-text';

describe('utf8Text', () => {
  it.each([
    ['ASCII', Buffer.from('25/08/2021 09:00,Chesterfield,"Regular Latte - 2.45",2.45,CASH\r\n')],
    ['empty', Buffer.alloc(0)],
    ['UTF-8 text', Buffer.from('Café Crème,Łódź,€2.45\n')],
    ['bytes that are not UTF-8', Buffer.from([0x4c, 0x80, 0xff, 0x2c, 0xc3])],
    ['a lone high byte, the one Latin-1 and UTF-8 disagree on', Buffer.from([0xe9])],
  ])('gives what the UTF-8 decoder gives for %s', (_, bytes) => {
    expect(utf8Text(bytes)).toBe(bytes.toString('utf8'));
  });

  it('gives the same for every single byte value', () => {
    for (let b = 0; b < 256; b++) {
      const bytes = Buffer.from([0x41, b, 0x42]);
      expect(utf8Text(bytes)).toBe(bytes.toString('utf8'));
    }
  });
});
