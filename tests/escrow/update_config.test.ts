// update_config: the admin sets fee, treasury, arbiter and pause; existing escrows keep the fee they opened with.
import { expect } from "chai";
import { Keypair } from "@solana/web3.js";
import {
  accountIndex,
  books,
  charge,
  currentWindow,
  escrowFixture,
  type EscrowFixture,
  FEE_BPS,
  HOUR,
  openEscrow,
  payeesOf,
  sendRaw,
  tamper,
  usageRef,
} from "./fixture.js";
import { expectError, expectUnchanged, lastEvent, plain } from "./expect.js";

function update(f: EscrowFixture, changes: { admin?: Keypair; feeBps?: number; paused?: boolean; treasury?: Keypair; arbiter?: Keypair } = {}) {
  return f.escrow.updateConfig({
    admin: changes.admin ?? f.admin,
    treasury: (changes.treasury ?? f.treasury).publicKey,
    arbiter: (changes.arbiter ?? f.arbiter).publicKey,
    feeBps: changes.feeBps ?? FEE_BPS,
    paused: changes.paused ?? false,
  });
}

describe("update_config", () => {
  describe("given an initialized config", () => {
    it("when the admin changes fee, treasury, arbiter and pause, then the config holds the new values", async () => {
      const f = await escrowFixture();
      const [treasury, arbiter] = [Keypair.generate(), Keypair.generate()];
      await update(f, { feeBps: 1_000, paused: true, treasury, arbiter });
      const config = await f.escrow.fetchConfig();
      expect([config.treasury.toBase58(), config.arbiter.toBase58(), config.feeBps, config.paused]).to.deep.equal([
        treasury.publicKey.toBase58(),
        arbiter.publicKey.toBase58(),
        1_000,
        true,
      ]);
      expect(config.admin.toBase58()).to.equal(f.admin.publicKey.toBase58(), "the admin is not changed this way");
      expect(plain(lastEvent(f, "configUpdated"))).to.deep.equal({
        config: f.escrow.config().toBase58(),
        admin: f.admin.publicKey.toBase58(),
        treasury: treasury.publicKey.toBase58(),
        arbiter: arbiter.publicKey.toBase58(),
        feeBps: 1_000,
        paused: true,
      });
    });

    it("when the fee is above the 10% cap, then it fails with FeeTooHigh and the config is unchanged", async () => {
      const f = await escrowFixture();
      await expectUnchanged(f.t, [f.escrow.config()], () => expectError(f, update(f, { feeBps: 1_001 }), "FeeTooHigh"));
    });

    for (const who of ["stranger", "treasury", "arbiter", "client"] as const) {
      it(`when the ${who} updates it, then it fails with NotAdmin`, async () => {
        const f = await escrowFixture();
        await expectUnchanged(f.t, [f.escrow.config()], () => expectError(f, update(f, { admin: f[who], feeBps: 0, treasury: f[who] }), "NotAdmin"));
      });
    }

    it("when the admin's key is given without its signature, then it fails with AccountNotSigner", async () => {
      const f = await escrowFixture();
      const ix = await f.escrow.updateConfigIx({ admin: f.admin.publicKey, treasury: f.stranger.publicKey, arbiter: f.stranger.publicKey, feeBps: 0, paused: true });
      const unsigned = tamper(ix, accountIndex(f, "update_config", "admin"), { isSigner: false });
      await expectUnchanged(f.t, [f.escrow.config()], () => expectError(f, sendRaw(f, unsigned, [], f.stranger), "AccountNotSigner"));
    });
  });

  describe("given escrows opened before a fee change", () => {
    it("when the admin raises the fee, then old escrows settle at their fee and new ones at the new fee", async () => {
      const f = await escrowFixture();
      const old = await openEscrow(f, { deposit: 10_000n });
      await update(f, { feeBps: 1_000 });
      const fresh = await openEscrow(f, { deposit: 10_000n });
      const window = currentWindow(f);
      for (const escrow of [old, fresh]) {
        await charge(f, escrow, 10_000n);
        await f.escrow.approveCharges({ client: f.client, escrow, window });
        await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      }
      expect([books(f, old).fees, books(f, fresh).fees]).to.deep.equal([250n, 1_000n]);
      expect([books(f, old).feeBps, books(f, fresh).feeBps]).to.deep.equal([FEE_BPS, 1_000]);
    });
  });

  describe("given a paused protocol", () => {
    it("when paused, then new escrows and charges stop, while approval, disputes, resolution, settlement, withdrawal and refunds go on", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 10_000n, expiresIn: 2n * HOUR });
      const window = currentWindow(f);
      await charge(f, escrow, 3_000n);
      await update(f, { paused: true });

      await expectError(f, openEscrow(f), "Paused");
      await expectError(f, charge(f, escrow, 1n), "Paused");
      await f.escrow.disputeCharges({ client: f.client, escrow, window, amount: 1_000n, usageRef: usageRef() });
      await f.escrow.approveCharges({ client: f.client, escrow, window });
      await f.escrow.resolveDispute({ arbiter: f.arbiter, escrow, window, toProvider: 500n });
      await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      await f.escrow.withdrawEarnings({ owner: f.suppliers[0], destination: f.suppliers[0].publicKey, amount: 1n, funding: { kind: "sol" } });
      f.t.advance({ seconds: 2n * HOUR });
      await f.escrow.refund({ client: f.client, escrow, funding: { kind: "sol" } });
      await f.escrow.closeEscrow({ client: f.client, escrow });

      await update(f, { paused: false });
      await openEscrow(f);
    });
  });
});
