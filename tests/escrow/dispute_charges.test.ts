// dispute_charges: the client freezes part of a bucket inside its challenge window, naming the usage it contests.
import { expect } from "chai";
import {
  accountIndex,
  books,
  charge,
  currentWindow,
  earnings,
  escrowFixture,
  HOUR,
  openEscrow,
  payeesOf,
  sendRaw,
  tamper,
  usageRef,
} from "./fixture.js";
import { expectError, expectUnchanged, lastEvent, plain } from "./expect.js";

async function setup() {
  const f = await escrowFixture();
  const escrow = await openEscrow(f, { deposit: 10_000n });
  const window = currentWindow(f);
  await charge(f, escrow, 1_000n);
  const dispute = (amount: bigint, w = window, client = f.client) =>
    f.escrow.disputeCharges({ client, escrow, window: w, amount, usageRef: usageRef(7) });
  return { f, escrow, window, dispute };
}

describe("dispute_charges", () => {
  describe("given a pending bucket inside its challenge window", () => {
    it("when the client disputes part of it, then that part is frozen and the event names the usage", async () => {
      const { f, escrow, window, dispute } = await setup();
      await dispute(400n);
      const b = books(f, escrow);
      expect(b.buckets.map((x) => [x.window, x.amount, x.disputed])).to.deep.equal([[window, 1_000n, 400n]]);
      expect([b.pending, b.matured, b.available]).to.deep.equal([1_000n, 0n, 9_000n], "a dispute moves no money");
      const event = plain(lastEvent(f, "chargesDisputed"));
      expect(event).to.deep.include({
        escrow: escrow.toBase58(),
        client: f.client.publicKey.toBase58(),
        window,
        amount: 400n,
        bucketDisputed: 400n,
        pending: 1_000n,
      });
      expect(Buffer.from(event.usageRef as number[])).to.deep.equal(Buffer.from(usageRef(7)));
    });

    it("when the client disputes the rest in a second dispute, then the whole bucket is frozen; more fails with InvalidDisputeAmount", async () => {
      const { f, escrow, dispute } = await setup();
      await dispute(400n);
      await expectUnchanged(f.t, [escrow], () => expectError(f, dispute(601n), "InvalidDisputeAmount"));
      await dispute(600n);
      expect(books(f, escrow).buckets[0].disputed).to.equal(1_000n);
      await expectError(f, dispute(1n), "InvalidDisputeAmount");
    });

    it("when the amount is zero, then it fails with InvalidDisputeAmount", async () => {
      const { f, escrow, dispute } = await setup();
      await expectUnchanged(f.t, [escrow], () => expectError(f, dispute(0n), "InvalidDisputeAmount"));
    });

    it("when the window passes, then the disputed part stays pending while the rest settles", async () => {
      const { f, escrow, window, dispute } = await setup();
      await dispute(250n);
      f.t.warp({ unixTimestamp: (window + 2n) * HOUR });
      await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      const b = books(f, escrow);
      expect([b.pending, b.matured, b.settled + b.fees]).to.deep.equal([250n, 0n, 750n]);
      expect(b.buckets.map((x) => [x.amount, x.disputed])).to.deep.equal([[250n, 250n]]);
      expect(earnings(f, f.treasury.publicKey)!.totalEarned + earnings(f, f.suppliers[0].publicKey)!.totalEarned + earnings(f, f.suppliers[1].publicKey)!.totalEarned).to.equal(750n);
    });
  });

  describe("given the challenge window's end", () => {
    it("when the client disputes one second before the bucket matures, then it is accepted; at maturity it fails with ChallengeWindowClosed", async () => {
      const { f, escrow, window, dispute } = await setup();
      f.t.warp({ unixTimestamp: (window + 2n) * HOUR - 1n });
      await dispute(1n);
      f.t.warp({ unixTimestamp: (window + 2n) * HOUR });
      await expectUnchanged(f.t, [escrow], () => expectError(f, dispute(1n), "ChallengeWindowClosed"));
    });

    it("when the bucket was approved, then a dispute fails with UnknownBucket", async () => {
      const { f, escrow, window, dispute } = await setup();
      await f.escrow.approveCharges({ client: f.client, escrow, window });
      await expectError(f, dispute(1n), "UnknownBucket");
    });

    it("when the client disputes a window nothing was charged in, then it fails with UnknownBucket", async () => {
      const { f, escrow, window, dispute } = await setup();
      await expectUnchanged(f.t, [escrow], () => expectError(f, dispute(1n, window - 1n), "UnknownBucket"));
    });
  });

  describe("given someone other than the client", () => {
    for (const who of ["meter", "provider", "stranger", "arbiter"] as const) {
      it(`when the ${who} disputes, then it fails with NotClient`, async () => {
        const { f, escrow, window, dispute } = await setup();
        await expectUnchanged(f.t, [escrow], () => expectError(f, dispute(1n, window, f[who]), "NotClient"));
      });
    }

    it("when the client's key is given without its signature, then it fails with AccountNotSigner", async () => {
      const { f, escrow, window } = await setup();
      const ix = await f.escrow.disputeChargesIx({ client: f.client.publicKey, escrow, window, amount: 1n, usageRef: usageRef() });
      const unsigned = tamper(ix, accountIndex(f, "dispute_charges", "client"), { isSigner: false });
      await expectUnchanged(f.t, [escrow], () => expectError(f, sendRaw(f, unsigned), "AccountNotSigner"));
    });
  });
});
