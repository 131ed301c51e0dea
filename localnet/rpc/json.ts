// JSON text with exact u64s: bigints are written as plain JSON numbers with all their digits (rentEpoch is
// u64::MAX, lamports may pass 2^53), as a Rust node writes them, where JSON.stringify would throw.

const MARK = "\u0000u64:";
const MARKED = /"\\u0000u64:(\d+)"/g;

function replacer(this: unknown, _key: string, value: unknown): unknown {
  return typeof value === "bigint" ? MARK + value.toString() : value;
}

/** JSON text of `value`, bigints as exact numbers. */
export function toJson(value: unknown): string {
  const text = JSON.stringify(value, replacer);
  return text.includes("\\u0000u64:") ? text.replace(MARKED, "$1") : text;
}
