import { expect } from "chai";
import { checkCallsAreLowerable, checkEntrypoint, checkNoFloatingPoint } from "../src/ir-checks.js";
import { parseIrModule } from "../src/ir/module.js";
import { rewriteForBpf, SYSCALL_THUNK_MIN_SITES } from "../src/irfix.js";
import { runLlvmTool } from "../src/llvm.js";

const rewrite = (ir: string) => rewriteForBpf(ir, { entrySymbol: "entrypoint" });

/** Verifies the IR with opt and runs the inliner, as the driver does; returns the resulting IR. */
function verifyAndInline(ir: string): string {
  return runLlvmTool("opt", ["-passes=verify,always-inline,globaldce", "-S", "-", "-o", "-"], { input: ir }).toString("utf8");
}

describe("IR rewrites for the BPF backend", () => {
  it("turns large and variable-length memory intrinsics into syscalls, keeping small constant ones inline", () => {
    const ir = `define i64 @entrypoint(ptr %p, i64 %n, i32 %m) {
  call void @llvm.memcpy.p0.p0.i64(ptr align 8 %p, ptr align 1 %p, i64 %n, i1 false)
  call void @llvm.memmove.p0.p0.i64(ptr %p, ptr %p, i64 200, i1 false)
  call void @llvm.memset.p0.i64(ptr %p, i8 1, i64 32, i1 false)
  call void @llvm.memset.p0.i64(ptr %p, i8 1, i64 31, i1 false)
  call void @llvm.memset.p0.i32(ptr %p, i8 7, i32 %m, i1 false)
  call void @llvm.memset.p0.i64(ptr %p, i8 0, i64 16, i1 false)
  ret i64 0
}
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memmove.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memset.p0.i32(ptr, i8, i32, i1)
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
`;
    const { text, stats } = rewrite(ir);
    expect(text).to.contain("call void @sol_memmove_(ptr align 8 %p, ptr align 1 %p, i64 %n)");
    expect(text).to.contain("call void @sol_memmove_(ptr %p, ptr %p, i64 200)");
    // 32 bytes (a pubkey) go out of line; anything shorter stays inline
    expect(text).to.contain("call void @sol_memset_(ptr %p, i8 1, i64 32)");
    expect(text).to.contain("call void @llvm.memset.p0.i64(ptr %p, i8 1, i64 31, i1 false)");
    expect(text).to.match(/%__sbpf_len0 = zext i32 %m to i64\n\s+call void @sol_memset_\(ptr %p, i8 7, i64 %__sbpf_len0\)/);
    expect(text).to.contain("call void @llvm.memset.p0.i64(ptr %p, i8 0, i64 16, i1 false)");
    expect(stats).to.deep.equal({ "memcpy -> sol_memmove_": 1, "memmove -> sol_memmove_": 1, "memset -> sol_memset_": 2 });
    verifyAndInline(text);
  });

  it("keeps copies up to a program's own inline-memory-limit inline", () => {
    const ir = `define i64 @entrypoint(ptr %p) {
  call void @llvm.memcpy.p0.p0.i64(ptr %p, ptr %p, i64 32, i1 false)
  call void @llvm.memcpy.p0.p0.i64(ptr %p, ptr %p, i64 65, i1 false)
  ret i64 0
}
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
`;
    const { text } = rewriteForBpf(ir, { entrySymbol: "entrypoint", inlineMemoryLimit: 64 });
    expect(text).to.contain("call void @llvm.memcpy.p0.p0.i64(ptr %p, ptr %p, i64 32, i1 false)");
    expect(text).to.contain("call void @sol_memmove_(ptr %p, ptr %p, i64 65)");
  });

  it("calls a memory syscall with SYSCALL_THUNK_MIN_SITES sites or more through one noinline thunk (one relocation)", () => {
    const sites = Array.from({ length: SYSCALL_THUNK_MIN_SITES }, () => "  call void @llvm.memset.p0.i64(ptr %p, i8 0, i64 %n, i1 false)").join("\n");
    const ir = `define i64 @entrypoint(ptr %p, i64 %n) {
${sites}
  call void @llvm.memmove.p0.p0.i64(ptr %p, ptr %p, i64 %n, i1 false)
  ret i64 0
}
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
declare void @llvm.memmove.p0.p0.i64(ptr, ptr, i64, i1)
`;
    const { text, stats } = rewrite(ir);
    expect(text.match(/call void @__sbpf_sol_memset_\(ptr %p, i8 0, i64 %n\)/g)).to.have.length(SYSCALL_THUNK_MIN_SITES);
    expect(text).to.match(/define internal void @__sbpf_sol_memset_\(ptr %d, i8 %v, i64 %n\) #\d+ \{\n\s+call void @sol_memset_\(ptr %d, i8 %v, i64 %n\)/);
    // one site stays a direct syscall
    expect(text).to.contain("call void @sol_memmove_(ptr %p, ptr %p, i64 %n)");
    expect(text).to.not.contain("__sbpf_sol_memmove_");
    expect(stats).to.include({ "sol_memset_ thunk": 1 });
    const inlined = verifyAndInline(text);
    // the thunk survives the always-inliner: noinline
    expect(inlined).to.contain("define internal void @__sbpf_sol_memset_");
  });

  it("replaces 128-bit arithmetic, overflow intrinsics and signed division with inlined helpers", () => {
    const ir = `define i64 @entrypoint(i128 %a, i128 %b, i64 %x) {
  %m = mul i128 %a, %b
  %q = udiv i128 %m, %b
  %s = sdiv i64 %x, 3
  %sh = shl i128 %q, %b
  %k = shl i128 %q, 3
  %r = call i128 @llvm.fshl.i128(i128 %sh, i128 %sh, i128 %b)
  %o = call { i128, i1 } @llvm.smul.with.overflow.i128(i128 %r, i128 %k)
  %w = call { i64, i1 } @llvm.umul.with.overflow.i64(i64 %x, i64 %s)
  %v = extractvalue { i128, i1 } %o, 0
  %t = trunc i128 %v to i64
  ret i64 %t
}
declare i128 @llvm.fshl.i128(i128, i128, i128)
declare { i128, i1 } @llvm.smul.with.overflow.i128(i128, i128)
declare { i64, i1 } @llvm.umul.with.overflow.i64(i64, i64)
`;
    const { text } = rewrite(ir);
    for (const helper of ["__sbpf_mul128", "__sbpf_udiv128", "__sbpf_sdiv64", "__sbpf_shl128", "__sbpf_fshl128", "__sbpf_smulo128", "__sbpf_umulo64"]) {
      expect(text, helper).to.contain(`@${helper}(`);
    }
    expect(text).to.contain("%k = shl i128 %q, 3"); // constant shifts are lowered inline by the backend
    const inlined = verifyAndInline(text);
    expect(inlined).to.not.match(/call .*@__sbpf_/);
  });

  it("removes sret and force-inlines functions needing more than 5 argument registers or returning two", () => {
    const ir = `define i64 @entrypoint(ptr %p) {
  %r = call i64 @six(i64 1, i64 2, i64 3, i64 4, i64 5, i64 6) #1
  %s = call i64 @wide_args(ptr %p, i128 1, i128 2, i64 3)
  %t = call { i64, i64 } @pair(i64 %r)
  call void @out(ptr sret([16 x i8]) %p)
  ret i64 %s
}
define internal i64 @six(i64 %a, i64 %b, i64 %c, i64 %d, i64 %e, i64 %f) #0 {
  ret i64 %f
}
define internal i64 @wide_args(ptr %p, i128 %a, i128 %b, i64 %c) {
  ret i64 %c
}
define internal { i64, i64 } @pair(i64 %a) {
  %x = insertvalue { i64, i64 } poison, i64 %a, 0
  ret { i64, i64 } %x
}
define internal void @out(ptr sret([16 x i8]) %p) {
  ret void
}
attributes #0 = { noinline nounwind }
attributes #1 = { noinline }
`;
    const { text, stats } = rewrite(ir);
    expect(text).to.not.contain("sret(");
    expect(stats["force-inline (registers)"]).to.equal(3);
    const inlined = verifyAndInline(text);
    for (const name of ["@six(", "@wide_args(", "@pair("]) expect(inlined).to.not.contain(name);
  });
});

describe("IR checks", () => {
  it("names each function using floating point and the operations it uses", () => {
    const module = parseIrModule(`define i64 @entrypoint(i64 %x) {
  %f = uitofp i64 %x to double
  %g = fmul double %f, 1.5
  %h = call double @llvm.sqrt.f64(double %g)
  %i = fptoui double %h to i64
  ret i64 %i
}
define internal i64 @_ZN7program5clean17h0123456789abcdefE(i64 %x) {
  ret i64 %x
}
declare double @llvm.sqrt.f64(double)
`);
    expect(() => checkNoFloatingPoint(module)).to.throw(/function `entrypoint` uses `uitofp double`, `fmul double`, `llvm.sqrt.f64`, `fptoui double`/);
  });

  it("accepts integer-only code and bit casts of floats", () => {
    const module = parseIrModule(`define i64 @entrypoint(i64 %x) {
  %f = bitcast i64 %x to double
  %b = bitcast double %f to i64
  ret i64 %b
}`);
    expect(() => checkNoFloatingPoint(module)).to.not.throw();
  });

  it("refuses a module without entrypoint", () => {
    expect(() => checkEntrypoint(parseIrModule("define i64 @main() {\n  ret i64 0\n}"), "entrypoint")).to.throw(/no `entrypoint` function/);
  });

  it("names functions that still need more than 5 argument registers after inlining", () => {
    const module = parseIrModule(`define i64 @entrypoint(ptr %f) {
  %r = call i64 %f(i64 1, i64 2, i64 3, i64 4, i64 5, i64 6)
  %s = call i64 @_ZN7program7recurse17h0123456789abcdefE(i64 1, i64 2, i64 3, i128 4, i64 5)
  ret i64 %r
}
define internal i64 @_ZN7program7recurse17h0123456789abcdefE(i64 %a, i64 %b, i64 %c, i128 %d, i64 %e) {
  ret i64 %a
}`);
    expect(() => checkCallsAreLowerable(module, "entrypoint")).to.throw(/function `program::recurse` takes 6 argument registers[^]*function `entrypoint` calls a function pointer with 6 argument registers/);
  });
});
