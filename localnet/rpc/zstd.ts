// A Zstandard frame that stores its content uncompressed ("raw" blocks, RFC 8878 section 3.1.1.2): what the
// base64+zstd account encoding needs on Node 20, which has no zstd compressor. Any zstd decoder reads it.

const MAGIC = 0xfd2fb528;
const MAX_BLOCK_SIZE = 128 * 1024;

/** `data` in a zstd frame of raw blocks, with its content size in the header. */
export function zstdRawFrame(data: Uint8Array): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(4 + 1 + 8);
  header.writeUInt32LE(MAGIC, 0);
  // Frame header descriptor: content size in 8 bytes (FCS flag 3), single segment (no window descriptor).
  header[4] = (3 << 6) | (1 << 5);
  header.writeBigUInt64LE(BigInt(data.length), 5);
  parts.push(header);
  let offset = 0;
  do {
    const size = Math.min(MAX_BLOCK_SIZE, data.length - offset);
    const last = offset + size >= data.length ? 1 : 0;
    const blockHeader = Buffer.alloc(3);
    // Block header: last-block bit, block type 0 (raw), 21-bit size.
    blockHeader.writeUIntLE(last | (0 << 1) | (size << 3), 0, 3);
    parts.push(blockHeader, Buffer.from(data.buffer, data.byteOffset + offset, size));
    offset += size;
  } while (offset < data.length);
  return Buffer.concat(parts);
}
