import {
  ReadyScanner, copiesFromClient, copyInResponse, errorResponse, frontendMessage, frontendType, simpleQuery, sqlOf, withoutFirst,
} from '../../../../tasks/warehouse/embedded/wire-messages';

const ready = (status: string) => frontendMessage('Z', Buffer.from(status));
const complete = (tag: string) => frontendMessage('C', Buffer.from(`${tag}\0`));

describe('wire messages', () => {
  it('follows ReadyForQuery across any split of a backend stream', () => {
    const stream = Buffer.concat([complete('BEGIN'), ready('T'), frontendMessage('D', Buffer.from('Z\0\0\0\x05I')), complete('COMMIT'), ready('I')]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const scanner = new ReadyScanner();
      scanner.feed(stream.subarray(0, cut));
      scanner.feed(stream.subarray(cut));
      expect(scanner.lastStatus).toBe('I');
    }
    const partial = new ReadyScanner();
    partial.feed(Buffer.concat([complete('BEGIN'), ready('T'), complete('INSERT 0 1')]));
    expect(partial.lastStatus).toBe('T');
  });

  it('reads the SQL of Query and Parse and knows a COPY from the client', () => {
    expect(sqlOf(simpleQuery('COPY t FROM STDIN'))).toBe('COPY t FROM STDIN');
    const parse = frontendMessage('P', Buffer.from('s1\0copy t (a) from  stdin with (format csv)\0\0\0'));
    expect(sqlOf(parse)).toBe('copy t (a) from  stdin with (format csv)');
    expect(copiesFromClient(sqlOf(parse)!)).toBe(true);
    expect(copiesFromClient('BEGIN; COPY t FROM STDIN')).toBe(true);
    expect(copiesFromClient('COPY t TO STDOUT')).toBe(false);
    expect(copiesFromClient("SELECT 'stdin'")).toBe(false);
    expect(sqlOf(frontendMessage('S'))).toBeUndefined();
  });

  it('tells a startup message from a typed one', () => {
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8, 0);
    startup.writeInt32BE(196_608, 4);
    expect(frontendType(startup)).toBe('startup');
    expect(frontendType(frontendMessage('X'))).toBe('X');
  });

  it('drops the first message of a type from a response, and frames what it answers itself', () => {
    const response = Buffer.concat([copyInResponse(), complete('COPY 3'), ready('I')]);
    expect(Buffer.from(withoutFirst(response, 'G'))).toEqual(Buffer.concat([complete('COPY 3'), ready('I')]));
    expect(withoutFirst(response, 'E')).toBe(response);
    expect(Buffer.from(copyInResponse())).toEqual(Buffer.from([0x47, 0, 0, 0, 7, 0, 0, 0]));
    expect(Buffer.from(errorResponse('0A000', 'no')).toString('latin1')).toBe('E\0\0\0\x1eSERROR\0VERROR\0C0A000\0Mno\0\0');
  });
});
