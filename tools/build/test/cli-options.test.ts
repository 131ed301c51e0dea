import { expect } from "chai";
import { parseCliOptions, UsageError } from "../options.js";
import { describeWorkspace } from "../programs.js";

describe("build command line", () => {
  it("builds SBPF v0 by default", () => {
    expect(parseCliOptions([])).to.deep.equal({ command: "build", sbpfVersion: 0, targetDir: undefined });
  });

  it("accepts --sbpf-version 3, --sbpf-version=3 and --target-dir", () => {
    expect(parseCliOptions(["--sbpf-version", "3"]).sbpfVersion).to.equal(3);
    expect(parseCliOptions(["--sbpf-version=3", "--target-dir", "/tmp/t"])).to.deep.equal({ command: "build", sbpfVersion: 3, targetDir: "/tmp/t" });
  });

  it("switches to host tests with --host-tests", () => {
    expect(parseCliOptions(["--host-tests"]).command).to.equal("host-tests");
  });

  it("refuses unknown options and versions", () => {
    expect(() => parseCliOptions(["--sbpf-version", "2"])).to.throw(UsageError, /unsupported SBPF version '2'/);
    expect(() => parseCliOptions(["--release"])).to.throw(UsageError, /unknown option --release/);
  });
});

describe("program discovery", () => {
  it("takes packages with a cdylib target as programs, named by their library", () => {
    const workspace = describeWorkspace({
      packages: [
        { name: "infergrid-sdk", manifest_path: "/p/sdk/Cargo.toml", targets: [{ name: "infergrid_sdk", kind: ["lib"], src_path: "/p/sdk/src/lib.rs" }] },
        { name: "escrow", manifest_path: "/p/escrow/Cargo.toml", targets: [{ name: "escrow", kind: ["cdylib", "lib"], src_path: "/p/escrow/src/lib.rs" }] },
        { name: "infergrid-idl", manifest_path: "/p/idl/Cargo.toml", targets: [{ name: "infergrid-idl", kind: ["bin"], src_path: "/p/idl/src/main.rs" }] },
        { name: "gpu-registry", manifest_path: "/p/r/Cargo.toml", targets: [{ name: "gpu-registry", kind: ["cdylib"], src_path: "/p/r/src/lib.rs" }] },
      ],
    });
    expect(workspace.programs).to.deep.equal([
      { packageName: "escrow", libName: "escrow", sourceRoot: "/p/escrow/src/lib.rs" },
      { packageName: "gpu-registry", libName: "gpu_registry", sourceRoot: "/p/r/src/lib.rs" },
    ]);
    expect(workspace.packageNames.has("infergrid-idl")).to.equal(true);
  });
});
