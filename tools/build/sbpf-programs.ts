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
 * v0 builds use the default target dir; v3 builds get their own, because cargo cannot see SBPF_VERSION and
 * would otherwise consider v0 artifacts fresh.
 */
export function cargoTargetDir(paths: BuildPaths, version: SbpfVersion): string {
  return version === 3 ? path.join(paths.targetDir, "sbpf-v3") : paths.targetDir;
}

/**
 * Builds each program with `cargo rustc --crate-type cdylib` (the programs also declare crate-type "lib"
 * for the host, and rustc ignores `lto = "fat"` when an rlib is among the outputs; cdylib alone gets one
 * fat-LTO module, which the linker takes without re-optimising), then copies lib<name>.so to deploy/<name>.so.
 */
export async function buildPrograms(
  programs: readonly ProgramCrate[],
  version: SbpfVersion,
  paths: BuildPaths,
  env: NodeJS.ProcessEnv,
): Promise<BuiltProgram[]> {
  const targetDir = cargoTargetDir(paths, version);
  const cargoEnv = cargoEnvironment(env, { SBPF_VERSION: String(version), CARGO_TARGET_DIR: targetDir });
  const built: BuiltProgram[] = [];
  for (const program of programs) {
    const args = ["rustc", "--offline", "--release", "--target", SBPF_TARGET, "-p", program.packageName, "--lib", "--crate-type", "cdylib"];
    const result = await runCargo(args, { cwd: paths.programsDir, env: cargoEnv });
    if (result.status !== 0) throw new BuildFailure(`building program ${program.packageName} failed (cargo exit status ${result.status})`);
    const artifact = path.join(targetDir, SBPF_TARGET, "release", `lib${program.libName}.so`);
    if (!existsSync(artifact)) throw new BuildFailure(`cargo finished but ${artifact} is missing`);
    const deployPath = path.join(paths.deployDir, `${program.libName}.so`);
    copyIfChanged(artifact, deployPath);
    built.push({ name: program.libName, deployPath, bytes: statSync(deployPath).size });
  }
  return built;
}
