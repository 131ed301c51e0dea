import { spawnSync } from "node:child_process";
import { cpus, tmpdir } from "node:os";
import { mkdtempSync, rmSync, statSync, utimesSync } from "node:fs";
import path from "node:path";
import { cargoEnvironment, runCargo } from "../build/cargo.js";
import { buildPaths, REPO_ROOT } from "../build/paths.js";
import { describeWorkspace, type CargoMetadata } from "../build/programs.js";

const INCREMENTAL_RUNS = 3;

/**
 * Times `npm run build` (the same command line) from a clean target directory, then after touching one
 * program's root source file. Uses a scratch target directory so that the repository's target/ is untouched.
 */
export async function runBuildBenchmark(argv: readonly string[]): Promise<number> {
  const scratch = mkdtempSync(path.join(tmpdir(), "infergrid-bench-"));
  try {
    const paths = buildPaths(REPO_ROOT, scratch);
    const metadata = await runCargo(["metadata", "--offline", "--no-deps", "--format-version", "1"], {
      cwd: paths.programsDir,
      env: cargoEnvironment(process.env),
      captureStdout: true,
    });
    if (metadata.status !== 0) return metadata.status;
    const programs = describeWorkspace(JSON.parse(metadata.stdout) as CargoMetadata).programs;
    const touched = programs[0]?.sourceRoot;
    if (!touched) {
      console.error("no program crates to build");
      return 1;
    }
    const build = () => timeBuild([...argv, "--target-dir", scratch]);

    const full = build();
    const incremental: number[] = [];
    for (let run = 0; run < INCREMENTAL_RUNS; run++) {
      const now = new Date();
      utimesSync(touched, now, now);
      incremental.push(build());
    }
    const sorted = [...incremental].sort((a, b) => a - b);
    console.log(`\nbuild benchmark: ${cpus().length} cores, npm run build ${argv.join(" ")} (scratch target dir)`);
    console.log(`  full (clean target)          ${full.toFixed(2)} s`);
    console.log(`  incremental (touch ${path.relative(REPO_ROOT, touched)})  ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} s median of ${incremental.map((s) => s.toFixed(2)).join(", ")}`);
    for (const program of programs) {
      console.log(`  ${program.libName}.so  ${statSync(path.join(scratch, "deploy", `${program.libName}.so`)).size} bytes`);
    }
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Wall-clock seconds of one `tsx tools/build/cli.ts` run (what `npm run build` executes); throws on failure. */
function timeBuild(args: readonly string[]): number {
  const started = performance.now();
  const result = spawnSync(path.join(REPO_ROOT, "node_modules/.bin/tsx"), ["tools/build/cli.ts", ...args], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (result.status !== 0) throw new Error(`build failed with status ${result.status}`);
  return (performance.now() - started) / 1000;
}
