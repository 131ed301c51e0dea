import { SbpfError } from "./errors.js";

export interface ArchiveMember {
  readonly name: string;
  readonly data: Buffer;
}

const GLOBAL_HEADER = "!<arch>\n";
const MEMBER_HEADER_SIZE = 60;

/**
 * Members of a Unix `ar` archive (rlibs are ar archives of bitcode objects plus lib.rmeta). Handles GNU long
 * names (`//` table, `/123`) and BSD `#1/len` names; symbol tables (`/`, `/SYM64/`, `__.SYMDEF`) are skipped.
 */
export function readArchive(bytes: Buffer, what: string): ArchiveMember[] {
  if (bytes.toString("latin1", 0, GLOBAL_HEADER.length) !== GLOBAL_HEADER) throw new SbpfError(`${what} is not an ar archive`);
  const members: ArchiveMember[] = [];
  let longNames = "";
  let at = GLOBAL_HEADER.length;
  while (at + MEMBER_HEADER_SIZE <= bytes.length) {
    const rawName = bytes.toString("latin1", at, at + 16).trimEnd();
    const size = Number(bytes.toString("latin1", at + 48, at + 58).trim());
    if (!Number.isFinite(size) || bytes.toString("latin1", at + 58, at + 60) !== "`\n") {
      throw new SbpfError(`${what}: malformed archive member header at offset ${at}`);
    }
    let dataStart = at + MEMBER_HEADER_SIZE;
    let dataSize = size;
    let name = rawName;
    if (rawName === "//") {
      longNames = bytes.toString("utf8", dataStart, dataStart + size);
      name = "";
    } else if (rawName === "/" || rawName === "/SYM64/" || rawName.startsWith("__.SYMDEF")) {
      name = "";
    } else if (/^\/\d+$/.test(rawName)) {
      const offset = Number(rawName.slice(1));
      const end = longNames.indexOf("/\n", offset);
      name = longNames.slice(offset, end < 0 ? undefined : end);
    } else if (rawName.startsWith("#1/")) {
      const nameLength = Number(rawName.slice(3));
      name = bytes.toString("utf8", dataStart, dataStart + nameLength).replace(/\0+$/, "");
      dataStart += nameLength;
      dataSize -= nameLength;
    } else {
      name = rawName.endsWith("/") ? rawName.slice(0, -1) : rawName;
    }
    if (name !== "") members.push({ name, data: bytes.subarray(dataStart, dataStart + dataSize) });
    at += MEMBER_HEADER_SIZE + size + (size % 2);
  }
  return members;
}
