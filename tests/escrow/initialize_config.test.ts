// initialize_config: creates the protocol config PDA once, signed by the program's upgrade authority.
import { expect } from "chai";
import { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { BPF_LOADER_UPGRADEABLE_PROGRAM_ID, deployProgram, programDataAddress, readProgramSo } from "../harness/index.js";
import { accountIndex, escrowFixture, type EscrowFixture, FEE_BPS, sendRaw, tamper } from "./fixture.js";
import { expectError, expectSystemError, expectUnchanged, lastEvent, plain } from "./expect.js";

function initialize(f: EscrowFixture, overrides: { admin?: Keypair; feeBps?: number } = {}) {
  return f.escrow.initializeConfig({
    admin: overrides.admin ?? f.admin,
    treasury: f.treasury.publicKey,
    arbiter: f.arbiter.publicKey,
    feeBps: overrides.feeBps ?? FEE_BPS,
  });
}

/** BPFLoaderUpgradeable SetAuthority without a new authority: the program becomes immutable. */
function makeImmutable(programId: PublicKey, authority: PublicKey): TransactionInstruction {
  return new TransactionInstruction({
    programId: BPF_LOADER_UPGRADEABLE_PROGRAM_ID,
    keys: [
      { pubkey: programDataAddress(programId), isSigner: false, isWritable: true },
      { pubkey: authority, isSigner: true, isWritable: false },
    ],
    data: Buffer.from([4, 0, 0, 0]),
  });
}

describe("initialize_config", () => {
  describe("given a freshly deployed program", () => {
    it("when its upgrade authority initializes, then the config PDA holds admin, treasury, arbiter, fee and its canonical bump", async () => {
      const f = await escrowFixture({ initialize: false });
      await initialize(f);
      const config = await f.escrow.fetchConfig();
      expect(config.admin.toBase58()).to.equal(f.admin.publicKey.toBase58());
      expect(config.pendingAdmin.toBase58()).to.equal(PublicKey.default.toBase58());
      expect(config.treasury.toBase58()).to.equal(f.treasury.publicKey.toBase58());
      expect(config.arbiter.toBase58()).to.equal(f.arbiter.publicKey.toBase58());
      expect([config.feeBps, config.paused]).to.deep.equal([FEE_BPS, false]);
      expect(config.bump).to.equal(PublicKey.findProgramAddressSync([Buffer.from("config")], f.escrow.programId)[1]);
      expect(plain(lastEvent(f, "configInitialized"))).to.deep.equal({
        config: f.escrow.config().toBase58(),
        admin: f.admin.publicKey.toBase58(),
        treasury: f.treasury.publicKey.toBase58(),
        arbiter: f.arbiter.publicKey.toBase58(),
        feeBps: FEE_BPS,
      });
    });

    it("when the fee is the 10% cap, then it is accepted; above it fails with FeeTooHigh and no config exists", async () => {
      const f = await escrowFixture({ initialize: false });
      await expectUnchanged(f.t, [f.escrow.config()], () => expectError(f, initialize(f, { feeBps: 1_001 }), "FeeTooHigh"));
      await initialize(f, { feeBps: 1_000 });
      expect((await f.escrow.fetchConfig()).feeBps).to.equal(1_000);
    });

    it("when someone other than the upgrade authority initializes, then it fails with NotUpgradeAuthority", async () => {
      const f = await escrowFixture({ initialize: false });
      await expectUnchanged(f.t, [f.escrow.config()], () => expectError(f, initialize(f, { admin: f.stranger }), "NotUpgradeAuthority"));
    });

    it("when the upgrade authority's key is given without its signature, then it fails with AccountNotSigner", async () => {
      const f = await escrowFixture({ initialize: false });
      const ix = await f.escrow.initializeConfigIx({ payer: f.stranger.publicKey, admin: f.admin.publicKey, treasury: f.stranger.publicKey, arbiter: f.stranger.publicKey, feeBps: 0 });
      const unsigned = tamper(ix, accountIndex(f, "initialize_config", "admin"), { isSigner: false });
      await expectUnchanged(f.t, [f.escrow.config()], () => expectError(f, sendRaw(f, unsigned, [], f.stranger), "AccountNotSigner"));
    });

    it("when someone already sent lamports to the config address, then initialization still creates it", async () => {
      const f = await escrowFixture({ initialize: false });
      f.t.airdrop(f.escrow.config(), 5_000_000n); // a griefer's attempt to block the CreateAccount
      await initialize(f);
      const account = f.t.account(f.escrow.config())!;
      expect(account.owner.toBase58()).to.equal(f.escrow.programId.toBase58());
      expect((await f.escrow.fetchConfig()).admin.toBase58()).to.equal(f.admin.publicKey.toBase58());
    });
  });

  describe("given an immutable program", () => {
    it("when the former upgrade authority initializes, then it fails with NotUpgradeAuthority", async () => {
      const f = await escrowFixture({ initialize: false });
      await sendRaw(f, makeImmutable(f.escrow.programId, f.admin.publicKey));
      await expectError(f, initialize(f), "NotUpgradeAuthority");
    });
  });

  describe("given an attacker who deployed a program of its own", () => {
    it("when it passes its own ProgramData, where it is the upgrade authority, then it fails with ConstraintSeeds", async () => {
      const f = await escrowFixture({ initialize: false });
      const own = deployProgram(f.t.svm, readProgramSo("escrow"), { payer: f.stranger });
      const ix = await f.escrow.initializeConfigIx({ payer: f.stranger.publicKey, admin: f.stranger.publicKey, treasury: f.stranger.publicKey, arbiter: f.stranger.publicKey, feeBps: 0 });
      const forged = tamper(ix, accountIndex(f, "initialize_config", "program_data"), { pubkey: own.programData });
      await expectUnchanged(f.t, [f.escrow.config()], () => expectError(f, sendRaw(f, forged, [f.stranger]), "ConstraintSeeds"));
    });

    it("when it passes its own program and ProgramData, then it fails with ConstraintAddress", async () => {
      const f = await escrowFixture({ initialize: false });
      const own = deployProgram(f.t.svm, readProgramSo("escrow"), { payer: f.stranger });
      const ix = await f.escrow.initializeConfigIx({ payer: f.stranger.publicKey, admin: f.stranger.publicKey, treasury: f.stranger.publicKey, arbiter: f.stranger.publicKey, feeBps: 0 });
      const forged = tamper(tamper(ix, accountIndex(f, "initialize_config", "program"), { pubkey: own.programId }), accountIndex(f, "initialize_config", "program_data"), {
        pubkey: own.programData,
      });
      await expectError(f, sendRaw(f, forged, [f.stranger]), "ConstraintAddress");
    });

    it("when it passes an account that is not the config PDA, then it fails with ConstraintSeeds", async () => {
      const f = await escrowFixture({ initialize: false });
      const ix = await f.escrow.initializeConfigIx({ admin: f.admin.publicKey, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: 0 });
      const elsewhere = Keypair.generate();
      const forged = tamper(ix, accountIndex(f, "initialize_config", "config"), { pubkey: elsewhere.publicKey, isSigner: true });
      await expectError(f, sendRaw(f, forged, [elsewhere]), "ConstraintSeeds");
    });
  });

  describe("given an initialized config", () => {
    it("when the upgrade authority initializes again, then the System Program refuses and the config is unchanged", async () => {
      const f = await escrowFixture();
      await expectUnchanged(f.t, [f.escrow.config()], () =>
        expectSystemError(
          f.escrow.initializeConfig({ admin: f.admin, treasury: f.stranger.publicKey, arbiter: f.stranger.publicKey, feeBps: 0 }),
          "AccountAlreadyInUse",
        ),
      );
    });
  });
});
