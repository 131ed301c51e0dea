// refund: after expiry or a close notice, the client takes back every unspent lamport or token, even if paused.
import { expect } from "chai";
import { Keypair } from "@solana/web3.js";
import { SOL } from "../../ts-client/src/index.js";
import {
  accountIndex,
  books,
  charge,
  currency,
  currentWindow,
  escrowFixture,
  escrowRent,
  FEE_BPS,
  FUNDING_KINDS,
  HOUR,
  openEscrow,
  payeesOf,
  sendRaw,
  tamper,
  usageRef,
} from "./fixture.js";
import { expectError, expectUnchanged, lastEvent, plain } from "./expect.js";

describe("refund", () => {
  for (const kind of FUNDING_KINDS) {
    describe(`given an expired ${kind} escrow`, () => {
      async function setup() {
        const f = await escrowFixture();
        const c = await currency(f, kind);
        const escrow = await openEscrow(f, { currency: c, deposit: 10_000n, expiresIn: 5n * HOUR });
        const refund = (client = f.client, clientToken = c.clientToken) => f.escrow.refund({ client, escrow, funding: c.funding, clientToken });
        const expire = () => f.t.warp({ unixTimestamp: books(f, escrow).expiresAt });
        return { f, c, escrow, refund, expire };
      }

      it("when the client asks, then everything available comes back to it and the escrow keeps only rent", async () => {
        const { f, c, escrow, refund, expire } = await setup();
        expire();
        const wallet = c.balance(f.client.publicKey);
        const vault = c.vaultBalance();
        await refund();
        const b = books(f, escrow);
        expect([b.refunded, b.available, b.deposited]).to.deep.equal([10_000n, 0n, 10_000n]);
        expect(c.balance(f.client.publicKey)).to.equal(wallet + 10_000n);
        expect(f.t.balance(escrow)).to.equal(escrowRent(f));
        if (kind !== "sol") expect(c.vaultBalance()).to.equal(vault - 10_000n);
        expect(plain(lastEvent(f, "escrowRefunded"))).to.deep.equal({
          escrow: escrow.toBase58(),
          client: f.client.publicKey.toBase58(),
          destination: c.wallet(f.client.publicKey).toBase58(),
          amount: 10_000n,
          refunded: 10_000n,
          available: 0n,
        });
      });

      it("when charges have passed their window, then they mature first: the refund never takes what the provider earned", async () => {
        const { f, escrow, refund, expire } = await setup();
        const window = currentWindow(f);
        await charge(f, escrow, 3_000n);
        f.t.warp({ unixTimestamp: (window + 2n) * HOUR });
        expire();
        await refund();
        const b = books(f, escrow);
        expect([b.refunded, b.pending, b.matured]).to.deep.equal([7_000n, 0n, 3_000n]);
        await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey, mint: b.mint });
        expect(books(f, escrow).settled + books(f, escrow).fees).to.equal(3_000n);
      });

      it("when a charge is still inside its window at expiry, then it stays pending and only the rest is refunded", async () => {
        const { f, escrow, refund, expire } = await setup();
        f.t.warp({ unixTimestamp: books(f, escrow).expiresAt - 1n });
        await charge(f, escrow, 2_000n);
        expire();
        await refund();
        const b = books(f, escrow);
        expect([b.refunded, b.pending]).to.deep.equal([8_000n, 2_000n]);
        await expectError(f, refund(), "ZeroAmount");
      });

      it("when a dispute is resolved in the client's favour after a refund, then a second refund returns that part", async () => {
        const { f, escrow, refund, expire } = await setup();
        const window = currentWindow(f);
        await charge(f, escrow, 2_000n);
        await f.escrow.disputeCharges({ client: f.client, escrow, window, amount: 2_000n, usageRef: usageRef() });
        expire();
        await refund();
        await f.escrow.resolveDispute({ arbiter: f.arbiter, escrow, window, toProvider: 500n });
        await refund();
        const b = books(f, escrow);
        expect([b.refunded, b.matured, b.pending, b.available]).to.deep.equal([9_500n, 500n, 0n, 0n]);
      });

      it("when the protocol is paused, then the refund still works", async () => {
        const { f, refund, expire } = await setup();
        await f.escrow.updateConfig({ admin: f.admin, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: FEE_BPS, paused: true });
        expire();
        await refund();
      });

      it("when nothing is available, then it fails with ZeroAmount", async () => {
        const { f, escrow, refund, expire } = await setup();
        expire();
        await refund();
        await expectUnchanged(f.t, [escrow], () => expectError(f, refund(), "ZeroAmount"));
      });

      it("when someone else asks, to its own wallet, then it fails with NotClient", async () => {
        const { f, c, escrow, refund, expire } = await setup();
        expire();
        const wallet = c.wallet(f.stranger.publicKey);
        await expectUnchanged(f.t, [escrow, wallet, f.escrow.vault(c.mint)], () => expectError(f, refund(f.stranger, kind === "sol" ? undefined : wallet), "NotClient"));
      });

      it("when the client's key is given without its signature, then it fails with AccountNotSigner", async () => {
        const { f, c, escrow, expire } = await setup();
        expire();
        const ix = await f.escrow.refundIx({ client: f.client.publicKey, escrow, funding: c.funding, clientToken: c.clientToken });
        const unsigned = tamper(ix, accountIndex(f, "refund", "client"), { isSigner: false });
        await expectUnchanged(f.t, [escrow], () => expectError(f, sendRaw(f, unsigned), "AccountNotSigner"));
      });
    });
  }

  describe("given an escrow that has not ended", () => {
    it("when the client asks one second before expiry, then it fails with EscrowNotEnded; at expiry it is refunded", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 10_000n, expiresIn: 5n * HOUR });
      f.t.warp({ unixTimestamp: books(f, escrow).expiresAt - 1n });
      await expectUnchanged(f.t, [escrow, f.client.publicKey], () => expectError(f, f.escrow.refund({ client: f.client, escrow, funding: SOL }), "EscrowNotEnded"));
      f.t.advance({ seconds: 1n });
      await f.escrow.refund({ client: f.client, escrow, funding: SOL });
    });

    it("when the client gave notice, then the refund is refused until the notice runs out and then works", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 10_000n });
      await f.escrow.requestClose({ client: f.client, escrow });
      const { closingAt } = books(f, escrow);
      f.t.warp({ unixTimestamp: closingAt - 1n });
      await expectError(f, f.escrow.refund({ client: f.client, escrow, funding: SOL }), "EscrowNotEnded");
      f.t.warp({ unixTimestamp: closingAt });
      await f.escrow.refund({ client: f.client, escrow, funding: SOL });
      expect(books(f, escrow).refunded).to.equal(10_000n);
    });
  });

  describe("given the token accounts", () => {
    it("when a SOL escrow is refunded to a token account, then it fails with FundingMismatch", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token");
      const escrow = await openEscrow(f, { deposit: 10n, expiresIn: HOUR });
      f.t.advance({ seconds: HOUR });
      const ix = await f.escrow.refundIx({ client: f.client.publicKey, escrow, funding: SOL });
      const toToken = tamper(ix, accountIndex(f, "refund", "client_token"), { pubkey: c.clientToken!, isWritable: true });
      await expectUnchanged(f.t, [escrow, f.client.publicKey], () => expectError(f, sendRaw(f, toToken, [f.client]), "FundingMismatch"));
    });

    it("when a token escrow is refunded without the client's token account, then it fails with FundingMismatch", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token");
      const escrow = await openEscrow(f, { currency: c, deposit: 10n, expiresIn: HOUR });
      f.t.advance({ seconds: HOUR });
      const ix = await f.escrow.refundIx({ client: f.client.publicKey, escrow, funding: c.funding, clientToken: c.clientToken });
      const absent = tamper(ix, accountIndex(f, "refund", "client_token"), { pubkey: f.escrow.programId, isWritable: false });
      await expectError(f, sendRaw(f, absent, [f.client]), "FundingMismatch");
    });

    it("when a token escrow is refunded in SOL, then it fails with FundingMismatch", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token");
      const escrow = await openEscrow(f, { currency: c, deposit: 10n, expiresIn: HOUR });
      f.t.advance({ seconds: HOUR });
      await expectError(f, f.escrow.refund({ client: f.client, escrow, funding: SOL }), "FundingMismatch");
    });

    it("when a token escrow is refunded into the vault itself, then it fails with RequireKeysNeqViolated", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token");
      const escrow = await openEscrow(f, { currency: c, deposit: 10n, expiresIn: HOUR });
      f.t.advance({ seconds: HOUR });
      const vault = f.escrow.vault(c.mint);
      await expectUnchanged(f.t, [escrow, vault], () =>
        expectError(f, f.escrow.refund({ client: f.client, escrow, funding: c.funding, clientToken: vault }), "RequireKeysNeqViolated"),
      );
    });

    it("when the client names another token account of its own, then the refund goes there", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token");
      const escrow = await openEscrow(f, { currency: c, deposit: 10n, expiresIn: HOUR });
      f.t.advance({ seconds: HOUR });
      const other = await f.t.createTokenAccount({ mint: c.mint, owner: f.client.publicKey, account: Keypair.generate() });
      await f.escrow.refund({ client: f.client, escrow, funding: c.funding, clientToken: other });
      expect(f.t.tokenAccount(other).amount).to.equal(10n);
    });
  });
});
