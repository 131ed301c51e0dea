// History across restarts through the data directory: accounts, transactions, blocks, the genesis hash and
// the slot all carry over; blocks a fork dropped stay dropped; a line cut short by a crash is cut off.
import { expect } from "chai";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Keypair, LAMPORTS_PER_SOL, SystemProgram, Transaction } from "@solana/web3.js";
import { LocalnetFixture } from "./fixture.js";

describe("localnet: data directory", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "infergrid-localnet-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (options: { reset?: boolean; finalityDepth?: number } = {}) =>
    LocalnetFixture.start({ programs: ["escrow"], slotMs: 0, dataDir: dir, finalityDepth: 2, ...options });

  async function transfer(f: LocalnetFixture, payer: Keypair, to = Keypair.generate().publicKey): Promise<string> {
    const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: f.localnet.chain.latestBlockhash("confirmed").blockhash }).add(
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL }),
    );
    tx.sign(payer);
    const answer = await f.rpc("sendTransaction", [tx.serialize().toString("base64"), { encoding: "base64" }]);
    if (answer.error) throw new Error(JSON.stringify(answer.error));
    return answer.result;
  }

  it("restores accounts, transactions, blocks, blockhashes and the slot after a restart", async () => {
    const first = await start();
    const payer = Keypair.generate();
    first.localnet.chain.airdrop(payer.publicKey, 10n * BigInt(LAMPORTS_PER_SOL));
    first.localnet.advanceSlots(3);
    const to = Keypair.generate().publicKey;
    const signature = await transfer(first, payer, to);
    const blockhash = first.localnet.chain.latestBlockhash("confirmed").blockhash;
    // Left in the open slot: stop() closes it into a block, so it is kept too.
    const late = await transfer(first, payer);
    const slot = first.localnet.chain.slot("processed");
    const genesisHash = first.localnet.genesisHash;
    const authority = first.localnet.upgradeAuthority.publicKey.toBase58();
    await first.stop();

    const second = await start();
    try {
      expect(second.localnet.restoredBlocks).to.equal(4);
      expect(second.localnet.genesisHash).to.equal(genesisHash);
      expect(second.localnet.upgradeAuthority.publicKey.toBase58()).to.equal(authority);
      expect(second.localnet.chain.slot("processed")).to.be.greaterThan(slot);
      const connection = second.connection("processed");
      expect(await connection.getBalance(to)).to.equal(LAMPORTS_PER_SOL);
      expect(await connection.getBalance(payer.publicKey)).to.equal(8 * LAMPORTS_PER_SOL - 10_000);
      const landed = (await second.rpc("getTransaction", [signature, { commitment: "confirmed" }])).result;
      expect(landed.meta.postBalances[1]).to.equal(LAMPORTS_PER_SOL);
      expect((await second.rpc("getSignatureStatuses", [[late], { searchTransactionHistory: true }])).result.value[0].err).to.equal(null);
      const history = (await second.rpc("getSignaturesForAddress", [payer.publicKey.toBase58(), { commitment: "confirmed" }])).result;
      expect(history.map((h: { signature: string }) => h.signature)).to.include.members([signature, late]);
      const block = (await second.rpc("getBlock", [landed.slot, { commitment: "confirmed" }])).result;
      expect(block.transactions[0].transaction.signatures[0]).to.equal(signature);
      expect((await second.rpc("isBlockhashValid", [blockhash, { commitment: "processed" }])).result.value).to.equal(true);
      // The deployed program is still there, and new transactions land on top of the restored state.
      expect((await connection.getAccountInfo(second.localnet.programs.escrow))!.executable).to.equal(true);
      await transfer(second, payer, to);
      expect(await connection.getBalance(to)).to.equal(2 * LAMPORTS_PER_SOL);
    } finally {
      await second.stop();
    }
  });

  it("keeps the blocks a fork dropped out of the restored history", async () => {
    const first = await start();
    const payer = Keypair.generate();
    first.localnet.chain.airdrop(payer.publicKey, 10n * BigInt(LAMPORTS_PER_SOL));
    first.localnet.advanceSlots(3);
    const to = Keypair.generate().publicKey;
    const dropped = await transfer(first, payer, to);
    first.localnet.advanceSlots(1);
    first.localnet.fork(1);
    first.localnet.advanceSlots(1);
    await first.stop();
    const second = await start();
    try {
      expect((await second.rpc("getSignatureStatuses", [[dropped], { searchTransactionHistory: true }])).result.value).to.deep.equal([null]);
      expect(await second.connection("processed").getBalance(to)).to.equal(0);
      expect(await second.connection("processed").getBalance(payer.publicKey)).to.equal(10 * LAMPORTS_PER_SOL);
    } finally {
      await second.stop();
    }
  });

  it("cuts off a record a crash left half-written, and starts over with reset", async () => {
    const first = await start();
    first.localnet.advanceSlots(4);
    await first.stop();
    const ledger = join(dir, "ledger.jsonl");
    const size = statSync(ledger).size;
    appendFileSync(ledger, '{"t":"block","slot":99,"txs":[');
    const second = await start();
    await second.stop();
    expect(readFileSync(ledger, "utf8").includes('"slot":99')).to.equal(false);
    expect(statSync(ledger).size).to.be.greaterThan(size);
    const fresh = await start({ reset: true });
    try {
      expect(fresh.localnet.restoredBlocks).to.equal(0);
    } finally {
      await fresh.stop();
    }
  });

  it("refuses another upgrade authority than the one the ledger was created with", async () => {
    const first = await start();
    await first.stop();
    let error: unknown;
    try {
      await LocalnetFixture.start({ programs: [], slotMs: 0, dataDir: dir, upgradeAuthority: Keypair.generate() });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain("was created with upgrade authority");
  });
});
