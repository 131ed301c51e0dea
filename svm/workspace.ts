// Where the workspace keeps what runs in LiteSVM: the repository root, Anchor.toml (program ids) and
// target/deploy/<name>.so (the built programs).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DeclaredProgram, readAnchorTomlPrograms } from "./anchor-toml.js";

/** The repository root (this file is svm/workspace.ts). */
export const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));
export const ANCHOR_TOML = join(REPO_ROOT, "Anchor.toml");
export const DEPLOY_DIR = join(REPO_ROOT, "target", "deploy");

/** Path of a built program: `<deployDir>/<name>.so`. */
export function programSoPath(name: string, deployDir = DEPLOY_DIR): string {
  return join(deployDir, `${name}.so`);
}

/** The bytes of a built program; throws, saying how to build it, if it is missing. */
export function readProgramSo(name: string, deployDir = DEPLOY_DIR): Buffer {
  const path = programSoPath(name, deployDir);
  if (!existsSync(path)) {
    throw new Error(`${path} does not exist: run \`npm run build\` to build the programs (npm test does it first)`);
  }
  return readFileSync(path);
}

/** The programs of Anchor.toml's `[programs.<cluster>]`; throws if Anchor.toml is missing. */
export function workspacePrograms(anchorToml = ANCHOR_TOML, cluster = "localnet"): DeclaredProgram[] {
  if (!existsSync(anchorToml)) throw new Error(`${anchorToml} does not exist: it declares the program ids to load`);
  return readAnchorTomlPrograms(anchorToml, cluster);
}
