import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Writes a file only when its contents change, so that unchanged outputs keep their timestamps. */
export function writeIfChanged(file: string, contents: string | Buffer): boolean {
  const bytes = typeof contents === "string" ? Buffer.from(contents, "utf8") : contents;
  try {
    if (readFileSync(file).equals(bytes)) return false;
  } catch {
    // missing: write it
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return true;
}

export function copyIfChanged(from: string, to: string): boolean {
  try {
    if (readFileSync(from).equals(readFileSync(to))) return false;
  } catch {
    // destination missing: copy it
  }
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(from, to);
  return true;
}
