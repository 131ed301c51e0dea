import { cargoEnvironment, runCargo } from "./cargo.js";
import type { BuildPaths } from "./paths.js";

/** `cargo test --workspace` for the programs on the host; returns cargo's exit status. */
export async function runHostTests(paths: BuildPaths, env: NodeJS.ProcessEnv): Promise<number> {
  const cargoEnv = cargoEnvironment(env, { CARGO_TARGET_DIR: paths.targetDir });
  const result = await runCargo(["test", "--offline", "--workspace"], { cwd: paths.programsDir, env: cargoEnv });
  return result.status;
}
