/**
 * The few PostgreSQL wire-protocol facts the socket guard needs, as pure functions: a frontend message's type and
 * SQL, whether that SQL copies from the client, the messages the guard answers itself, and a scanner that follows
 * a backend byte stream, chunk by chunk, to its last ReadyForQuery status.
 */

const PROTOCOL_3 = 196_608;

/** A frontend message's type letter; 'startup' for the untyped first message of a connection. */
export function frontendType(message: Uint8Array): string {
  if (message.length >= 8 && readInt32(message, 4) === PROTOCOL_3) return 'startup';
  return String.fromCharCode(message[0]!);
}

/** The SQL of a Query ('Q') or the statement of a Parse ('P': name\0 sql\0 …). */
export function sqlOf(message: Uint8Array): string | undefined {
  const type = frontendType(message);
  const body = Buffer.from(message.buffer, message.byteOffset + 5, message.length - 5);
  if (type === 'Q') return body.toString('utf8', 0, body.indexOf(0));
  if (type === 'P') {
    const start = body.indexOf(0) + 1;
    return body.toString('utf8', start, body.indexOf(0, start));
  }
  return undefined;
}

/** COPY … FROM STDIN (also inside a multi-statement query): the client will stream CopyData after it. */
export function copiesFromClient(sql: string): boolean {
  return /\bcopy\b[\s\S]*\bfrom\s+stdin\b/i.test(sql);
}

/** CopyInResponse, text format; clients of a text COPY do not read the column count. */
export function copyInResponse(): Uint8Array {
  return message('G', Buffer.from([0, 0, 0]));
}

export function errorResponse(sqlstate: string, text: string): Uint8Array {
  const fields = [`SERROR`, `VERROR`, `C${sqlstate}`, `M${text}`].map((f) => `${f}\0`).join('');
  return message('E', Buffer.from(`${fields}\0`, 'utf8'));
}

export function frontendMessage(type: string, body: Uint8Array = new Uint8Array()): Uint8Array {
  return message(type, body);
}

export function simpleQuery(sql: string): Uint8Array {
  return message('Q', Buffer.from(`${sql}\0`, 'utf8'));
}

/** Whole backend messages of a complete response, without the first one of `type`. */
export function withoutFirst(response: Uint8Array, type: string): Uint8Array {
  const code = type.charCodeAt(0);
  for (let at = 0; at + 5 <= response.length; at += 1 + readInt32(response, at + 1)) {
    if (response[at] === code) {
      const end = at + 1 + readInt32(response, at + 1);
      return Buffer.concat([response.subarray(0, at), response.subarray(end)]);
    }
  }
  return response;
}

/**
 * Follows backend messages across chunk boundaries without copying them, remembering the status byte of the last
 * ReadyForQuery ('I' idle, 'T' in a transaction, 'E' in a failed transaction).
 */
export class ReadyScanner {
  private header: number[] = [];
  private remaining = 0;
  private inReady = false;
  lastStatus: string | undefined;

  feed(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length;) {
      if (this.remaining === 0) {
        this.header.push(chunk[i++]!);
        if (this.header.length === 5) {
          const [type, a, b, c, d] = this.header as [number, number, number, number, number];
          this.remaining = ((a << 24) | (b << 16) | (c << 8) | d) - 4;
          this.inReady = type === 0x5a; // 'Z'
          this.header = [];
        }
      } else {
        if (this.inReady) this.lastStatus = String.fromCharCode(chunk[i]!);
        this.inReady = false;
        const take = Math.min(this.remaining, chunk.length - i);
        i += take;
        this.remaining -= take;
      }
    }
  }
}

function message(type: string, body: Uint8Array): Uint8Array {
  const out = Buffer.alloc(5 + body.length);
  out.write(type, 0, 'latin1');
  out.writeInt32BE(4 + body.length, 1);
  out.set(body, 5);
  return out;
}

function readInt32(bytes: Uint8Array, at: number): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readInt32BE(at);
}
