// propose_admin: first step of the two-step admin transfer (zero cancels a nomination).
import { expect } from "chai";
import { PublicKey } from "@solana/web3.js";
import { accountIndex, escrowFixture, FEE_BPS, sendRaw, tamper } from "./fixture.js";
import { expectError, expectUnchanged, lastEvent, plain } from "./expect.js";

describe("propose_admin", () => {
  describe("given an initialized config", () => {
    it("when the admin nominates a successor, then it is pending and the admin keeps every power until acceptance", async () => {
      const f = await escrowFixture();
      await f.escrow.proposeAdmin({ admin: f.admin, newAdmin: f.stranger.publicKey });
      const config = await f.escrow.fetchConfig();
      expect([config.admin.toBase58(), config.pendingAdmin.toBase58()]).to.deep.equal([f.admin.publicKey.toBase58(), f.stranger.publicKey.toBase58()]);
      expect(plain(lastEvent(f, "adminProposed"))).to.deep.equal({
        config: f.escrow.config().toBase58(),
        admin: f.admin.publicKey.toBase58(),
        pendingAdmin: f.stranger.publicKey.toBase58(),
      });
      await f.escrow.updateConfig({ admin: f.admin, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: FEE_BPS, paused: false });
      await expectError(
        f,
        f.escrow.updateConfig({ admin: f.stranger, treasury: f.stranger.publicKey, arbiter: f.stranger.publicKey, feeBps: 0, paused: true }),
        "NotAdmin",
      );
    });

    it("when the admin nominates zero, then the nomination is cancelled and the former nominee cannot accept", async () => {
      const f = await escrowFixture();
      await f.escrow.proposeAdmin({ admin: f.admin, newAdmin: f.stranger.publicKey });
      await f.escrow.proposeAdmin({ admin: f.admin, newAdmin: PublicKey.default });
      expect((await f.escrow.fetchConfig()).pendingAdmin.toBase58()).to.equal(PublicKey.default.toBase58());
      await expectError(f, f.escrow.acceptAdmin({ newAdmin: f.stranger }), "NotPendingAdmin");
    });

    it("when the admin nominates someone else, then the new nomination replaces the old one", async () => {
      const f = await escrowFixture();
      await f.escrow.proposeAdmin({ admin: f.admin, newAdmin: f.stranger.publicKey });
      await f.escrow.proposeAdmin({ admin: f.admin, newAdmin: f.arbiter.publicKey });
      await expectError(f, f.escrow.acceptAdmin({ newAdmin: f.stranger }), "NotPendingAdmin");
      await f.escrow.acceptAdmin({ newAdmin: f.arbiter });
    });

    it("when someone other than the admin nominates itself, then it fails with NotAdmin", async () => {
      const f = await escrowFixture();
      await expectUnchanged(f.t, [f.escrow.config()], () => expectError(f, f.escrow.proposeAdmin({ admin: f.stranger, newAdmin: f.stranger.publicKey }), "NotAdmin"));
    });

    it("when the admin's key is given without its signature, then it fails with AccountNotSigner", async () => {
      const f = await escrowFixture();
      const ix = await f.escrow.proposeAdminIx({ admin: f.admin.publicKey, newAdmin: f.stranger.publicKey });
      const unsigned = tamper(ix, accountIndex(f, "propose_admin", "admin"), { isSigner: false });
      await expectUnchanged(f.t, [f.escrow.config()], () => expectError(f, sendRaw(f, unsigned, [], f.stranger), "AccountNotSigner"));
    });
  });
});
