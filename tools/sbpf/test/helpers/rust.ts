import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cargoEnvironment } from "../../../build/cargo.js";
import type { SbpfVersion } from "../../src/sbpf-version.js";
import { SYSTEM_RUSTC } from "../../src/toolchain.js";

export const SBPF_LD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/sbpf-ld");

/** Preamble of the test programs: no_std, the syscalls they use, a panic handler. */
export const PRELUDE = `#![no_std]
#![no_main]
extern "C" {
    fn sol_log_(message: *const u8, len: u64);
    fn sol_log_64_(a: u64, b: u64, c: u64, d: u64, e: u64);
    fn abort() -> !;
}
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    unsafe { abort() }
}
`;

export interface RustBuild {
  readonly status: number;
  /** rustc's diagnostics, which include the linker's stderr. */
  readonly stderr: string;
  /** The linked program, when the build succeeded. */
  readonly program: Buffer | undefined;
}

/** Compiles one Rust file into an SBPF program with Debian's rustc and sbpf-ld, the way the spike did. */
export function compileRust(source: string, version: SbpfVersion, name = "program"): RustBuild {
  const dir = mkdtempSync(path.join(tmpdir(), "sbpf-test-"));
  try {
    const file = path.join(dir, `${name}.rs`);
    const output = path.join(dir, `${name}.so`);
    writeFileSync(file, source);
    const result = spawnSync(
      SYSTEM_RUSTC,
      ["--edition", "2021", "--crate-type", "cdylib", "--target", "bpfel-unknown-none", "-C", "opt-level=3", "-C", "panic=abort",
        "-C", "lto=fat", "-C", `linker=${SBPF_LD}`, file, "-o", output],
      { cwd: dir, encoding: "utf8", env: cargoEnvironment(process.env, { SBPF_VERSION: String(version) }) },
    );
    const status = result.status ?? 1;
    return { status, stderr: result.stderr ?? "", program: status === 0 ? readFileSync(output) : undefined };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
