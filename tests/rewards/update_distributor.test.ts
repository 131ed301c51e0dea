// update_distributor: treasury, expiry (only later) and pause, by the authority alone.
import { expect } from "chai";
import { PublicKey } from "@solana/web3.js";
import { SOL, toBigInt } from "../../ts-client/src/index.js";
import { DAY, createDistributor, expectRewardsError, newKey, rewardsFixture } from "./fixture.js";

describe("rewards: update_distributor", () => {
  it("changes the treasury, extends the expiry and pauses, with an event carrying the new state", async () => {
    const f = rewardsFixture();
    const distributor = await createDistributor(f, SOL);
    const state = await f.rewards.fetchDistributor(distributor.address);
    const treasury = newKey();
    const expiresAt = toBigInt(state.expiresAt) + DAY;
    await f.rewards.updateDistributor({ authority: f.authority, distributor: distributor.address, treasury, expiresAt, paused: true });
    const updated = await f.rewards.fetchDistributor(distributor.address);
    expect([updated.treasury.toBase58(), toBigInt(updated.expiresAt), updated.paused]).to.deep.equal([treasury.toBase58(), expiresAt, true]);
    const [event] = f.rewards.parseEvents(f.t.lastResult!.logs);
    expect(event.name).to.equal("distributorUpdated");
    expect((event.data.state as { paused: boolean }).paused).to.equal(true);
  });

  it("refuses anyone but the authority, an earlier expiry, a zero treasury, and any change once expired", async () => {
    const f = rewardsFixture();
    const distributor = await createDistributor(f, SOL, { expiresIn: DAY });
    const expiresAt = toBigInt((await f.rewards.fetchDistributor(distributor.address)).expiresAt);
    const update = { distributor: distributor.address, treasury: f.treasury.publicKey, expiresAt, paused: false };
    await expectRewardsError(f.rewards.updateDistributor({ ...update, authority: f.creator }), "NotAuthority");
    await expectRewardsError(f.rewards.updateDistributor({ ...update, authority: f.authority, expiresAt: expiresAt - 1n }), "InvalidExpiry");
    await expectRewardsError(f.rewards.updateDistributor({ ...update, authority: f.authority, treasury: PublicKey.default }), "InvalidAddress");
    f.t.warp({ unixTimestamp: expiresAt });
    await expectRewardsError(f.rewards.updateDistributor({ ...update, authority: f.authority, expiresAt: expiresAt + DAY }), "InvalidExpiry");
  });
});
