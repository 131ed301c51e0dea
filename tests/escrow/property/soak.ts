// Soak run of the escrow property test: `npm run soak:escrow -- --sequences N --seed S [--first I]`.
// Replays one failing sequence with `--first <its index> --sequences 1` and the run's seed.
import { parseArgs } from "node:util";
import { runSequences } from "./runner.js";

const { values } = parseArgs({
  options: {
    sequences: { type: "string", default: "20000" },
    seed: { type: "string", default: String(Date.now()) },
    first: { type: "string", default: "0" },
  },
});

const seed = BigInt(values.seed!);
const sequences = Number(values.sequences);
const first = Number(values.first);
const started = Date.now();
console.log(`escrow soak: ${sequences} sequences from #${first}, seed ${seed}`);
try {
  const result = await runSequences({
    seed,
    sequences,
    first,
    onProgress: (done, steps) => {
      if (done % 500 === 0 || done === sequences) {
        console.log(`  ${done}/${sequences} sequences, ${steps} steps, ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
    },
  });
  console.log(`escrow soak: passed, ${result.sequences} sequences, ${result.steps} steps, seed ${seed}`);
  for (const [outcome, n] of [...result.outcomes].sort()) console.log(`  ${String(n).padStart(7)}  ${outcome}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
