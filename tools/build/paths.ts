import path from "node:path";
import { fileURLToPath } from "node:url";

/** Where the build reads and writes; everything derives from the repository root and the target dir. */
export interface BuildPaths {
  readonly repoRoot: string;
  /** The cargo workspace of the on-chain programs. */
  readonly programsDir: string;
  /** Cargo target directory (programs/.cargo/config.toml points at <repo>/target). */
  readonly targetDir: string;
  /** Deployable programs: <target>/deploy/<name>.so. */
  readonly deployDir: string;
  /** Anchor IDL files written by the infergrid-idl host tool. */
  readonly idlDir: string;
  /** Anchor-style TypeScript types generated from the IDL files. */
  readonly typesDir: string;
  /** Committed copies of IDL and types for the TypeScript client. */
  readonly generatedDir: string;
}

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function buildPaths(repoRoot: string = REPO_ROOT, targetDir?: string): BuildPaths {
  const target = path.resolve(repoRoot, targetDir ?? "target");
  return {
    repoRoot,
    programsDir: path.join(repoRoot, "programs"),
    targetDir: target,
    deployDir: path.join(target, "deploy"),
    idlDir: path.join(target, "idl"),
    typesDir: path.join(target, "types"),
    generatedDir: path.join(repoRoot, "ts-client", "src", "generated"),
  };
}
