// publish_root: the authority installs an epoch's root with its guards; epochs strictly increase; guards never go
// below what was claimed.
import { expect } from "chai";
import { Distribution, SOL, toBigInt } from "../../ts-client/src/index.js";
import { DAY, createDistributor, expectRewardsError, publishEpoch, rewardsFixture } from "./fixture.js";

describe("rewards: publish_root", () => {
  it("installs the root with its guards and emits the distributor's new state", async () => {
    const f = rewardsFixture();
    const distributor = await createDistributor(f, SOL);
    const e1 = await publishEpoch(f, distributor, f.suppliers.map((s, i) => ({ supplier: s.publicKey, amount: BigInt(10 * (i + 1)) })));
    const state = await f.rewards.fetchDistributor(distributor.address);
    expect(Buffer.from(state.root)).to.deep.equal(e1.root);
    expect([toBigInt(state.epoch), toBigInt(state.maxTotalClaim), toBigInt(state.maxNumNodes)]).to.deep.equal([1n, 60n, 3n]);
    expect(toBigInt(state.publishedAt)).to.equal(f.t.clock().unixTimestamp);
    const events = f.rewards.parseEvents(f.t.lastResult!.logs);
    expect(events.map((e) => e.name)).to.deep.equal(["distributorFunded", "rootPublished"]);
    expect(toBigInt(events[1].data.previousEpoch)).to.equal(0n);
    expect(Buffer.from((events[1].data.state as { root: number[] }).root)).to.deep.equal(e1.root);
  });

  it("accepts any later epoch, never the same or an earlier one", async () => {
    const f = rewardsFixture();
    const distributor = await createDistributor(f, SOL);
    const earned = [{ supplier: f.suppliers[0].publicKey, amount: 1n }];
    const e5 = await publishEpoch(f, distributor, earned, { epoch: 5n });
    const again = Distribution.build({ distributor: distributor.address, epoch: 5n, earned });
    const publish = (d: Distribution, epoch = d.epoch) =>
      f.rewards.publishRoot({ authority: f.authority, distributor, epoch, root: d.root, maxTotalClaim: d.maxTotalClaim, maxNumNodes: d.maxNumNodes });
    await expectRewardsError(publish(again), "EpochNotIncreasing");
    await expectRewardsError(publish(again, 4n), "EpochNotIncreasing");
    await publish(Distribution.build({ distributor: distributor.address, epoch: 9n, previous: e5, earned }));
    expect(toBigInt((await f.rewards.fetchDistributor(distributor.address)).epoch)).to.equal(9n);
  });

  it("refuses anyone but the authority, a zero root, guards below what was claimed, and roots after expiry", async () => {
    const f = rewardsFixture();
    const distributor = await createDistributor(f, SOL, { expiresIn: DAY });
    const [a, b] = f.suppliers.map((s) => s.publicKey);
    const e1 = await publishEpoch(f, distributor, [{ supplier: a, amount: 100n }, { supplier: b, amount: 50n }]);
    const args = { distributor, epoch: 2n, root: e1.root, maxTotalClaim: 150n, maxNumNodes: 2n };
    await expectRewardsError(f.rewards.publishRoot({ ...args, authority: f.suppliers[0] }), "NotAuthority");
    await expectRewardsError(f.rewards.publishRoot({ ...args, authority: f.authority, root: new Uint8Array(32) }), "InvalidRoot");
    await f.rewards.claim({ distributor, claim: e1.claimFor(a)! });
    await expectRewardsError(f.rewards.publishRoot({ ...args, authority: f.authority, maxTotalClaim: 99n }), "GuardBelowClaimed");
    await expectRewardsError(f.rewards.publishRoot({ ...args, authority: f.authority, maxNumNodes: 0n }), "GuardBelowClaimed");
    f.t.advance({ seconds: DAY });
    await expectRewardsError(f.rewards.publishRoot({ ...args, authority: f.authority }), "DistributorExpired");
  });
});
