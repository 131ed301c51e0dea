import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { SbpfVersion } from "../sbpf/src/sbpf-version.js";
import { cargoEnvironment, runCargo } from "./cargo.js";
import { copyIfChanged } from "./files.js";
import type { BuildPaths } from "./paths.js";
import type { ProgramCrate } from "./programs.js";

export const SBPF_TARGET = "bpfel-unknown-none";

export interface BuiltProgram {
  readonly name: string;
  readonly deployPath: string;
  readonly bytes: number;
}

export class BuildFailure extends Error {}

/**
 * Each program builds in a cargo target dir of its own, so the builds run in parallel (cargo locks a
 * target dir for the whole build) and a program linked as another's CPI dependency never shares
 * outputs with its own build. v3 builds get separate dirs too: cargo cannot see SBPF_VERSION and would
 * otherwise consider v0 artifacts fresh.
 */
export function cargoTargetDir(paths: BuildPaths, version: SbpfVersion, libName: string): string {
  return path.join(paths.targetDir, `sbpf-v${version}`, libName);
}

/**
 * Builds each program with `cargo rustc --crate-type cdylib` (the programs also declare crate-type "lib"
 * for the host, and rustc ignores `lto = "fat"` when an rlib is among the outputs; cdylib alone gets one
 * fat-LTO module, which the linker takes without re-optimising), all at once, then copies lib<name>.so to
 * deploy/<name>.so.
 */
export async function buildPrograms(
  programs: readonly ProgramCrate[],
  version: SbpfVersion,
  paths: BuildPaths,
  env: NodeJS.ProcessEnv,
): Promise<BuiltProgram[]> {
  const results = await Promise.allSettled(programs.map((program) => buildProgram(program, version, paths, env)));
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failures.length > 0) throw new BuildFailure(failures.map((f) => (f.reason as Error).message).join("\n"));
  return results.map((r) => (r as PromiseFulfilledResult<BuiltProgram>).value);
}

async function buildProgram(program: ProgramCrate, version: SbpfVersion, paths: BuildPaths, env: NodeJS.ProcessEnv): Promise<BuiltProgram> {
  const targetDir = cargoTargetDir(paths, version, program.libName);
  const cargoEnv = cargoEnvironment(env, { SBPF_VERSION: String(version), CARGO_TARGET_DIR: targetDir });
  const args = ["rustc", "--offline", "--release", "--target", SBPF_TARGET, "-p", program.packageName, "--lib", "--crate-type", "cdylib"];
  const result = await runCargo(args, { cwd: paths.programsDir, env: cargoEnv });
  if (result.status !== 0) throw new BuildFailure(`building program ${program.packageName} failed (cargo exit status ${result.status})`);
  const artifact = path.join(targetDir, SBPF_TARGET, "release", `lib${program.libName}.so`);
  if (!existsSync(artifact)) throw new BuildFailure(`cargo finished but ${artifact} is missing`);
  const deployPath = path.join(paths.deployDir, `${program.libName}.so`);
  copyIfChanged(artifact, deployPath);
  return { name: program.libName, deployPath, bytes: statSync(deployPath).size };
}
