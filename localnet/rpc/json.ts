// JSON text with exact u64s: bigints are written as plain JSON numbers with all their digits (rentEpoch is
// u64::MAX, lamports may pass 2^53), as a Rust node writes them, where JSON.stringify would throw.

const MARK = "\u0000u64:";
const MARKED = /"\\u0000u64:(\d+)"/g;
/** Deeper than any response; past it the scan gives up (and the replacer handles whatever is there). */
const MAX_SCAN_DEPTH = 32;

function replacer(this: unknown, _key: string, value: unknown): unknown {
  return typeof value === "bigint" ? MARK + value.toString() : value;
}

/**
 * Whether JSON.stringify could meet a bigint in `value`. Conservative: values JSON.stringify would transform
 * first (toJSON, typed arrays) count as possibly holding one.
 */
function mayHoldBigInt(value: unknown, depth: number): boolean {
  if (typeof value === "bigint") return true;
  if (typeof value !== "object" || value === null) return false;
  if (depth > MAX_SCAN_DEPTH) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (mayHoldBigInt(value[i], depth + 1)) return true;
    return false;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function" || ArrayBuffer.isView(value)) return true;
  for (const key in value) {
    if (Object.hasOwn(value, key) && mayHoldBigInt((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/** JSON text of `value`, bigints as exact numbers. */
export function toJson(value: unknown): string {
  // Without a replacer JSON.stringify takes its fast path (about twice as fast, and no intermediate text).
  if (!mayHoldBigInt(value, 0)) return JSON.stringify(value);
  const text = JSON.stringify(value, replacer);
  return text.includes("\\u0000u64:") ? text.replace(MARKED, "$1") : text;
}
