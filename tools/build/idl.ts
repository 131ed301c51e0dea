import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { cargoEnvironment, runCargo } from "./cargo.js";
import { copyIfChanged, writeIfChanged } from "./files.js";
import { anchorTypesSource } from "./idl-types.js";
import type { BuildPaths } from "./paths.js";
import { BuildFailure } from "./sbpf-programs.js";

/** Host tool in the programs workspace that writes target/idl/<program>.json. */
export const IDL_PACKAGE = "infergrid-idl";

/**
 * The IDL generator is a host binary whose speed does not matter, while the workspace release profile
 * (fat LTO, one codegen unit) makes every rebuild of it take ~8 s. These overrides apply to this cargo run only.
 */
const QUICK_HOST_RELEASE_PROFILE: NodeJS.ProcessEnv = {
  CARGO_PROFILE_RELEASE_LTO: "off",
  CARGO_PROFILE_RELEASE_OPT_LEVEL: "0",
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS: "256",
  CARGO_PROFILE_RELEASE_INCREMENTAL: "true",
};

/**
 * Runs `cargo run --release -q -p infergrid-idl -- <target>/idl`. Its build goes to <target>/host-tools:
 * cargo locks target/release during the SBPF cross build too, and a separate directory lets both run at once.
 */
export async function generateIdl(paths: BuildPaths, env: NodeJS.ProcessEnv): Promise<void> {
  const cargoEnv = cargoEnvironment(env, { ...QUICK_HOST_RELEASE_PROFILE, CARGO_TARGET_DIR: path.join(paths.targetDir, "host-tools") });
  const args = ["run", "--offline", "--release", "-q", "-p", IDL_PACKAGE, "--", paths.idlDir];
  const result = await runCargo(args, { cwd: paths.programsDir, env: cargoEnv, captureStdout: true });
  if (result.status !== 0) throw new BuildFailure(`IDL generation (${IDL_PACKAGE}) failed (cargo exit status ${result.status})`);
}

export interface GeneratedClientFiles {
  readonly idlFiles: readonly string[];
  readonly changed: readonly string[];
}

/**
 * From every target/idl/<name>.json: target/types/<name>.ts (Anchor style), and copies of both in the
 * TypeScript client's generated directory.
 */
export function generateClientFiles(paths: BuildPaths): GeneratedClientFiles {
  const idlFiles = readdirSync(paths.idlDir).filter((file) => file.endsWith(".json")).sort();
  const changed: string[] = [];
  const record = (file: string, didChange: boolean): void => {
    if (didChange) changed.push(path.relative(paths.repoRoot, file));
  };
  for (const file of idlFiles) {
    const idlPath = path.join(paths.idlDir, file);
    const base = file.replace(/\.json$/, "");
    const { source } = anchorTypesSource(readFileSync(idlPath, "utf8"), file);
    const typesPath = path.join(paths.typesDir, `${base}.ts`);
    record(typesPath, writeIfChanged(typesPath, source));
    record(path.join(paths.generatedDir, file), copyIfChanged(idlPath, path.join(paths.generatedDir, file)));
    record(path.join(paths.generatedDir, `${base}.ts`), copyIfChanged(typesPath, path.join(paths.generatedDir, `${base}.ts`)));
  }
  const readme = path.join(paths.generatedDir, "README.md");
  record(readme, writeIfChanged(readme, GENERATED_README));
  return { idlFiles, changed };
}

const GENERATED_README = `# Generated files: do not edit

\`npm run build\` (tools/build) writes every file in this directory from the programs' Rust sources:
\`<program>.json\` is the Anchor IDL printed by \`programs/idl\` (target/idl), \`<program>.ts\` its Anchor-style
TypeScript type (target/types). Change the Rust definitions and rebuild; commit the regenerated files.
`;
