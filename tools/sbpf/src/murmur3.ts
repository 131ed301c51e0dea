/**
 * MurmurHash3, x86 32-bit variant. The SBPF loader keys syscalls (and, in v0, internal call targets) by this
 * hash with seed 0, so the linker must compute exactly the same values.
 */
export function murmur3_32(bytes: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const blockEnd = bytes.length & ~3;
  let hash = seed >>> 0;
  for (let i = 0; i < blockEnd; i += 4) {
    let k = (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
    k = Math.imul(k, c1);
    k = rotl32(k, 15);
    k = Math.imul(k, c2);
    hash ^= k;
    hash = rotl32(hash, 13);
    hash = (Math.imul(hash, 5) + 0xe6546b64) >>> 0;
  }
  let tail = 0;
  switch (bytes.length & 3) {
    case 3:
      tail ^= bytes[blockEnd + 2]! << 16;
    // falls through
    case 2:
      tail ^= bytes[blockEnd + 1]! << 8;
    // falls through
    case 1:
      tail ^= bytes[blockEnd]!;
      tail = Math.imul(tail, c1);
      tail = rotl32(tail, 15);
      tail = Math.imul(tail, c2);
      hash ^= tail;
  }
  hash ^= bytes.length;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

function rotl32(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}
