// propose_authority / accept_authority: the two-step authority transfer.
import { expect } from "chai";
import { PublicKey } from "@solana/web3.js";
import { SOL } from "../../ts-client/src/index.js";
import { createDistributor, expectRewardsError, rewardsFixture } from "./fixture.js";

describe("rewards: propose_authority and accept_authority", () => {
  it("hands the authority over only when the nominee accepts", async () => {
    const f = rewardsFixture();
    const distributor = await createDistributor(f, SOL);
    const next = f.t.fundedKeypair();
    await f.rewards.proposeAuthority({ authority: f.authority, distributor: distributor.address, newAuthority: next.publicKey });
    let state = await f.rewards.fetchDistributor(distributor.address);
    expect([state.authority.toBase58(), state.pendingAuthority.toBase58()]).to.deep.equal([f.authority.publicKey.toBase58(), next.publicKey.toBase58()]);
    expect(f.rewards.parseEvents(f.t.lastResult!.logs)[0].name).to.equal("authorityProposed");
    await f.rewards.acceptAuthority({ newAuthority: next, distributor: distributor.address });
    state = await f.rewards.fetchDistributor(distributor.address);
    expect([state.authority.toBase58(), state.pendingAuthority.toBase58()]).to.deep.equal([next.publicKey.toBase58(), PublicKey.default.toBase58()]);
    const [accepted] = f.rewards.parseEvents(f.t.lastResult!.logs);
    expect((accepted.data.previousAuthority as PublicKey).toBase58()).to.equal(f.authority.publicKey.toBase58());
    await expectRewardsError(
      f.rewards.proposeAuthority({ authority: f.authority, distributor: distributor.address, newAuthority: f.authority.publicKey }),
      "NotAuthority",
    );
  });

  it("refuses a proposal by anyone but the authority and an acceptance by anyone but the nominee; zero cancels", async () => {
    const f = rewardsFixture();
    const distributor = await createDistributor(f, SOL);
    const next = f.t.fundedKeypair();
    await expectRewardsError(f.rewards.proposeAuthority({ authority: next, distributor: distributor.address, newAuthority: next.publicKey }), "NotAuthority");
    await expectRewardsError(f.rewards.acceptAuthority({ newAuthority: next, distributor: distributor.address }), "NotPendingAuthority");
    await f.rewards.proposeAuthority({ authority: f.authority, distributor: distributor.address, newAuthority: next.publicKey });
    await expectRewardsError(f.rewards.acceptAuthority({ newAuthority: f.suppliers[0], distributor: distributor.address }), "NotPendingAuthority");
    await f.rewards.proposeAuthority({ authority: f.authority, distributor: distributor.address, newAuthority: PublicKey.default });
    await expectRewardsError(f.rewards.acceptAuthority({ newAuthority: next, distributor: distributor.address }), "NotPendingAuthority");
  });
});
