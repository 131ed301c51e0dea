// Sealevel attack classes against the escrow, each attempted with crafted transactions (client builders with
// keys or flags tampered, or raw instructions) and shown rejected with the expected error, changing nothing.
//
// Accounts written with `setAccount` stand for bytes an attacker's own program wrote into accounts it owns:
// any program can do that, so those states are reachable by an attacker even though no escrow instruction
// produces them.
import { expect } from "chai";
import anchor from "@coral-xyz/anchor";
import {
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  SystemProgram,
  SYSVAR_CLOCK_PUBKEY,
  type TransactionInstruction,
} from "@solana/web3.js";
import { createTransferCheckedInstruction, TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { deployProgram, readProgramSo } from "../harness/index.js";
import { type Funding, SOL, SOL_MINT } from "../../ts-client/src/index.js";
import {
  accountIndex,
  books,
  charge,
  currency,
  type Currency,
  currentWindow,
  DAY,
  earnings,
  escrowFixture,
  type EscrowFixture,
  escrowRent,
  HOUR,
  newParty,
  openEscrow,
  payeesOf,
  sendRaw,
  tamper,
  U64_MAX,
  usageRef,
} from "./fixture.js";
import { expectError, expectInstructionError, expectSystemError, expectUnchanged } from "./expect.js";
import escrowIdl from "../../ts-client/src/generated/escrow.json" with { type: "json" };

const { BN } = anchor;

/** A program the attacker deployed (a copy of some program at an address the attacker controls). */
function attackerProgram(f: EscrowFixture): PublicKey {
  return deployProgram(f.t.svm, readProgramSo("escrow"), { payer: f.stranger }).programId;
}

/** A PDA of `seeds` at a bump below the canonical one (a valid off-curve address the program must refuse). */
function nonCanonicalPda(seeds: Buffer[], programId: PublicKey): PublicKey {
  const [, canonical] = PublicKey.findProgramAddressSync(seeds, programId);
  for (let bump = canonical - 1; bump >= 0; bump--) {
    try {
      return PublicKey.createProgramAddressSync([...seeds, Buffer.from([bump])], programId);
    } catch {
      // on the curve: not a PDA, try the next bump
    }
  }
  throw new Error("no non-canonical bump");
}

/** Writes `data` at a new address owned by `owner` (rent-exempt). */
function forge(f: EscrowFixture, owner: PublicKey, data: Buffer): PublicKey {
  const address = Keypair.generate().publicKey;
  f.t.setAccount(address, { lamports: f.t.svm.minimumBalanceForRentExemption(BigInt(data.length)) + 1_000_000n, owner, data });
  return address;
}

/** An escrow's bytes, with the client set to `client` and every field the attacker likes to inflate. */
async function escrowBytes(f: EscrowFixture, escrow: PublicKey, changes: Record<string, unknown>): Promise<Buffer> {
  const state = await f.escrow.fetchEscrow(escrow);
  return f.escrow.program.coder.accounts.encode("escrow", { ...state, ...changes });
}

async function tokenWorld() {
  const f = await escrowFixture();
  const c = await currency(f, "token");
  return { f, c };
}

describe("attacks", () => {
  describe("missing signer: every signing role of every instruction, given without its signature", () => {
    /** Each instruction for an open SOL escrow as its rightful signers would send it, with those signers. */
    async function builders(f: EscrowFixture): Promise<Record<string, () => Promise<[TransactionInstruction, Keypair[]]>>> {
      const c = await currency(f, "token");
      const escrow = await openEscrow(f);
      const keys = { client: f.client.publicKey, escrow };
      const newEscrow = Keypair.generate();
      return {
        initialize_config: async () => [
          await f.escrow.initializeConfigIx({ payer: f.stranger.publicKey, admin: f.admin.publicKey, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: 0 }),
          [f.stranger, f.admin],
        ],
        update_config: async () => [
          await f.escrow.updateConfigIx({ admin: f.admin.publicKey, treasury: f.stranger.publicKey, arbiter: f.stranger.publicKey, feeBps: 0, paused: true }),
          [f.admin],
        ],
        propose_admin: async () => [await f.escrow.proposeAdminIx({ admin: f.admin.publicKey, newAdmin: f.stranger.publicKey }), [f.admin]],
        accept_admin: async () => [await f.escrow.acceptAdminIx({ newAdmin: f.stranger.publicKey }), [f.stranger]],
        create_mint_vault: async () => [
          await f.escrow.createMintVaultIx({ payer: f.stranger.publicKey, mint: await f.t.createMint(), tokenProgram: TOKEN_PROGRAM_ID }),
          [f.stranger],
        ],
        open_earnings: async () => [await f.escrow.openEarningsIx({ payer: f.stranger.publicKey, owner: f.stranger.publicKey }), [f.stranger]],
        open_escrow: async () => [
          await f.escrow.openEscrowIx({
            client: f.client.publicKey,
            escrow: newEscrow.publicKey,
            provider: f.provider.publicKey,
            providerMeter: f.meter.publicKey,
            payees: payeesOf(f),
            maxPricePerUnit: 1n,
            expiresAt: f.t.clock().unixTimestamp + DAY,
            challengeWindow: HOUR,
            deposit: 1n,
            funding: c.funding,
            clientToken: c.clientToken,
          }),
          [f.client, newEscrow],
        ],
        fund_escrow: async () => [await f.escrow.fundEscrowIx({ ...keys, amount: 1n, funding: SOL }), [f.client]],
        charge: async () => [await f.escrow.chargeIx({ meter: f.meter.publicKey, escrow, units: 1n, amount: 1n, usageRef: usageRef() }), [f.meter]],
        approve_charges: async () => [await f.escrow.approveChargesIx({ ...keys, window: 0n }), [f.client]],
        dispute_charges: async () => [await f.escrow.disputeChargesIx({ ...keys, window: 0n, amount: 1n, usageRef: usageRef() }), [f.client]],
        resolve_dispute: async () => [await f.escrow.resolveDisputeIx({ arbiter: f.arbiter.publicKey, escrow, window: 0n, toProvider: 0n }), [f.arbiter]],
        withdraw_earnings: async () => [
          await f.escrow.withdrawEarningsIx({ owner: f.suppliers[0].publicKey, destination: f.stranger.publicKey, amount: 1n, funding: SOL }),
          [f.suppliers[0]],
        ],
        request_close: async () => [await f.escrow.requestCloseIx(keys), [f.client]],
        refund: async () => [await f.escrow.refundIx({ ...keys, funding: SOL }), [f.client]],
        close_escrow: async () => [await f.escrow.closeEscrowIx(keys), [f.client]],
      };
    }

    for (const instruction of escrowIdl.instructions) {
      for (const account of instruction.accounts.filter((a) => "signer" in a && a.signer)) {
        it(`when ${instruction.name} carries ${account.name}'s key without its signature, then it fails with AccountNotSigner for ${account.name}`, async () => {
          const f = await escrowFixture();
          const [ix, signers] = await (await builders(f))[instruction.name]();
          const unsigned = tamper(ix, accountIndex(f, instruction.name, account.name), { isSigner: false });
          const target = unsigned.keys[accountIndex(f, instruction.name, account.name)].pubkey;
          const payer = newParty(f); // the fee payer signs everything it is in: it must be nobody of the instruction
          const touched = unsigned.keys.filter((k) => k.isWritable).map((k) => k.pubkey);
          await expectUnchanged(f.t, touched, () =>
            expectError(f, sendRaw(f, unsigned, signers.filter((s) => !s.publicKey.equals(target)), payer), "AccountNotSigner"),
          );
          expect(f.t.lastResult!.logs.some((l) => l.includes(`caused by account: ${account.name}.`))).to.equal(true);
        });
      }
    }
  });
  describe("owner check: accounts with the right bytes owned by another program", () => {
    it("when a token escrow forged by the attacker's program names the attacker as client, then refunding from the vault fails with AccountOwnedByWrongProgram", async () => {
      const { f, c } = await tokenWorld();
      const victim = await openEscrow(f, { currency: c, deposit: 5_000_000n });
      const bytes = await escrowBytes(f, victim, { client: f.stranger.publicKey, expiresAt: new BN(0) });
      const forged = forge(f, attackerProgram(f), bytes);
      const theft = f.escrow.refund({ client: f.stranger, escrow: forged, funding: c.funding, clientToken: c.wallet(f.stranger.publicKey) });
      await expectUnchanged(f.t, [f.escrow.vault(c.mint), c.wallet(f.stranger.publicKey), victim], () => expectError(f, theft, "AccountOwnedByWrongProgram"));
    });

    it("when the same forged escrow is owned by the System Program, then it fails with AccountNotInitialized", async () => {
      const { f, c } = await tokenWorld();
      const victim = await openEscrow(f, { currency: c, deposit: 5_000_000n });
      const forged = forge(f, SystemProgram.programId, await escrowBytes(f, victim, { client: f.stranger.publicKey }));
      const theft = f.escrow.refund({ client: f.stranger, escrow: forged, funding: c.funding, clientToken: c.wallet(f.stranger.publicKey) });
      await expectUnchanged(f.t, [f.escrow.vault(c.mint)], () => expectError(f, theft, "AccountNotInitialized"));
    });

    it("when forged earnings with the vault's whole balance are withdrawn, then it fails with AccountOwnedByWrongProgram", async () => {
      const { f, c } = await tokenWorld();
      await openEscrow(f, { currency: c, deposit: 5_000_000n });
      const bytes = f.escrow.program.coder.accounts.encode("earnings", {
        owner: f.stranger.publicKey,
        mint: c.mint,
        balance: new BN(5_000_000),
        totalEarned: new BN(5_000_000),
        totalWithdrawn: new BN(0),
        bump: 255,
      });
      const forged = forge(f, attackerProgram(f), await bytes);
      const ix = await f.escrow.withdrawEarningsIx({ owner: f.stranger.publicKey, destination: c.wallet(f.stranger.publicKey), amount: 5_000_000n, funding: c.funding });
      const theft = tamper(ix, accountIndex(f, "withdraw_earnings", "earnings"), { pubkey: forged });
      await expectUnchanged(f.t, [f.escrow.vault(c.mint), c.wallet(f.stranger.publicKey)], () => expectError(f, sendRaw(f, theft, [f.stranger]), "AccountOwnedByWrongProgram"));
    });

    it("when a forged config names the attacker as admin or arbiter, then update_config and resolve_dispute fail with AccountOwnedByWrongProgram", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 1_000n });
      const window = currentWindow(f);
      await charge(f, escrow, 1_000n);
      await f.escrow.disputeCharges({ client: f.client, escrow, window, amount: 1_000n, usageRef: usageRef() });
      const real = await f.escrow.fetchConfig();
      const bytes = await f.escrow.program.coder.accounts.encode("config", { ...real, admin: f.stranger.publicKey, arbiter: f.stranger.publicKey });
      const forged = forge(f, attackerProgram(f), bytes);
      const update = await f.escrow.updateConfigIx({ admin: f.stranger.publicKey, treasury: f.stranger.publicKey, arbiter: f.stranger.publicKey, feeBps: 1_000, paused: true });
      await expectError(f, sendRaw(f, tamper(update, accountIndex(f, "update_config", "config"), { pubkey: forged }), [f.stranger]), "AccountOwnedByWrongProgram");
      const resolve = await f.escrow.resolveDisputeIx({ arbiter: f.stranger.publicKey, escrow, window, toProvider: 1_000n });
      await expectUnchanged(f.t, [escrow], () =>
        expectError(f, sendRaw(f, tamper(resolve, accountIndex(f, "resolve_dispute", "config"), { pubkey: forged }), [f.stranger]), "AccountOwnedByWrongProgram"),
      );
    });

    it("when a forged mint vault points payouts at the attacker's token account, then it fails with AccountOwnedByWrongProgram", async () => {
      const { f, c } = await tokenWorld();
      await openEscrow(f, { currency: c, deposit: 5_000_000n });
      const real = await f.escrow.fetchMintVault(c.mint);
      const bytes = await f.escrow.program.coder.accounts.encode("mintVault", { ...real, vault: c.wallet(f.stranger.publicKey) });
      const forged = forge(f, attackerProgram(f), bytes);
      const escrow = await openEscrow(f, { currency: c, deposit: 1n, expiresIn: HOUR });
      f.t.advance({ seconds: HOUR });
      const ix = await f.escrow.refundIx({ client: f.client.publicKey, escrow, funding: c.funding, clientToken: c.clientToken });
      const redirected = tamper(ix, accountIndex(f, "refund", "mint_vault"), { pubkey: forged });
      await expectUnchanged(f.t, [escrow, f.escrow.vault(c.mint)], () => expectError(f, sendRaw(f, redirected, [f.client]), "AccountOwnedByWrongProgram"));
    });
  });

  describe("type cosplay: one account type of the program passed where another is expected", () => {
    it("when an earnings account is passed as the escrow of a charge, then it fails with AccountDiscriminatorMismatch", async () => {
      const f = await escrowFixture();
      const earningsAddress = f.escrow.earnings(f.suppliers[0].publicKey);
      const ix = await f.escrow.chargeIx({ meter: f.meter.publicKey, escrow: earningsAddress, units: 1n, amount: 1n, usageRef: usageRef() });
      await expectUnchanged(f.t, [earningsAddress], () => expectError(f, sendRaw(f, ix, [f.meter]), "AccountDiscriminatorMismatch"));
    });

    it("when the attacker passes its own escrow as its earnings to withdraw the escrow's balance, then it fails with AccountDiscriminatorMismatch", async () => {
      const f = await escrowFixture();
      const own = await openEscrow(f, { deposit: 5n * BigInt(LAMPORTS_PER_SOL) }); // the fixture's client plays the attacker here
      const ix = await f.escrow.withdrawEarningsIx({ owner: f.client.publicKey, destination: f.client.publicKey, amount: BigInt(LAMPORTS_PER_SOL), funding: SOL });
      const cosplay = tamper(ix, accountIndex(f, "withdraw_earnings", "earnings"), { pubkey: own });
      await expectUnchanged(f.t, [own], () => expectError(f, sendRaw(f, cosplay, [f.client]), "AccountDiscriminatorMismatch"));
    });

    it("when an earnings account is passed as the escrow of a refund, then it fails with AccountDiscriminatorMismatch", async () => {
      const f = await escrowFixture();
      const ix = await f.escrow.refundIx({ client: f.client.publicKey, escrow: f.escrow.earnings(f.treasury.publicKey), funding: SOL });
      await expectError(f, sendRaw(f, ix, [f.client]), "AccountDiscriminatorMismatch");
    });

    it("when the config is passed as a mint vault, then it fails with AccountDiscriminatorMismatch", async () => {
      const { f, c } = await tokenWorld();
      const escrow = await openEscrow(f, { currency: c, deposit: 10n, expiresIn: HOUR });
      f.t.advance({ seconds: HOUR });
      const ix = await f.escrow.refundIx({ client: f.client.publicKey, escrow, funding: c.funding, clientToken: c.clientToken });
      await expectError(f, sendRaw(f, tamper(ix, accountIndex(f, "refund", "mint_vault"), { pubkey: f.escrow.config() }), [f.client]), "AccountDiscriminatorMismatch");
    });

    it("when a mint vault or an escrow is passed as the config, then it fails with AccountDiscriminatorMismatch", async () => {
      const { f, c } = await tokenWorld();
      const escrow = await openEscrow(f, { currency: c, deposit: 10n });
      const ix = await f.escrow.chargeIx({ meter: f.meter.publicKey, escrow, units: 1n, amount: 1n, usageRef: usageRef() });
      const configIndex = accountIndex(f, "charge", "config");
      await expectError(f, sendRaw(f, tamper(ix, configIndex, { pubkey: f.escrow.mintVault(c.mint) }), [f.meter]), "AccountDiscriminatorMismatch");
      const other = await openEscrow(f, { deposit: 10n });
      await expectError(f, sendRaw(f, tamper(ix, configIndex, { pubkey: other }), [f.meter]), "AccountDiscriminatorMismatch");
    });
  });

  describe("bump canonicalization: PDAs at a non-canonical bump are refused", () => {
    it("when open_earnings targets the owner's earnings PDA at another bump, then it fails with ConstraintSeeds", async () => {
      const f = await escrowFixture();
      const owner = f.stranger.publicKey;
      const shadow = nonCanonicalPda([Buffer.from("earnings"), owner.toBuffer(), SOL_MINT.toBuffer()], f.escrow.programId);
      const ix = await f.escrow.openEarningsIx({ owner });
      await expectUnchanged(f.t, [shadow], () => expectError(f, sendRaw(f, tamper(ix, accountIndex(f, "open_earnings", "earnings"), { pubkey: shadow })), "ConstraintSeeds"));
    });

    it("when initialize_config targets the config PDA at another bump, then it fails with ConstraintSeeds", async () => {
      const f = await escrowFixture({ initialize: false });
      const shadow = nonCanonicalPda([Buffer.from("config")], f.escrow.programId);
      const ix = await f.escrow.initializeConfigIx({ admin: f.admin.publicKey, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: 0 });
      await expectUnchanged(f.t, [shadow], () => expectError(f, sendRaw(f, tamper(ix, accountIndex(f, "initialize_config", "config"), { pubkey: shadow })), "ConstraintSeeds"));
    });

    it("when create_mint_vault targets the mint-vault or vault PDA at another bump, then it fails with ConstraintSeeds", async () => {
      const f = await escrowFixture();
      const mint = await f.t.createMint();
      const ix = await f.escrow.createMintVaultIx({ mint, tokenProgram: TOKEN_PROGRAM_ID });
      const shadowState = nonCanonicalPda([Buffer.from("mint_vault"), mint.toBuffer()], f.escrow.programId);
      const shadowVault = nonCanonicalPda([Buffer.from("vault"), mint.toBuffer()], f.escrow.programId);
      await expectError(f, sendRaw(f, tamper(ix, accountIndex(f, "create_mint_vault", "mint_vault"), { pubkey: shadowState })), "ConstraintSeeds");
      await expectError(f, sendRaw(f, tamper(ix, accountIndex(f, "create_mint_vault", "vault"), { pubkey: shadowVault })), "ConstraintSeeds");
      expect([f.t.account(shadowState), f.t.account(shadowVault)]).to.deep.equal([null, null]);
    });

    it("when the PDAs are created, then each stores its canonical bump", async () => {
      const { f, c } = await tokenWorld();
      const canonical = (seeds: Buffer[]) => PublicKey.findProgramAddressSync(seeds, f.escrow.programId)[1];
      expect((await f.escrow.fetchConfig()).bump).to.equal(canonical([Buffer.from("config")]));
      expect((await f.escrow.fetchMintVault(c.mint)).bump).to.equal(canonical([Buffer.from("mint_vault"), c.mint.toBuffer()]));
      const owner = f.suppliers[0].publicKey;
      expect((await f.escrow.fetchEarnings(owner, c.mint)).bump).to.equal(canonical([Buffer.from("earnings"), owner.toBuffer(), c.mint.toBuffer()]));
    });
  });

  describe("arbitrary CPI: a program of the attacker's in place of the token or system program", () => {
    async function tokenIxs(f: EscrowFixture, c: Currency, escrow: PublicKey) {
      return {
        fund_escrow: [await f.escrow.fundEscrowIx({ client: f.client.publicKey, escrow, amount: 1n, funding: c.funding, clientToken: c.clientToken }), [f.client]],
        refund: [await f.escrow.refundIx({ client: f.client.publicKey, escrow, funding: c.funding, clientToken: c.clientToken }), [f.client]],
        withdraw_earnings: [
          await f.escrow.withdrawEarningsIx({ owner: f.suppliers[0].publicKey, destination: c.wallet(f.suppliers[0].publicKey), amount: 1n, funding: c.funding }),
          [f.suppliers[0]],
        ],
      } as Record<string, [TransactionInstruction, Keypair[]]>;
    }

    for (const name of ["fund_escrow", "refund", "withdraw_earnings"]) {
      it(`when ${name} is given a fake token program, then it fails with TokenProgramMismatch and the vault is untouched`, async () => {
        const { f, c } = await tokenWorld();
        const escrow = await openEscrow(f, { currency: c, deposit: 10_000n, expiresIn: HOUR });
        await charge(f, escrow, 1_000n);
        await f.escrow.approveCharges({ client: f.client, escrow, window: currentWindow(f) });
        await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey, mint: c.mint });
        if (name === "refund") f.t.advance({ seconds: HOUR });
        const fake = attackerProgram(f);
        const [ix, signers] = (await tokenIxs(f, c, escrow))[name];
        const forged = tamper(ix, accountIndex(f, name, "token_program"), { pubkey: fake });
        await expectUnchanged(f.t, [escrow, f.escrow.vault(c.mint), ...ix.keys.filter((k) => k.isWritable).map((k) => k.pubkey)], () =>
          expectError(f, sendRaw(f, forged, signers), "TokenProgramMismatch"),
        );
      });
    }

    it("when open_escrow is given a fake token program, then it fails with TokenProgramMismatch and no escrow exists", async () => {
      const { f, c } = await tokenWorld();
      const escrow = Keypair.generate();
      const ix = await f.escrow.openEscrowIx({
        client: f.client.publicKey,
        escrow: escrow.publicKey,
        provider: f.provider.publicKey,
        providerMeter: f.meter.publicKey,
        payees: payeesOf(f),
        maxPricePerUnit: 1n,
        expiresAt: f.t.clock().unixTimestamp + DAY,
        challengeWindow: HOUR,
        deposit: 1_000n,
        funding: c.funding,
        clientToken: c.clientToken,
      });
      const forged = tamper(ix, accountIndex(f, "open_escrow", "token_program"), { pubkey: attackerProgram(f) });
      await expectUnchanged(f.t, [escrow.publicKey, c.clientToken!], () => expectError(f, sendRaw(f, forged, [f.client, escrow]), "TokenProgramMismatch"));
    });

    it("when create_mint_vault is given a fake token program, then it fails with InvalidProgramId", async () => {
      const f = await escrowFixture();
      const mint = await f.t.createMint();
      await expectError(f, f.escrow.createMintVault({ mint, tokenProgram: attackerProgram(f) }), "InvalidProgramId");
    });

    it("when a token escrow is funded through the other (real) token program, then it fails with TokenProgramMismatch", async () => {
      const { f, c } = await tokenWorld();
      const escrow = await openEscrow(f, { currency: c, deposit: 1n });
      const funding: Funding = { kind: "token", mint: c.mint, tokenProgram: TOKEN_2022_PROGRAM_ID };
      await expectError(f, f.escrow.fundEscrow({ client: f.client, escrow, amount: 1n, funding, clientToken: c.clientToken }), "TokenProgramMismatch");
    });

    it("when a fake system program is passed to each instruction that creates or funds accounts, then each fails with ConstraintAddress", async () => {
      const f = await escrowFixture({ initialize: false });
      const fake = attackerProgram(f);
      const mint = await f.t.createMint();
      const escrow = Keypair.generate();
      const cases: [string, TransactionInstruction, Keypair[]][] = [
        ["initialize_config", await f.escrow.initializeConfigIx({ admin: f.admin.publicKey, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: 0 }), []],
        ["open_earnings", await f.escrow.openEarningsIx({ owner: f.stranger.publicKey }), []],
        ["create_mint_vault", await f.escrow.createMintVaultIx({ mint, tokenProgram: TOKEN_PROGRAM_ID }), []],
      ];
      await f.escrow.initializeConfig({ admin: f.admin, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: 0 });
      const open = await openEscrow(f, { deposit: 1n });
      cases.push(
        [
          "open_escrow",
          await f.escrow.openEscrowIx({
            client: f.client.publicKey,
            escrow: escrow.publicKey,
            provider: f.provider.publicKey,
            providerMeter: f.meter.publicKey,
            payees: payeesOf(f),
            maxPricePerUnit: 1n,
            expiresAt: f.t.clock().unixTimestamp + DAY,
            challengeWindow: HOUR,
            deposit: 1n,
            funding: SOL,
          }),
          [f.client, escrow],
        ],
        ["fund_escrow", await f.escrow.fundEscrowIx({ client: f.client.publicKey, escrow: open, amount: 1n, funding: SOL }), [f.client]],
      );
      for (const [name, ix, signers] of cases) {
        const forged = tamper(ix, accountIndex(f, name, "system_program"), { pubkey: fake });
        await expectError(f, sendRaw(f, forged, signers), "ConstraintAddress");
        expect(f.t.lastResult!.logs.some((l) => l.includes("caused by account: system_program."))).to.equal(true, name);
      }
    });
  });
  describe("duplicate mutable accounts: one account passed where two distinct writable ones are expected", () => {
    it("when settle gets one payee's earnings for both payees, then the second credit fails with EarningsMismatch", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 1_000n });
      await charge(f, escrow, 1_000n);
      await f.escrow.approveCharges({ client: f.client, escrow, window: currentWindow(f) });
      const ix = await f.escrow.settleIx({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      const doubled = tamper(ix, 4, { pubkey: ix.keys[3].pubkey });
      await expectUnchanged(f.t, [escrow, ix.keys[3].pubkey, ix.keys[2].pubkey], () => expectError(f, sendRaw(f, doubled), "EarningsMismatch"));
    });

    it("when settle gets the escrow as the treasury's earnings, then it fails with AccountDiscriminatorMismatch", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 1_000n });
      await charge(f, escrow, 1_000n);
      await f.escrow.approveCharges({ client: f.client, escrow, window: currentWindow(f) });
      const ix = await f.escrow.settleIx({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      await expectUnchanged(f.t, [escrow], () => expectError(f, sendRaw(f, tamper(ix, 2, { pubkey: escrow })), "AccountDiscriminatorMismatch"));
    });

    it("when SOL earnings are withdrawn to the earnings account itself, then it fails with RequireKeysNeqViolated", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 1_000n });
      await charge(f, escrow, 1_000n);
      await f.escrow.approveCharges({ client: f.client, escrow, window: currentWindow(f) });
      await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      const address = f.escrow.earnings(f.suppliers[0].publicKey);
      await expectUnchanged(f.t, [address], () =>
        expectError(f, f.escrow.withdrawEarnings({ owner: f.suppliers[0], destination: address, amount: 1n, funding: SOL }), "RequireKeysNeqViolated"),
      );
      expect(earnings(f, f.suppliers[0].publicKey)!.totalWithdrawn).to.equal(0n);
    });

    it("when a token refund names the vault as the client's account, then it fails with RequireKeysNeqViolated (a vault-to-vault transfer would take the refund off the books and keep the tokens)", async () => {
      const { f, c } = await tokenWorld();
      const escrow = await openEscrow(f, { currency: c, deposit: 1_000n, expiresIn: HOUR });
      f.t.advance({ seconds: HOUR });
      const vault = f.escrow.vault(c.mint);
      await expectUnchanged(f.t, [escrow, vault], () =>
        expectError(f, f.escrow.refund({ client: f.client, escrow, funding: c.funding, clientToken: vault }), "RequireKeysNeqViolated"),
      );
    });

    it("when a token account transfers to itself, then the token program accepts it: why the escrow must refuse the vault as destination", async () => {
      const { f, c } = await tokenWorld();
      const self = createTransferCheckedInstruction(c.clientToken!, c.mint, c.clientToken!, f.client.publicKey, 5n, 6);
      await sendRaw(f, self, [f.client]);
      expect(f.t.lastResult!.err).to.equal(null);
    });

    it("when the escrow's own keypair signs as its client, then funding fails with NotClient", async () => {
      const f = await escrowFixture();
      const keypair = Keypair.generate();
      const escrow = await openEscrow(f, { deposit: 1_000n, escrow: keypair });
      f.t.airdrop(keypair.publicKey, BigInt(LAMPORTS_PER_SOL));
      const ix = await f.escrow.fundEscrowIx({ client: escrow, escrow, amount: 1n, funding: SOL });
      await expectUnchanged(f.t, [escrow], () => expectError(f, sendRaw(f, ix, [keypair]), "NotClient"));
    });

    it("when the client's own account is passed as the new escrow, then the System Program refuses to create it", async () => {
      const f = await escrowFixture();
      const ix = await f.escrow.openEscrowIx({
        client: f.client.publicKey,
        escrow: f.client.publicKey,
        provider: f.provider.publicKey,
        providerMeter: f.meter.publicKey,
        payees: payeesOf(f),
        maxPricePerUnit: 1n,
        expiresAt: f.t.clock().unixTimestamp + DAY,
        challengeWindow: HOUR,
        deposit: 1n,
        funding: SOL,
      });
      await expectUnchanged(f.t, [f.client.publicKey], () => expectSystemError(sendRaw(f, ix, [f.client]), "AccountAlreadyInUse"));
    });
  });

  describe("closing and revival: a closed escrow cannot be brought back", () => {
    async function closable() {
      const f = await escrowFixture();
      const keypair = Keypair.generate();
      const escrow = await openEscrow(f, { deposit: 0n, escrow: keypair });
      const close = await f.escrow.closeEscrowIx({ client: f.client.publicKey, escrow });
      const refill = SystemProgram.transfer({ fromPubkey: f.client.publicKey, toPubkey: escrow, lamports: escrowRent(f) });
      return { f, keypair, escrow, close, refill };
    }

    it("when the escrow is closed and refilled in one transaction and then used, then the use fails and the whole transaction with it", async () => {
      const { f, escrow, close, refill } = await closable();
      const use = await f.escrow.fundEscrowIx({ client: f.client.publicKey, escrow, amount: 1n, funding: SOL });
      await expectUnchanged(f.t, [escrow, f.client.publicKey], () => expectError(f, sendRaw(f, [close, refill, use], [f.client]), "AccountNotInitialized"));
      expect(books(f, escrow).client.toBase58()).to.equal(f.client.publicKey.toBase58(), "the close was rolled back too");
    });

    it("when the escrow is closed and refilled, then in later transactions it is an empty system account nobody can use as an escrow", async () => {
      const { f, escrow, close, refill } = await closable();
      await sendRaw(f, [close, refill], [f.client]);
      const account = f.t.account(escrow)!;
      expect([account.owner.toBase58(), account.data.length, BigInt(account.lamports)]).to.deep.equal([SystemProgram.programId.toBase58(), 0, escrowRent(f)]);
      await expectError(f, f.escrow.fundEscrow({ client: f.client, escrow, amount: 1n, funding: SOL }), "AccountNotInitialized");
      await expectError(f, f.escrow.charge({ meter: f.meter, escrow, units: 1n, amount: 1n, usageRef: usageRef() }), "AccountNotInitialized");
      await expectError(f, f.escrow.closeEscrow({ client: f.client, escrow }), "AccountNotInitialized");
    });

    it("when the escrow's keypair re-allocates its address and assigns it to the program, then the zeroed account is still no escrow", async () => {
      const { f, keypair, escrow, close, refill } = await closable();
      const size = f.escrow.program.account.escrow.size;
      const allocate = SystemProgram.allocate({ accountPubkey: escrow, space: size });
      const assign = SystemProgram.assign({ accountPubkey: escrow, programId: f.escrow.programId });
      await sendRaw(f, [close, refill, allocate, assign], [f.client, keypair]);
      expect(f.t.account(escrow)!.owner.toBase58()).to.equal(f.escrow.programId.toBase58());
      await expectError(f, f.escrow.fundEscrow({ client: f.client, escrow, amount: 1n, funding: SOL }), "AccountDiscriminatorMismatch");
      await expectError(f, f.escrow.closeEscrow({ client: f.client, escrow }), "AccountDiscriminatorMismatch");
    });
  });

  describe("reinitialization: every account the program creates is created once", () => {
    it("when config, earnings, mint vault and escrow are created a second time, then the System Program refuses each and nothing changes", async () => {
      const { f, c } = await tokenWorld();
      const keypair = Keypair.generate();
      const escrow = await openEscrow(f, { currency: c, deposit: 1_000n, escrow: keypair });
      const earningsAddress = f.escrow.earnings(f.suppliers[0].publicKey, c.mint);
      const watched = [f.escrow.config(), earningsAddress, f.escrow.mintVault(c.mint), f.escrow.vault(c.mint), escrow];
      await expectUnchanged(f.t, watched, async () => {
        await expectSystemError(f.escrow.initializeConfig({ admin: f.admin, treasury: f.stranger.publicKey, arbiter: f.stranger.publicKey, feeBps: 0 }), "AccountAlreadyInUse");
        await expectSystemError(f.escrow.openEarnings({ owner: f.suppliers[0].publicKey, mint: c.mint }), "AccountAlreadyInUse");
        await expectSystemError(f.escrow.createMintVault({ mint: c.mint, tokenProgram: TOKEN_PROGRAM_ID }), "AccountAlreadyInUse");
        await expectSystemError(
          f.escrow.openEscrow({
            client: f.client,
            escrow: keypair,
            provider: f.stranger.publicKey,
            providerMeter: f.stranger.publicKey,
            payees: [{ owner: f.stranger.publicKey, shareBps: 10_000 }],
            maxPricePerUnit: U64_MAX,
            expiresAt: f.t.clock().unixTimestamp + DAY,
            challengeWindow: HOUR,
            deposit: 0n,
            funding: SOL,
          }),
          "AccountAlreadyInUse",
        );
      });
    });
  });

  describe("overflow: amounts at the edges of u64 and i64", () => {
    it("when a meter charges u64::MAX units twice in one window, then the second fails with ArithmeticOverflow", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 10n, maxPrice: 1n });
      await f.escrow.charge({ meter: f.meter, escrow, units: U64_MAX, amount: 1n, usageRef: usageRef() });
      await expectUnchanged(f.t, [escrow], () =>
        expectInstructionError(f.t, f.escrow.charge({ meter: f.meter, escrow, units: 1n, amount: 1n, usageRef: usageRef() }), "ArithmeticOverflow"),
      );
    });

    it("when units times price exceeds u64, then the ceiling is computed exactly and only the balance limits the charge", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 1_000n, maxPrice: U64_MAX });
      await expectError(f, f.escrow.charge({ meter: f.meter, escrow, units: U64_MAX, amount: U64_MAX, usageRef: usageRef() }), "InsufficientBalance");
      await f.escrow.charge({ meter: f.meter, escrow, units: U64_MAX, amount: 1_000n, usageRef: usageRef() });
    });

    it("when a client recycles tokens to push deposited past u64::MAX, then funding fails with ArithmeticOverflow", async () => {
      const { f, c } = await tokenWorld();
      await f.t.mintTo(c.mint, c.clientToken!, U64_MAX - f.t.mint(c.mint).supply); // the client holds the whole supply
      const escrow = await openEscrow(f, { currency: c, deposit: U64_MAX });
      await charge(f, escrow, 1n);
      await f.escrow.approveCharges({ client: f.client, escrow, window: currentWindow(f) });
      await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey, mint: c.mint });
      const paid = f.suppliers.find((s) => (earnings(f, s.publicKey, c.mint)?.balance ?? 0n) === 1n)!;
      await f.escrow.withdrawEarnings({ owner: paid, destination: c.wallet(paid.publicKey), amount: 1n, funding: c.funding });
      await sendRaw(f, createTransferCheckedInstruction(c.wallet(paid.publicKey), c.mint, c.clientToken!, paid.publicKey, 1n, 6), [paid]);
      expect(books(f, escrow).deposited).to.equal(U64_MAX);
      await expectUnchanged(f.t, [escrow, c.clientToken!, f.escrow.vault(c.mint)], () =>
        expectInstructionError(f.t, f.escrow.fundEscrow({ client: f.client, escrow, amount: 1n, funding: c.funding, clientToken: c.clientToken }), "ArithmeticOverflow"),
      );
    });

    it("when the whole u64 supply is charged, settled and withdrawn, then fee and shares are exact", async () => {
      const { f, c } = await tokenWorld();
      await f.t.mintTo(c.mint, c.clientToken!, U64_MAX - f.t.mint(c.mint).supply);
      const escrow = await openEscrow(f, { currency: c, deposit: U64_MAX, maxPrice: 1n });
      await f.escrow.charge({ meter: f.meter, escrow, units: U64_MAX, amount: U64_MAX, usageRef: usageRef() });
      await f.escrow.approveCharges({ client: f.client, escrow, window: currentWindow(f) });
      await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey, mint: c.mint });
      const fee = (U64_MAX * 250n) / 10_000n;
      const b = books(f, escrow);
      expect([b.fees, b.settled, b.available]).to.deep.equal([fee, U64_MAX - fee, 0n]);
      const balances = [f.treasury, ...f.suppliers].map((p) => earnings(f, p.publicKey, c.mint)!.balance);
      expect(balances.reduce((a, x) => a + x, 0n)).to.equal(U64_MAX);
      for (const p of [f.treasury, ...f.suppliers]) {
        const { balance } = earnings(f, p.publicKey, c.mint)!;
        await f.escrow.withdrawEarnings({ owner: p, destination: c.wallet(p.publicKey), amount: balance, funding: c.funding });
      }
      expect(c.vaultBalance()).to.equal(0n);
    });

    it("when a SOL deposit plus rent exceeds u64, then opening fails with ArithmeticOverflow", async () => {
      const f = await escrowFixture();
      await expectInstructionError(f.t, openEscrow(f, { deposit: U64_MAX - 1n }), "ArithmeticOverflow");
    });

    it("when disputes, resolutions and withdrawals name u64::MAX, then each fails with its named error", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 1_000n });
      const window = currentWindow(f);
      await charge(f, escrow, 100n);
      await expectError(f, f.escrow.disputeCharges({ client: f.client, escrow, window, amount: U64_MAX, usageRef: usageRef() }), "InvalidDisputeAmount");
      await f.escrow.disputeCharges({ client: f.client, escrow, window, amount: 100n, usageRef: usageRef() });
      await expectError(f, f.escrow.resolveDispute({ arbiter: f.arbiter, escrow, window, toProvider: U64_MAX }), "InvalidDisputeAmount");
      await expectError(f, f.escrow.withdrawEarnings({ owner: f.suppliers[0], destination: f.suppliers[0].publicKey, amount: U64_MAX, funding: SOL }), "InsufficientEarnings");
    });

    it("when windows at the ends of i64 are named, then they are unknown buckets, not overflows", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 1_000n });
      await charge(f, escrow, 100n);
      const I64_MAX = (1n << 63n) - 1n;
      for (const window of [I64_MAX, -I64_MAX - 1n]) {
        await expectError(f, f.escrow.approveCharges({ client: f.client, escrow, window }), "UnknownBucket");
        await expectError(f, f.escrow.disputeCharges({ client: f.client, escrow, window, amount: 1n, usageRef: usageRef() }), "UnknownBucket");
        await expectError(f, f.escrow.resolveDispute({ arbiter: f.arbiter, escrow, window, toProvider: 0n }), "UnknownBucket");
      }
    });

    it("when an escrow expires at i64::MAX with the longest window, then charges and a close notice compute their times without overflow", async () => {
      const f = await escrowFixture();
      const I64_MAX = (1n << 63n) - 1n;
      const now = f.t.clock().unixTimestamp;
      const escrow = await openEscrow(f, { deposit: 1_000n, expiresIn: I64_MAX - now, window: 30n * DAY });
      await charge(f, escrow, 100n);
      await f.escrow.requestClose({ client: f.client, escrow });
      expect(books(f, escrow).closingAt).to.equal(now + 30n * DAY);
    });
  });

  // Sysvar spoofing does not apply: the program reads the clock and rent through the sol_get_clock_sysvar and
  // sol_get_rent_sysvar syscalls (sdk::sysvars) and no instruction takes a sysvar account, so there is no
  // account slot a fake sysvar could occupy. The test shows that a fake clock passed along anyway is ignored.
  describe("sysvar spoofing: a fake clock account passed along is ignored", () => {
    function fakeClock(f: EscrowFixture, unixTimestamp: bigint): PublicKey {
      const data = Buffer.alloc(40);
      const now = f.t.clock();
      data.writeBigUInt64LE(now.slot, 0);
      data.writeBigInt64LE(now.epochStartTimestamp, 8);
      data.writeBigUInt64LE(now.epoch, 16);
      data.writeBigUInt64LE(now.leaderScheduleEpoch, 24);
      data.writeBigInt64LE(unixTimestamp, 32);
      return forge(f, new PublicKey("Sysvar1111111111111111111111111111111111111"), data);
    }

    it("when a refund before expiry carries a clock saying the escrow has expired, then it still fails with EscrowNotEnded", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 1_000n, expiresIn: DAY });
      const ix = await f.escrow.refundIx({ client: f.client.publicKey, escrow, funding: SOL });
      for (const clock of [fakeClock(f, f.t.clock().unixTimestamp + 10n * DAY), SYSVAR_CLOCK_PUBKEY]) {
        ix.keys.push({ pubkey: clock, isSigner: false, isWritable: false });
        await expectUnchanged(f.t, [escrow, f.client.publicKey], () => expectError(f, sendRaw(f, ix, [f.client]), "EscrowNotEnded"));
      }
    });

    it("when a charge after expiry carries a clock saying it is still early, then it still fails with EscrowEnded", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f, { deposit: 1_000n, expiresIn: HOUR });
      const early = fakeClock(f, f.t.clock().unixTimestamp);
      f.t.advance({ seconds: HOUR });
      const ix = await f.escrow.chargeIx({ meter: f.meter.publicKey, escrow, units: 1n, amount: 1n, usageRef: usageRef() });
      ix.keys.push({ pubkey: early, isSigner: false, isWritable: false });
      await expectUnchanged(f.t, [escrow], () => expectError(f, sendRaw(f, ix, [f.meter]), "EscrowEnded"));
    });
  });
});
