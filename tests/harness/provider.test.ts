import { expect } from "chai";
import anchor from "@coral-xyz/anchor";
import type { Idl } from "@coral-xyz/anchor";
import BN from "bn.js";
import * as spl from "@solana/spl-token";
import {
  Keypair,
  PublicKey,
  SendTransactionError,
  SystemProgram,
  Transaction,
  TransactionMessage,
  VersionedTransaction,
} from "@solana/web3.js";
import { customErrorOf, expectCustomError } from "./errors.js";
import { sendTransactionError, type TransactionResult } from "../../svm/transactions.js";
import { TestSvm } from "./svm.js";
import splTokenIdl from "./fixtures/spl_token.json" with { type: "json" };

const { AccountClient, AnchorError, Program, ProgramError, translateError, parseIdlErrors } = anchor;
const idl = splTokenIdl as Idl;

/** A Token mint with two associated accounts; `source` (owned by the payer) holds 100 tokens. */
async function tokenSetup(t: TestSvm) {
  const bob = Keypair.generate().publicKey;
  const mint = await t.createMint({ decimals: 6 });
  const source = await t.createTokenAccount({ mint, owner: t.payer.publicKey });
  const destination = await t.createTokenAccount({ mint, owner: bob });
  await t.mintTo(mint, source, 100n);
  return { mint, source, destination };
}

async function rejection(action: Promise<unknown>): Promise<unknown> {
  try {
    await action;
  } catch (error) {
    return error;
  }
  throw new Error("expected the action to fail");
}

describe("LiteSVMProvider", () => {
  let t: TestSvm;
  let token: InstanceType<typeof Program>;

  beforeEach(() => {
    t = TestSvm.create({ programs: [] });
    token = new Program(idl, t.provider);
  });

  describe("program.methods through an Anchor IDL (SPL Token)", () => {
    it(".rpc() executes the instruction and exposes logs, compute units and the signature", async () => {
      const { source, destination } = await tokenSetup(t);

      const signature = await token.methods
        .transfer(new BN(30))
        .accounts({ source, destination, authority: t.payer.publicKey })
        .rpc();

      expect(t.tokenAccount(destination).amount).to.equal(30n);
      const result = t.provider.lastResult as TransactionResult;
      expect(result.signature).to.equal(signature);
      expect(result.committed).to.equal(true);
      expect(result.err).to.equal(null);
      expect(result.logs[0]).to.equal(`Program ${spl.TOKEN_PROGRAM_ID.toBase58()} invoke [1]`);
      expect(result.logs.at(-1)).to.equal(`Program ${spl.TOKEN_PROGRAM_ID.toBase58()} success`);
      const consumed = /consumed (\d+) of \d+ compute units/.exec(result.logs.join("\n"));
      expect(consumed, "a 'consumed' log line").to.not.equal(null);
      expect(result.computeUnitsConsumed).to.equal(BigInt(consumed![1]));
    });

    it(".instruction() encodes the IDL discriminator and arguments", async () => {
      const { source, destination } = await tokenSetup(t);
      const ix = await token.methods
        .transfer(new BN(258))
        .accounts({ source, destination, authority: t.payer.publicKey })
        .instruction();
      expect([...ix.data]).to.deep.equal([3, 2, 1, 0, 0, 0, 0, 0, 0]);
      expect(ix.keys.map((k) => [k.isSigner, k.isWritable])).to.deep.equal([
        [false, true],
        [false, true],
        [true, false],
      ]);
    });

    it("program.account.X.fetch() decodes accounts read through the connection", async () => {
      const { mint, source } = await tokenSetup(t);
      // The IDL is loaded as untyped JSON, so the account namespace is indexed by name.
      const accounts = token.account as unknown as Record<"mint" | "tokenAccount", InstanceType<typeof AccountClient>>;
      const account = (await accounts.tokenAccount.fetch(source)) as { mint: PublicKey; amount: BN };
      expect(account.mint.equals(mint)).to.equal(true);
      expect(account.amount.toString()).to.equal("100");
      const mintState = (await accounts.mint.fetch(mint)) as { decimals: number; supply: BN };
      expect(mintState.decimals).to.equal(6);
      expect(mintState.supply.toString()).to.equal("100");
      const both = await accounts.tokenAccount.fetchMultiple([source, Keypair.generate().publicKey]);
      expect(both[1]).to.equal(null);
    });

    it("spl-token's getAccount and getMint read through the connection", async () => {
      const { mint, source } = await tokenSetup(t);
      expect((await spl.getAccount(t.provider.connection, source)).amount).to.equal(100n);
      expect((await spl.getMint(t.provider.connection, mint)).supply).to.equal(100n);
    });

    it(".simulate() returns the logs and commits nothing", async () => {
      const { source, destination } = await tokenSetup(t);
      const simulated = await token.methods
        .transfer(new BN(5))
        .accounts({ source, destination, authority: t.payer.publicKey })
        .simulate();
      expect(simulated.raw[0]).to.equal(`Program ${spl.TOKEN_PROGRAM_ID.toBase58()} invoke [1]`);
      expect(simulated.raw).to.deep.equal(t.provider.lastResult?.logs);
      expect(t.provider.lastResult?.committed).to.equal(false);
      expect(Number(t.provider.lastResult?.computeUnitsConsumed)).to.be.greaterThan(0);
      expect(t.tokenAccount(destination).amount).to.equal(0n);
    });

    it("sending the same instruction twice runs it twice (a new blockhash after every send)", async () => {
      const { source, destination } = await tokenSetup(t);
      const send = () => token.methods.transfer(new BN(1)).accounts({ source, destination, authority: t.payer.publicKey }).rpc();
      const first = await send();
      const second = await send();
      expect(first).to.not.equal(second);
      expect(t.tokenAccount(destination).amount).to.equal(2n);
    });
  });

  describe("failures surface as on a cluster", () => {
    it("a failed preflight throws SendTransactionError with logs, untranslated by Anchor 0.32.1, and commits nothing", async () => {
      const { source, destination } = await tokenSetup(t);
      const balance = t.balance(t.payer.publicKey);

      const error = await rejection(
        token.methods.transfer(new BN(1000)).accounts({ source, destination, authority: t.payer.publicKey }).rpc(),
      );

      // What web3.js throws when the RPC's preflight fails (code -32002).
      expect(error).to.be.instanceOf(SendTransactionError);
      const sendError = error as SendTransactionError;
      expect(sendError.transactionError.message).to.equal(
        "Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1",
      );
      expect(sendError.logs).to.include("Program log: Error: insufficient funds");
      expect(sendError.logs?.at(-1)).to.equal(`Program ${spl.TOKEN_PROGRAM_ID.toBase58()} failed: custom program error: 0x1`);
      // Anchor 0.32.1's ProgramError.parse needs "custom program error: " exactly once in the error text; web3.js
      // puts it there twice (message and logs), so translateError returns the error as is, with its logs.
      expect(ProgramError.parse(sendError, parseIdlErrors(idl))).to.equal(null);
      expect(customErrorOf(error, idl)).to.deep.include({ code: 1, name: "InsufficientFunds", msg: "Insufficient funds" });
      // A failed preflight costs nothing and leaves no trace.
      expect(t.balance(t.payer.publicKey)).to.equal(balance);
      expect(t.provider.lastResult?.committed).to.equal(false);
      expect(t.provider.lastResult?.err).to.deep.equal({ InstructionError: [0, { Custom: 1 }] });
    });

    it("with skipPreflight the failed transaction is committed, pays its fee, and translates to ProgramError", async () => {
      const { source, destination } = await tokenSetup(t);
      const balance = t.balance(t.payer.publicKey);

      const error = await rejection(
        token.methods
          .transfer(new BN(1000))
          .accounts({ source, destination, authority: t.payer.publicKey })
          .rpc({ skipPreflight: true }),
      );

      expect(error).to.be.instanceOf(ProgramError);
      const programError = error as InstanceType<typeof ProgramError>;
      expect(programError.code).to.equal(1);
      expect(programError.msg).to.equal("Insufficient funds");
      expect(programError.program?.equals(spl.TOKEN_PROGRAM_ID)).to.equal(true);
      expect(t.provider.lastResult?.committed).to.equal(true);
      expect(t.balance(t.payer.publicKey)).to.equal(balance - 5000n);
      expect(t.tokenAccount(destination).amount).to.equal(0n);
    });

    it("translateError turns an 'AnchorError occurred' log line into an AnchorError with code and message", async () => {
      // None of our programs is built yet, so the log line is added to the logs of a real failed transaction;
      // what is tested is the error the harness throws and how Anchor reads it.
      const { source, destination } = await tokenSetup(t);
      await rejection(token.methods.transfer(new BN(1000)).accounts({ source, destination, authority: t.payer.publicKey }).rpc());
      const failed = t.provider.lastResult as TransactionResult;
      const logs = [...failed.logs];
      logs.splice(
        logs.length - 2,
        0,
        "Program log: AnchorError occurred. Error Code: EscrowExpired. Error Number: 6000. Error Message: The escrow has expired.",
      );

      const translated = translateError(sendTransactionError({ ...failed, logs }), parseIdlErrors(idl));

      expect(translated).to.be.instanceOf(AnchorError);
      const anchorError = translated as InstanceType<typeof AnchorError>;
      expect(anchorError.error.errorCode).to.deep.equal({ code: "EscrowExpired", number: 6000 });
      expect(anchorError.error.errorMessage).to.equal("The escrow has expired");
      expect(anchorError.program.equals(spl.TOKEN_PROGRAM_ID)).to.equal(true);
      expect(anchorError.logs).to.deep.equal(logs);
    });

    it("a failed .simulate() throws SendTransactionError with the logs", async () => {
      const { source, destination } = await tokenSetup(t);
      const error = await rejection(
        token.methods.transfer(new BN(1000)).accounts({ source, destination, authority: t.payer.publicKey }).simulate(),
      );
      expect(error).to.be.instanceOf(SendTransactionError);
      expect((error as SendTransactionError).logs).to.include("Program log: Error: insufficient funds");
    });

    it("expectCustomError checks the code and IDL name of the failing program", async () => {
      const { source, destination } = await tokenSetup(t);
      const transfer = (amount: number) =>
        token.methods.transfer(new BN(amount)).accounts({ source, destination, authority: t.payer.publicKey }).rpc();
      const found = await expectCustomError(transfer(1000), { code: 1, name: "InsufficientFunds" }, idl);
      expect(found.programId.equals(spl.TOKEN_PROGRAM_ID)).to.equal(true);
      const wrongCode = await rejection(expectCustomError(transfer(1000), { code: 6000 }, idl));
      expect(String(wrongCode)).to.contain("got custom program error 0x1 (1) InsufficientFunds");
      const succeeded = await rejection(expectCustomError(transfer(1), { code: 1 }));
      expect(String(succeeded)).to.contain("but it succeeded");
    });
  });

  describe("transaction results", () => {
    it("reports inner instructions with their programs and stack heights", async () => {
      const mint = await t.createMint();
      const owner = Keypair.generate().publicKey;
      await t.createTokenAccount({ mint, owner });

      const result = t.provider.lastResult as TransactionResult;
      expect(result.innerInstructions).to.have.length(1);
      const inner = result.innerInstructions[0];
      expect(inner.map((ix) => ix.programId?.toBase58())).to.include.members([
        SystemProgram.programId.toBase58(),
        spl.TOKEN_PROGRAM_ID.toBase58(),
      ]);
      expect(inner.every((ix) => ix.stackHeight === 2)).to.equal(true);
      expect(inner.every((ix) => ix.accounts !== undefined)).to.equal(true);
    });

    it("reports return data", async () => {
      const mint = await t.createMint({ decimals: 6 });
      await token.methods.amountToUiAmount(new BN(1_234_567)).accounts({ mint }).rpc();
      const returned = t.provider.lastResult?.returnData;
      expect(returned?.programId.equals(spl.TOKEN_PROGRAM_ID)).to.equal(true);
      expect(returned?.data.toString()).to.equal("1.234567");
    });

    it("reports no return data as null, as the RPC does", async () => {
      await t.send(SystemProgram.transfer({ fromPubkey: t.payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 1_000_000 }));
      expect(t.lastResult?.returnData).to.equal(null);
      expect(t.lastResult?.computeUnitsConsumed).to.equal(150n);
    });

    it("sends versioned (v0) transactions", async () => {
      const to = Keypair.generate().publicKey;
      const message = new TransactionMessage({
        payerKey: t.payer.publicKey,
        recentBlockhash: t.svm.latestBlockhash(),
        instructions: [SystemProgram.transfer({ fromPubkey: t.payer.publicKey, toPubkey: to, lamports: 2_000_000 })],
      }).compileToV0Message();
      const signature = await t.provider.sendAndConfirm(new VersionedTransaction(message));
      expect(t.balance(to)).to.equal(2_000_000n);
      expect(t.lastResult?.signature).to.equal(signature);
    });

    it("sendAll sends transactions signed with one blockhash", async () => {
      const to = [Keypair.generate().publicKey, Keypair.generate().publicKey];
      const txs = to.map((key) => ({
        tx: new Transaction().add(SystemProgram.transfer({ fromPubkey: t.payer.publicKey, toPubkey: key, lamports: 3_000_000 })),
      }));
      const signatures = await t.provider.sendAll(txs);
      expect(signatures).to.have.length(2);
      expect(to.map((key) => t.balance(key))).to.deep.equal([3_000_000n, 3_000_000n]);
    });
  });

  describe("connection", () => {
    it("getProgramAccounts applies memcmp and dataSize filters", async () => {
      const { mint, source } = await tokenSetup(t);
      const accounts = await t.provider.connection.getProgramAccounts(spl.TOKEN_PROGRAM_ID, {
        filters: [{ dataSize: spl.ACCOUNT_SIZE }, { memcmp: { offset: 32, bytes: t.payer.publicKey.toBase58() } }],
      });
      expect(accounts.map((a) => a.pubkey.toBase58())).to.deep.equal([source.toBase58()]);
      const mints = await t.provider.connection.getProgramAccounts(spl.TOKEN_PROGRAM_ID, { filters: [{ dataSize: spl.MINT_SIZE }] });
      expect(mints.map((a) => a.pubkey.toBase58())).to.deep.equal([mint.toBase58()]);
    });

    it("runs spl-token's action helpers (sendAndConfirmTransaction over the connection)", async () => {
      const connection = t.provider.connection;
      const mint = await spl.createMint(connection, t.payer, t.payer.publicKey, null, 2);
      const owner = Keypair.generate().publicKey;
      const account = await spl.getOrCreateAssociatedTokenAccount(connection, t.payer, mint, owner);
      await spl.mintTo(connection, t.payer, mint, account.address, t.payer, 250n);
      expect((await spl.getAccount(connection, account.address)).amount).to.equal(250n);
      expect(t.lastResult?.committed).to.equal(true);
    });

    it("a Connection method it lacks throws an explicit error", async () => {
      const error = await rejection(Promise.resolve().then(() => t.provider.connection.getEpochInfo()));
      expect(String(error)).to.contain("Connection.getEpochInfo() is not implemented over LiteSVM");
    });
  });

  it("survives many CPI-heavy transactions and forced garbage collection", async () => {
    for (let i = 0; i < 50; i++) await t.createTokenAccount({ mint: await t.createMint(), owner: Keypair.generate().publicKey });
    (globalThis as { gc?: () => void }).gc?.();
    expect(t.lastResult?.committed).to.equal(true);
  });
});
