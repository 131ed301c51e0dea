// `npm run bench:size [-- --json]`: builds the programs (npm run build), then prints each deployable
// program's size against the 40 KB target, split into code (.text), read-only data (.rodata) and the
// rest of the ELF (headers, dynamic symbols, relocations). With --json, one JSON array
// [{"program","bytes","text","rodata","target","met"}] on stdout.
import { readFileSync } from "node:fs";
import path from "node:path";
import { buildAll } from "../build/build.js";
import { buildPaths } from "../build/paths.js";
import { findSection, readElf } from "../sbpf/src/elf/reader.js";

/** The issues' target for every program: at most 40 KB. */
export const SIZE_TARGET_BYTES = 40 * 1024;

export interface SizeRow {
  readonly program: string;
  readonly bytes: number;
  readonly text: number;
  readonly rodata: number;
  readonly target: number;
  readonly met: boolean;
}

export function measureProgram(file: string): SizeRow {
  const bytes = readFileSync(file);
  const elf = readElf(bytes, file);
  return {
    program: path.basename(file, ".so"),
    bytes: bytes.length,
    text: findSection(elf, ".text")?.size ?? 0,
    rodata: findSection(elf, ".rodata")?.size ?? 0,
    target: SIZE_TARGET_BYTES,
    met: bytes.length <= SIZE_TARGET_BYTES,
  };
}

async function main(): Promise<void> {
  const json = process.argv.includes("--json");
  const paths = buildPaths();
  const report = await buildAll({ sbpfVersion: 0, paths, env: process.env, log: (line) => console.error(line) });
  const rows = report.programs.map((p) => measureProgram(p.deployPath)).sort((a, b) => a.program.localeCompare(b.program));
  if (json) {
    process.stdout.write(JSON.stringify(rows) + "\n");
    return;
  }
  const n = (v: number) => v.toLocaleString("en-US");
  console.log("| program | bytes | .text | .rodata | other | target | |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
  for (const r of rows) {
    const verdict = r.met ? "met" : `missed by ${n(r.bytes - r.target)} (${(r.bytes / r.target).toFixed(2)}×)`;
    console.log(`| ${r.program} | ${n(r.bytes)} | ${n(r.text)} | ${n(r.rodata)} | ${n(r.bytes - r.text - r.rodata)} | ${n(r.target)} | ${verdict} |`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
