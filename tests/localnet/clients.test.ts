// The clients infergrid uses, unchanged, against the localnet: an Anchor provider on the escrow program
// (deployed through the upgradeable loader at its Anchor.toml id) and @solana/spl-token on Token and
// Token-2022.
import { expect } from "chai";
import anchor from "@coral-xyz/anchor";
import { Keypair, LAMPORTS_PER_SOL, type ParsedAccountData, PublicKey, SystemProgram, Transaction } from "@solana/web3.js";
import {
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  createAmountToUiAmountInstruction,
  createMint,
  getAccount,
  getOrCreateAssociatedTokenAccount,
  mintTo,
  transferChecked,
} from "@solana/spl-token";
import { SOL_MINT, configAddress, escrowClient, escrowProgram } from "../../ts-client/src/index.js";
import { LocalnetFixture, firstEvent } from "./fixture.js";

describe("localnet: Anchor and spl-token clients", () => {
  let f: LocalnetFixture;
  before(async () => {
    f = await LocalnetFixture.start({ programs: ["escrow"] });
  });
  after(async () => {
    await f.stop();
  });

  function provider(): InstanceType<typeof anchor.AnchorProvider> {
    const wallet = new anchor.Wallet(f.localnet.upgradeAuthority);
    return new anchor.AnchorProvider(f.connection(), wallet, { commitment: "confirmed", preflightCommitment: "confirmed" });
  }

  it("runs escrow's initialize_config and open_earnings through an Anchor provider, events through onLogs", async () => {
    const p = provider();
    const programId = f.localnet.programs.escrow;
    const escrow = escrowClient(p, programId);
    const treasury = Keypair.generate().publicKey;
    const arbiter = Keypair.generate().publicKey;
    const program = escrow.program;
    const events: Array<{ name: string; data: Record<string, unknown> }> = [];
    const listener = program.addEventListener("configInitialized", (data) => events.push({ name: "configInitialized", data: data as Record<string, unknown> }));
    const signature = await escrow.initializeConfig({ admin: p.wallet.publicKey, treasury, arbiter, feeBps: 250 });
    const config = await escrow.fetchConfig();
    expect(config.admin.toBase58()).to.equal(f.localnet.upgradeAuthority.publicKey.toBase58());
    expect(config.feeBps).to.equal(250);
    expect(config.treasury.toBase58()).to.equal(treasury.toBase58());
    // `.rpc()` of the typed program, as an app would call it.
    const owner = Keypair.generate().publicKey;
    const opened = await escrowProgram(p, programId)
      .methods.openEarnings(owner, SOL_MINT)
      .accountsPartial({ payer: p.wallet.publicKey, earnings: escrow.earnings(owner), systemProgram: SystemProgram.programId })
      .rpc();
    const earnings = await escrow.fetchEarnings(owner);
    expect(earnings.owner.toBase58()).to.equal(owner.toBase58());
    const landed = await p.connection.getTransaction(opened, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    expect(landed!.meta!.innerInstructions!.flatMap((g) => g.instructions)).to.not.be.empty; // the PDA's CreateAccount CPI
    expect(landed!.meta!.logMessages!.some((l) => l.startsWith("Program data: "))).to.equal(true);
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 5_000;
      const poll = () => (events.length > 0 ? resolve() : Date.now() > deadline ? reject(new Error("no event")) : setTimeout(poll, 10));
      poll();
    });
    expect((events[0].data.arbiter as PublicKey).toBase58()).to.equal(arbiter.toBase58());
    await program.removeEventListener(listener);
    expect(signature).to.be.a("string");
    expect((await p.connection.getAccountInfo(configAddress(programId)))!.owner.toBase58()).to.equal(programId.toBase58());
  });

  it("surfaces the program's custom error as an AnchorError from the preflight logs", async () => {
    const p = provider();
    const escrow = escrowClient(p, f.localnet.programs.escrow);
    const owner = Keypair.generate().publicKey;
    await escrow.openEarnings({ owner });
    let error: unknown;
    try {
      await escrow.openEarnings({ owner });
    } catch (e) {
      error = e;
    }
    expect(error).to.exist;
    expect(String((error as { logs?: string[] }).logs ?? (error as Error).message)).to.contain("already in use");
  });

  it("creates a mint and associated accounts and moves tokens with transferChecked (Token and Token-2022)", async () => {
    const connection = f.connection();
    for (const programId of [TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID]) {
      const payer = await f.funded(10);
      const alice = Keypair.generate();
      const bob = Keypair.generate().publicKey;
      const mint = await createMint(connection, payer, payer.publicKey, null, 6, undefined, undefined, programId);
      const from = await getOrCreateAssociatedTokenAccount(connection, payer, mint, alice.publicKey, false, undefined, undefined, programId);
      const to = await getOrCreateAssociatedTokenAccount(connection, payer, mint, bob, false, undefined, undefined, programId);
      expect((await getOrCreateAssociatedTokenAccount(connection, payer, mint, bob, false, undefined, undefined, programId)).address.toBase58()).to.equal(
        to.address.toBase58(),
      );
      await mintTo(connection, payer, mint, from.address, payer, 5_000_000n, [], undefined, programId);
      const signature = await transferChecked(connection, payer, from.address, mint, to.address, alice, 1_500_000n, 6, [], undefined, programId);
      expect((await getAccount(connection, to.address, undefined, programId)).amount).to.equal(1_500_000n);
      expect((await connection.getTokenAccountBalance(from.address)).value).to.deep.equal({
        amount: "3500000",
        decimals: 6,
        uiAmount: 3.5,
        uiAmountString: "3.5",
      });
      const parsed = await connection.getParsedTransaction(signature, { maxSupportedTransactionVersion: 0 });
      const [ix] = parsed!.transaction.message.instructions as Array<{ program: string; parsed: { type: string; info: Record<string, unknown> } }>;
      expect(ix.program).to.equal(programId.equals(TOKEN_PROGRAM_ID) ? "spl-token" : "spl-token-2022");
      expect(ix.parsed.type).to.equal("transferChecked");
      expect(ix.parsed.info).to.deep.include({ source: from.address.toBase58(), destination: to.address.toBase58(), authority: alice.publicKey.toBase58() });
      expect(ix.parsed.info.tokenAmount).to.deep.equal({ amount: "1500000", decimals: 6, uiAmount: 1.5, uiAmountString: "1.5" });
      const post = parsed!.meta!.postTokenBalances!.map((b) => [b.owner, b.uiTokenAmount.amount, b.programId]);
      expect(post).to.deep.include.members([
        [alice.publicKey.toBase58(), "3500000", programId.toBase58()],
        [bob.toBase58(), "1500000", programId.toBase58()],
      ]);
      expect(parsed!.meta!.preTokenBalances!.find((b) => b.owner === bob.toBase58())!.uiTokenAmount.amount).to.equal("0");
      const owned = await connection.getParsedTokenAccountsByOwner(bob, { mint });
      expect(owned.value).to.have.length(1);
      expect((owned.value[0].account.data as ParsedAccountData).parsed.info).to.deep.include({ mint: mint.toBase58(), owner: bob.toBase58(), state: "initialized" });
      const raw = await connection.getTokenAccountsByOwner(alice.publicKey, { programId });
      expect(raw.value.map((a) => a.pubkey.toBase58())).to.deep.equal([from.address.toBase58()]);
      const mintInfo = await connection.getParsedAccountInfo(mint);
      expect((mintInfo.value!.data as ParsedAccountData).parsed).to.deep.equal({
        type: "mint",
        info: { mintAuthority: payer.publicKey.toBase58(), supply: "5000000", decimals: 6, isInitialized: true, freezeAuthority: null },
      });
    }
  });

  it("records a program's return data in the transaction meta and in simulations", async () => {
    const connection = f.connection();
    const payer = await f.funded(10);
    const mint = await createMint(connection, payer, payer.publicKey, null, 2);
    const tx = new Transaction().add(createAmountToUiAmountInstruction(mint, 12_345n));
    const simulated = await connection.simulateTransaction(tx, [payer]);
    expect(simulated.value.returnData).to.deep.equal({ programId: TOKEN_PROGRAM_ID.toBase58(), data: [Buffer.from("123.45").toString("base64"), "base64"] });
    const signature = await connection.sendTransaction(new Transaction().add(createAmountToUiAmountInstruction(mint, 12_345n)), [payer]);
    await connection.confirmTransaction({ signature, ...(await connection.getLatestBlockhash()) });
    const raw = await f.rpc("getTransaction", [signature, { commitment: "confirmed" }]);
    expect(raw.result.meta.returnData).to.deep.equal({ programId: TOKEN_PROGRAM_ID.toBase58(), data: [Buffer.from("123.45").toString("base64"), "base64"] });
    const balance = await connection.getBalance(payer.publicKey);
    expect(balance).to.be.below(10 * LAMPORTS_PER_SOL);
  });

  it("notifies an account change to a web3.js onAccountChange listener", async () => {
    const connection = f.connection();
    const payer = await f.funded(10);
    const to = Keypair.generate().publicKey;
    const change = firstEvent<number>((deliver) => {
      connection.onAccountChange(to, (account) => deliver(account.lamports), { commitment: "confirmed" });
    }, "account notification");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await connection.sendTransaction(new Transaction().add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL })), [payer]);
    expect(await change).to.equal(LAMPORTS_PER_SOL);
  });
});
