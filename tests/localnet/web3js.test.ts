// web3.js 1.x against the localnet: sending and confirming, reading transactions back in every encoding,
// history by address and by block, versioned transactions with lookup tables, simulation and fees.
import { expect } from "chai";
import {
  AddressLookupTableProgram,
  Keypair,
  LAMPORTS_PER_SOL,
  type ParsedTransaction,
  PublicKey,
  SendTransactionError,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  TransactionMessage,
  VersionedTransaction,
  sendAndConfirmTransaction,
} from "@solana/web3.js";
import bs58 from "bs58";
import { MEMO_PROGRAM_ID } from "../../localnet/chain/keys.js";
import { LocalnetFixture } from "./fixture.js";

describe("localnet: web3.js Connection", () => {
  let f: LocalnetFixture;
  before(async () => {
    f = await LocalnetFixture.start({ programs: [] });
  });
  after(async () => {
    await f.stop();
  });

  it("confirms a transfer with sendAndConfirmTransaction and shows it in the balances", async () => {
    const connection = f.connection();
    const payer = await f.funded(10);
    const to = Keypair.generate().publicKey;
    const tx = new Transaction().add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL }));
    const signature = await sendAndConfirmTransaction(connection, tx, [payer]);
    expect(await connection.getBalance(to)).to.equal(LAMPORTS_PER_SOL);
    expect(await connection.getBalance(payer.publicKey)).to.equal(9 * LAMPORTS_PER_SOL - 5_000);
    const status = (await connection.getSignatureStatus(signature)).value;
    expect(status?.err).to.equal(null);
    expect(status?.confirmationStatus).to.be.oneOf(["confirmed", "finalized"]);
  });

  it("returns a parsed transfer from getParsedTransaction, with its meta", async () => {
    const connection = f.connection();
    const payer = await f.funded(10);
    const to = Keypair.generate().publicKey;
    const tx = new Transaction().add(
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: 2 * LAMPORTS_PER_SOL }),
      new TransactionInstruction({ programId: new PublicKey(MEMO_PROGRAM_ID), keys: [], data: Buffer.from("inference #7") }),
    );
    const signature = await sendAndConfirmTransaction(connection, tx, [payer]);
    const parsed = await connection.getParsedTransaction(signature, { maxSupportedTransactionVersion: 0 });
    expect(parsed).to.not.equal(null);
    const [transfer, memo] = parsed!.transaction.message.instructions;
    expect(transfer).to.deep.include({ program: "system", programId: SystemProgram.programId });
    expect((transfer as { parsed: unknown }).parsed).to.deep.equal({
      type: "transfer",
      info: { source: payer.publicKey.toBase58(), destination: to.toBase58(), lamports: 2 * LAMPORTS_PER_SOL },
    });
    expect((memo as { parsed: unknown }).parsed).to.equal("inference #7");
    expect(parsed!.transaction.message.accountKeys[0]).to.deep.include({ signer: true, writable: true, source: "transaction" });
    expect(parsed!.meta?.fee).to.equal(5_000);
    expect(parsed!.meta?.preBalances.slice(0, 2)).to.deep.equal([10 * LAMPORTS_PER_SOL, 0]);
    expect(parsed!.meta?.postBalances.slice(0, 2)).to.deep.equal([8 * LAMPORTS_PER_SOL - 5_000, 2 * LAMPORTS_PER_SOL]);
    expect(parsed!.meta?.logMessages).to.include("Program 11111111111111111111111111111111 success");
    expect(parsed!.version).to.equal("legacy");
    expect(parsed!.blockTime).to.be.a("number");
    const [info] = await connection.getSignaturesForAddress(payer.publicKey, { limit: 1 });
    expect(info.signature).to.equal(signature);
    expect(info.memo).to.equal("[12] inference #7");
  });

  it("serves getTransaction in json and base64 with the same meta", async () => {
    const connection = f.connection();
    const payer = await f.funded(10);
    const signature = await sendAndConfirmTransaction(
      connection,
      new Transaction().add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: LAMPORTS_PER_SOL })),
      [payer],
    );
    const json = await connection.getTransaction(signature, { maxSupportedTransactionVersion: 0 });
    expect(json!.transaction.message.staticAccountKeys[0].toBase58()).to.equal(payer.publicKey.toBase58());
    expect(json!.meta!.computeUnitsConsumed).to.equal(150);
    expect(json!.meta!.loadedAddresses).to.deep.equal({ writable: [], readonly: [] });
    const raw = await f.rpc("getTransaction", [signature, { encoding: "base64", commitment: "confirmed" }]);
    const bytes = Buffer.from(raw.result.transaction[0], "base64");
    expect(bs58.encode(VersionedTransaction.deserialize(bytes).signatures[0])).to.equal(signature);
    expect(raw.result.meta.fee).to.equal(5_000);
    expect(raw.result).to.not.have.property("version");
    const processed = await f.rpc("getTransaction", [signature, { commitment: "processed" }]);
    expect(processed.error.code).to.equal(-32602);
  });

  it("writes balances beyond 2^53 exactly in getTransaction (the faucet's)", async () => {
    const airdrop = f.localnet.chain.airdrop(Keypair.generate().publicKey, 2n * BigInt(LAMPORTS_PER_SOL));
    if (airdrop.status !== "landed") throw new Error(airdrop.error.message);
    await f.nextSlots(1);
    const [pre, post] = [airdrop.record.meta.preBalances[0], airdrop.record.meta.postBalances[0]];
    expect(pre > BigInt(Number.MAX_SAFE_INTEGER)).to.equal(true);
    for (const encoding of ["json", "jsonParsed"]) {
      const { text } = await f.post({ jsonrpc: "2.0", id: 1, method: "getTransaction", params: [airdrop.signature, { encoding, commitment: "confirmed" }] });
      expect(text).to.contain(`"preBalances":[${pre},0,1]`);
      expect(text).to.contain(`"postBalances":[${post},${2n * BigInt(LAMPORTS_PER_SOL)},1]`);
    }
  });

  it("lands a v0 transaction through an address lookup table and reports the loaded addresses", async () => {
    const connection = f.connection();
    const payer = await f.funded(10);
    const recipients = [Keypair.generate().publicKey, Keypair.generate().publicKey];
    const slot = await connection.getSlot("finalized");
    const [create, table] = AddressLookupTableProgram.createLookupTable({ authority: payer.publicKey, payer: payer.publicKey, recentSlot: slot });
    const extend = AddressLookupTableProgram.extendLookupTable({ lookupTable: table, authority: payer.publicKey, payer: payer.publicKey, addresses: recipients });
    await sendAndConfirmTransaction(connection, new Transaction().add(create, extend), [payer]);
    await f.nextSlots(2);
    const lookup = (await connection.getAddressLookupTable(table)).value!;
    const { blockhash } = await connection.getLatestBlockhash();
    const message = new TransactionMessage({
      payerKey: payer.publicKey,
      recentBlockhash: blockhash,
      instructions: recipients.map((to) => SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL })),
    }).compileToV0Message([lookup]);
    const tx = new VersionedTransaction(message);
    tx.sign([payer]);
    const signature = await connection.sendTransaction(tx);
    await connection.confirmTransaction({ signature, blockhash, lastValidBlockHeight: (await connection.getLatestBlockhash()).lastValidBlockHeight });
    const landed = await connection.getTransaction(signature, { maxSupportedTransactionVersion: 0 });
    expect(landed!.version).to.equal(0);
    expect(landed!.meta!.loadedAddresses!.writable.map((k) => k.toBase58())).to.deep.equal(recipients.map((k) => k.toBase58()));
    expect(landed!.transaction.message.addressTableLookups[0].accountKey.toBase58()).to.equal(table.toBase58());
    const parsed = await connection.getParsedTransaction(signature, { maxSupportedTransactionVersion: 0 });
    expect(parsed!.transaction.message.accountKeys.filter((k) => k.source === "lookupTable")).to.have.length(2);
    for (const to of recipients) expect(await connection.getBalance(to)).to.equal(LAMPORTS_PER_SOL);
    const refused = await f.rpc("getTransaction", [signature, { commitment: "confirmed" }]);
    expect(refused.error.code).to.equal(-32015);
    expect(refused.error.message).to.contain('"maxSupportedTransactionVersion": 0');
  });

  it("refuses a failing transaction at preflight (no fee) and lands it with skipPreflight (fee paid)", async () => {
    const connection = f.connection();
    const payer = await f.funded(1);
    const tooMuch = () =>
      new Transaction().add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 5 * LAMPORTS_PER_SOL }));
    let error: unknown;
    try {
      await sendAndConfirmTransaction(connection, tooMuch(), [payer]);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(SendTransactionError);
    expect((error as SendTransactionError).message).to.contain("Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1");
    expect((error as SendTransactionError).logs?.join("\n")).to.contain("insufficient lamports");
    expect(await connection.getBalance(payer.publicKey)).to.equal(LAMPORTS_PER_SOL);
    const tx = tooMuch();
    tx.recentBlockhash = (await connection.getLatestBlockhash()).blockhash;
    tx.sign(payer);
    const signature = await connection.sendRawTransaction(tx.serialize(), { skipPreflight: true });
    await f.nextSlots(1);
    const status = (await connection.getSignatureStatus(signature)).value;
    expect(status?.err).to.deep.equal({ InstructionError: [0, { Custom: 1 }] });
    expect(await connection.getBalance(payer.publicKey)).to.equal(LAMPORTS_PER_SOL - 5_000);
    const again = await f.rpc("sendTransaction", [tx.serialize().toString("base64"), { encoding: "base64" }]);
    expect(again.error.code).to.equal(-32002);
    expect(again.error.message).to.equal("Transaction simulation failed: This transaction has already been processed");
  });

  it("refuses a blockhash it does not know and a bad signature", async () => {
    const payer = await f.funded(1);
    const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: Keypair.generate().publicKey.toBase58() }).add(
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 1_000_000 }),
    );
    tx.sign(payer);
    const stale = await f.rpc("sendTransaction", [tx.serialize().toString("base64"), { encoding: "base64" }]);
    expect(stale.error).to.deep.include({ code: -32002, message: "Transaction simulation failed: Blockhash not found" });
    expect(stale.error.data).to.deep.include({ err: "BlockhashNotFound", logs: [], accounts: null, unitsConsumed: 0 });
    const good = new Transaction({ feePayer: payer.publicKey, recentBlockhash: f.localnet.chain.latestBlockhash("confirmed").blockhash }).add(
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 1_000_000 }),
    );
    good.sign(payer);
    const wire = good.serialize();
    wire[5] ^= 0xff;
    const forged = await f.rpc("sendTransaction", [wire.toString("base64"), { encoding: "base64" }]);
    expect(forged.error).to.deep.equal({ code: -32003, message: "Transaction signature verification failure" });
    const dropped = await f.rpc("sendTransaction", [wire.toString("base64"), { encoding: "base64", skipPreflight: true }]);
    expect(dropped.result).to.be.a("string");
    expect((await f.rpc("getSignatureStatuses", [[dropped.result]])).result.value).to.deep.equal([null]);
  });

  it("simulates with logs, post accounts, return data and inner instructions, committing nothing", async () => {
    const connection = f.connection();
    const payer = await f.funded(3);
    const to = Keypair.generate().publicKey;
    const tx = new Transaction().add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL }));
    tx.feePayer = payer.publicKey;
    tx.recentBlockhash = (await connection.getLatestBlockhash()).blockhash;
    const simulated = await connection.simulateTransaction(tx, [payer], [to]);
    expect(simulated.value.err).to.equal(null);
    expect(simulated.value.logs).to.include("Program 11111111111111111111111111111111 success");
    expect(simulated.value.accounts![0]!.lamports).to.equal(LAMPORTS_PER_SOL);
    expect(simulated.value.unitsConsumed).to.equal(150);
    expect(await connection.getBalance(to)).to.equal(0);
    // Unsigned, with the blockhash replaced: what wallets do to estimate.
    const unsigned = new Transaction({ feePayer: payer.publicKey, recentBlockhash: PublicKey.default.toBase58() }).add(
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL }),
    );
    const message = unsigned.serialize({ requireAllSignatures: false, verifySignatures: false }).toString("base64");
    const replaced = await f.rpc("simulateTransaction", [message, { encoding: "base64", replaceRecentBlockhash: true, innerInstructions: true }]);
    expect(replaced.result.value.err).to.equal(null);
    expect(replaced.result.value.replacementBlockhash.blockhash).to.be.a("string");
    expect(replaced.result.value.innerInstructions).to.deep.equal([]);
    const both = await f.rpc("simulateTransaction", [message, { encoding: "base64", replaceRecentBlockhash: true, sigVerify: true }]);
    expect(both.error.code).to.equal(-32602);
  });

  it("answers the cluster and blockhash queries clients make", async () => {
    const connection = f.connection();
    expect(await connection.getVersion()).to.deep.equal({ "solana-core": "4.2.1", "feature-set": 3_294_202_862 });
    expect(await connection.getGenesisHash()).to.equal(f.localnet.genesisHash);
    expect((await f.rpc("getHealth")).result).to.equal("ok");
    const info = await connection.getEpochInfo();
    expect(info).to.deep.include({ epoch: 0, slotsInEpoch: 432_000 });
    expect(info.absoluteSlot).to.equal(info.slotIndex);
    const processed = await connection.getSlot("processed");
    const confirmed = await connection.getSlot("confirmed");
    const finalized = await connection.getSlot("finalized");
    expect(processed).to.be.greaterThan(confirmed - 1);
    expect(confirmed).to.be.greaterThan(finalized);
    expect(await connection.getBlockHeight("confirmed")).to.be.at.least(1);
    const height = await connection.getBlockHeight("confirmed");
    const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash("confirmed");
    expect(lastValidBlockHeight - 150).to.be.within(height, height + 2); // the clock runs between the calls
    expect((await connection.isBlockhashValid(blockhash)).value).to.equal(true);
    expect((await connection.isBlockhashValid(Keypair.generate().publicKey.toBase58())).value).to.equal(false);
    const payer = Keypair.generate().publicKey;
    const message = new Transaction({ feePayer: payer, recentBlockhash: blockhash }).add(
      SystemProgram.transfer({ fromPubkey: payer, toPubkey: payer, lamports: 1 }),
    ).compileMessage();
    expect((await connection.getFeeForMessage(message)).value).to.equal(5_000);
    expect(await connection.getMinimumBalanceForRentExemption(0)).to.equal(890_880);
    const signature = await connection.requestAirdrop(payer, LAMPORTS_PER_SOL);
    await connection.confirmTransaction({ signature, blockhash, lastValidBlockHeight });
    expect(await connection.getBalance(payer)).to.equal(LAMPORTS_PER_SOL);
  });

  it("reads accounts one by one, several at once, and by program with memcmp and dataSize filters", async () => {
    const connection = f.connection();
    const payer = await f.funded(5);
    const owner = Keypair.generate().publicKey;
    const accounts = [Keypair.generate(), Keypair.generate()];
    const tx = new Transaction();
    accounts.forEach((a, i) =>
      tx.add(SystemProgram.createAccount({ fromPubkey: payer.publicKey, newAccountPubkey: a.publicKey, lamports: LAMPORTS_PER_SOL, space: 8 + i, programId: owner })),
    );
    await sendAndConfirmTransaction(connection, tx, [payer, ...accounts]);
    const [first, missing] = await connection.getMultipleAccountsInfo([accounts[0].publicKey, Keypair.generate().publicKey]);
    expect(first).to.deep.include({ lamports: LAMPORTS_PER_SOL, executable: false });
    expect(first!.owner.toBase58()).to.equal(owner.toBase58());
    expect(first!.data).to.deep.equal(Buffer.alloc(8));
    expect(missing).to.equal(null);
    expect(await connection.getProgramAccounts(owner)).to.have.length(2);
    const sized = await connection.getProgramAccounts(owner, { filters: [{ dataSize: 9 }] });
    expect(sized.map((a) => a.pubkey.toBase58())).to.deep.equal([accounts[1].publicKey.toBase58()]);
    expect(await connection.getProgramAccounts(owner, { filters: [{ memcmp: { offset: 0, bytes: "11" } }] })).to.have.length(2);
    expect(await connection.getProgramAccounts(owner, { filters: [{ memcmp: { offset: 0, bytes: "2" } }] })).to.have.length(0);
    const sliced = await f.rpc("getAccountInfo", [accounts[1].publicKey.toBase58(), { encoding: "base64", commitment: "confirmed", dataSlice: { offset: 2, length: 3 } }]);
    expect(sliced.result.value).to.deep.include({ data: ["AAAA", "base64"], space: 9 });
    const text = (await f.post({ jsonrpc: "2.0", id: 1, method: "getAccountInfo", params: [accounts[1].publicKey.toBase58(), { encoding: "base64", commitment: "confirmed" }] })).text;
    expect(text).to.contain('"rentEpoch":18446744073709551615');
  });

  it("lists history by address (before, until, limit) and by block", async () => {
    const connection = f.connection();
    const payer = await f.funded(10);
    const signatures: string[] = [];
    for (let i = 0; i < 4; i++) {
      signatures.push(
        await sendAndConfirmTransaction(
          connection,
          new Transaction().add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: LAMPORTS_PER_SOL })),
          [payer],
        ),
      );
    }
    const all = await connection.getSignaturesForAddress(payer.publicKey);
    expect(all.map((s) => s.signature).slice(0, 4)).to.deep.equal([...signatures].reverse());
    expect(all).to.have.length(5); // and the airdrop that funded it
    const page = await connection.getSignaturesForAddress(payer.publicKey, { before: signatures[3], until: signatures[0], limit: 10 });
    expect(page.map((s) => s.signature)).to.deep.equal([signatures[2], signatures[1]]);
    expect(await connection.getSignaturesForAddress(payer.publicKey, { limit: 2 })).to.have.length(2);
    const { slot } = (await connection.getTransaction(signatures[0], { maxSupportedTransactionVersion: 0 }))!;
    const block = await connection.getBlock(slot, { maxSupportedTransactionVersion: 0, commitment: "confirmed" });
    expect(block!.transactions.map((t) => t.transaction.signatures[0])).to.include(signatures[0]);
    const parent = await connection.getBlock(block!.parentSlot, { maxSupportedTransactionVersion: 0, commitment: "confirmed" });
    expect(block!.previousBlockhash).to.equal(parent!.blockhash);
    expect(await connection.getBlockTime(slot)).to.equal(block!.blockTime);
    const slots = await connection.getBlocks(slot - 2, slot, "confirmed");
    expect(slots).to.include(slot);
    const parsedBlock = await connection.getParsedBlock(slot, { maxSupportedTransactionVersion: 0, commitment: "confirmed", transactionDetails: "full" });
    const parsedIx = (parsedBlock.transactions[0].transaction as unknown as ParsedTransaction).message.instructions[0] as { parsed?: { type: string } };
    expect(parsedIx.parsed?.type).to.equal("transfer");
    const accountsOnly = await f.rpc("getBlock", [slot, { transactionDetails: "accounts", commitment: "confirmed" }]);
    expect(accountsOnly.result.transactions[0].transaction.accountKeys[0]).to.deep.include({ signer: true, writable: true });
    expect(accountsOnly.result.transactions[0].meta).to.not.have.property("logMessages");
    const signaturesOnly = await f.rpc("getBlock", [slot, { transactionDetails: "signatures", commitment: "confirmed", rewards: false }]);
    expect(signaturesOnly.result.signatures).to.include(signatures[0]);
    expect(signaturesOnly.result).to.not.have.property("rewards");
    const statuses = await connection.getSignatureStatuses(signatures, { searchTransactionHistory: true });
    expect(statuses.value.every((s) => s?.err === null)).to.equal(true);
    const future = await f.rpc("getBlock", [slot + 1_000_000, { commitment: "confirmed" }]);
    expect(future.error).to.deep.equal({ code: -32004, message: `Block not available for slot ${slot + 1_000_000}` });
  });
});
