import { spawn } from "node:child_process";
import path from "node:path";
import { SYSTEM_CARGO, SYSTEM_RUSTC } from "../sbpf/src/toolchain.js";

export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
}

export interface CargoRunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Capture stdout instead of passing it through (stderr always passes through). */
  readonly captureStdout?: boolean;
}

/**
 * Environment for Debian's cargo: /usr/bin first on PATH so that rustc, rustdoc and the linker's node are the
 * system ones, and RUSTC pinned, since rustup's toolchains (often first on PATH) cannot use the bpf rlibs.
 */
export function cargoEnvironment(base: NodeJS.ProcessEnv, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, ...extra, RUSTC: SYSTEM_RUSTC };
  delete env.RUSTUP_TOOLCHAIN;
  const rest = (base.PATH ?? "").split(path.delimiter).filter((entry) => entry !== "" && entry !== "/usr/bin");
  env.PATH = ["/usr/bin", ...rest].join(path.delimiter);
  return env;
}

/** Runs /usr/bin/cargo; resolves with its exit status (and stdout when captured). */
export function runCargo(args: readonly string[], options: CargoRunOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(SYSTEM_CARGO, args, {
      cwd: options.cwd,
      env: options.env ?? cargoEnvironment(process.env),
      stdio: ["ignore", options.captureStdout ? "pipe" : "inherit", "inherit"],
    });
    const chunks: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ status: code ?? (signal ? 128 : 1), stdout: Buffer.concat(chunks).toString("utf8") }));
  });
}
