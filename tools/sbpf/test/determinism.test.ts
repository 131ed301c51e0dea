import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { linkSharedObject } from "../src/link.js";
import { assemble, program } from "./helpers/objects.js";
import { compileRust } from "./helpers/rust.js";

const PROBE_SOURCE = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "programs/probe.rs"), "utf8");

describe("determinism", () => {
  it("links the same object to the same bytes", () => {
    const object = assemble(program("  r1 = message ll\n  r2 = 5\n  call sol_log_", `  .section .rodata,"a",@progbits\nmessage:\n  .ascii "hello"`));
    for (const version of [0, 3] as const) {
      expect(linkSharedObject(object, { version }).elf.equals(linkSharedObject(object, { version }).elf)).to.equal(true);
    }
  });

  it("builds the same Rust source to byte-identical programs, from different directories", () => {
    for (const version of [0, 3] as const) {
      const first = compileRust(PROBE_SOURCE, version, "probe");
      const second = compileRust(PROBE_SOURCE, version, "probe");
      expect(first.status, first.stderr).to.equal(0);
      expect(second.program!.equals(first.program!), `SBPF v${version}`).to.equal(true);
    }
  });
});
