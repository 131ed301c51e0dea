import { expect } from "chai";
import { murmur3_32 } from "../src/murmur3.js";
import { syscallHash } from "../src/syscalls.js";

describe("murmur3_32", () => {
  const text = (value: string) => Buffer.from(value, "utf8");

  it("matches the reference test vectors of MurmurHash3_x86_32", () => {
    expect(murmur3_32(text(""), 0)).to.equal(0);
    expect(murmur3_32(text(""), 1)).to.equal(0x514e28b7);
    expect(murmur3_32(text(""), 0xffffffff)).to.equal(0x81f16f39);
    expect(murmur3_32(Buffer.from([0, 0, 0, 0]), 0)).to.equal(0x2362f9de);
    expect(murmur3_32(text("a"), 0x9747b28c)).to.equal(0x7fa09ea6);
    expect(murmur3_32(text("aa"), 0x9747b28c)).to.equal(0x5d211726);
    expect(murmur3_32(text("aaa"), 0x9747b28c)).to.equal(0x283e0130);
    expect(murmur3_32(text("aaaa"), 0x9747b28c)).to.equal(0x5a97808a);
    expect(murmur3_32(text("Hello, world!"), 0x9747b28c)).to.equal(0x24884cba);
    expect(murmur3_32(text("The quick brown fox jumps over the lazy dog"), 0x9747b28c)).to.equal(0x2fa826cd);
  });

  it("gives the keys Agave registers its syscalls under", () => {
    const expected: Record<string, number> = {
      abort: 0xb6fc1a11,
      sol_panic_: 0x686093bb,
      sol_log_: 0x207559bd,
      sol_log_64_: 0x5c2a3178,
      sol_log_compute_units_: 0x52ba5096,
      sol_log_pubkey: 0x7ef088ca,
      sol_sha256: 0x11f49d86,
      sol_memcpy_: 0x717cc4a3,
      sol_memmove_: 0x434371f8,
      sol_memcmp_: 0x5fdcde31,
      sol_memset_: 0x3770fb22,
      sol_invoke_signed_c: 0xa22b9c85,
      sol_invoke_signed_rust: 0xd7449092,
      sol_alloc_free_: 0x83f00e8f,
    };
    for (const [name, hash] of Object.entries(expected)) expect(syscallHash(name), name).to.equal(hash);
  });
});
