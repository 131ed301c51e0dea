// Slots, commitments and forks, with the clock stopped so that every slot is closed by the test: a
// transaction is processed in the open slot, confirmed when the slot closes, finalized `finalityDepth`
// blocks later; blockhashes expire after 150 blocks; a fork drops the newest unfinalized blocks.
import { expect } from "chai";
import { Keypair, LAMPORTS_PER_SOL, NonceAccount, PublicKey, SystemProgram, Transaction } from "@solana/web3.js";
import { LocalnetFixture } from "./fixture.js";

const FINALITY_DEPTH = 3;

describe("localnet: slots, commitments and forks", () => {
  let f: LocalnetFixture;
  beforeEach(async () => {
    f = await LocalnetFixture.start({ programs: [], slotMs: 0, finalityDepth: FINALITY_DEPTH });
  });
  afterEach(async () => {
    await f.stop();
  });

  /** Funds a new keypair with 10 SOL and confirms it. */
  function funded(): Keypair {
    const keypair = Keypair.generate();
    const result = f.localnet.chain.airdrop(keypair.publicKey, 10n * BigInt(LAMPORTS_PER_SOL));
    expect(result.status).to.equal("landed");
    f.localnet.advanceSlots(FINALITY_DEPTH + 1);
    return keypair;
  }

  /** Sends a signed transfer of 1 SOL through the RPC; its signature. */
  async function send(payer: Keypair, to = Keypair.generate().publicKey, blockhash = f.localnet.chain.latestBlockhash("finalized").blockhash): Promise<string> {
    const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL }),
    );
    tx.sign(payer);
    const answer = await f.rpc("sendTransaction", [tx.serialize().toString("base64"), { encoding: "base64" }]);
    if (answer.error) throw new Error(JSON.stringify(answer.error));
    return answer.result;
  }

  async function balance(address: string, commitment: string): Promise<number> {
    return (await f.rpc("getBalance", [address, { commitment }])).result.value;
  }

  async function status(signature: string): Promise<any> {
    return (await f.rpc("getSignatureStatuses", [[signature]])).result.value[0];
  }

  it("moves a transaction from processed to confirmed to finalized as slots close", async () => {
    const payer = funded();
    const to = Keypair.generate().publicKey.toBase58();
    const signature = await send(payer, new PublicKey(to));
    const slot = f.localnet.chain.slot("processed");
    expect(await balance(to, "processed")).to.equal(LAMPORTS_PER_SOL);
    expect(await balance(to, "confirmed")).to.equal(0);
    expect(await status(signature)).to.deep.equal({ slot, confirmations: 0, status: { Ok: null }, err: null, confirmationStatus: "processed" });
    expect((await f.rpc("getTransaction", [signature, { commitment: "confirmed" }])).result).to.equal(null);
    f.localnet.advanceSlots(1);
    expect(await balance(to, "confirmed")).to.equal(LAMPORTS_PER_SOL);
    expect(await balance(to, "finalized")).to.equal(0);
    expect((await status(signature)).confirmationStatus).to.equal("confirmed");
    expect((await f.rpc("getTransaction", [signature, { commitment: "confirmed" }])).result.slot).to.equal(slot);
    expect((await f.rpc("getTransaction", [signature, { commitment: "finalized" }])).result).to.equal(null);
    expect(await f.rpc("getSignaturesForAddress", [to, { commitment: "finalized" }])).to.deep.include({ result: [] });
    f.localnet.advanceSlots(FINALITY_DEPTH - 1);
    expect((await status(signature)).confirmations).to.equal(FINALITY_DEPTH - 1);
    expect(await balance(to, "finalized")).to.equal(0);
    f.localnet.advanceSlots(1);
    expect(await balance(to, "finalized")).to.equal(LAMPORTS_PER_SOL);
    expect(await status(signature)).to.deep.include({ confirmations: null, confirmationStatus: "finalized" });
    expect((await f.rpc("getTransaction", [signature, { commitment: "finalized" }])).result.slot).to.equal(slot);
    expect((await f.rpc("getSlot", [{ commitment: "finalized" }])).result).to.equal(slot);
    expect((await f.rpc("getSlot", [{ commitment: "confirmed" }])).result).to.equal(slot + FINALITY_DEPTH);
    expect((await f.rpc("getSlot", [{ commitment: "processed" }])).result).to.equal(slot + FINALITY_DEPTH + 1);
  });

  it("reads accounts and program accounts as they were at each commitment", async () => {
    const payer = funded();
    const owner = Keypair.generate().publicKey;
    const account = Keypair.generate();
    const create = new Transaction({ feePayer: payer.publicKey, recentBlockhash: f.localnet.chain.latestBlockhash("confirmed").blockhash }).add(
      SystemProgram.createAccount({ fromPubkey: payer.publicKey, newAccountPubkey: account.publicKey, lamports: LAMPORTS_PER_SOL, space: 4, programId: owner }),
    );
    create.sign(payer, account);
    await f.rpc("sendTransaction", [create.serialize().toString("base64"), { encoding: "base64" }]);
    const gpa = async (commitment: string) => (await f.rpc("getProgramAccounts", [owner.toBase58(), { commitment, encoding: "base64" }])).result;
    expect(await gpa("processed")).to.have.length(1);
    expect(await gpa("confirmed")).to.have.length(0);
    expect((await f.rpc("getAccountInfo", [account.publicKey.toBase58(), { commitment: "confirmed" }])).result.value).to.equal(null);
    f.localnet.advanceSlots(1);
    expect(await gpa("confirmed")).to.have.length(1);
    expect(await gpa("finalized")).to.have.length(0);
    const withContext = (await f.rpc("getProgramAccounts", [owner.toBase58(), { commitment: "confirmed", withContext: true }])).result;
    expect(withContext.context.slot).to.equal(f.localnet.chain.slot("confirmed"));
    const minContext = await f.rpc("getBalance", [owner.toBase58(), { commitment: "confirmed", minContextSlot: 1_000_000 }]);
    expect(minContext.error).to.deep.equal({ code: -32016, message: "Minimum context slot has not been reached", data: { contextSlot: f.localnet.chain.slot("confirmed") } });
  });

  it("expires a blockhash after 150 blocks", async () => {
    const payer = funded();
    const { blockhash, lastValidBlockHeight } = f.localnet.chain.latestBlockhash("confirmed");
    expect((await f.rpc("isBlockhashValid", [blockhash, { commitment: "processed" }])).result.value).to.equal(true);
    f.localnet.advanceSlots(lastValidBlockHeight - f.localnet.chain.blockHeight("processed"));
    expect(f.localnet.chain.blockHeight("processed")).to.equal(lastValidBlockHeight);
    await send(payer, undefined, blockhash);
    f.localnet.advanceSlots(1);
    expect((await f.rpc("isBlockhashValid", [blockhash, { commitment: "processed" }])).result.value).to.equal(false);
    let refused: unknown;
    try {
      await send(payer, undefined, blockhash);
    } catch (error) {
      refused = error;
    }
    expect(String(refused)).to.contain("Blockhash not found");
  });

  it("lands a durable-nonce transaction whose blockhash is the nonce, long after blockhashes expired", async () => {
    const payer = funded();
    const nonce = Keypair.generate();
    const setup = new Transaction({ feePayer: payer.publicKey, recentBlockhash: f.localnet.chain.latestBlockhash("confirmed").blockhash }).add(
      ...SystemProgram.createNonceAccount({ fromPubkey: payer.publicKey, noncePubkey: nonce.publicKey, authorizedPubkey: payer.publicKey, lamports: LAMPORTS_PER_SOL }).instructions,
    );
    setup.sign(payer, nonce);
    await f.rpc("sendTransaction", [setup.serialize().toString("base64"), { encoding: "base64" }]);
    f.localnet.advanceSlots(200);
    const stored = NonceAccount.fromAccountData(Buffer.from((await f.rpc("getAccountInfo", [nonce.publicKey.toBase58(), { commitment: "processed", encoding: "base64" }])).result.value.data[0], "base64"));
    const to = Keypair.generate().publicKey;
    const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: stored.nonce }).add(
      SystemProgram.nonceAdvance({ noncePubkey: nonce.publicKey, authorizedPubkey: payer.publicKey }),
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL }),
    );
    tx.sign(payer);
    const answer = await f.rpc("sendTransaction", [tx.serialize().toString("base64"), { encoding: "base64" }]);
    expect(answer.result).to.be.a("string");
    expect(await balance(to.toBase58(), "processed")).to.equal(LAMPORTS_PER_SOL);
  });

  it("drops the newest confirmed blocks on a fork: transactions vanish, accounts come back, a resend lands", async () => {
    const payer = funded();
    const to = Keypair.generate().publicKey;
    const before = await balance(payer.publicKey.toBase58(), "confirmed");
    const blockhash = f.localnet.chain.latestBlockhash("finalized").blockhash;
    const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL }),
    );
    tx.sign(payer);
    const wire = tx.serialize().toString("base64");
    const signature = (await f.rpc("sendTransaction", [wire, { encoding: "base64" }])).result;
    const landedSlot = f.localnet.chain.slot("processed");
    f.localnet.advanceSlots(2);
    expect((await status(signature)).confirmationStatus).to.equal("confirmed");
    const finalizedBefore = f.localnet.chain.slot("finalized");
    const fork = f.localnet.fork(2);
    expect(fork.droppedSlots).to.include(landedSlot);
    expect(fork.droppedSignatures).to.deep.equal([signature]);
    expect(f.localnet.chain.slot("finalized")).to.equal(finalizedBefore);
    expect(await status(signature)).to.equal(null);
    expect(await balance(to.toBase58(), "processed")).to.equal(0);
    expect(await balance(payer.publicKey.toBase58(), "processed")).to.equal(before);
    expect((await f.rpc("getTransaction", [signature, { commitment: "confirmed" }])).result).to.equal(null);
    const skipped = await f.rpc("getBlock", [landedSlot, { commitment: "confirmed" }]);
    expect(skipped.error.code).to.be.oneOf([-32007, -32004]);
    // The same transaction is new on this fork (its blockhash, from a final block, is still valid).
    expect((await f.rpc("sendTransaction", [wire, { encoding: "base64" }])).result).to.equal(signature);
    f.localnet.advanceSlots(1);
    expect(await balance(to.toBase58(), "confirmed")).to.equal(LAMPORTS_PER_SOL);
    expect((await status(signature)).slot).to.be.greaterThan(landedSlot);
    const blocks = (await f.rpc("getBlocks", [0, null, { commitment: "confirmed" }])).result as number[];
    expect(blocks).to.not.include(landedSlot);
  });

  it("never drops a finalized block, and forks automatically when the fault is on", async () => {
    f.localnet.advanceSlots(10);
    const finalized = f.localnet.chain.slot("finalized");
    const fork = f.localnet.fork(100);
    expect(Math.min(...fork.droppedSlots)).to.be.greaterThan(finalized);
    expect(fork.droppedSlots).to.have.length(FINALITY_DEPTH + 1);
    expect(f.localnet.chain.slot("confirmed")).to.equal(finalized);
    f.localnet.faults.configure({ fork: { everySlots: 5, depth: 1 } });
    const forks: number[][] = [];
    f.localnet.chain.addListener({ onFork: (event) => forks.push([...event.droppedSlots]) });
    f.localnet.advanceSlots(20);
    expect(forks.length).to.be.within(3, 5);
    f.localnet.faults.configure({});
    f.localnet.advanceSlots(20);
    expect(forks.length).to.be.within(3, 5);
  });
});
