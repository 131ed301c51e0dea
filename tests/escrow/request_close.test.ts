// request_close: the client gives notice; meters may charge for one more challenge window, then the client may
// take back what is left.
import { expect } from "chai";
import { accountIndex, books, escrowFixture, HOUR, openEscrow, sendRaw, tamper } from "./fixture.js";
import { expectError, expectUnchanged, lastEvent, plain } from "./expect.js";

describe("request_close", () => {
  describe("given an open escrow that expires in a week", () => {
    it("when the client gives notice, then the escrow ends one challenge window from now", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { window: 2n * HOUR });
      const now = f.t.clock().unixTimestamp;
      await f.escrow.requestClose({ client: f.client, escrow });
      expect(books(f, escrow).closingAt).to.equal(now + 2n * HOUR);
      expect(plain(lastEvent(f, "closeRequested"))).to.deep.equal({
        escrow: escrow.toBase58(),
        client: f.client.publicKey.toBase58(),
        closingAt: now + 2n * HOUR,
      });
    });

    it("when the client gives notice twice, then the second fails with AlreadyClosing", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f);
      await f.escrow.requestClose({ client: f.client, escrow });
      f.t.advance({ seconds: 10n });
      await expectUnchanged(f.t, [escrow], () => expectError(f, f.escrow.requestClose({ client: f.client, escrow }), "AlreadyClosing"));
    });

    for (const who of ["meter", "provider", "stranger", "admin"] as const) {
      it(`when the ${who} gives notice, then it fails with NotClient`, async () => {
        const f = await escrowFixture();
        const escrow = await openEscrow(f);
        await expectUnchanged(f.t, [escrow], () => expectError(f, f.escrow.requestClose({ client: f[who], escrow }), "NotClient"));
      });
    }

    it("when the client's key is given without its signature, then it fails with AccountNotSigner", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f);
      const ix = await f.escrow.requestCloseIx({ client: f.client.publicKey, escrow });
      const unsigned = tamper(ix, accountIndex(f, "request_close", "client"), { isSigner: false });
      await expectUnchanged(f.t, [escrow], () => expectError(f, sendRaw(f, unsigned), "AccountNotSigner"));
    });
  });

  describe("given an escrow that expires within a challenge window", () => {
    it("when the client gives notice, then the escrow still ends at its expiry, which the event reports", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { window: 2n * HOUR, expiresIn: HOUR });
      const { expiresAt } = books(f, escrow);
      await f.escrow.requestClose({ client: f.client, escrow });
      expect(plain(lastEvent(f, "closeRequested")).closingAt).to.equal(expiresAt);
      f.t.warp({ unixTimestamp: expiresAt });
      await f.escrow.refund({ client: f.client, escrow, funding: { kind: "sol" } });
    });
  });
});
