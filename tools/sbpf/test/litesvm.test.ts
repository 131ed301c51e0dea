import { expect } from "chai";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PublicKey } from "@solana/web3.js";
import { compileRust } from "./helpers/rust.js";
import { Svm } from "./helpers/svm.js";

const PROBE_SOURCE = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "programs/probe.rs"), "utf8");
const U64 = (1n << 64n) - 1n;
const U128 = (1n << 128n) - 1n;
const I128_MIN = -(1n << 127n);

/** What programs/probe.rs returns for operation 1, computed with BigInt. */
function expectedArithmetic(a: bigint, b: bigint): Buffer {
  const parts: Buffer[] = [];
  const u128 = (value: bigint) => {
    const bytes = Buffer.alloc(16);
    const unsigned = BigInt.asUintN(128, value);
    bytes.writeBigUInt64LE(unsigned & U64, 0);
    bytes.writeBigUInt64LE(unsigned >> 64n, 8);
    parts.push(bytes);
  };
  const u64 = (value: bigint) => {
    const bytes = Buffer.alloc(8);
    bytes.writeBigUInt64LE(BigInt.asUintN(64, value));
    parts.push(bytes);
  };
  const checked = (value: bigint | undefined, write: (v: bigint) => void) => {
    parts.push(Buffer.from([value === undefined ? 0 : 1]));
    write(value ?? 0n);
  };
  const signedDivision = (x: bigint, y: bigint, bits: number): [bigint, bigint] => {
    const min = -(1n << BigInt(bits - 1));
    if (x === min && y === -1n) return [min, 0n]; // wrapping_div / wrapping_rem
    return [x / y, x % y];
  };
  const sa = BigInt.asIntN(128, a);
  const sb = BigInt.asIntN(128, b);
  const shift = b & 127n;
  u128(a * b);
  checked(a * b <= U128 ? a * b : undefined, u128);
  u128(a / (b | 1n));
  u128(a % (b | 1n));
  const [quotient, remainder] = signedDivision(sa, BigInt.asIntN(128, b | 1n), 128);
  u128(quotient);
  u128(remainder);
  u128(a << shift);
  u128(sa >> shift);
  const rotation = BigInt.asUintN(32, b) % 128n;
  u128((a << rotation) | (a >> ((128n - rotation) % 128n)));
  const signedProduct = sa * sb;
  checked(signedProduct >= I128_MIN && signedProduct <= -I128_MIN - 1n ? signedProduct : undefined, u128);
  const [x, y] = [a & U64, b & U64];
  checked(x * y <= U64 ? x * y : undefined, u64);
  const [sx, sy] = [BigInt.asIntN(64, x), BigInt.asIntN(64, y)];
  const signed64 = sx * sy;
  checked(signed64 >= -(1n << 63n) && signed64 < 1n << 63n ? signed64 : undefined, u64);
  const [q64, r64] = signedDivision(sx, BigInt.asIntN(64, y | 1n), 64);
  u64(q64);
  u64(r64);
  return Buffer.concat(parts);
}

function u128Bytes(value: bigint): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.writeBigUInt64LE(value & U64, 0);
  bytes.writeBigUInt64LE((value >> 64n) & U64, 8);
  return bytes;
}

/** Deterministic operands: edge cases first, then pseudo-random ones of every size. */
function arithmeticVectors(): Array<[bigint, bigint]> {
  const vectors: Array<[bigint, bigint]> = [
    [0n, 1n], [3n, 5n], [U64, U64], [1n << 64n, 1n << 63n], [1n << 127n, 2n], [U128, U128], [U128, 3n],
    [1n << 127n, U128], [12345678901234567890123n, 77n], [(1n << 127n) + 5n, 3n], [0x1234567890abcdef1234n, 0xfedcba9876n],
  ];
  let state = 0x2545f4914f6cdd1dn;
  const next = () => {
    state = (state * 6364136223846793005n + 1442695040888963407n) & U64;
    return state;
  };
  for (let i = 0; i < 12; i++) {
    const bits = BigInt(8 + ((i * 37) % 120));
    vectors.push([((next() << 64n) | next()) & ((1n << bits) - 1n), ((next() << 64n) | next()) >> BigInt(i * 9)]);
  }
  return vectors;
}

for (const version of [0, 3] as const) {
  describe(`a program built by the pipeline, run in LiteSVM (SBPF v${version})`, () => {
    let svm: Svm;
    let elf: Buffer;
    let programId: PublicKey;

    before(() => {
      const build = compileRust(PROBE_SOURCE, version, "probe");
      expect(build.status, build.stderr).to.equal(0);
      elf = build.program!;
      expect(elf.readUInt32LE(48)).to.equal(version); // e_flags
      svm = new Svm();
      programId = svm.addProgram(elf);
    });

    it("logs a string from read-only data through sol_log_", () => {
      const result = svm.invoke(programId, Buffer.from([0]));
      expect(result.ok, result.logs.join("\n")).to.equal(true);
      expect(result.logs).to.include("Program log: hello from sbpf-ld");
    });

    it("computes 128-bit, overflow-checked and signed arithmetic exactly like Rust on the host", () => {
      for (const [a, b] of arithmeticVectors()) {
        const result = svm.invoke(programId, Buffer.concat([Buffer.from([1]), u128Bytes(a), u128Bytes(b)]));
        expect(result.ok, `${a} ${b}: ${result.logs.join("\n")}`).to.equal(true);
        expect(result.returnData.toString("hex"), `a=${a.toString(16)} b=${b.toString(16)}`).to.equal(expectedArithmetic(a, b).toString("hex"));
      }
    });

    it("calls through a table of function pointers", () => {
      const value = Buffer.alloc(8);
      value.writeBigUInt64LE(7n);
      const results = [0, 1, 2].map((selector) => svm.invoke(programId, Buffer.concat([Buffer.from([2, selector]), value])).returnData.readBigUInt64LE());
      expect(results).to.deep.equal([21n, 49n, U64 - 7n]);
    });

    it("copies and fills memory through sol_memmove_ and sol_memset_", () => {
      const payload = Buffer.from(Array.from({ length: 150 }, (_, i) => i));
      const result = svm.invoke(programId, Buffer.concat([Buffer.from([4]), payload]));
      expect(result.ok, result.logs.join("\n")).to.equal(true);
      expect(result.returnData.equals(Buffer.concat([payload, Buffer.alloc(100, 0xab)]))).to.equal(true);
    });

    it("returns a custom error code", () => {
      const result = svm.invoke(programId, Buffer.from([3]));
      expect(result.ok).to.equal(false);
      expect(result.error).to.match(/Custom \{ code: 4660 \}/);
    });

    it("deploys through BPFLoaderUpgradeable's instructions and runs", () => {
      const deployed = svm.deploy(elf);
      const result = svm.invoke(deployed, Buffer.from([0]));
      expect(result.ok, result.logs.join("\n")).to.equal(true);
      expect(result.logs).to.include("Program log: hello from sbpf-ld");
    });
  });
}
