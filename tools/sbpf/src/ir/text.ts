/** Small parsing helpers for LLVM IR text (one instruction per line, as `opt -S` prints it). */

const OPENERS = "([{<";
const CLOSERS = ")]}>";

/** Splits at top-level separators, ignoring those nested in brackets or string literals. */
export function splitTopLevel(text: string, separator = ","): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let current = "";
  for (const char of text) {
    if (inString) {
      if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (OPENERS.includes(char)) {
      depth++;
    } else if (CLOSERS.includes(char)) {
      depth--;
    } else if (char === separator && depth === 0) {
      parts.push(current.trim());
      current = "";
      continue;
    }
    current += char;
  }
  if (current.trim() !== "") parts.push(current.trim());
  return parts;
}

/** Index of the bracket closing the one at `open`, or -1. */
export function matchingBracket(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const char = text[i]!;
    if (inString) {
      if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (OPENERS.includes(char)) {
      depth++;
    } else if (CLOSERS.includes(char)) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** A global name at `at` (which must be '@'): `@name` or `@"quoted name"`. */
export function readGlobalName(text: string, at: number): { name: string; end: number } | undefined {
  if (text[at] !== "@") return undefined;
  if (text[at + 1] === '"') {
    const close = text.indexOf('"', at + 2);
    if (close < 0) return undefined;
    return { name: text.slice(at + 2, close), end: close + 1 };
  }
  const match = /^[-\w.$]+/.exec(text.slice(at + 1));
  return match ? { name: match[0], end: at + 1 + match[0].length } : undefined;
}

/** The type at the start of an operand or parameter: `i64`, `ptr`, `{ i64, i1 }`, `[4 x i64]`, `<2 x i64>`. */
export function leadingType(text: string): string {
  const trimmed = text.trimStart();
  if (OPENERS.includes(trimmed[0] ?? "")) {
    const close = matchingBracket(trimmed, 0);
    return close < 0 ? trimmed : trimmed.slice(0, close + 1);
  }
  return trimmed.split(/\s+/, 1)[0] ?? "";
}

/** The type at the end of a text (a return type precedes the function name). */
export function trailingType(text: string): string {
  const trimmed = text.trimEnd();
  const last = trimmed[trimmed.length - 1] ?? "";
  if (CLOSERS.includes(last)) {
    let depth = 0;
    for (let i = trimmed.length - 1; i >= 0; i--) {
      const char = trimmed[i]!;
      if (CLOSERS.includes(char)) depth++;
      else if (OPENERS.includes(char) && --depth === 0) {
        // `range(i64 0, 5)` style attributes also end in ')': only brackets that open a type count.
        return char === "(" ? (trimmed.slice(0, i).trimEnd().split(/\s+/).pop() ?? "") : trimmed.slice(i);
      }
    }
  }
  return trimmed.split(/\s+/).pop() ?? "";
}

/**
 * BPF argument registers a value of this type occupies: 128-bit integers take two, aggregates passed by
 * value one per 8 bytes, everything else one.
 */
export function registerCount(type: string): number {
  const trimmed = type.trim();
  const integer = /^i(\d+)$/.exec(trimmed);
  if (integer) return Math.max(1, Math.ceil(Number(integer[1]) / 64));
  const array = /^\[(\d+) x (.+)\]$/.exec(trimmed);
  if (array) return Number(array[1]) * registerCount(array[2]!);
  if (trimmed.startsWith("{") || trimmed.startsWith("<{")) {
    const inner = trimmed.replace(/^<?\{\s*/, "").replace(/\s*\}>?$/, "");
    return splitTopLevel(inner).reduce((sum, field) => sum + registerCount(field), 0) || 1;
  }
  return 1;
}

/** Whether a type needs more than one 64-bit register, which BPF cannot return. */
export function isWideType(type: string): boolean {
  const trimmed = type.trim();
  if (trimmed === "void") return false;
  return registerCount(trimmed) > 1 || trimmed.startsWith("{") || trimmed.startsWith("[");
}
