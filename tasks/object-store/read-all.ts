/** Collects a streamed object (or byte range) into one buffer: a chunk is bounded by the plan, so it fits. */
export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.isBuffer(part) ? part : Buffer.from(part.buffer, part.byteOffset, part.byteLength));
  return Buffer.concat(parts);
}
