import { expect } from "chai";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SBPF_LD } from "../../sbpf/test/helpers/rust.js";
import { buildAll } from "../build.js";
import { runHostTests } from "../host-tests.js";
import { buildPaths, type BuildPaths } from "../paths.js";

/** A miniature of the programs workspace: one program (cdylib + lib) and an IDL generator. */
function createWorkspace(root: string, withIdl: boolean): void {
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  write("programs/Cargo.toml", `[workspace]
resolver = "2"
members = ["demo"${withIdl ? ', "idl"' : ""}]

[profile.release]
opt-level = 3
lto = "fat"
codegen-units = 1
panic = "abort"

[profile.dev]
panic = "abort"
`);
  write("programs/.cargo/config.toml", `[target.bpfel-unknown-none]\nlinker = "${SBPF_LD}"\n`);
  write("programs/demo/Cargo.toml", `[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\ncrate-type = ["cdylib", "lib"]\n`);
  write("programs/demo/src/lib.rs", `#![cfg_attr(target_arch = "bpf", no_std)]
pub const NAME: &str = "demo";
pub fn double(x: u64) -> u64 { x.wrapping_mul(2) }

#[cfg(target_arch = "bpf")]
mod program {
    extern "C" { fn sol_log_(message: *const u8, len: u64); fn abort() -> !; }
    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo) -> ! { unsafe { abort() } }
    #[no_mangle]
    pub unsafe extern "C" fn entrypoint(_input: *mut u8) -> u64 { sol_log_(super::NAME.as_ptr(), 4); 0 }
}

#[cfg(test)]
mod tests {
    #[test]
    fn doubles() { assert_eq!(super::double(21), 42); }
}
`);
  if (withIdl) {
    write("programs/idl/Cargo.toml", `[package]\nname = "infergrid-idl"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\ndemo = { path = "../demo" }\n`);
    write("programs/idl/src/main.rs", `fn main() {
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    std::fs::create_dir_all(&out).unwrap();
    let idl = format!(r#"{{"address":"Demo111111111111111111111111111111111111111","metadata":{{"name":"{}","version":"0.1.0","spec":"0.1.0"}},"instructions":[{{"name":"do_work","discriminator":[1],"accounts":[],"args":[]}}]}}"#, demo::NAME);
    std::fs::write(out.join("demo.json"), idl).unwrap();
}
`);
  }
}

describe("npm run build, on a miniature workspace", () => {
  let root: string;
  let paths: BuildPaths;
  const lines: string[] = [];

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), "infergrid-build-"));
    createWorkspace(root, true);
    paths = buildPaths(root);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("builds every program to target/deploy/<name>.so for SBPF v0", async () => {
    const report = await buildAll({ sbpfVersion: 0, paths, env: process.env, log: (line) => lines.push(line) });
    const deployed = path.join(root, "target/deploy/demo.so");
    expect(report.programs.map((p) => p.deployPath)).to.deep.equal([deployed]);
    const elf = readFileSync(deployed);
    expect(elf.readUInt32BE(0)).to.equal(0x7f454c46);
    expect(elf.readUInt32LE(48)).to.equal(0);
  });

  it("writes the IDL, Anchor-style types and the client's generated copies", () => {
    expect(existsSync(path.join(root, "target/idl/demo.json"))).to.equal(true);
    const types = readFileSync(path.join(root, "target/types/demo.ts"), "utf8");
    expect(types).to.contain("export type Demo = {");
    expect(types).to.contain('"name": "doWork"');
    for (const file of ["demo.json", "demo.ts", "README.md"]) {
      expect(existsSync(path.join(root, "ts-client/src/generated", file)), file).to.equal(true);
    }
    expect(readFileSync(path.join(root, "ts-client/src/generated/demo.ts"), "utf8")).to.equal(types);
  });

  it("builds SBPF v3 in its own cargo target directory (one per program) and deploys it", async () => {
    await buildAll({ sbpfVersion: 3, paths, env: process.env, log: () => undefined });
    expect(existsSync(path.join(root, "target/sbpf-v3/demo/bpfel-unknown-none/release/libdemo.so"))).to.equal(true);
    expect(readFileSync(path.join(root, "target/deploy/demo.so")).readUInt32LE(48)).to.equal(3);
    await buildAll({ sbpfVersion: 0, paths, env: process.env, log: () => undefined });
    expect(readFileSync(path.join(root, "target/deploy/demo.so")).readUInt32LE(48)).to.equal(0);
  });

  it("runs the programs' unit tests on the host", async () => {
    expect(await runHostTests(paths, process.env)).to.equal(0);
  });

  it("skips the IDL with a message while the workspace has no IDL generator", async () => {
    const bare = mkdtempSync(path.join(tmpdir(), "infergrid-build-"));
    try {
      createWorkspace(bare, false);
      const messages: string[] = [];
      const report = await buildAll({ sbpfVersion: 0, paths: buildPaths(bare), env: process.env, log: (line) => messages.push(line) });
      expect(report.clientFiles).to.equal(undefined);
      expect(messages.join("\n")).to.contain("package infergrid-idl is not in the workspace yet; skipping the IDL and TypeScript types");
      expect(existsSync(path.join(bare, "target/deploy/demo.so"))).to.equal(true);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
