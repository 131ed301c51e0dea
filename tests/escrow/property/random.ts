// A small seeded PRNG (xoshiro128**, seeded through splitmix64) for reproducible operation sequences.

const MASK64 = (1n << 64n) - 1n;

/** splitmix64: a well-mixed 64-bit value from a 64-bit state (used to seed and to derive seeds). */
export function splitmix64(x: bigint): bigint {
  let z = (x + 0x9e3779b97f4a7c15n) & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** The seed of sequence `index` of a run seeded with `master`. */
export function sequenceSeed(master: bigint, index: number): bigint {
  return splitmix64((master & MASK64) ^ splitmix64(BigInt(index)));
}

export class Rng {
  private s: Uint32Array;

  constructor(seed: bigint) {
    const a = splitmix64(seed);
    const b = splitmix64(a);
    this.s = new Uint32Array([Number(a & 0xffffffffn), Number(a >> 32n), Number(b & 0xffffffffn), Number(b >> 32n)]);
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }

  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** A bigint in [lo, hi] (hi - lo below 2^96). */
  big(lo: bigint, hi: bigint): bigint {
    if (hi <= lo) return lo;
    const r = (BigInt(this.u32()) << 64n) | (BigInt(this.u32()) << 32n) | BigInt(this.u32());
    return lo + (r % (hi - lo + 1n));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from nothing");
    return items[this.int(items.length)];
  }

  /** One of `entries`, with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let x = (this.u32() / 4294967296) * total;
    for (const [value, weight] of entries) {
      if (x < weight) return value;
      x -= weight;
    }
    return entries[entries.length - 1][0];
  }

  /** `n` random bytes (keypair seeds). */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const word = this.u32();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
