// The escrow's conservation laws over seeded random operation sequences in LiteSVM (runner.ts says what is
// checked at every step). `ESCROW_PROPERTY_SEED` picks another seed; `npm run soak:escrow` runs longer.
import { expect } from "chai";
import { runSequences } from "./runner.js";

const SEED = BigInt(process.env.ESCROW_PROPERTY_SEED ?? "20261125");
const SEQUENCES = 2_000;

describe("escrow conservation (property)", function () {
  this.timeout(600_000);

  it(`given ${SEQUENCES} seeded random sequences (seed ${SEED}), then every escrow, vault, earnings account and wallet stays conserved at every step`, async () => {
    const result = await runSequences({ seed: SEED, sequences: SEQUENCES });
    expect(result.sequences).to.equal(SEQUENCES);
    expect(result.steps).to.be.greaterThan(SEQUENCES * 10);
  });
});
