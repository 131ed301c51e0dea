/**
 * Readable names for Rust symbols in diagnostics. Handles the legacy scheme (`_ZN...17h<hash>E`, what rustc
 * uses for user crates by default) and the plain-path subset of the v0 scheme (`_RNv...`, used by the prebuilt
 * core library). Anything else is returned unchanged: a mangled name is still better than none.
 */
export function demangle(symbol: string): string {
  if (symbol.startsWith("_ZN")) return demangleLegacy(symbol) ?? symbol;
  if (symbol.startsWith("_R")) return demangleV0(symbol) ?? symbol;
  return symbol;
}

const LEGACY_ESCAPES: Readonly<Record<string, string>> = {
  SP: "@",
  BP: "*",
  RF: "&",
  LT: "<",
  GT: ">",
  LP: "(",
  RP: ")",
  C: ",",
};

function demangleLegacy(symbol: string): string | undefined {
  const segments: string[] = [];
  let cursor = 3;
  while (cursor < symbol.length && symbol[cursor] !== "E") {
    const digits = /^\d+/.exec(symbol.slice(cursor));
    if (!digits) return undefined;
    const length = Number(digits[0]);
    cursor += digits[0].length;
    if (cursor + length > symbol.length) return undefined;
    segments.push(symbol.slice(cursor, cursor + length));
    cursor += length;
  }
  if (segments.length === 0) return undefined;
  const last = segments[segments.length - 1]!;
  if (segments.length > 1 && /^h[0-9a-f]{16}$/.test(last)) segments.pop();
  return segments.map(unescapeLegacySegment).join("::");
}

function unescapeLegacySegment(segment: string): string {
  const text = segment.startsWith("_$") ? segment.slice(1) : segment;
  return text
    .replace(/\$([A-Z]{1,2}|u[0-9a-f]{2,6})\$/g, (whole, code: string) => {
      if (code.startsWith("u")) return String.fromCodePoint(parseInt(code.slice(1), 16));
      return LEGACY_ESCAPES[code] ?? whole;
    })
    .replace(/\.\./g, "::");
}

/** Cursor over a v0 mangled name; `undefined` results mean "outside the supported subset". */
class V0Reader {
  position: number;
  constructor(readonly text: string, start: number) {
    this.position = start;
  }
  peek(): string | undefined {
    return this.text[this.position];
  }
  next(): string | undefined {
    return this.text[this.position++];
  }
  decimal(): number | undefined {
    const match = /^\d+/.exec(this.text.slice(this.position));
    if (!match) return undefined;
    this.position += match[0].length;
    return Number(match[0]);
  }
  skipBase62(): boolean {
    while (this.position < this.text.length) {
      if (this.next() === "_") return true;
    }
    return false;
  }
}

function demangleV0(symbol: string): string | undefined {
  const reader = new V0Reader(symbol, 2);
  if (/\d/.test(reader.peek() ?? "")) reader.decimal(); // encoding version
  return readV0Path(reader);
}

function readV0Path(reader: V0Reader): string | undefined {
  const tag = reader.next();
  if (tag === "C") return readV0Identifier(reader)?.name;
  if (tag === "N") {
    const namespace = reader.next();
    const parent = readV0Path(reader);
    const identifier = readV0Identifier(reader);
    if (parent === undefined || identifier === undefined) return undefined;
    if (namespace === "C") return `${parent}::{closure#${identifier.disambiguator}}`;
    if (namespace === "S") return `${parent}::{shim:${identifier.name}#${identifier.disambiguator}}`;
    return identifier.name === "" ? parent : `${parent}::${identifier.name}`;
  }
  return undefined;
}

function readV0Identifier(reader: V0Reader): { name: string; disambiguator: number } | undefined {
  let disambiguator = 0;
  if (reader.peek() === "s") {
    reader.next();
    const start = reader.position;
    if (!reader.skipBase62()) return undefined;
    const digits = reader.text.slice(start, reader.position - 1);
    disambiguator = digits === "" ? 1 : parseBase62(digits) + 2;
  }
  if (reader.peek() === "u") return undefined; // punycode identifiers are outside the subset
  const length = reader.decimal();
  if (length === undefined) return undefined;
  if (reader.peek() === "_") reader.next();
  const name = reader.text.slice(reader.position, reader.position + length);
  if (name.length !== length) return undefined;
  reader.position += length;
  return { name, disambiguator };
}

function parseBase62(digits: string): number {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let value = 0;
  for (const digit of digits) value = value * 62 + alphabet.indexOf(digit);
  return value;
}
