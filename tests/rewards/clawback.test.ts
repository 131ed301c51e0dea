// clawback: after expiry anyone sends what is unclaimed to the treasury and closes the distributor (and its vault),
// rent back to the creator.
import { expect } from "chai";
import { toBigInt } from "../../ts-client/src/index.js";
import {
  DAY,
  REWARD_KINDS,
  createDistributor,
  expectRewardsError,
  holdings,
  openRecipients,
  publishEpoch,
  rewardMint,
  rewardsFixture,
} from "./fixture.js";

describe("rewards: clawback", () => {
  for (const kind of REWARD_KINDS) {
    it(`after expiry, sends the unclaimed ${kind.name} to the treasury and closes the distributor, rent to the creator`, async () => {
      const f = rewardsFixture();
      const reward = await rewardMint(f, kind.programId);
      const [a, b] = f.suppliers.map((s) => s.publicKey);
      await openRecipients(f, reward, [a, f.treasury.publicKey]);
      const distributor = await createDistributor(f, reward, { expiresIn: DAY });
      const e1 = await publishEpoch(f, distributor, [{ supplier: a, amount: 400n }, { supplier: b, amount: 600n }]);
      await f.rewards.claim({ distributor, claim: e1.claimFor(a)! });
      await expectRewardsError(f.rewards.clawback({ distributor }), "DistributorNotExpired");

      f.t.advance({ seconds: DAY });
      const vault = f.rewards.vault(distributor.address, reward);
      const rent = BigInt(f.t.account(distributor.address)!.lamports) - (reward.kind === "sol" ? 600n : 0n) + (vault ? BigInt(f.t.account(vault)!.lamports) : 0n);
      const [treasuryBefore, creatorBefore] = [holdings(f, reward, f.treasury.publicKey), f.t.balance(f.creator.publicKey)];
      await f.rewards.clawback({ distributor });
      expect(holdings(f, reward, f.treasury.publicKey) - treasuryBefore).to.equal(600n);
      const fee = 5_000n; // the fixture's wallet (the creator) paid the transaction fee
      expect(f.t.balance(f.creator.publicKey) - creatorBefore + fee).to.equal(rent);
      expect(f.t.account(distributor.address)).to.equal(null);
      if (vault) expect(f.t.account(vault)).to.equal(null);
      const [event] = f.rewards.parseEvents(f.t.lastResult!.logs);
      expect(event.name).to.equal("distributorClawedBack");
      expect([toBigInt(event.data.amount), toBigInt(event.data.rentReturned)]).to.deep.equal([600n, rent]);
      expect(toBigInt((event.data.state as { totalClaimed: unknown }).totalClaimed)).to.equal(400n);
    });
  }

  it("refuses a destination other than the treasury's and a rent receiver other than the creator", async () => {
    const f = rewardsFixture();
    const reward = await rewardMint(f, REWARD_KINDS[1].programId);
    await openRecipients(f, reward, [f.treasury.publicKey, f.suppliers[0].publicKey]);
    const distributor = await createDistributor(f, reward, { expiresIn: DAY });
    f.t.advance({ seconds: DAY });
    const base = { distributor, treasury: f.treasury.publicKey, creator: f.creator.publicKey };
    await expectRewardsError(f.t.send(await f.rewards.clawbackIx({ ...base, destination: f.rewards.recipientAccount(f.suppliers[0].publicKey, reward) })), "DestinationMismatch");
    await expectRewardsError(f.t.send(await f.rewards.clawbackIx({ ...base, creator: f.suppliers[0].publicKey })), "RentPayerMismatch");
    const sol = await createDistributor(f, await rewardMint(f, null), { id: 2n, expiresIn: DAY });
    f.t.advance({ seconds: DAY });
    await expectRewardsError(f.t.send(await f.rewards.clawbackIx({ distributor: sol, treasury: f.suppliers[0].publicKey, creator: f.creator.publicKey })), "DestinationMismatch");
  });

  it("lets anyone crank it: no signature is needed", async () => {
    const f = rewardsFixture();
    const distributor = await createDistributor(f, await rewardMint(f, null), { expiresIn: DAY });
    f.t.advance({ seconds: DAY });
    const ix = await f.rewards.clawbackIx({ distributor, treasury: f.treasury.publicKey, creator: f.creator.publicKey });
    expect(ix.keys.some((k) => k.isSigner)).to.equal(false);
    const stranger = f.t.fundedKeypair();
    await f.t.send(ix, { feePayer: stranger });
    expect(f.t.account(distributor.address)).to.equal(null);
  });
});
