// Reads the `[programs.<cluster>]` table of Anchor.toml: program name -> program id.
//
// This is not a general TOML parser. It tokenizes the whole file the way TOML does (comments, the four
// string forms, arrays and inline tables spanning lines) so that anything elsewhere in the file is skipped
// correctly, and it interprets only key/value pairs whose full dotted path is `programs.<cluster>.<name>`.
// Such a value must be a string holding a base58 public key; anything else there is an error, never ignored.
import { readFileSync } from "node:fs";
import { PublicKey } from "@solana/web3.js";

/** A program declared in Anchor.toml. */
export interface DeclaredProgram {
  readonly name: string;
  readonly programId: PublicKey;
}

/** Thrown for text the reader does not understand; says where. */
export class AnchorTomlError extends Error {
  constructor(message: string, readonly line: number) {
    super(`Anchor.toml line ${line}: ${message}`);
    this.name = "AnchorTomlError";
  }
}

/** Parses Anchor.toml text; returns the programs of `[programs.<cluster>]` in file order. */
export function parseAnchorTomlPrograms(text: string, cluster = "localnet"): DeclaredProgram[] {
  const programs: DeclaredProgram[] = [];
  const reader = new TomlReader(text);
  const onValue = (path: readonly string[], value: string | undefined, line: number): void => {
    if (path.length !== 3 || path[0] !== "programs" || path[1] !== cluster) return;
    const name = path[2];
    if (value === undefined) throw new AnchorTomlError(`program "${name}" must be a single-line string`, line);
    if (programs.some((p) => p.name === name)) throw new AnchorTomlError(`program "${name}" declared twice`, line);
    let programId: PublicKey;
    try {
      programId = new PublicKey(value);
    } catch {
      throw new AnchorTomlError(`program "${name}" has an invalid program id "${value}"`, line);
    }
    programs.push({ name, programId });
  };
  let table: string[] = [];
  for (;;) {
    reader.skipBlankAndComments();
    if (reader.done()) break;
    if (reader.peek() === "[") {
      table = reader.readTableHeader();
      continue;
    }
    const key = [...table, ...reader.readKey("=")];
    reader.expect("=");
    reader.visitValue(key, onValue);
    reader.expectEndOfLine();
  }
  return programs;
}

/** Reads and parses an Anchor.toml file. */
export function readAnchorTomlPrograms(path: string, cluster = "localnet"): DeclaredProgram[] {
  return parseAnchorTomlPrograms(readFileSync(path, "utf8"), cluster);
}

type ValueVisitor = (path: readonly string[], value: string | undefined, line: number) => void;

const BARE_KEY = /[A-Za-z0-9_-]/;
const ESCAPES: Record<string, string> = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", '"': '"', "\\": "\\", e: "\x1b" };

/** Cursor over TOML text with just the token readers the table lookup needs. */
class TomlReader {
  private pos = 0;
  line = 1;

  constructor(private readonly text: string) {}

  done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? "";
  }

  private startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  private advance(n = 1): void {
    for (let i = 0; i < n; i++) {
      if (this.text[this.pos] === "\n") this.line++;
      this.pos++;
    }
  }

  private fail(message: string): never {
    throw new AnchorTomlError(message, this.line);
  }

  expect(s: string): void {
    this.skipSpaces();
    if (!this.startsWith(s)) this.fail(`expected "${s}"`);
    this.advance(s.length);
  }

  /** Skips spaces and tabs on the current line. */
  private skipSpaces(): void {
    while (this.peek() === " " || this.peek() === "\t") this.advance();
  }

  private skipComment(): void {
    if (this.peek() !== "#") return;
    while (!this.done() && this.peek() !== "\n") this.advance();
  }

  skipBlankAndComments(): void {
    for (;;) {
      this.skipSpaces();
      this.skipComment();
      if (this.peek() === "\n") this.advance();
      else if (this.startsWith("\r\n")) this.advance(2);
      else return;
    }
  }

  expectEndOfLine(): void {
    this.skipSpaces();
    this.skipComment();
    if (this.done()) return;
    if (this.peek() === "\n") return this.advance();
    if (this.startsWith("\r\n")) return this.advance(2);
    this.fail(`unexpected "${this.peek()}" after value`);
  }

  /** `[a.b]` or `[[a.b]]`; an array-of-tables header yields a path no key/value of interest can match. */
  readTableHeader(): string[] {
    const arrayOfTables = this.startsWith("[[");
    this.advance(arrayOfTables ? 2 : 1);
    const path = this.readKey("]");
    this.expect(arrayOfTables ? "]]" : "]");
    this.expectEndOfLine();
    return arrayOfTables ? ["[[", ...path] : path;
  }

  /** A dotted key made of bare or quoted parts, ending before `terminator`. */
  readKey(terminator: string): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipSpaces();
      const c = this.peek();
      if (c === '"' || c === "'") {
        if (this.startsWith('"""') || this.startsWith("'''")) this.fail("multi-line strings cannot be keys");
        parts.push(this.readSingleLineString());
      } else {
        let bare = "";
        while (BARE_KEY.test(this.peek())) {
          bare += this.peek();
          this.advance();
        }
        if (!bare) this.fail(`expected a key, found "${c || "end of file"}"`);
        parts.push(bare);
      }
      this.skipSpaces();
      if (this.peek() === ".") {
        this.advance();
        continue;
      }
      if (!this.startsWith(terminator)) this.fail(`expected "${terminator}" after key ${parts.join(".")}`);
      return parts;
    }
  }

  private readSingleLineString(): string {
    const quote = this.peek();
    this.advance();
    let out = "";
    for (;;) {
      const c = this.peek();
      if (c === "" || c === "\n") this.fail("unterminated string");
      this.advance();
      if (c === quote) return out;
      if (quote === '"' && c === "\\") out += this.readEscape();
      else out += c;
    }
  }

  private readEscape(): string {
    const c = this.peek();
    this.advance();
    if (c in ESCAPES) return ESCAPES[c];
    if (c === "u" || c === "U") {
      const len = c === "u" ? 4 : 8;
      const hex = this.text.slice(this.pos, this.pos + len);
      if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) this.fail("invalid unicode escape");
      this.advance(len);
      return String.fromCodePoint(parseInt(hex, 16));
    }
    this.fail(`invalid escape "\\${c}"`);
  }

  /**
   * Reads any value at `path`: strings (all four forms), arrays and inline tables (nested, multi-line),
   * scalars. Calls `onValue` with the text of single-line strings, and with `undefined` for any other
   * value that is not an inline table; inline tables are walked key by key. Array items have no path.
   */
  visitValue(path: readonly string[] | null, onValue: ValueVisitor): void {
    this.skipSpaces();
    const line = this.line;
    const c = this.peek();
    if (this.startsWith('"""') || this.startsWith("'''")) {
      this.skipMultiLineString();
      if (path) onValue(path, undefined, line);
      return;
    }
    if (c === '"' || c === "'") {
      const value = this.readSingleLineString();
      if (path) onValue(path, value, line);
      return;
    }
    if (c === "[") {
      this.visitItems("]", () => this.visitValue(null, onValue));
      if (path) onValue(path, undefined, line);
      return;
    }
    if (c === "{") {
      this.visitItems("}", () => {
        const key = this.readKey("=");
        this.expect("=");
        this.visitValue(path ? [...path, ...key] : null, onValue);
      });
      return;
    }
    let scalar = "";
    while (!this.done() && !/[\s#,\]}]/.test(this.peek())) {
      scalar += this.peek();
      this.advance();
    }
    if (!scalar) this.fail("missing value");
    if (path) onValue(path, undefined, line);
  }

  /** Comma-separated items up to `close`; newlines and comments are allowed between them. */
  private visitItems(close: "]" | "}", item: () => void): void {
    this.advance();
    for (;;) {
      this.skipBlankAndComments();
      if (this.done()) this.fail(`missing "${close}"`);
      if (this.peek() === close) return this.advance();
      if (this.peek() === ",") {
        this.advance();
        continue;
      }
      item();
    }
  }

  private skipMultiLineString(): void {
    const delim = this.text.slice(this.pos, this.pos + 3);
    this.advance(3);
    for (;;) {
      if (this.done()) this.fail("unterminated multi-line string");
      if (delim === '"""' && this.peek() === "\\") {
        this.advance(2);
        continue;
      }
      if (this.startsWith(delim)) {
        this.advance(3);
        // TOML allows up to two quotes right before the closing delimiter.
        while (this.peek() === delim[0]) this.advance();
        return;
      }
      this.advance();
    }
  }
}
