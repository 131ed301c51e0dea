// fund_escrow: the client tops up an escrow at any time before it ends.
import { expect } from "chai";
import { SOL } from "../../ts-client/src/index.js";
import {
  accountIndex,
  books,
  currency,
  escrowFixture,
  escrowRent,
  FUNDING_KINDS,
  HOUR,
  openEscrow,
  sendRaw,
  tamper,
} from "./fixture.js";
import { expectError, expectUnchanged, lastEvent, plain } from "./expect.js";

describe("fund_escrow", () => {
  for (const kind of FUNDING_KINDS) {
    describe(`given an open ${kind} escrow`, () => {
      async function setup() {
        const f = await escrowFixture();
        const c = await currency(f, kind);
        const escrow = await openEscrow(f, { currency: c, deposit: 1_000n, expiresIn: 10n * HOUR });
        const fund = (amount: bigint, client = f.client) =>
          f.escrow.fundEscrow({ client, escrow, amount, funding: c.funding, clientToken: c.clientToken });
        return { f, c, escrow, fund };
      }

      it("when the client adds funds, then deposited and available grow by the amount and the funds move in", async () => {
        const { f, c, escrow, fund } = await setup();
        const clientBefore = c.balance(f.client.publicKey);
        const vaultBefore = c.vaultBalance();
        await fund(250n);
        const b = books(f, escrow);
        expect([b.deposited, b.available]).to.deep.equal([1_250n, 1_250n]);
        expect(c.balance(f.client.publicKey)).to.equal(clientBefore - 250n);
        if (kind === "sol") expect(f.t.balance(escrow)).to.equal(escrowRent(f) + 1_250n);
        else expect(c.vaultBalance()).to.equal(vaultBefore + 250n);
        expect(plain(lastEvent(f, "escrowFunded"))).to.deep.equal({
          escrow: escrow.toBase58(),
          client: f.client.publicKey.toBase58(),
          amount: 250n,
          deposited: 1_250n,
          available: 1_250n,
        });
      });

      it("when the client funds after charges, then only available grows", async () => {
        const { f, escrow, fund } = await setup();
        await f.escrow.charge({ meter: f.meter, escrow, units: 1n, amount: 400n, usageRef: new Uint8Array(32) });
        await fund(100n);
        const b = books(f, escrow);
        expect([b.deposited, b.pending, b.available]).to.deep.equal([1_100n, 400n, 700n]);
      });

      it("when the client funds one second before expiry, then it is accepted; at expiry it fails with EscrowEnded", async () => {
        const { f, escrow, fund } = await setup();
        const { expiresAt } = books(f, escrow);
        f.t.warp({ unixTimestamp: expiresAt - 1n });
        await fund(1n);
        f.t.warp({ unixTimestamp: expiresAt });
        await expectUnchanged(f.t, [escrow, f.client.publicKey], () => expectError(f, fund(1n), "EscrowEnded"));
      });

      it("when the client funds after a close notice took effect, then it fails with EscrowEnded", async () => {
        const { f, escrow, fund } = await setup();
        await f.escrow.requestClose({ client: f.client, escrow });
        await fund(1n); // the notice runs for one challenge window
        f.t.advance({ seconds: HOUR });
        await expectError(f, fund(1n), "EscrowEnded");
      });

      it("when the amount is zero, then it fails with ZeroAmount", async () => {
        const { f, escrow, fund } = await setup();
        await expectUnchanged(f.t, [escrow], () => expectError(f, fund(0n), "ZeroAmount"));
      });

      it("when someone other than the client funds it, then it fails with NotClient", async () => {
        const { f, c, escrow } = await setup();
        // the stranger would pay with its own funds: still refused, an escrow has one client
        const stranger = f.escrow.fundEscrow({
          client: f.stranger,
          escrow,
          amount: 1n,
          funding: c.funding,
          clientToken: kind === "sol" ? undefined : c.wallet(f.stranger.publicKey),
        });
        await expectUnchanged(f.t, [escrow, f.stranger.publicKey], () => expectError(f, stranger, "NotClient"));
      });
    });
  }

  describe("given a SOL escrow and a token escrow", () => {
    it("when a SOL escrow is funded with token accounts, then it fails with FundingMismatch", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token");
      const escrow = await openEscrow(f);
      const withTokens = f.escrow.fundEscrow({ client: f.client, escrow, amount: 1n, funding: c.funding, clientToken: c.clientToken });
      await expectUnchanged(f.t, [escrow, c.clientToken!], () => expectError(f, withTokens, "FundingMismatch"));
    });

    it("when a SOL escrow is funded with only a client token account, then it fails with FundingMismatch", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token");
      const escrow = await openEscrow(f);
      const ix = await f.escrow.fundEscrowIx({ client: f.client.publicKey, escrow, amount: 1n, funding: SOL });
      const withToken = tamper(ix, accountIndex(f, "fund_escrow", "client_token"), { pubkey: c.clientToken!, isWritable: true });
      await expectError(f, sendRaw(f, withToken, [f.client]), "FundingMismatch");
    });

    it("when a token escrow is funded in SOL, then it fails with FundingMismatch", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token");
      const escrow = await openEscrow(f, { currency: c });
      await expectError(f, f.escrow.fundEscrow({ client: f.client, escrow, amount: 1n, funding: SOL }), "FundingMismatch");
    });

    it("when a token escrow is funded through another mint's vault, then it fails with MintMismatch", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token");
      const other = await currency(f, "token-2022");
      const escrow = await openEscrow(f, { currency: c });
      const wrong = f.escrow.fundEscrow({ client: f.client, escrow, amount: 1n, funding: other.funding, clientToken: other.clientToken });
      await expectUnchanged(f.t, [escrow, other.clientToken!], () => expectError(f, wrong, "MintMismatch"));
    });

    it("when a closed escrow is funded, then it fails with AccountNotInitialized", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 0n });
      await f.escrow.closeEscrow({ client: f.client, escrow });
      await expectError(f, f.escrow.fundEscrow({ client: f.client, escrow, amount: 1n, funding: SOL }), "AccountNotInitialized");
    });
  });
});
