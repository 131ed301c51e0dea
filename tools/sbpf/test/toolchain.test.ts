import { expect } from "chai";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  REQUIRED_PACKAGES, SIMULATE_MISSING_ENV, installToolchain, missingPackages, missingToolchainMessage,
  probeFromEnvironment, type PackageProbe, type SetupEnvironment,
} from "../src/toolchain.js";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

function probeWith(installed: readonly string[]): PackageProbe {
  return { installed: (packages) => new Set(packages.filter((name) => installed.includes(name))) };
}

function fakeSetup(options: { root: boolean; installed: string[]; installSucceeds?: boolean }) {
  const lines: string[] = [];
  const commands: string[] = [];
  const installed = [...options.installed];
  const environment: SetupEnvironment = {
    probe: { installed: (packages) => new Set(packages.filter((name) => installed.includes(name))) },
    isRoot: () => options.root,
    run: (command, args) => {
      commands.push(`${command} ${args.join(" ")}`);
      if (args[0] === "install" && options.installSucceeds !== false) installed.push(...REQUIRED_PACKAGES);
      return 0;
    },
    log: (line) => lines.push(line),
  };
  return { environment, lines, commands };
}

describe("toolchain detection", () => {
  it("names exactly the missing Debian packages", () => {
    expect(missingPackages(probeWith(REQUIRED_PACKAGES))).to.deep.equal([]);
    expect(missingPackages(probeWith(["rustc-web", "cargo-web"]))).to.deep.equal(["libstd-rust-web-dev-bpf", "llvm-22"]);
  });

  it("tells how to install what is missing with the exact apt command", () => {
    const message = missingToolchainMessage(["llvm-22"]);
    expect(message).to.contain("missing Debian package llvm-22");
    expect(message).to.contain("apt-get update && apt-get install -y --no-install-recommends llvm-22");
    expect(message).to.contain("npm run setup");
  });

  it("lets SBPF_TOOLCHAIN_MISSING simulate missing packages on a complete machine", () => {
    const probe = probeFromEnvironment({ [SIMULATE_MISSING_ENV]: "llvm-22, cargo-web" }, probeWith(REQUIRED_PACKAGES));
    expect(missingPackages(probe)).to.deep.equal(["cargo-web", "llvm-22"]);
  });

  it("finds the packages installed on this machine", () => {
    expect(missingPackages(probeFromEnvironment({}))).to.deep.equal([]);
  });

  it("stops `npm run build` before cargo when a package is missing", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "tools/build/cli.ts"], {
      cwd: REPO,
      encoding: "utf8",
      env: { ...process.env, [SIMULATE_MISSING_ENV]: "llvm-22,libstd-rust-web-dev-bpf" },
    });
    expect(result.status).to.equal(1);
    expect(result.stderr).to.contain("missing Debian packages libstd-rust-web-dev-bpf, llvm-22");
    expect(result.stderr).to.contain("apt-get install -y --no-install-recommends libstd-rust-web-dev-bpf llvm-22");
    expect(result.stdout).to.equal("");
  });
});

describe("npm run setup", () => {
  it("refuses politely when not root and prints the command", () => {
    const { environment, lines, commands } = fakeSetup({ root: false, installed: ["rustc-web"] });
    expect(installToolchain(environment)).to.equal(1);
    expect(commands).to.deep.equal([]);
    expect(lines.join("\n")).to.contain("needs root");
    expect(lines.join("\n")).to.contain("apt-get update && apt-get install -y --no-install-recommends rustc-web cargo-web libstd-rust-web-dev-bpf llvm-22");
  });

  it("installs the packages as root with apt-get update then install", () => {
    const { environment, commands } = fakeSetup({ root: true, installed: [] });
    expect(installToolchain(environment)).to.equal(0);
    expect(commands).to.deep.equal([
      "apt-get update",
      "apt-get install -y --no-install-recommends rustc-web cargo-web libstd-rust-web-dev-bpf llvm-22",
    ]);
  });

  it("fails when packages are still missing after apt", () => {
    const { environment } = fakeSetup({ root: true, installed: [], installSucceeds: false });
    expect(installToolchain(environment)).to.equal(1);
  });

  it("does nothing when everything is installed", () => {
    const { environment, commands } = fakeSetup({ root: false, installed: [...REQUIRED_PACKAGES] });
    expect(installToolchain(environment)).to.equal(0);
    expect(commands).to.deep.equal([]);
  });
});
