// accept_admin: second step of the admin transfer, signed by the nominee.
import { expect } from "chai";
import { PublicKey } from "@solana/web3.js";
import { accountIndex, escrowFixture, FEE_BPS, sendRaw, tamper } from "./fixture.js";
import { expectError, expectUnchanged, lastEvent, plain } from "./expect.js";

describe("accept_admin", () => {
  describe("given a nominated successor", () => {
    it("when the nominee accepts, then it is the admin, the nomination is cleared and the former admin has no power", async () => {
      const f = await escrowFixture();
      await f.escrow.proposeAdmin({ admin: f.admin, newAdmin: f.stranger.publicKey });
      await f.escrow.acceptAdmin({ newAdmin: f.stranger });
      const config = await f.escrow.fetchConfig();
      expect([config.admin.toBase58(), config.pendingAdmin.toBase58()]).to.deep.equal([f.stranger.publicKey.toBase58(), PublicKey.default.toBase58()]);
      expect(plain(lastEvent(f, "adminAccepted"))).to.deep.equal({
        config: f.escrow.config().toBase58(),
        previousAdmin: f.admin.publicKey.toBase58(),
        admin: f.stranger.publicKey.toBase58(),
      });
      const set = (admin: typeof f.admin, paused: boolean) =>
        f.escrow.updateConfig({ admin, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: FEE_BPS, paused });
      await expectError(f, set(f.admin, true), "NotAdmin");
      await expectError(f, f.escrow.proposeAdmin({ admin: f.admin, newAdmin: f.admin.publicKey }), "NotAdmin");
      await set(f.stranger, true);
    });

    it("when the nominee accepts twice, then the second fails with NotPendingAdmin", async () => {
      const f = await escrowFixture();
      await f.escrow.proposeAdmin({ admin: f.admin, newAdmin: f.stranger.publicKey });
      await f.escrow.acceptAdmin({ newAdmin: f.stranger });
      await expectError(f, f.escrow.acceptAdmin({ newAdmin: f.stranger }), "NotPendingAdmin");
    });

    for (const who of ["admin", "arbiter", "client"] as const) {
      it(`when the ${who} accepts in the nominee's place, then it fails with NotPendingAdmin`, async () => {
        const f = await escrowFixture();
        await f.escrow.proposeAdmin({ admin: f.admin, newAdmin: f.stranger.publicKey });
        await expectUnchanged(f.t, [f.escrow.config()], () => expectError(f, f.escrow.acceptAdmin({ newAdmin: f[who] }), "NotPendingAdmin"));
      });
    }

    it("when the nominee's key is given without its signature, then it fails with AccountNotSigner", async () => {
      const f = await escrowFixture();
      await f.escrow.proposeAdmin({ admin: f.admin, newAdmin: f.stranger.publicKey });
      const ix = await f.escrow.acceptAdminIx({ newAdmin: f.stranger.publicKey });
      const unsigned = tamper(ix, accountIndex(f, "accept_admin", "new_admin"), { isSigner: false });
      await expectUnchanged(f.t, [f.escrow.config()], () => expectError(f, sendRaw(f, unsigned), "AccountNotSigner"));
    });
  });

  describe("given no nomination", () => {
    it("when anyone accepts, the admin included, then it fails with NotPendingAdmin", async () => {
      const f = await escrowFixture();
      await expectError(f, f.escrow.acceptAdmin({ newAdmin: f.stranger }), "NotPendingAdmin");
      await expectError(f, f.escrow.acceptAdmin({ newAdmin: f.admin }), "NotPendingAdmin");
    });
  });
});
