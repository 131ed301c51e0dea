// fund_distributor: deposits of SOL and tokens (both token programs), the running total, and refusals.
import { expect } from "chai";
import { SOL, toBigInt } from "../../ts-client/src/index.js";
import { DAY, REWARD_KINDS, createDistributor, distributorBalance, expectRewardsError, rewardMint, rewardsFixture } from "./fixture.js";

describe("rewards: fund_distributor", () => {
  for (const kind of REWARD_KINDS) {
    it(`deposits ${kind.name}, adds up the total funded and reports the balance`, async () => {
      const f = rewardsFixture();
      const reward = await rewardMint(f, kind.programId);
      const distributor = await createDistributor(f, reward);
      await f.rewards.fundDistributor({ funder: f.authority, distributor, amount: 700n });
      await f.rewards.fundDistributor({ funder: f.authority, distributor, amount: 300n });
      const [event] = f.rewards.parseEvents(f.t.lastResult!.logs);
      expect(event.name).to.equal("distributorFunded");
      expect([toBigInt(event.data.amount), toBigInt(event.data.totalFunded), toBigInt(event.data.balance)]).to.deep.equal([300n, 1_000n, 1_000n]);
      expect(await distributorBalance(f, distributor)).to.equal(1_000n);
      expect(toBigInt((await f.rewards.fetchDistributor(distributor.address)).totalFunded)).to.equal(1_000n);
    });
  }

  it("lets anyone fund, not only the authority", async () => {
    const f = rewardsFixture();
    const distributor = await createDistributor(f, SOL);
    const stranger = f.t.fundedKeypair();
    await f.rewards.fundDistributor({ funder: stranger, distributor, amount: 5n });
    expect(await distributorBalance(f, distributor)).to.equal(5n);
  });

  it("refuses a zero amount, funding after expiry, and token accounts that do not match the distributor", async () => {
    const f = rewardsFixture();
    const distributor = await createDistributor(f, SOL, { expiresIn: DAY });
    await expectRewardsError(f.rewards.fundDistributor({ funder: f.authority, distributor, amount: 0n }), "ZeroAmount");
    const token = await rewardMint(f, REWARD_KINDS[1].programId);
    await expectRewardsError(f.rewards.fundDistributor({ funder: f.authority, distributor: { ...distributor, reward: token }, amount: 1n }), "FundingMismatch");
    const tokenDistributor = await createDistributor(f, token, { id: 2n });
    const other = await rewardMint(f, REWARD_KINDS[1].programId);
    if (other.kind !== "token") throw new Error("token reward expected");
    const ix = await f.rewards.fundDistributorIx({ funder: f.authority.publicKey, distributor: tokenDistributor, amount: 1n });
    ix.keys[4].pubkey = other.mint;
    await expectRewardsError(f.t.send(ix, { signers: [f.authority] }), "MintMismatch");
    f.t.advance({ seconds: DAY });
    await expectRewardsError(f.rewards.fundDistributor({ funder: f.authority, distributor, amount: 1n }), "DistributorExpired");
  });
});
