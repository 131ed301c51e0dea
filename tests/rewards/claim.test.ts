// claim: cumulative claims across epochs in SOL and both token programs, and every way a claim is refused.
import { expect } from "chai";
import { Keypair, PublicKey } from "@solana/web3.js";
import { Distribution, type DistributorRef, claimStatusPda, toBigInt } from "../../ts-client/src/index.js";
import {
  REWARD_KINDS,
  type RewardsFixture,
  createDistributor,
  FRAMEWORK,
  distributorBalance,
  expectErrorCode,
  expectRewardsError,
  holdings,
  openRecipients,
  publishEpoch,
  rewardMint,
  rewardsFixture,
} from "./fixture.js";

describe("rewards: claim", () => {
  for (const kind of REWARD_KINDS) {
    describe(`in ${kind.name}`, () => {
      it("pays each supplier the cumulative difference across several epochs", async () => {
        const f = rewardsFixture();
        const reward = await rewardMint(f, kind.programId);
        const [a, b, c] = f.suppliers.map((s) => s.publicKey);
        await openRecipients(f, reward, [a, b, c]);
        const distributor = await createDistributor(f, reward);
        const before = [a, b, c].map((s) => holdings(f, reward, s));

        const e1 = await publishEpoch(f, distributor, [
          { supplier: a, amount: 1_000_000n },
          { supplier: b, amount: 2_000_000n },
        ]);
        await f.rewards.claim({ distributor, claim: e1.claimFor(a)! });
        const [first] = f.rewards.parseEvents(f.t.lastResult!.logs);
        expect(first.name).to.equal("rewardClaimed");
        expect(toBigInt(first.data.amount)).to.equal(1_000_000n);
        expect(first.data.firstClaim).to.equal(true);

        const e2 = await publishEpoch(f, distributor, [{ supplier: a, amount: 500_000n }, { supplier: c, amount: 3_000_000n }], { previous: e1 });
        const e3 = await publishEpoch(f, distributor, [{ supplier: b, amount: 7n }], { previous: e2 });
        // a claims its two epochs' difference, b both its epochs at once, c its only epoch (the fixture's
        // wallet pays fees and rent, so the suppliers' balances move by their rewards alone)
        await f.rewards.claim({ distributor, claim: e3.claimFor(a)! });
        const [second] = f.rewards.parseEvents(f.t.lastResult!.logs);
        expect(toBigInt(second.data.amount)).to.equal(500_000n);
        expect(toBigInt(second.data.claimed)).to.equal(1_500_000n);
        expect(second.data.firstClaim).to.equal(false);
        await f.rewards.claim({ distributor, claim: e3.claimFor(b)! });
        await f.rewards.claim({ distributor, claim: e3.claimFor(c)! });

        expect(holdings(f, reward, a) - before[0]).to.equal(1_500_000n);
        expect(holdings(f, reward, b) - before[1]).to.equal(2_000_007n);
        expect(holdings(f, reward, c) - before[2]).to.equal(3_000_000n);
        const state = await f.rewards.fetchDistributor(distributor.address);
        expect(toBigInt(state.totalClaimed)).to.equal(6_500_007n);
        expect(toBigInt(state.numNodesClaimed)).to.equal(3n);
        expect(toBigInt(state.epoch)).to.equal(3n);
        expect(await distributorBalance(f, distributor)).to.equal(0n);
        const status = await f.rewards.fetchClaimStatus(distributor.address, a);
        expect(toBigInt(status!.claimed)).to.equal(1_500_000n);
        expect(toBigInt(status!.lastEpoch)).to.equal(3n);
      });

      it("lets anyone claim on a supplier's behalf: the signer pays the claim status rent, the supplier gets the rewards", async () => {
        const f = rewardsFixture();
        const reward = await rewardMint(f, kind.programId);
        const supplier = f.suppliers[0].publicKey;
        await openRecipients(f, reward, [supplier]);
        const distributor = await createDistributor(f, reward);
        const e1 = await publishEpoch(f, distributor, [{ supplier, amount: 42_000n }]);
        const relayer = f.t.fundedKeypair();
        const [supplierBefore, relayerBefore] = [holdings(f, reward, supplier), f.t.balance(relayer.publicKey)];
        await f.rewards.claim({ payer: relayer, distributor, claim: e1.claimFor(supplier)! });
        expect(holdings(f, reward, supplier) - supplierBefore).to.equal(42_000n);
        const statusAddress = f.rewards.claimStatus(distributor.address, supplier);
        const rent = BigInt(f.t.account(statusAddress)!.lamports);
        expect(relayerBefore - f.t.balance(relayer.publicKey)).to.equal(rent, "the relayer pays the rent (the wallet pays the fee)");
        expect((await f.rewards.fetchClaimStatus(distributor.address, supplier))!.rentPayer.toBase58()).to.equal(relayer.publicKey.toBase58());
      });

      it("makes the first claim of a supplier whose canonical bump is low, and refuses its status at a lower, non-canonical bump", async () => {
        const f = rewardsFixture({ suppliers: 0 });
        const reward = await rewardMint(f, kind.programId);
        const distributor = await createDistributor(f, reward);
        // the program proves every bump from 255 down to the canonical one + 1 on the curve
        const { supplier, canonical, lower } = lowBumpSupplier(f, distributor, 251);
        f.t.airdrop(supplier, 1_000_000_000n); // a SOL payout must leave the wallet rent-exempt
        await openRecipients(f, reward, [supplier]);
        const e1 = await publishEpoch(f, distributor, [{ supplier, amount: 5_000n }]);
        const claim = e1.claimFor(supplier)!;
        await expectErrorCode(f.rewards.claim({ distributor, claim, claimStatus: lower }), FRAMEWORK.ConstraintSeeds);
        const before = holdings(f, reward, supplier);
        await f.rewards.claim({ distributor, claim });
        expect(holdings(f, reward, supplier) - before).to.equal(5_000n);
        const status = await f.rewards.fetchClaimStatus(distributor.address, supplier);
        expect(status!.bump).to.equal(canonical.bump);
        expect(f.rewards.claimStatus(distributor.address, supplier).toBase58()).to.equal(canonical.address.toBase58());
        expect(f.t.account(lower.address)).to.equal(null, "no status at the lower bump");
      });
    });
  }

  it("refuses a second claim of the same cumulative amount", async () => {
    const { f, distributor, e1 } = await solEpoch();
    const claim = e1.claimFor(f.suppliers[0].publicKey)!;
    await f.rewards.claim({ distributor, claim });
    await expectRewardsError(f.rewards.claim({ distributor, claim }), "NothingToClaim");
  });

  it("refuses a wrong proof and a tampered amount", async () => {
    const { f, distributor, e1 } = await solEpoch();
    const claim = e1.claimFor(f.suppliers[0].publicKey)!;
    const proof = claim.proof.map((h) => Buffer.from(h));
    proof[0][0] ^= 1;
    await expectRewardsError(f.rewards.claim({ distributor, claim: { ...claim, proof } }), "InvalidProof");
    await expectRewardsError(f.rewards.claim({ distributor, claim: { ...claim, cumulativeAmount: claim.cumulativeAmount + 1n } }), "InvalidProof");
    await expectRewardsError(f.rewards.claim({ distributor, claim: { ...claim, proof: claim.proof.slice(1) } }), "InvalidProof");
    await expectRewardsError(f.rewards.claim({ distributor, claim: { ...claim, proof: [] } }), "InvalidProof");
  });

  it("refuses another supplier's leaf: for a different supplier, or paid anywhere but to its owner", async () => {
    const { f, distributor, e1 } = await solEpoch();
    const [a, b] = f.suppliers.map((s) => s.publicKey);
    const leafOfA = e1.claimFor(a)!;
    // b presents a's amount and proof as its own
    await expectRewardsError(f.rewards.claim({ payer: f.suppliers[1], distributor, claim: { ...leafOfA, supplier: b } }), "InvalidProof");
    // a's leaf, but the money sent to b
    await expectRewardsError(f.rewards.claim({ payer: f.suppliers[1], distributor, claim: leafOfA, destination: b }), "DestinationMismatch");
  });

  it("creates the supplier's token account on request, then pays into it", async () => {
    const f = rewardsFixture();
    const reward = await rewardMint(f, REWARD_KINDS[2].programId);
    const supplier = f.suppliers[0].publicKey;
    const distributor = await createDistributor(f, reward);
    const e1 = await publishEpoch(f, distributor, [{ supplier, amount: 9n }]);
    await f.rewards.claim({ distributor, claim: e1.claimFor(supplier)!, createDestination: true });
    expect(holdings(f, reward, supplier)).to.equal(9n);
  });

  it("refuses token payouts to an account the supplier does not own, or of another mint", async () => {
    const f = rewardsFixture();
    const reward = await rewardMint(f, REWARD_KINDS[1].programId);
    if (reward.kind !== "token") throw new Error("token reward expected");
    const [a, b] = f.suppliers.map((s) => s.publicKey);
    await openRecipients(f, reward, [a, b]);
    const distributor = await createDistributor(f, reward);
    const e1 = await publishEpoch(f, distributor, [{ supplier: a, amount: 10n }]);
    const claim = e1.claimFor(a)!;
    await expectRewardsError(f.rewards.claim({ distributor, claim, destination: f.rewards.recipientAccount(b, reward) }), "DestinationMismatch");
    const other = await rewardMint(f, REWARD_KINDS[1].programId);
    if (other.kind !== "token") throw new Error("token reward expected");
    const foreign = await f.t.createTokenAccount({ mint: other.mint, owner: a });
    await expectRewardsError(f.rewards.claim({ distributor, claim, destination: foreign }), "MintMismatch");
  });

  it("refuses claims beyond the root's maximum total claim", async () => {
    const f = rewardsFixture();
    const distributor = await createDistributor(f, await rewardMint(f, null));
    const [a, b] = f.suppliers.map((s) => s.publicKey);
    const distribution = Distribution.build({ distributor: distributor.address, epoch: 1n, earned: [{ supplier: a, amount: 600n }, { supplier: b, amount: 500n }] });
    // the authority caps this root at 1,000 although its leaves add up to 1,100
    await f.rewards.fundDistributor({ funder: f.authority, distributor, amount: 1_100n });
    await f.rewards.publishRoot({ authority: f.authority, distributor, epoch: 1n, root: distribution.root, maxTotalClaim: 1_000n, maxNumNodes: 2n });
    await f.rewards.claim({ distributor, claim: distribution.claimFor(a)! });
    await expectRewardsError(f.rewards.claim({ distributor, claim: distribution.claimFor(b)! }), "ExceedsMaxTotalClaim");
  });

  it("refuses a claimant beyond the root's maximum node count", async () => {
    const f = rewardsFixture();
    const distributor = await createDistributor(f, await rewardMint(f, null));
    const [a, b] = f.suppliers.map((s) => s.publicKey);
    const distribution = Distribution.build({ distributor: distributor.address, epoch: 1n, earned: [{ supplier: a, amount: 600n }, { supplier: b, amount: 500n }] });
    await f.rewards.fundDistributor({ funder: f.authority, distributor, amount: 1_100n });
    await f.rewards.publishRoot({ authority: f.authority, distributor, epoch: 1n, root: distribution.root, maxTotalClaim: 1_100n, maxNumNodes: 1n });
    await f.rewards.claim({ distributor, claim: distribution.claimFor(b)! });
    await expectRewardsError(f.rewards.claim({ distributor, claim: distribution.claimFor(a)! }), "ExceedsMaxNumNodes");
  });

  for (const kind of REWARD_KINDS) {
    it(`refuses a claim the ${kind.name} vault cannot cover, then pays it once funded`, async () => {
      const f = rewardsFixture();
      const reward = await rewardMint(f, kind.programId);
      const a = f.suppliers[0].publicKey;
      await openRecipients(f, reward, [a]);
      const distributor = await createDistributor(f, reward);
      const e1 = await publishEpoch(f, distributor, [{ supplier: a, amount: 5_000n }], { fund: 4_999n });
      await expectRewardsError(f.rewards.claim({ distributor, claim: e1.claimFor(a)! }), "VaultUnderfunded");
      await f.rewards.fundDistributor({ funder: f.authority, distributor, amount: 1n });
      await f.rewards.claim({ distributor, claim: e1.claimFor(a)! });
      expect(await distributorBalance(f, distributor)).to.equal(0n);
    });
  }

  it("refuses claims before the first root and while paused, and keeps them open after expiry until the clawback", async () => {
    const f = rewardsFixture();
    const distributor = await createDistributor(f, await rewardMint(f, null), { expiresIn: 10_000n });
    const [a, b] = f.suppliers.map((s) => s.publicKey);
    const e1 = Distribution.build({ distributor: distributor.address, epoch: 1n, earned: [{ supplier: a, amount: 5n }, { supplier: b, amount: 6n }] });
    await expectRewardsError(f.rewards.claim({ distributor, claim: e1.claimFor(a)! }), "NoRoot");
    await publishEpoch(f, distributor, [{ supplier: a, amount: 5n }, { supplier: b, amount: 6n }]);
    const state = await f.rewards.fetchDistributor(distributor.address);
    const update = { authority: f.authority, distributor: distributor.address, treasury: f.treasury.publicKey, expiresAt: toBigInt(state.expiresAt) };
    await f.rewards.updateDistributor({ ...update, paused: true });
    await expectRewardsError(f.rewards.claim({ distributor, claim: e1.claimFor(a)! }), "Paused");
    await f.rewards.updateDistributor({ ...update, paused: false });
    f.t.warp({ unixTimestamp: toBigInt(state.expiresAt) + 1n });
    await f.rewards.claim({ distributor, claim: e1.claimFor(a)! });
    await f.rewards.clawback({ distributor });
    await expectErrorCode(f.rewards.claim({ distributor, claim: e1.claimFor(b)! }), FRAMEWORK.AccountNotInitialized);
  });

  it("keeps one claim status per supplier for the distributor's whole life", async () => {
    const { f, distributor, e1 } = await solEpoch();
    const a = f.suppliers[0].publicKey;
    await f.rewards.claim({ distributor, claim: e1.claimFor(a)! });
    let previous = e1;
    for (let i = 0; i < 3; i++) {
      previous = await publishEpoch(f, distributor, [{ supplier: a, amount: 10n }], { previous });
      await f.rewards.claim({ distributor, claim: previous.claimFor(a)! });
    }
    const status = await f.rewards.fetchClaimStatus(distributor.address, a);
    expect(toBigInt(status!.claimed)).to.equal(e1.amountOf(a) + 30n);
    const state = await f.rewards.fetchDistributor(distributor.address);
    expect(toBigInt(state.numNodesClaimed)).to.equal(1n);
  });
});

/**
 * A new supplier whose claim status with `distributor` has a canonical bump of at most `highest` (1 supplier
 * in 2^(255 - highest)), and a lower bump that also gives an address (the status a forged claim would create).
 */
function lowBumpSupplier(
  f: RewardsFixture,
  distributor: DistributorRef,
  highest: number,
): { supplier: PublicKey; canonical: { address: PublicKey; bump: number }; lower: { address: PublicKey; bump: number } } {
  for (let tries = 0; tries < 10_000; tries++) {
    const supplier = Keypair.generate().publicKey;
    const [address, bump] = claimStatusPda(f.rewards.programId, distributor.address, supplier);
    if (bump > highest) continue;
    for (let lower = bump - 1; lower >= 0; lower--) {
      const seeds = [Buffer.from("claim_status"), distributor.address.toBuffer(), supplier.toBuffer(), Buffer.from([lower])];
      try {
        return { supplier, canonical: { address, bump }, lower: { address: PublicKey.createProgramAddressSync(seeds, f.rewards.programId), bump: lower } };
      } catch {
        // on the curve: try the next bump down
      }
    }
  }
  throw new Error(`no supplier with a claim-status bump <= ${highest} in 10,000 tries`);
}

/** A SOL distributor with epoch 1 published and funded for three suppliers. */
async function solEpoch(): Promise<{ f: RewardsFixture; distributor: Awaited<ReturnType<typeof createDistributor>>; e1: Distribution }> {
  const f = rewardsFixture();
  const distributor = await createDistributor(f, await rewardMint(f, null));
  const e1 = await publishEpoch(
    f,
    distributor,
    f.suppliers.map((s, i) => ({ supplier: s.publicKey, amount: 1_000n * BigInt(i + 1) })),
  );
  return { f, distributor, e1 };
}
