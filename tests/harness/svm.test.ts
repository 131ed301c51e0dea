import { expect } from "chai";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as spl from "@solana/spl-token";
import { Keypair, LAMPORTS_PER_SOL, SYSVAR_CLOCK_PUBKEY, SendTransactionError, SystemProgram, Transaction } from "@solana/web3.js";
import { customErrorOf } from "./errors.js";
import { TestSvm } from "./svm.js";
import { type MintExtension } from "./tokens.js";

async function rejection(action: Promise<unknown>): Promise<unknown> {
  try {
    await action;
  } catch (error) {
    return error;
  }
  throw new Error("expected the action to fail");
}

describe("TestSvm", () => {
  let t: TestSvm;

  beforeEach(() => {
    t = TestSvm.create({ programs: [] });
  });

  describe("keys and accounts", () => {
    it("funds keypairs and reads their accounts", () => {
      const alice = t.fundedKeypair(3n * BigInt(LAMPORTS_PER_SOL));
      expect(t.balance(alice.publicKey)).to.equal(3_000_000_000n);
      expect(t.account(alice.publicKey)?.owner.equals(SystemProgram.programId)).to.equal(true);
      expect(t.account(Keypair.generate().publicKey)).to.equal(null);
      expect(t.balance(Keypair.generate().publicKey)).to.equal(0n);
    });

    it("airdrops the same amount to the same account twice", () => {
      const key = Keypair.generate().publicKey;
      t.airdrop(key, 5_000_000n);
      t.airdrop(key, 5_000_000n);
      expect(t.balance(key)).to.equal(10_000_000n);
    });

    it("sends with another fee payer and extra signers", async () => {
      const alice = t.fundedKeypair();
      const account = Keypair.generate();
      await t.send(
        SystemProgram.createAccount({
          fromPubkey: alice.publicKey,
          newAccountPubkey: account.publicKey,
          lamports: LAMPORTS_PER_SOL,
          space: 8,
          programId: SystemProgram.programId,
        }),
        { feePayer: alice, signers: [account] },
      );
      expect(t.account(account.publicKey)?.data.length).to.equal(8);
      expect(t.balance(alice.publicKey)).to.equal(9n * BigInt(LAMPORTS_PER_SOL) - 10_000n);
    });

    it("writes accounts directly with setAccount", () => {
      const key = Keypair.generate().publicKey;
      t.setAccount(key, { lamports: 5_000_000n, owner: spl.TOKEN_PROGRAM_ID, data: Uint8Array.of(1, 2, 3) });
      const account = t.account(key);
      expect([...(account?.data ?? [])]).to.deep.equal([1, 2, 3]);
      expect(account?.owner.equals(spl.TOKEN_PROGRAM_ID)).to.equal(true);
    });
  });

  describe("time", () => {
    /** The clock sysvar account as programs read it: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp. */
    function clockSysvar() {
      const data = t.account(SYSVAR_CLOCK_PUBKEY)?.data as Buffer;
      return { slot: data.readBigUInt64LE(0), unixTimestamp: data.readBigInt64LE(32) };
    }

    it("warps the slot and the unix timestamp, and the clock sysvar follows", () => {
      t.warp({ slot: 1_000n, unixTimestamp: 1_800_000_000n });
      expect(t.clock()).to.include({ slot: 1_000n, unixTimestamp: 1_800_000_000n });
      expect(clockSysvar()).to.deep.equal({ slot: 1_000n, unixTimestamp: 1_800_000_000n });
    });

    it("advances slots and seconds independently", () => {
      t.warp({ slot: 10n, unixTimestamp: 100n });
      t.advance({ seconds: 3_600n });
      expect(t.clock()).to.include({ slot: 10n, unixTimestamp: 3_700n });
      t.advance({ slots: 5n });
      expect(t.clock()).to.include({ slot: 15n, unixTimestamp: 3_700n });
    });

    it("expires the blockhash: a transaction signed before fails with BlockhashNotFound", async () => {
      const tx = new Transaction({ feePayer: t.payer.publicKey, recentBlockhash: t.svm.latestBlockhash() }).add(
        SystemProgram.transfer({ fromPubkey: t.payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 1_000_000 }),
      );
      tx.sign(t.payer);
      t.expireBlockhash();
      const error = await rejection(Promise.resolve().then(() => t.provider.sendSigned(tx)));
      expect(error).to.be.instanceOf(SendTransactionError);
      expect((error as SendTransactionError).transactionError.message).to.equal("Transaction simulation failed: Blockhash not found");
      expect(t.lastResult?.err).to.equal("BlockhashNotFound");
    });
  });

  describe("SPL Token and Token-2022", () => {
    for (const [name, programId] of [
      ["Token", spl.TOKEN_PROGRAM_ID],
      ["Token-2022", spl.TOKEN_2022_PROGRAM_ID],
    ] as const) {
      it(`${name}: creates a mint, associated and keypair token accounts, and mints`, async () => {
        const owner = Keypair.generate().publicKey;
        const mint = await t.createMint({ programId, decimals: 9 });
        const ata = await t.createTokenAccount({ mint, owner });
        const plain = await t.createTokenAccount({ mint, owner, account: Keypair.generate() });
        await t.mintTo(mint, ata, 7n);
        await t.mintTo(mint, plain, 5n);

        expect(t.tokenProgramOf(mint).equals(programId)).to.equal(true);
        expect(ata.equals(spl.getAssociatedTokenAddressSync(mint, owner, false, programId))).to.equal(true);
        expect(t.mint(mint)).to.include({ decimals: 9, supply: 12n });
        expect(t.tokenAccount(ata).amount).to.equal(7n);
        expect(t.tokenAccount(plain).owner.equals(owner)).to.equal(true);
      });
    }

    it("Token-2022 transfer fee: the config is set and a transfer withholds the fee", async () => {
      const authority = Keypair.generate().publicKey;
      const mint = await t.createMint({
        decimals: 0,
        extensions: [{ type: "transferFee", feeBasisPoints: 100, maxFee: 50n, configAuthority: authority, withdrawAuthority: authority }],
      });
      const fee = spl.getTransferFeeConfig(t.mint(mint));
      expect(fee?.newerTransferFee).to.include({ transferFeeBasisPoints: 100, maximumFee: 50n });
      expect(fee?.transferFeeConfigAuthority.equals(authority)).to.equal(true);

      const source = await t.createTokenAccount({ mint, owner: t.payer.publicKey });
      const destination = await t.createTokenAccount({ mint, owner: Keypair.generate().publicKey, account: Keypair.generate() });
      await t.mintTo(mint, source, 1_000n);
      await t.send(
        spl.createTransferCheckedWithFeeInstruction(source, mint, destination, t.payer.publicKey, 1_000n, 0, 10n, [], spl.TOKEN_2022_PROGRAM_ID),
      );
      const received = t.tokenAccount(destination);
      expect(received.amount).to.equal(990n);
      expect(spl.getTransferFeeAmount(received)?.withheldAmount).to.equal(10n);
    });

    it("Token-2022 transfer hook: the hook program id and authority are recorded", async () => {
      const hookProgramId = Keypair.generate().publicKey;
      const mint = await t.createMint({ extensions: [{ type: "transferHook", hookProgramId, authority: t.payer.publicKey }] });
      const hook = spl.getTransferHook(t.mint(mint));
      expect(hook?.programId.equals(hookProgramId)).to.equal(true);
      expect(hook?.authority.equals(t.payer.publicKey)).to.equal(true);
      const account = await t.createTokenAccount({ mint, owner: Keypair.generate().publicKey });
      expect(spl.getTransferHookAccount(t.tokenAccount(account))).to.not.equal(null);
    });

    it("Token-2022 non-transferable: accounts can hold tokens but a transfer is refused", async () => {
      const mint = await t.createMint({ decimals: 0, extensions: [{ type: "nonTransferable" }] });
      expect(spl.getNonTransferable(t.mint(mint))).to.not.equal(null);
      const source = await t.createTokenAccount({ mint, owner: t.payer.publicKey });
      const destination = await t.createTokenAccount({ mint, owner: Keypair.generate().publicKey, account: Keypair.generate() });
      await t.mintTo(mint, source, 10n);
      expect(spl.getNonTransferableAccount(t.tokenAccount(destination))).to.not.equal(null);

      const error = await rejection(
        t.send(spl.createTransferCheckedInstruction(source, mint, destination, t.payer.publicKey, 1n, 0, [], spl.TOKEN_2022_PROGRAM_ID)),
      );
      // Token-2022's TokenError::NonTransferable.
      expect(customErrorOf(error)).to.deep.equal({ programId: spl.TOKEN_2022_PROGRAM_ID, code: 0x25 });
      expect((error as SendTransactionError).logs).to.include("Program log: Transfer is disabled for this mint");
      expect(t.tokenAccount(source).amount).to.equal(10n);
    });

    it("Token-2022: permanent delegate, close authority, default frozen state, interest, pausable", async () => {
      const delegate = Keypair.generate().publicKey;
      const extensions: MintExtension[] = [
        { type: "permanentDelegate", delegate },
        { type: "mintCloseAuthority", closeAuthority: t.payer.publicKey },
        { type: "defaultAccountState", state: spl.AccountState.Frozen },
        { type: "interestBearing", rateBasisPoints: 250, rateAuthority: t.payer.publicKey },
        { type: "pausable", authority: t.payer.publicKey },
      ];
      const mint = t.mint(await t.createMint({ extensions }));

      expect(spl.getPermanentDelegate(mint)?.delegate.equals(delegate)).to.equal(true);
      expect(spl.getMintCloseAuthority(mint)?.closeAuthority.equals(t.payer.publicKey)).to.equal(true);
      expect(spl.getDefaultAccountState(mint)?.state).to.equal(spl.AccountState.Frozen);
      expect(mint.freezeAuthority?.equals(t.payer.publicKey)).to.equal(true);
      expect(spl.getInterestBearingMintConfigState(mint)?.currentRate).to.equal(250);
      expect(spl.getPausableConfig(mint)?.paused).to.equal(false);
      const account = await t.createTokenAccount({ mint: mint.address, owner: Keypair.generate().publicKey });
      expect(t.tokenAccount(account).isFrozen).to.equal(true);
    });

    it("refuses extensions on the Token program", async () => {
      const error = await rejection(t.createMint({ programId: spl.TOKEN_PROGRAM_ID, extensions: [{ type: "nonTransferable" }] }));
      expect(String(error)).to.contain("mint extensions need the Token-2022 program");
    });
  });

  describe("programs", () => {
    it("fails with a pointer to `npm run build` when a program's .so is missing", () => {
      const emptyDeployDir = mkdtempSync(join(tmpdir(), "infergrid-deploy-"));
      expect(() => TestSvm.create({ deployDir: emptyDeployDir })).to.throw(/\.so does not exist: run `npm run build`/);
    });

    it("refuses a program that Anchor.toml does not declare", () => {
      expect(() => TestSvm.create({ programs: ["no_such_program"] })).to.throw(/"no_such_program" is not in \[programs\.localnet\]/);
    });
  });
});
