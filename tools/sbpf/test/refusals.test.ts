import { expect } from "chai";
import { linkSharedObject } from "../src/link.js";
import { assemble, program } from "./helpers/objects.js";
import { PRELUDE, compileRust } from "./helpers/rust.js";

describe("refused constructs, in linked objects", () => {
  it("refuses JMP32 in v0, naming the function, and accepts it in v3", () => {
    const object = assemble(program("  if w1 > w2 goto +1\n  r1 = 1"));
    expect(() => linkSharedObject(object, { version: 0 })).to.throw(/function `entrypoint` \(\+0x0\): JMP32 instruction \(opcode 0x2e\); SBPF v0 has no JMP32/);
    expect(() => linkSharedObject(object, { version: 3 })).to.not.throw();
  });

  it("refuses atomics, naming the function", () => {
    const object = assemble(program("  lock *(u64 *)(r1 + 0) += r2"));
    for (const version of [0, 3] as const) {
      expect(() => linkSharedObject(object, { version })).to.throw(/function `entrypoint` \(\+0x0\): atomic instruction \(opcode 0xdb\); SBPF has no atomics/);
    }
  });

  it("refuses a stack frame above 4096 bytes, with the function and its size", () => {
    const direct = assemble(program("  *(u64 *)(r10 - 5000) = r1"));
    expect(() => linkSharedObject(direct, { version: 0 })).to.throw(/function `entrypoint` needs 5000 bytes of stack, but SBPF stack frames hold 4096/);
    const throughPointer = assemble(program("  r1 = r10\n  r1 += -4200\n  *(u64 *)(r1 + 0) = r2"));
    expect(() => linkSharedObject(throughPointer, { version: 3 })).to.throw(/function `entrypoint` needs 4200 bytes of stack/);
    expect(() => linkSharedObject(assemble(program("  *(u64 *)(r10 - 4096) = r1")), { version: 0 })).to.not.throw();
  });

  it("refuses writable .data, naming the section and the symbol in it", () => {
    const object = assemble(program("  r1 = counter ll", `  .data\n  .globl counter\n  .type counter,@object\n  .size counter, 8\ncounter:\n  .quad 5`));
    expect(() => linkSharedObject(object, { version: 0 })).to.throw(/writable static data is not supported on SBPF:\n {2}section \.data holds `counter` \(8 bytes\)/);
  });

  it("refuses .bss, naming the section and the symbol in it", () => {
    const object = assemble(
      program("  r1 = scratch ll", `  .section .bss,"aw",@nobits\n  .globl scratch\n  .type scratch,@object\n  .size scratch, 64\nscratch:\n  .zero 64`),
    );
    expect(() => linkSharedObject(object, { version: 3 })).to.throw(/section \.bss holds `scratch` \(64 bytes\)/);
  });

  it("refuses a call to an unknown external symbol, naming it and the caller", () => {
    const object = assemble(
      program("  call helper", `  .type helper,@function\nhelper:\n  call sol_frobnicate\n  exit\n.Lh:\n  .size helper, .Lh-helper`),
    );
    expect(() => linkSharedObject(object, { version: 0 })).to.throw(/undefined symbol `sol_frobnicate` called from `helper`: not a Solana syscall/);
  });

  it("suggests the syscall a near-miss name was meant to be", () => {
    const object = assemble(program("  call sol_log"));
    expect(() => linkSharedObject(object, { version: 0 })).to.throw(/undefined symbol `sol_log` called from `entrypoint`: not a Solana syscall \(did you mean `sol_log_`\?\)/);
  });

  it("refuses syscalls that new deployments may not use", () => {
    const object = assemble(program("  call sol_alloc_free_"));
    expect(() => linkSharedObject(object, { version: 0 })).to.throw(/`sol_alloc_free_` called from `entrypoint`: a syscall the runtime no longer accepts/);
  });

  it("refuses a program without entrypoint", () => {
    const object = assemble("  .text\n  .globl main\nmain:\n  exit\n");
    expect(() => linkSharedObject(object, { version: 0 })).to.throw(/no `entrypoint` function/);
  });

  it("moves the callx register where each version's verifier reads it", () => {
    const object = assemble(program("  callx r3"));
    const v0 = linkSharedObject(object, { version: 0 }).elf;
    const v3 = linkSharedObject(object, { version: 3 }).elf;
    const callx = (elf: Buffer) => {
      const at = elf.indexOf(Buffer.from([0x8d]));
      return { registers: elf[at + 1], imm: elf.readInt32LE(at + 4) };
    };
    expect(callx(v0)).to.deep.equal({ registers: 0, imm: 3 });
    expect(callx(v3)).to.deep.equal({ registers: 3, imm: 0 });
  });
});

describe("refused constructs, through rustc (the linker's message reaches the user)", () => {
  function expectLinkError(source: string, pattern: RegExp): void {
    const build = compileRust(PRELUDE + source, 0);
    expect(build.status, build.stderr).to.not.equal(0);
    expect(build.stderr).to.contain("sbpf-ld: error: ");
    expect(build.stderr).to.match(pattern);
  }

  it("names the function using floating point instead of llc's __muldf3 error", () => {
    expectLinkError(
      `#[inline(never)] fn scale(x: u64) -> u64 { (x as f64 * 1.5) as u64 }
#[no_mangle] pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 { sol_log_64_(scale(*(input as *const u64)), 0, 0, 0, 0); 0 }`,
      /floating point is not supported on SBPF[^]*function `program::scale` uses `uitofp double`, `fmul double`/,
    );
  });

  it("names the function whose stack frame exceeds 4096 bytes, with its size", () => {
    expectLinkError(
      `#[inline(never)] fn fill(input: *mut u8) -> u64 { let mut buffer = [0u8; 6000]; unsafe { core::ptr::write_volatile(&mut buffer[(*input) as usize], 1); core::ptr::read_volatile(&buffer[5999]) as u64 } }
#[no_mangle] pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 { sol_log_64_(fill(input), 0, 0, 0, 0); 0 }`,
      /function `program::fill` needs 60\d\d bytes of stack, but SBPF stack frames hold 4096/,
    );
  });

  it("names a mutable static and its section", () => {
    expectLinkError(
      `static mut COUNTER: u64 = 5;
#[no_mangle] pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 { COUNTER += *(input as *const u64); sol_log_64_(COUNTER, 0, 0, 0, 0); 0 }`,
      /section \.data holds `program::COUNTER` \(8 bytes\)/,
    );
  });

  it("names an undefined external function and its caller", () => {
    expectLinkError(
      `extern "C" { fn sol_frobnicate(x: u64) -> u64; }
#[inline(never)] fn helper(x: u64) -> u64 { unsafe { sol_frobnicate(x) } }
#[no_mangle] pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 { sol_log_64_(helper(*(input as *const u64)), 0, 0, 0, 0); 0 }`,
      /undefined symbol `sol_frobnicate` called from `program::helper`: not a Solana syscall/,
    );
  });

  it("names a function with more than 5 arguments that cannot be inlined", () => {
    expectLinkError(
      `fn first(a: u64, b: u64, c: u64, d: u64, e: u64, f: u64) -> u64 { a ^ b ^ c ^ d ^ e ^ f }
fn second(a: u64, b: u64, c: u64, d: u64, e: u64, f: u64) -> u64 { a.wrapping_add(b ^ c ^ d ^ e ^ f) }
static TABLE: [fn(u64, u64, u64, u64, u64, u64) -> u64; 2] = [first, second];
#[no_mangle] pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 { let x = *(input as *const u64); sol_log_64_(TABLE[(x & 1) as usize](x, 1, 2, 3, 4, 5), 0, 0, 0, 0); 0 }`,
      /function `program::first` takes 6 argument registers and could not be inlined/,
    );
  });

  it("inlines functions with more than 5 arguments when it can", () => {
    const build = compileRust(
      PRELUDE +
        `#[inline(never)] fn six(a: u64, b: u64, c: u64, d: u64, e: u64, f: u64) -> u64 { a ^ b.wrapping_mul(c) ^ d.wrapping_add(e) ^ f.rotate_left(3) }
#[no_mangle] pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 { let p = input as *const u64; sol_log_64_(six(*p, *p.add(1), *p.add(2), *p.add(3), *p.add(4), *p.add(5)), 0, 0, 0, 0); 0 }`,
      0,
    );
    expect(build.status, build.stderr).to.equal(0);
  });
});
