import path from "node:path";
import { missingPackages, missingToolchainMessage, probeFromEnvironment, type PackageProbe } from "../sbpf/src/toolchain.js";
import type { SbpfVersion } from "../sbpf/src/sbpf-version.js";
import { cargoEnvironment, runCargo } from "./cargo.js";
import { IDL_PACKAGE, generateClientFiles, generateIdl, type GeneratedClientFiles } from "./idl.js";
import type { BuildPaths } from "./paths.js";
import { describeWorkspace, type CargoMetadata, type Workspace } from "./programs.js";
import { BuildFailure, buildPrograms, type BuiltProgram } from "./sbpf-programs.js";

export interface BuildRequest {
  readonly sbpfVersion: SbpfVersion;
  readonly paths: BuildPaths;
  readonly env: NodeJS.ProcessEnv;
  /** Which Debian packages are installed; defaults to dpkg (honouring SBPF_TOOLCHAIN_MISSING). */
  readonly probe?: PackageProbe;
  readonly log?: (line: string) => void;
}

export interface BuildReport {
  readonly programs: readonly BuiltProgram[];
  /** Undefined when the workspace has no IDL generator yet. */
  readonly clientFiles: GeneratedClientFiles | undefined;
  readonly seconds: number;
}

/**
 * `npm run build`: checks the toolchain, finds the program crates, builds them for SBPF into target/deploy
 * while the IDL generator runs (separate cargo outputs, so the two proceed in parallel), then writes the
 * TypeScript types and the client's generated copies.
 */
export async function buildAll(request: BuildRequest): Promise<BuildReport> {
  const started = performance.now();
  const log = request.log ?? ((line: string) => console.log(line));
  const missing = missingPackages(request.probe ?? probeFromEnvironment(request.env));
  if (missing.length > 0) throw new BuildFailure(missingToolchainMessage(missing));

  const workspace = await readWorkspace(request.paths, request.env);
  if (workspace.programs.length === 0) throw new BuildFailure(`no program crates (packages with a cdylib target) in ${request.paths.programsDir}`);
  const hasIdl = workspace.packageNames.has(IDL_PACKAGE);
  log(`build: ${workspace.programs.map((p) => p.libName).join(", ")} for SBPF v${request.sbpfVersion}${hasIdl ? `, IDL with ${IDL_PACKAGE}` : ""}`);
  if (!hasIdl) log(`build: package ${IDL_PACKAGE} is not in the workspace yet; skipping the IDL and TypeScript types`);

  const [programs, idl] = await Promise.allSettled([
    buildPrograms(workspace.programs, request.sbpfVersion, request.paths, request.env),
    hasIdl ? generateIdl(request.paths, request.env) : Promise.resolve(),
  ]);
  const failures = [programs, idl].filter((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failures.length > 0) throw new BuildFailure(failures.map((failure) => errorMessage(failure.reason)).join("\n"));
  const built = (programs as PromiseFulfilledResult<BuiltProgram[]>).value;
  const clientFiles = hasIdl ? clientFilesFromIdl(request.paths) : undefined;

  for (const program of built) log(`deploy: ${path.relative(request.paths.repoRoot, program.deployPath)} (${program.bytes} bytes)`);
  if (clientFiles) {
    log(`idl: ${clientFiles.idlFiles.join(", ")} -> target/types, ${path.relative(request.paths.repoRoot, request.paths.generatedDir)}`);
    for (const file of clientFiles.changed) log(`updated: ${file}`);
  }
  const seconds = (performance.now() - started) / 1000;
  log(`build: done in ${seconds.toFixed(2)} s`);
  return { programs: built, clientFiles, seconds };
}

async function readWorkspace(paths: BuildPaths, env: NodeJS.ProcessEnv): Promise<Workspace> {
  const result = await runCargo(["metadata", "--offline", "--no-deps", "--format-version", "1"], {
    cwd: paths.programsDir,
    env: cargoEnvironment(env),
    captureStdout: true,
  });
  if (result.status !== 0) throw new BuildFailure(`cargo metadata failed in ${paths.programsDir} (exit status ${result.status})`);
  return describeWorkspace(JSON.parse(result.stdout) as CargoMetadata);
}

function clientFilesFromIdl(paths: BuildPaths): GeneratedClientFiles {
  try {
    return generateClientFiles(paths);
  } catch (error) {
    throw new BuildFailure(`generating TypeScript types from ${paths.idlDir} failed: ${errorMessage(error)}`);
  }
}

function errorMessage(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
