import { spawnSync } from "node:child_process";

/**
 * The offline toolchain is four Debian packages: rustc and cargo 1.96 ("-web" builds, LLVM 22), the prebuilt
 * core/alloc/compiler_builtins for bpfel-unknown-none (as LLVM bitcode), and LLVM 22's opt/llc/llvm-link.
 */
export const RUSTC_PACKAGE = "rustc-web";
export const CARGO_PACKAGE = "cargo-web";
export const BPF_STD_PACKAGE = "libstd-rust-web-dev-bpf";
export const LLVM_PACKAGE = "llvm-22";
export const REQUIRED_PACKAGES: readonly string[] = [RUSTC_PACKAGE, CARGO_PACKAGE, BPF_STD_PACKAGE, LLVM_PACKAGE];

/** Debian's rustc and cargo; rustup's (first on PATH on developer machines) cannot use the bpf rlibs. */
export const SYSTEM_RUSTC = "/usr/bin/rustc";
export const SYSTEM_CARGO = "/usr/bin/cargo";

/** Test hook: packages listed here (comma-separated) are reported missing even when installed. */
export const SIMULATE_MISSING_ENV = "SBPF_TOOLCHAIN_MISSING";

/** Answers which of the given Debian packages are installed. */
export interface PackageProbe {
  installed(packages: readonly string[]): ReadonlySet<string>;
}

/** Asks dpkg; a package counts as installed when its status is "ii". */
export const dpkgProbe: PackageProbe = {
  installed(packages) {
    const result = spawnSync("dpkg-query", ["-W", "-f=${Package}\\t${db:Status-Abbrev}\\n", ...packages], { encoding: "utf8" });
    const installed = new Set<string>();
    for (const line of (result.stdout ?? "").split("\n")) {
      const [name, status] = line.split("\t");
      if (name && status?.startsWith("ii")) installed.add(name.split(":")[0]!);
    }
    return installed;
  },
};

/** The probe to use in this environment: dpkg, minus packages named in SBPF_TOOLCHAIN_MISSING. */
export function probeFromEnvironment(env: NodeJS.ProcessEnv, base: PackageProbe = dpkgProbe): PackageProbe {
  const simulated = (env[SIMULATE_MISSING_ENV] ?? "").split(",").map((name) => name.trim()).filter(Boolean);
  if (simulated.length === 0) return base;
  return {
    installed(packages) {
      const installed = new Set(base.installed(packages));
      for (const name of simulated) installed.delete(name);
      return installed;
    },
  };
}

export function missingPackages(probe: PackageProbe): string[] {
  const installed = probe.installed(REQUIRED_PACKAGES);
  return REQUIRED_PACKAGES.filter((name) => !installed.has(name));
}

export function aptInstallCommand(packages: readonly string[]): string {
  return `apt-get install -y --no-install-recommends ${packages.join(" ")}`;
}

/** What `npm run build` prints when packages are missing. */
export function missingToolchainMessage(missing: readonly string[]): string {
  const plural = missing.length === 1 ? "package" : "packages";
  return [
    `The SBPF toolchain is incomplete: missing Debian ${plural} ${missing.join(", ")}.`,
    "Install as root with:",
    `  apt-get update && ${aptInstallCommand(missing)}`,
    "or run `npm run setup` as root.",
  ].join("\n");
}

/** Side effects of `npm run setup`, injectable for tests. */
export interface SetupEnvironment {
  readonly probe: PackageProbe;
  isRoot(): boolean;
  /** Runs a command with inherited output and returns its exit status. */
  run(command: string, args: readonly string[]): number;
  log(line: string): void;
}

/** Installs the Debian packages (as root) unless they are present; returns the process exit status. */
export function installToolchain(environment: SetupEnvironment): number {
  const missing = missingPackages(environment.probe);
  if (missing.length === 0) {
    environment.log(`SBPF toolchain already installed (${REQUIRED_PACKAGES.join(", ")}).`);
    return 0;
  }
  if (!environment.isRoot()) {
    environment.log(`Setup installs Debian packages and needs root. Missing: ${missing.join(", ")}. Please run:`);
    environment.log(`  sudo sh -c 'apt-get update && ${aptInstallCommand(REQUIRED_PACKAGES)}'`);
    return 1;
  }
  for (const [command, args] of [
    ["apt-get", ["update"]],
    ["apt-get", ["install", "-y", "--no-install-recommends", ...REQUIRED_PACKAGES]],
  ] as const) {
    environment.log(`$ ${command} ${args.join(" ")}`);
    const status = environment.run(command, args);
    if (status !== 0) {
      environment.log(`${command} failed with status ${status}.`);
      return status;
    }
  }
  const stillMissing = missingPackages(environment.probe);
  if (stillMissing.length > 0) {
    environment.log(`Installation finished but ${stillMissing.join(", ")} is still missing.`);
    return 1;
  }
  environment.log("SBPF toolchain installed.");
  return 0;
}

/** The real environment: dpkg probe, uid check, spawned commands, console output. */
export function systemSetupEnvironment(env: NodeJS.ProcessEnv): SetupEnvironment {
  return {
    probe: probeFromEnvironment(env),
    isRoot: () => process.getuid?.() === 0,
    // noninteractive: CI has no terminal for debconf questions
    run: (command, args) =>
      spawnSync(command, args, { stdio: "inherit", env: { ...env, DEBIAN_FRONTEND: "noninteractive" } }).status ?? 1,
    log: (line) => console.log(line),
  };
}
