// `npm run bench:cu [-- --json]`: compute units of every instruction of every program, run in LiteSVM.
// Prints a Markdown table (the one in docs/benchmarks.md) or, with --json, one JSON array
// [{"program","instruction","case","cu"}] on stdout.
import { escrowCuScenario } from "./cu/escrow.js";
import { provenanceCuScenario } from "./cu/provenance.js";
import { rewardsCuScenario } from "./cu/rewards.js";
import type { CuRow, CuScenario } from "./cu/types.js";

const scenarios: Record<string, CuScenario> = {
  escrow: escrowCuScenario,
  provenance: provenanceCuScenario,
  rewards: rewardsCuScenario,
};

async function main(): Promise<void> {
  const json = process.argv.includes("--json");
  const rows: CuRow[] = [];
  for (const [name, scenario] of Object.entries(scenarios)) {
    const started = performance.now();
    rows.push(...(await scenario()));
    if (!json) console.error(`${name}: ${(performance.now() - started).toFixed(0)} ms`);
  }
  if (json) {
    process.stdout.write(JSON.stringify(rows) + "\n");
    return;
  }
  console.log("| program | instruction | case | CU |");
  console.log("| --- | --- | --- | ---: |");
  for (const r of rows) console.log(`| ${r.program} | ${r.instruction} | ${r.case} | ${r.cu.toLocaleString("en-US")} |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
