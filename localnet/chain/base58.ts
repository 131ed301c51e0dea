// Base58 (Bitcoin alphabet) encoding of byte strings, twice as fast as base-x for the 32- and 64-byte keys
// and signatures every transaction carries: the number is held in 16-bit limbs and divided by 58^5 per pass,
// so intermediate values stay exact in a double.
const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const BASE_5 = 58 ** 5;
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** Scratch buffers for inputs of up to MAX_FAST_ENCODE bytes (175 digits at most). */
const MAX_FAST_ENCODE = 128;
const limbs = new Float64Array(MAX_FAST_ENCODE / 2);
const digits = new Uint8Array(180);
const chars = new Uint16Array(MAX_FAST_ENCODE + 180);

export function base58Encode(bytes: Uint8Array): string {
  if (bytes.length > MAX_FAST_ENCODE) return encodeLong(bytes);
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  // Big-endian 16-bit limbs (a leading odd byte makes a short first limb).
  const limbCount = Math.ceil((bytes.length - zeros) / 2);
  let b = bytes.length - 1;
  for (let i = limbCount - 1; i >= 0; i--) {
    const low = bytes[b--];
    const high = b >= zeros ? bytes[b--] : 0;
    limbs[i] = high * 256 + low;
  }
  let count = 0;
  let start = 0;
  while (start < limbCount) {
    let remainder = 0;
    for (let i = start; i < limbCount; i++) {
      const value = remainder * 65_536 + limbs[i];
      const quotient = Math.floor(value / BASE_5);
      remainder = value - quotient * BASE_5;
      limbs[i] = quotient;
    }
    while (start < limbCount && limbs[start] === 0) start++;
    // Five base58 digits of the remainder, least significant first (no leading zero digits at the end).
    for (let j = 0; j < 5 && (start < limbCount || remainder > 0); j++) {
      const q = Math.floor(remainder / 58);
      digits[count++] = remainder - q * 58;
      remainder = q;
    }
  }
  // One flat string (appending characters would build a rope of one node per character).
  let length = 0;
  for (let i = 0; i < zeros; i++) chars[length++] = 49; // "1"
  for (let i = count - 1; i >= 0; i--) chars[length++] = CODES[digits[i]];
  return String.fromCharCode.apply(null, chars.subarray(0, length) as unknown as number[]);
}

/** Inputs longer than the scratch buffers (never keys or signatures): the plain quadratic algorithm. */
function encodeLong(bytes: Uint8Array): string {
  const out: number[] = [];
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i];
    for (let j = 0; j < out.length; j++) {
      carry += out[j] * 256;
      out[j] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      out.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  return "1".repeat(zeros) + out.reverse().map((d) => ALPHABET[d]).join("");
}

const DIGITS = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGITS[ALPHABET.charCodeAt(i)] = i;
const GROUP_POWERS = [1, 58, 58 ** 2, 58 ** 3, 58 ** 4, 58 ** 5];
const MAX_FAST_DECODE = 128;
/** 16-bit limbs of the number being decoded, least significant first. */
const decodeLimbs = new Float64Array(64);

/**
 * The bytes of a base58 string (leading "1"s are zero bytes), or undefined if it has a character outside the
 * alphabet: what bs58's decodeUnsafe gives, without its quadratic byte loop for keys and signatures.
 */
export function base58Decode(text: string): Uint8Array | undefined {
  if (text.length > MAX_FAST_DECODE) return decodeLong(text);
  let zeros = 0;
  while (zeros < text.length && text.charCodeAt(zeros) === 49) zeros++;
  let limbCount = 0;
  let i = zeros;
  while (i < text.length) {
    // Up to five digits at a time: value * 58^k + digits stays below 2^53 with 16-bit limbs.
    const k = Math.min(5, text.length - i);
    let carry = 0;
    for (let j = 0; j < k; j++) {
      const code = text.charCodeAt(i + j);
      const digit = code < 128 ? DIGITS[code] : -1;
      if (digit < 0) return undefined;
      carry = carry * 58 + digit;
    }
    i += k;
    const multiplier = GROUP_POWERS[k];
    for (let l = 0; l < limbCount; l++) {
      const value = decodeLimbs[l] * multiplier + carry;
      carry = Math.floor(value / 65_536);
      decodeLimbs[l] = value - carry * 65_536;
    }
    while (carry > 0) {
      const next = Math.floor(carry / 65_536);
      decodeLimbs[limbCount++] = carry - next * 65_536;
      carry = next;
    }
  }
  let byteCount = limbCount * 2;
  if (limbCount > 0 && decodeLimbs[limbCount - 1] < 256) byteCount--;
  const out = new Uint8Array(zeros + byteCount);
  let at = out.length - 1;
  for (let l = 0; l < limbCount; l++) {
    const limb = decodeLimbs[l];
    out[at--] = limb & 0xff;
    if (at >= zeros) out[at--] = limb >>> 8;
  }
  return out;
}

function decodeLong(text: string): Uint8Array | undefined {
  const bytes: number[] = [];
  let zeros = 0;
  while (zeros < text.length && text.charCodeAt(zeros) === 49) zeros++;
  for (let i = zeros; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let carry = code < 128 ? DIGITS[code] : -1;
    if (carry < 0) return undefined;
    for (let j = 0; j < bytes.length; j++) {
      carry += bytes[j] * 58;
      bytes[j] = carry & 0xff;
      carry >>>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>>= 8;
    }
  }
  const out = new Uint8Array(zeros + bytes.length);
  for (let j = 0; j < bytes.length; j++) out[out.length - 1 - j] = bytes[j];
  return out;
}
