// close_claim_status: once the distributor is closed, a claim status's rent goes back to whoever paid it; a
// distributor re-created at the same address treats left-over claim statuses as new.
import { expect } from "chai";
import { SOL, toBigInt } from "../../ts-client/src/index.js";
import { DAY, createDistributor, expectRewardsError, publishEpoch, rewardsFixture } from "./fixture.js";

describe("rewards: close_claim_status", () => {
  it("returns the rent to the claim's payer once the distributor is closed, and not before", async () => {
    const f = rewardsFixture();
    const distributor = await createDistributor(f, SOL, { expiresIn: DAY });
    const supplier = f.suppliers[0].publicKey;
    const e1 = await publishEpoch(f, distributor, [{ supplier, amount: 10n }]);
    const relayer = f.t.fundedKeypair();
    await f.rewards.claim({ payer: relayer, distributor, claim: e1.claimFor(supplier)! });
    await expectRewardsError(f.rewards.closeClaimStatus({ distributor: distributor.address, supplier }), "DistributorNotClosed");
    f.t.advance({ seconds: DAY });
    await f.rewards.clawback({ distributor });
    const status = f.rewards.claimStatus(distributor.address, supplier);
    const rent = BigInt(f.t.account(status)!.lamports);
    const before = f.t.balance(relayer.publicKey);
    await expectRewardsError(
      f.t.send(await f.rewards.closeClaimStatusIx({ distributor: distributor.address, supplier, rentPayer: f.creator.publicKey })),
      "RentPayerMismatch",
    );
    await f.rewards.closeClaimStatus({ distributor: distributor.address, supplier });
    expect(f.t.balance(relayer.publicKey) - before).to.equal(rent);
    expect(f.t.account(status)).to.equal(null);
    const [event] = f.rewards.parseEvents(f.t.lastResult!.logs);
    expect(event.name).to.equal("claimStatusClosed");
    expect(toBigInt((event.data.state as { claimed: unknown }).claimed)).to.equal(10n);
  });

  it("treats a claim status left from a closed distributor as new when one is re-created at the same address", async () => {
    const f = rewardsFixture();
    const [supplier, other] = f.suppliers.map((s) => s.publicKey);
    const first = await createDistributor(f, SOL, { id: 7n, expiresIn: DAY });
    const old = await publishEpoch(f, first, [{ supplier, amount: 500n }, { supplier: other, amount: 1n }]);
    await f.rewards.claim({ distributor: first, claim: old.claimFor(supplier)! });
    await f.rewards.claim({ distributor: first, claim: old.claimFor(other)! });
    f.t.advance({ seconds: DAY, slots: 10n });
    await f.rewards.clawback({ distributor: first });

    const again = await createDistributor(f, SOL, { id: 7n, expiresIn: DAY });
    expect(again.address.toBase58()).to.equal(first.address.toBase58());
    const fresh = await publishEpoch(f, again, [{ supplier, amount: 200n }]);
    const before = f.t.balance(supplier);
    await f.rewards.claim({ distributor: again, claim: fresh.claimFor(supplier)! });
    expect(f.t.balance(supplier) - before).to.equal(200n, "the earlier 500 do not count against the new distributor");
    const [event] = f.rewards.parseEvents(f.t.lastResult!.logs);
    expect(event.data.firstClaim).to.equal(true);
    expect(toBigInt((await f.rewards.fetchDistributor(again.address)).numNodesClaimed)).to.equal(1n);
    // the other left-over status belongs to no live distributor: closable while the new one runs
    await f.rewards.closeClaimStatus({ distributor: again.address, supplier: other });
    await expectRewardsError(f.rewards.closeClaimStatus({ distributor: again.address, supplier }), "DistributorNotClosed");
  });
});
