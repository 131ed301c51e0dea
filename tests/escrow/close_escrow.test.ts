// close_escrow: once nothing is held, the client closes the escrow and gets its rent back.
import { expect } from "chai";
import { Keypair } from "@solana/web3.js";
import {
  accountIndex,
  books,
  charge,
  currency,
  currentWindow,
  escrowFixture,
  escrowRent,
  FUNDING_KINDS,
  HOUR,
  openEscrow,
  payeesOf,
  sendRaw,
  tamper,
  usageRef,
} from "./fixture.js";
import { expectError, expectUnchanged, lastEvent, plain } from "./expect.js";

describe("close_escrow", () => {
  for (const kind of FUNDING_KINDS) {
    describe(`given a ${kind} escrow that was used, settled and refunded`, () => {
      it("when the client closes it, then the account is gone, its rent is back with the client, and the event has the totals", async () => {
        const f = await escrowFixture();
        const c = await currency(f, kind);
        const escrow = await openEscrow(f, { currency: c, deposit: 10_000n, expiresIn: 3n * HOUR });
        const window = currentWindow(f);
        await charge(f, escrow, 4_000n);
        await f.escrow.approveCharges({ client: f.client, escrow, window });
        await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey, mint: c.mint });
        f.t.warp({ unixTimestamp: books(f, escrow).expiresAt });
        await f.escrow.refund({ client: f.client, escrow, funding: c.funding, clientToken: c.clientToken });
        const { settled, fees } = books(f, escrow);
        const lamports = f.t.balance(f.client.publicKey);
        const rent = escrowRent(f);

        await f.escrow.closeEscrow({ client: f.client, escrow });

        expect(f.t.account(escrow)).to.equal(null);
        expect(f.t.balance(f.client.publicKey)).to.equal(lamports + rent, "the fee payer is not the client: it gets the whole rent");
        expect(plain(lastEvent(f, "escrowClosed"))).to.deep.equal({
          escrow: escrow.toBase58(),
          client: f.client.publicKey.toBase58(),
          deposited: 10_000n,
          settled,
          fees,
          refunded: 6_000n,
          rentReturned: rent,
        });
      });
    });
  }

  describe("given an escrow that holds funds", () => {
    it("when it still has available funds, then closing fails with EscrowNotEmpty", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 1n });
      await expectUnchanged(f.t, [escrow, f.client.publicKey], () => expectError(f, f.escrow.closeEscrow({ client: f.client, escrow }), "EscrowNotEmpty"));
    });

    it("when a charge is pending, then closing fails with EscrowNotEmpty", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 100n, expiresIn: HOUR });
      await charge(f, escrow, 100n);
      await expectError(f, f.escrow.closeEscrow({ client: f.client, escrow }), "EscrowNotEmpty");
    });

    it("when a charge has matured but is not settled, then closing fails with EscrowNotEmpty", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 100n });
      await charge(f, escrow, 100n);
      await f.escrow.approveCharges({ client: f.client, escrow, window: currentWindow(f) });
      await expectError(f, f.escrow.closeEscrow({ client: f.client, escrow }), "EscrowNotEmpty");
    });

    it("when a dispute is unresolved, then closing fails with EscrowNotEmpty until the arbiter decides", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 100n, expiresIn: HOUR });
      const window = currentWindow(f);
      await charge(f, escrow, 100n);
      await f.escrow.disputeCharges({ client: f.client, escrow, window, amount: 100n, usageRef: usageRef() });
      f.t.advance({ seconds: 3n * HOUR });
      await expectError(f, f.escrow.closeEscrow({ client: f.client, escrow }), "EscrowNotEmpty");
      await f.escrow.resolveDispute({ arbiter: f.arbiter, escrow, window, toProvider: 0n });
      await f.escrow.refund({ client: f.client, escrow, funding: { kind: "sol" } });
      await f.escrow.closeEscrow({ client: f.client, escrow });
    });
  });

  describe("given an escrow opened without a deposit", () => {
    it("when the client closes it at once, then it closes", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 0n });
      await f.escrow.closeEscrow({ client: f.client, escrow });
      expect(f.t.account(escrow)).to.equal(null);
    });

    for (const who of ["provider", "stranger"] as const) {
      it(`when the ${who} closes it, then it fails with NotClient`, async () => {
        const f = await escrowFixture();
        const escrow = await openEscrow(f, { deposit: 0n });
        await expectUnchanged(f.t, [escrow, f[who].publicKey], () => expectError(f, f.escrow.closeEscrow({ client: f[who], escrow }), "NotClient"));
      });
    }

    it("when the client's key is given without its signature, then it fails with AccountNotSigner", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 0n });
      const ix = await f.escrow.closeEscrowIx({ client: f.client.publicKey, escrow });
      const unsigned = tamper(ix, accountIndex(f, "close_escrow", "client"), { isSigner: false });
      await expectUnchanged(f.t, [escrow], () => expectError(f, sendRaw(f, unsigned), "AccountNotSigner"));
    });

    it("when the client closes it twice, then the second fails with AccountNotInitialized", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 0n });
      await f.escrow.closeEscrow({ client: f.client, escrow });
      await expectError(f, f.escrow.closeEscrow({ client: f.client, escrow }), "AccountNotInitialized");
    });
  });

  describe("given an escrow keypair whose escrow was closed", () => {
    it("when the client opens with the same keypair again, then a fresh escrow lives there with nothing carried over", async () => {
      const f = await escrowFixture();
      const keypair = Keypair.generate();
      await openEscrow(f, { deposit: 5n, escrow: keypair, expiresIn: HOUR });
      f.t.advance({ seconds: HOUR });
      await f.escrow.refund({ client: f.client, escrow: keypair.publicKey, funding: { kind: "sol" } });
      await f.escrow.closeEscrow({ client: f.client, escrow: keypair.publicKey });
      await openEscrow(f, { deposit: 7n, escrow: keypair });
      const b = books(f, keypair.publicKey);
      expect([b.deposited, b.refunded, b.available]).to.deep.equal([7n, 0n, 7n], "nothing of the closed escrow carries over");
    });
  });
});
