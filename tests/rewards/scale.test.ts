// A 100,000-supplier distribution end to end: built in TypeScript from the previous epoch, published, a sample
// of leaves claimed on chain (proofs of depth 17), every proof verified off chain, and the file round-tripped
// through JSON.
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { Keypair } from "@solana/web3.js";
import { Distribution, toBigInt } from "../../ts-client/src/index.js";
import { SOL_UNIT, createDistributor, rewardMint, rewardsFixture } from "./fixture.js";

const SUPPLIERS = 100_000;
const SAMPLE = 12;

describe("rewards: 100,000 suppliers end to end", function () {
  this.timeout(60_000);

  it("builds two epochs, publishes them, pays a sample on chain and proves every leaf off chain", async () => {
    const f = rewardsFixture({ suppliers: 0 });
    const distributor = await createDistributor(f, await rewardMint(f, null));
    const sample = Array.from({ length: SAMPLE }, () => Keypair.generate());
    for (const s of sample) f.t.airdrop(s.publicKey, SOL_UNIT / 100n);

    // epoch 1: everyone earns; the sample sits at random positions among random addresses
    const suppliers = randomBytes(SUPPLIERS * 32);
    sample.forEach((s, i) => s.publicKey.toBuffer().copy(suppliers, (i * 7_919 + 13) * 32));
    const amounts = new BigUint64Array(SUPPLIERS);
    for (let i = 0; i < SUPPLIERS; i++) amounts[i] = 1_000n + BigInt(i % 1_000);
    const e1 = Distribution.build({ distributor: distributor.address, epoch: 1n, earned: { suppliers, amounts } });
    // epoch 2: half of them earn again, on top of their cumulative amounts
    const half = { suppliers: suppliers.subarray(0, (SUPPLIERS / 2) * 32), amounts: amounts.subarray(0, SUPPLIERS / 2) };
    const e2 = Distribution.build({ distributor: distributor.address, epoch: 2n, previous: e1, earned: half });
    expect(e2.size).to.equal(SUPPLIERS);
    expect(e2.depth).to.equal(17);

    const balances = sample.map((s) => f.t.balance(s.publicKey));
    await f.rewards.publishDistribution({ authority: f.authority, distributor, distribution: e1, fund: { funder: f.authority, amount: e1.maxTotalClaim } });
    for (const s of sample.slice(0, SAMPLE / 2)) await f.rewards.claim({ distributor, claim: e1.claimFor(s.publicKey)! });
    await f.rewards.publishDistribution({
      authority: f.authority,
      distributor,
      distribution: e2,
      fund: { funder: f.authority, amount: e2.maxTotalClaim - e1.maxTotalClaim },
    });
    for (const s of sample) {
      const claim = e2.claimFor(s.publicKey)!;
      expect(claim.proof.length).to.be.at.most(17);
      await f.rewards.claim({ distributor, claim });
    }
    // every sampled supplier received exactly its cumulative amount over the two epochs
    sample.forEach((s, i) => expect(f.t.balance(s.publicKey) - balances[i]).to.equal(e2.amountOf(s.publicKey)));
    const expected = sample.reduce((sum, s) => sum + e2.amountOf(s.publicKey), 0n);
    const state = await f.rewards.fetchDistributor(distributor.address);
    expect([toBigInt(state.totalClaimed), toBigInt(state.numNodesClaimed)]).to.deep.equal([expected, BigInt(SAMPLE)]);

    expect(e2.verifyAllProofs()).to.deep.equal([]);
    const json = JSON.parse(JSON.stringify(e2.toJSON()));
    expect(Distribution.fromJSON(json).root).to.deep.equal(e2.root);
  });
});
