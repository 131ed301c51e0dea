// open_batch_log, grow_batch_log, close_batch_log: a node's ring of batch hashes, kept until each batch's
// charge can no longer be disputed. Its rent is a deposit the owner takes back.
import { expect } from "chai";
import { Keypair, PublicKey } from "@solana/web3.js";
import { InferenceBatch, toBigInt } from "../../ts-client/src/index.js";
import { expectError, expectSystemError, lastEvent } from "./expect.js";
import { HOUR, inference, openNodeEscrow, type ProvenanceFixture, provenanceFixture, registerNode, START } from "./fixture.js";

const HEADER = 8 + 32 + 4 + 4;
const ENTRY = 40;

async function recordBatches(f: ProvenanceFixture, node: PublicKey, escrow: PublicKey, batchLog: PublicKey, from: bigint, count: number) {
  for (let i = 0; i < count; i++) {
    const first = from + BigInt(i * 2);
    const batch = InferenceBatch.fromRecords(node, escrow, [inference(first), inference(first + 1n)]);
    await f.provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog, target: { escrow }, batch });
  }
}

describe("provenance: open_batch_log", () => {
  it("Given a node, When its worker opens a log, Then the log is sized for its slots, named in the node, and the event says so", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const batchLog = Keypair.generate();
    await f.provenance.openBatchLog({ payer: f.worker, node, batchLog, capacity: 10 });
    expect(lastEvent(f, "batchLogOpened")).to.deep.equal({ batchLog: batchLog.publicKey.toBase58(), node: node.toBase58(), payer: f.worker.publicKey.toBase58(), capacity: 10 });
    const account = f.t.account(batchLog.publicKey)!;
    expect(account.data.length).to.equal(HEADER + 10 * ENTRY);
    expect(BigInt(account.lamports)).to.equal(f.t.svm.minimumBalanceForRentExemption(BigInt(account.data.length)));
    const log = await f.provenance.fetchBatchLog(batchLog.publicKey);
    expect([log.node.toBase58(), log.head, log.entries.length]).to.deep.equal([node.toBase58(), 0, 10]);
    expect((await f.provenance.fetchNode(node)).batchLog.toBase58()).to.equal(batchLog.publicKey.toBase58());
  });

  it("Given a node with a log, When a second one is opened, Then it is refused", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    await f.provenance.openBatchLog({ payer: f.owner, node, batchLog: Keypair.generate(), capacity: 1 });
    await expectError(f, f.provenance.openBatchLog({ payer: f.owner, node, batchLog: Keypair.generate(), capacity: 1 }), "BatchLogExists");
  });

  it("Given a stranger, a capacity of 0 or above 250, or an existing account, When opening, Then it is refused", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    await expectError(f, f.provenance.openBatchLog({ payer: f.stranger, node, batchLog: Keypair.generate(), capacity: 1 }), "NotNodeOperator");
    await expectError(f, f.provenance.openBatchLog({ payer: f.owner, node, batchLog: Keypair.generate(), capacity: 0 }), "InvalidCapacity");
    await expectError(f, f.provenance.openBatchLog({ payer: f.owner, node, batchLog: Keypair.generate(), capacity: 251 }), "InvalidCapacity");
    const other = await registerNode(f);
    const taken = Keypair.generate();
    await f.provenance.openBatchLog({ payer: f.owner, node: other, batchLog: taken, capacity: 1 });
    await expectSystemError(f.provenance.openBatchLog({ payer: f.owner, node, batchLog: taken, capacity: 1 }), "AccountAlreadyInUse");
  });
});

describe("provenance: grow_batch_log", () => {
  it("Given a full log, When it grows, Then the new slots come next in the ring and the oldest batches are kept", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const escrow = await openNodeEscrow(f, node);
    const batchLog = Keypair.generate();
    await f.provenance.openBatchLog({ payer: f.owner, node, batchLog, capacity: 3 });
    // slot 0 disputable until START + 2h, slots 1 and 2 (a window later) until START + 3h
    await recordBatches(f, node, escrow, batchLog.publicKey, 1n, 1);
    f.t.warp({ unixTimestamp: START + HOUR });
    await recordBatches(f, node, escrow, batchLog.publicKey, 3n, 2);
    // slot 0 expires and is reused: the head is mid-ring, in front of the oldest live batches
    f.t.warp({ unixTimestamp: START + 2n * HOUR });
    await recordBatches(f, node, escrow, batchLog.publicKey, 7n, 1);
    const before = await f.provenance.fetchBatchLog(batchLog.publicKey);
    expect(before.head).to.equal(1);
    await expectError(f, f.provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog: batchLog.publicKey, target: { escrow }, batch: InferenceBatch.fromRecords(node, escrow, [inference(9n)]) }), "BatchLogFull");

    await f.provenance.growBatchLog({ payer: f.worker, node, batchLog: batchLog.publicKey, additional: 2 });
    expect(lastEvent(f, "batchLogGrown")).to.deep.equal({ batchLog: batchLog.publicKey.toBase58(), node: node.toBase58(), payer: f.worker.publicKey.toBase58(), capacity: 5 });
    const after = await f.provenance.fetchBatchLog(batchLog.publicKey);
    const hashes = (log: typeof after) => log.entries.map((e) => Buffer.from(e.batchHash).toString("hex").slice(0, 8));
    expect(hashes(after)).to.deep.equal([hashes(before)[0], "00000000", "00000000", hashes(before)[1], hashes(before)[2]]);
    expect(after.head).to.equal(1);
    const account = f.t.account(batchLog.publicKey)!;
    expect(account.data.length).to.equal(HEADER + 5 * ENTRY);
    expect(BigInt(account.lamports)).to.equal(f.t.svm.minimumBalanceForRentExemption(BigInt(account.data.length)));
    await recordBatches(f, node, escrow, batchLog.publicKey, 9n, 2);
    expect((await f.provenance.fetchBatchLog(batchLog.publicKey)).head).to.equal(3);
  });

  it("Given a stranger, another node's log, or a growth of 0 or above 250, When growing, Then it is refused", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const other = await registerNode(f);
    const batchLog = Keypair.generate();
    await f.provenance.openBatchLog({ payer: f.owner, node, batchLog, capacity: 1 });
    await expectError(f, f.provenance.growBatchLog({ payer: f.stranger, node, batchLog: batchLog.publicKey, additional: 1 }), "NotNodeOperator");
    await expectError(f, f.provenance.growBatchLog({ payer: f.owner, node: other, batchLog: batchLog.publicKey, additional: 1 }), "BatchLogMismatch");
    await expectError(f, f.provenance.growBatchLog({ payer: f.owner, node, batchLog: batchLog.publicKey, additional: 0 }), "InvalidCapacity");
    await expectError(f, f.provenance.growBatchLog({ payer: f.owner, node, batchLog: batchLog.publicKey, additional: 251 }), "InvalidCapacity");
  });
});

describe("provenance: close_batch_log", () => {
  it("Given a log whose batches are all past their dispute time, When the owner closes it, Then the rent returns and the node may open a new one", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const escrow = await openNodeEscrow(f, node);
    const batchLog = Keypair.generate();
    await f.provenance.openBatchLog({ payer: f.owner, node, batchLog, capacity: 2 });
    await recordBatches(f, node, escrow, batchLog.publicKey, 1n, 1);
    await expectError(f, f.provenance.closeBatchLog({ owner: f.owner, node, batchLog: batchLog.publicKey }), "BatchLogInUse");
    f.t.warp({ unixTimestamp: (START / HOUR + 2n) * HOUR });
    const rent = BigInt(f.t.account(batchLog.publicKey)!.lamports);
    const before = f.t.balance(f.owner.publicKey);
    await f.provenance.closeBatchLog({ owner: f.owner, node, batchLog: batchLog.publicKey });
    expect(lastEvent(f, "batchLogClosed")).to.deep.equal({ batchLog: batchLog.publicKey.toBase58(), node: node.toBase58(), owner: f.owner.publicKey.toBase58(), rentReturned: rent });
    expect(f.t.account(batchLog.publicKey)).to.equal(null);
    expect(f.t.balance(f.owner.publicKey) - before).to.equal(rent);
    expect((await f.provenance.fetchNode(node)).batchLog.equals(PublicKey.default)).to.equal(true);
    await f.provenance.openBatchLog({ payer: f.owner, node, batchLog: Keypair.generate(), capacity: 1 });
    expect(toBigInt((await f.provenance.fetchNode(node)).batchCount)).to.equal(1n);
  });

  it("Given the worker or a stranger, When closing, Then only the owner may", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const batchLog = Keypair.generate();
    await f.provenance.openBatchLog({ payer: f.owner, node, batchLog, capacity: 1 });
    await expectError(f, f.provenance.closeBatchLog({ owner: f.worker, node, batchLog: batchLog.publicKey }), "NotNodeOwner");
    await expectError(f, f.provenance.closeBatchLog({ owner: f.stranger, node, batchLog: batchLog.publicKey }), "NotNodeOwner");
  });
});
