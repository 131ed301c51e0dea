import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readArchive } from "../src/archive.js";
import { demangle } from "../src/demangle.js";
import { findLlvmTool } from "../src/llvm.js";
import { parseLinkerArgs } from "../src/linker-args.js";
import { inlineMemoryLimitOf, settingsFromEnvironment, sizeCodegenFlags } from "../src/driver.js";

describe("linker command line", () => {
  it("asks llc for size-minded spilling at rustc's size levels only", () => {
    expect(sizeCodegenFlags("s")).to.deep.equal(["-split-spill-mode=size"]);
    expect(sizeCodegenFlags("z")).to.deep.equal(["-split-spill-mode=size"]);
    expect(sizeCodegenFlags("3")).to.deep.equal([]);
    expect(sizeCodegenFlags("0")).to.deep.equal([]);
  });

  it("takes a program's inline-memory-limit from its own manifest, and refuses a bad one", () => {
    const manifest = (table: string) => `[package]\nname = "p"\n\n${table}\n[dependencies]\nsdk = { path = "../sdk" }\n`;
    expect(inlineMemoryLimitOf(manifest("[package.metadata.sbpf]\ninline-memory-limit = 64 # CU first"), "m")).to.equal(64);
    expect(inlineMemoryLimitOf(manifest("[package.metadata.other]\ninline-memory-limit = 64"), "m")).to.equal(undefined);
    expect(inlineMemoryLimitOf(manifest(""), "m")).to.equal(undefined);
    // a key of the next table is not the sbpf table's
    expect(inlineMemoryLimitOf("[package.metadata.sbpf]\n[features]\ninline-memory-limit = 8\n", "m")).to.equal(undefined);
    expect(() => inlineMemoryLimitOf(manifest("[package.metadata.sbpf]\ninline-memory-limit = \"big\""), "programs/p/Cargo.toml")).to.throw(
      /programs\/p\/Cargo\.toml: \[package\.metadata\.sbpf\] inline-memory-limit must be an integer from 0 to 4096, not `"big"`/,
    );
    expect(() => inlineMemoryLimitOf(manifest("[package.metadata.sbpf]\ninline-memory-limit ="), "m")).to.throw(/must be an integer/);

    const dir = mkdtempSync(path.join(tmpdir(), "sbpf-manifest-"));
    try {
      writeFileSync(path.join(dir, "Cargo.toml"), manifest("[package.metadata.sbpf]\ninline-memory-limit = 16"));
      expect(settingsFromEnvironment({ CARGO_MANIFEST_DIR: dir }).inlineMemoryLimit).to.equal(16);
      expect(settingsFromEnvironment({}).inlineMemoryLimit).to.equal(undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads what rustc passes to a bpf-flavoured linker", () => {
    const invocation = parseLinkerArgs([
      "--export-symbols", "/tmp/rustcX/symbols", "/tmp/a.rcgu.o", "-L", "/tmp/rustcX/raw-dylibs", "--cpu", "generic",
      "-o", "/out/libprogram.so", "-O3", "--debug", "/sysroot/libcore.rlib",
    ]);
    expect(invocation).to.deep.equal({
      inputs: ["/tmp/a.rcgu.o", "/sysroot/libcore.rlib"],
      output: "/out/libprogram.so",
      exportSymbolsFile: "/tmp/rustcX/symbols",
      optLevel: "3",
    });
  });

  it("expands @response files with rustc's escaping", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sbpf-args-"));
    try {
      const file = path.join(dir, "linker-arguments");
      writeFileSync(file, ["-o", "/out/with\\ space.so", "/in/a\\\\b.o", "-Oz", ""].join("\n"));
      expect(parseLinkerArgs([`@${file}`])).to.include({ output: "/out/with space.so", optLevel: "z" });
      expect(parseLinkerArgs([`@${file}`]).inputs).to.deep.equal(["/in/a\\b.o"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a command line without output or inputs", () => {
    expect(() => parseLinkerArgs(["a.o"])).to.throw(/no output file given/);
    expect(() => parseLinkerArgs(["-o", "x.so"])).to.throw(/no input objects/);
  });
});

describe("rlib archives", () => {
  it("lists members, including GNU long names, as llvm-ar writes them", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sbpf-ar-"));
    try {
      const long = "a-member-name-longer-than-sixteen-characters.rcgu.o";
      writeFileSync(path.join(dir, "lib.rmeta"), "metadata");
      writeFileSync(path.join(dir, long), "BC\u00c0\u00de-payload");
      const archive = path.join(dir, "libx.rlib");
      const result = spawnSync(findLlvmTool("llvm-ar"), ["rc", archive, "lib.rmeta", long], { cwd: dir });
      expect(result.status, result.stderr?.toString()).to.equal(0);
      const members = readArchive(readFileSync(archive), archive);
      expect(members.map((m) => m.name)).to.deep.equal(["lib.rmeta", long]);
      expect(members[0]!.data.toString()).to.equal("metadata");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("symbol names in messages", () => {
  it("demangles legacy Rust symbols without the hash", () => {
    expect(demangle("_ZN7program5scale17h5c622525fddca497E")).to.equal("program::scale");
    expect(demangle("_ZN4core3ptr85drop_in_place$LT$std..rt..lang_start$LT$$LP$$RP$$GT$..$u7b$$u7b$closure$u7d$$u7d$$GT$17h0123456789abcdefE"))
      .to.equal("core::ptr::drop_in_place<std::rt::lang_start<()>::{{closure}}>");
  });

  it("demangles plain v0 paths, as used by the prebuilt core", () => {
    expect(demangle("_RNvNtCs1NpfdXmxSul_4core9panicking18panic_bounds_check")).to.equal("core::panicking::panic_bounds_check");
    expect(demangle("_RNvCsfgHYwM92fyn_7___rustc17rust_begin_unwind")).to.equal("__rustc::rust_begin_unwind");
  });

  it("leaves other names as they are", () => {
    expect(demangle("entrypoint")).to.equal("entrypoint");
    expect(demangle("_RINvNtCs1_4core3ptr13drop_in_placeNtCs2_4test3FooEB4_")).to.equal("_RINvNtCs1_4core3ptr13drop_in_placeNtCs2_4test3FooEB4_");
  });
});
