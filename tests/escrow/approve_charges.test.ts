// approve_charges: the client approves a bucket early, so its undisputed part can settle now.
import { expect } from "chai";
import {
  accountIndex,
  books,
  charge,
  currentWindow,
  earnings,
  escrowFixture,
  FEE_BPS,
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
  return { f, escrow, window };
}

describe("approve_charges", () => {
  describe("given a pending bucket inside its challenge window", () => {
    it("when the client approves it, then its amount matures now, the slot frees and settlement can pay it", async () => {
      const { f, escrow, window } = await setup();
      await f.escrow.approveCharges({ client: f.client, escrow, window });
      const b = books(f, escrow);
      expect([b.pending, b.matured, b.available, b.buckets.length]).to.deep.equal([0n, 1_000n, 9_000n, 0]);
      expect(plain(lastEvent(f, "chargesApproved"))).to.deep.equal({
        escrow: escrow.toBase58(),
        client: f.client.publicKey.toBase58(),
        window,
        amount: 1_000n,
        pending: 0n,
        matured: 1_000n,
      });
      await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      expect(earnings(f, f.treasury.publicKey)!.balance).to.equal((1_000n * BigInt(FEE_BPS)) / 10_000n);
    });

    it("when part of it is disputed, then only the undisputed part matures and the dispute stays pending", async () => {
      const { f, escrow, window } = await setup();
      await f.escrow.disputeCharges({ client: f.client, escrow, window, amount: 300n, usageRef: usageRef() });
      await f.escrow.approveCharges({ client: f.client, escrow, window });
      const b = books(f, escrow);
      expect([b.pending, b.matured]).to.deep.equal([300n, 700n]);
      expect(b.buckets.map((x) => [x.window, x.amount, x.disputed])).to.deep.equal([[window, 300n, 300n]]);
    });

    it("when the client approves one window, then an older window whose time has passed matures with it", async () => {
      const { f, escrow, window } = await setup();
      f.t.warp({ unixTimestamp: (window + 2n) * HOUR });
      await charge(f, escrow, 50n);
      await f.escrow.approveCharges({ client: f.client, escrow, window: window + 2n });
      expect(books(f, escrow).matured).to.equal(1_050n);
    });

    it("when the protocol is paused, then approval still works", async () => {
      const { f, escrow, window } = await setup();
      await f.escrow.updateConfig({ admin: f.admin, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: FEE_BPS, paused: true });
      await f.escrow.approveCharges({ client: f.client, escrow, window });
      expect(books(f, escrow).matured).to.equal(1_000n);
    });
  });

  describe("given windows without a pending bucket", () => {
    it("when the client approves a window nothing was charged in, then it fails with UnknownBucket", async () => {
      const { f, escrow, window } = await setup();
      await expectUnchanged(f.t, [escrow], () => expectError(f, f.escrow.approveCharges({ client: f.client, escrow, window: window + 1n }), "UnknownBucket"));
    });

    it("when the client approves the same window twice, then the second fails with UnknownBucket", async () => {
      const { f, escrow, window } = await setup();
      await f.escrow.approveCharges({ client: f.client, escrow, window });
      await expectError(f, f.escrow.approveCharges({ client: f.client, escrow, window }), "UnknownBucket");
    });
  });

  describe("given someone other than the client", () => {
    for (const who of ["meter", "provider", "stranger"] as const) {
      it(`when the ${who} approves, then it fails with NotClient`, async () => {
        const { f, escrow, window } = await setup();
        await expectUnchanged(f.t, [escrow], () => expectError(f, f.escrow.approveCharges({ client: f[who], escrow, window }), "NotClient"));
      });
    }

    it("when the client's key is given without its signature, then it fails with AccountNotSigner", async () => {
      const { f, escrow, window } = await setup();
      const ix = await f.escrow.approveChargesIx({ client: f.client.publicKey, escrow, window });
      const unsigned = tamper(ix, accountIndex(f, "approve_charges", "client"), { isSigner: false });
      await expectUnchanged(f.t, [escrow], () => expectError(f, sendRaw(f, unsigned), "AccountNotSigner"));
    });
  });
});
