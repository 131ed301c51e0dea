import { expect } from "chai";
import { AGAVE_SYSCALLS, resolveSyscall, syscallHash } from "../src/syscalls.js";

describe("syscall resolution", () => {
  it("resolves Agave syscalls to their hash", () => {
    expect(resolveSyscall("sol_invoke_signed_c")).to.deep.equal({ kind: "syscall", name: "sol_invoke_signed_c", hash: 0xa22b9c85 });
  });

  it("maps compiler runtime names onto syscalls (memcpy to sol_memmove_, __bpf_trap to abort)", () => {
    expect(resolveSyscall("memcpy")).to.include({ kind: "syscall", name: "sol_memmove_" });
    expect(resolveSyscall("memset")).to.include({ kind: "syscall", name: "sol_memset_" });
    expect(resolveSyscall("__bpf_trap")).to.include({ kind: "syscall", name: "abort", hash: 0xb6fc1a11 });
  });

  it("reports unknown names, with the closest syscall when there is one", () => {
    expect(resolveSyscall("sol_sha265")).to.deep.equal({ kind: "unknown", name: "sol_sha265", suggestion: "sol_sha256" });
    expect(resolveSyscall("my_helper")).to.deep.equal({ kind: "unknown", name: "my_helper", suggestion: undefined });
  });

  it("flags syscalls that new deployments may not use", () => {
    expect(resolveSyscall("sol_get_fees_sysvar").kind).to.equal("undeployable");
    expect(resolveSyscall("sol_alloc_free_").kind).to.equal("undeployable");
  });

  it("has no two syscalls under one key", () => {
    expect(new Set(AGAVE_SYSCALLS.map(syscallHash)).size).to.equal(AGAVE_SYSCALLS.length);
  });
});
