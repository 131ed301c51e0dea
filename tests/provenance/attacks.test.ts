// The Sealevel attack classes that apply to provenance, each attempted for real and shown refused: forged
// node authority, missing signer, foreign escrow, an escrow that pays someone else, replays, a look-alike
// escrow program and escrow account, a cluster whose shares do not add up, wrong owners, type cosplay,
// duplicate accounts, reinitialization and forged events.
import { expect } from "chai";
import { Keypair, PublicKey, type TransactionInstruction } from "@solana/web3.js";
import { EVENT_IX_TAG, InferenceBatch, toBigInt } from "../../ts-client/src/index.js";
import { readProgramSo } from "../harness/index.js";
import { expectError, expectInstructionError, expectUnchanged } from "./expect.js";
import { formCluster, inference, openEscrowFor, openNodeEscrow, type ProvenanceFixture, provenanceFixture, registerNode } from "./fixture.js";

/** A copy of `source` at a new address, owned by `owner`. */
function cloneAccount(f: ProvenanceFixture, source: PublicKey, owner: PublicKey): PublicKey {
  const account = f.t.account(source)!;
  const address = Keypair.generate().publicKey;
  f.t.setAccount(address, { lamports: BigInt(account.lamports), owner, data: account.data });
  return address;
}

/** `ix` with the account at `index` replaced. */
function withAccount(ix: TransactionInstruction, index: number, pubkey: PublicKey, flags: { isSigner?: boolean; isWritable?: boolean } = {}): TransactionInstruction {
  ix.keys[index] = { ...ix.keys[index], pubkey, ...flags };
  return ix;
}

async function nodeAndEscrow(f: ProvenanceFixture) {
  const node = await registerNode(f);
  const escrow = await openNodeEscrow(f, node);
  const recordIx = (sequence = 1n, target: { escrow: PublicKey; cluster?: PublicKey } = { escrow }) =>
    f.provenance.recordInferenceIx({ nodeAuthority: f.worker.publicKey, node, target, record: inference(sequence), modelName: "m" });
  return { node, escrow, recordIx };
}

// record_inference accounts: node_authority, node, cluster, escrow, escrow_config, meter, escrow_program, event_authority, program
const NODE_AUTHORITY = 0;
const NODE = 1;
const CLUSTER = 2;
const ESCROW = 3;
const METER = 5;
const ESCROW_PROGRAM = 6;
const EVENT_AUTHORITY = 7;
const PROGRAM = 8;

describe("provenance: attacks", () => {
  it("forged node authority: a stranger or the node's owner signing for the worker is refused", async () => {
    const f = await provenanceFixture();
    const { node, escrow } = await nodeAndEscrow(f);
    await expectUnchanged(f.t, [node, escrow], () =>
      expectError(f, f.provenance.recordInference({ nodeAuthority: f.stranger, node, target: { escrow }, record: inference(1n), modelName: "m" }), "NotNodeAuthority"),
    );
    await expectError(f, f.provenance.recordInference({ nodeAuthority: f.owner, node, target: { escrow }, record: inference(1n), modelName: "m" }), "NotNodeAuthority");
  });

  it("missing signer: the worker's key named but not signing is refused", async () => {
    const f = await provenanceFixture();
    const { recordIx } = await nodeAndEscrow(f);
    const ix = withAccount(await recordIx(), NODE_AUTHORITY, f.worker.publicKey, { isSigner: false });
    await expectError(f, f.t.send(ix), "AccountNotSigner");
  });

  it("foreign escrow: a node charging another node's escrow, or a cluster escrow it is not a member of, is refused", async () => {
    const f = await provenanceFixture();
    const { node } = await nodeAndEscrow(f);
    const other = await registerNode(f);
    const othersEscrow = await openNodeEscrow(f, other);
    await expectUnchanged(f.t, [node, othersEscrow], () =>
      expectError(f, f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow: othersEscrow }, record: inference(1n), modelName: "m" }), "ProviderMismatch"),
    );
    const c = await formCluster(f);
    const clusterEscrow = await openEscrowFor(f, c.cluster, await f.provenance.clusterPayees(c.cluster));
    await expectError(f, f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow: clusterEscrow, cluster: c.cluster }, record: inference(1n), modelName: "m" }), "NotClusterMember");
    // a member naming its cluster for an escrow of another provider, or no cluster for a cluster's escrow
    await expectError(f, f.provenance.recordInference({ nodeAuthority: c.workers[0], node: c.nodes[0], target: { escrow: othersEscrow, cluster: c.cluster }, record: inference(1n), modelName: "m" }), "ProviderMismatch");
    await expectError(f, f.provenance.recordInference({ nodeAuthority: c.workers[0], node: c.nodes[0], target: { escrow: clusterEscrow }, record: inference(1n), modelName: "m" }), "ProviderMismatch");
  });

  it("an escrow that pays someone else: a client naming the node as provider but itself as payee gets no record", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const escrow = await openNodeEscrow(f, node, { payees: [{ owner: f.client.publicKey, shareBps: 10_000 }] });
    await expectError(f, f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(1n), modelName: "m" }), "PayeesMismatch");
    const c = await formCluster(f);
    const skewed = (await f.provenance.clusterPayees(c.cluster)).map((p, i, all) => ({ owner: p.owner, shareBps: i === 0 ? p.shareBps + all[1].shareBps : i === 1 ? 0 : p.shareBps })).filter((p) => p.shareBps > 0);
    const clusterEscrow = await openEscrowFor(f, c.cluster, skewed);
    await expectError(f, f.provenance.recordInference({ nodeAuthority: c.workers[0], node: c.nodes[0], target: { escrow: clusterEscrow, cluster: c.cluster }, record: inference(1n), modelName: "m" }), "PayeesMismatch");
  });

  it("replays: the same record sent again (same or new transaction) and a batch over recorded sequences are refused", async () => {
    const f = await provenanceFixture();
    const { node, escrow, recordIx } = await nodeAndEscrow(f);
    const ix = await recordIx(7n);
    await f.t.send(ix, { signers: [f.worker] });
    await expectError(f, f.t.send(ix, { signers: [f.worker] }), "SequenceReused");
    expect(toBigInt((await f.escrow.fetchEscrow(escrow)).chargeCount)).to.equal(1n);
    const batchLog = Keypair.generate();
    await f.provenance.openBatchLog({ payer: f.owner, node, batchLog, capacity: 2 });
    const batch = InferenceBatch.fromRecords(node, escrow, [inference(5n), inference(6n), inference(7n)]);
    await expectError(f, f.provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog: batchLog.publicKey, target: { escrow }, batch }), "BatchBeforeLastSequence");
  });

  it("a look-alike escrow program: a real copy of the escrow program at another address never receives the meter's signature", async () => {
    const f = await provenanceFixture();
    const { escrow, recordIx } = await nodeAndEscrow(f);
    const fake = Keypair.generate().publicKey;
    f.t.svm.addProgram(fake.toBase58() as never, readProgramSo("escrow"));
    const toFake = withAccount(await recordIx(), ESCROW_PROGRAM, fake);
    await expectUnchanged(f.t, [escrow], () => expectError(f, f.t.send(toFake, { signers: [f.worker] }), "ConstraintAddress"));
    // the same with an escrow account owned by the look-alike (a byte-for-byte copy of the real one)
    const fakeEscrow = cloneAccount(f, escrow, fake);
    const ix = withAccount(withAccount(await recordIx(), ESCROW_PROGRAM, fake), ESCROW, fakeEscrow);
    await expectError(f, f.t.send(ix, { signers: [f.worker] }), "ConstraintAddress");
    // with the real program named, an escrow account the real program does not own is refused before any CPI
    await expectError(f, f.t.send(withAccount(await recordIx(), ESCROW, fakeEscrow), { signers: [f.worker] }), "AccountOwnedByWrongProgram");
  });

  it("a meter, event authority or program account other than provenance's own is refused, naming it and changing nothing", async () => {
    const f = await provenanceFixture();
    const { node, escrow, recordIx } = await nodeAndEscrow(f);
    const cases: [number, PublicKey, string][] = [
      [METER, f.stranger.publicKey, "meter"],
      [EVENT_AUTHORITY, f.stranger.publicKey, "event_authority"],
      // the event authority and program are checked where the event is emitted, after the record's work
      [PROGRAM, f.escrow.programId, "program"],
    ];
    for (const [index, key, name] of cases) {
      const ix = withAccount(await recordIx(), index, key);
      await expectUnchanged(f.t, [node, escrow], () => expectError(f, f.t.send(ix, { signers: [f.worker] }), "ConstraintAddress"));
      expect(f.t.lastResult!.logs.some((l) => l.includes(`caused by account: ${name}.`)), name).to.equal(true);
    }
  });

  it("a cluster whose shares do not add up never activates, so its escrows take no record", async () => {
    const f = await provenanceFixture();
    const c = await formCluster(f, { activate: false });
    await expectError(f, f.provenance.activateCluster({ authority: f.coordinator, cluster: c.cluster, shares: Array(16).fill(600) }), "InvalidShares");
    // an escrow naming the forming cluster (with the payee list it would have) is refused
    const payees = (await f.provenance.clusterPayees(c.cluster)).map((p) => ({ ...p, shareBps: 2_000 }));
    const escrow = await openEscrowFor(f, c.cluster, payees);
    await expectError(f, f.provenance.recordInference({ nodeAuthority: c.workers[0], node: c.nodes[0], target: { escrow, cluster: c.cluster }, record: inference(1n), modelName: "m" }), "ClusterNotActive");
  });

  it("wrong owners: a byte-for-byte copy of a node, cluster or batch log owned by another program is refused", async () => {
    const f = await provenanceFixture();
    const { node, recordIx } = await nodeAndEscrow(f);
    const fakeNode = cloneAccount(f, node, f.escrow.programId);
    await expectError(f, f.t.send(withAccount(await recordIx(), NODE, fakeNode), { signers: [f.worker] }), "AccountOwnedByWrongProgram");
    const c = await formCluster(f);
    const escrow = await openEscrowFor(f, c.cluster, await f.provenance.clusterPayees(c.cluster));
    const fakeCluster = cloneAccount(f, c.cluster, Keypair.generate().publicKey);
    const ix = await f.provenance.recordInferenceIx({ nodeAuthority: c.workers[0].publicKey, node: c.nodes[0], target: { escrow, cluster: fakeCluster }, record: inference(1n), modelName: "m" });
    await expectError(f, f.t.send(ix, { signers: [c.workers[0]] }), "AccountOwnedByWrongProgram");
    const batchLog = Keypair.generate();
    await f.provenance.openBatchLog({ payer: f.owner, node, batchLog, capacity: 1 });
    const fakeLog = cloneAccount(f, batchLog.publicKey, Keypair.generate().publicKey);
    const batch = InferenceBatch.fromRecords(node, escrow, [inference(1n)]);
    await expectError(f, f.provenance.verifyInclusion({ batchLog: fakeLog, slot: 0, batch: batch.summary, leaf: { node, escrow, record: inference(1n) }, proof: [] }), "AccountOwnedByWrongProgram");
  });

  it("type cosplay: a cluster as the node, a node as the cluster, a batch log as the node, escrow's config as the escrow", async () => {
    const f = await provenanceFixture();
    const { node, escrow, recordIx } = await nodeAndEscrow(f);
    const c = await formCluster(f);
    await expectError(f, f.t.send(withAccount(await recordIx(), NODE, c.cluster), { signers: [f.worker] }), "AccountDiscriminatorMismatch");
    const ix = await f.provenance.recordInferenceIx({ nodeAuthority: f.worker.publicKey, node, target: { escrow, cluster: c.nodes[1] }, record: inference(1n), modelName: "m" });
    await expectError(f, f.t.send(ix, { signers: [f.worker] }), "AccountDiscriminatorMismatch");
    const batchLog = Keypair.generate();
    await f.provenance.openBatchLog({ payer: f.owner, node, batchLog, capacity: 1 });
    await expectError(f, f.t.send(withAccount(await recordIx(), NODE, batchLog.publicKey), { signers: [f.worker] }), "AccountDiscriminatorMismatch");
    await expectError(f, f.t.send(withAccount(await recordIx(), ESCROW, f.escrow.config()), { signers: [f.worker] }), "AccountDiscriminatorMismatch");
    // a node's account as its own batch log
    const batch = InferenceBatch.fromRecords(node, escrow, [inference(1n)]);
    await expectError(f, f.provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog: node, target: { escrow }, batch }), "AccountDiscriminatorMismatch");
  });

  it("duplicate accounts: the node passed again as the escrow, or as the cluster, is refused", async () => {
    const f = await provenanceFixture();
    const { node, recordIx } = await nodeAndEscrow(f);
    await expectError(f, f.t.send(withAccount(await recordIx(), ESCROW, node), { signers: [f.worker] }), "AccountOwnedByWrongProgram");
    // the node is borrowed for writing when the cluster is read: the same account cannot be both
    await expectInstructionError(f.t, f.t.send(withAccount(await recordIx(), CLUSTER, node), { signers: [f.worker] }), "AccountBorrowFailed");
  });

  it("forged events: invoking the event entry without the event authority's signature is refused", async () => {
    const f = await provenanceFixture();
    const data = Buffer.concat([EVENT_IX_TAG, Buffer.alloc(8, 1), Buffer.alloc(64, 2)]);
    const ix = { programId: f.provenance.programId, keys: [{ pubkey: f.provenance.eventAuthority(), isSigner: false, isWritable: false }], data };
    await expectError(f, f.t.send(ix), "ConstraintSigner");
    const signed = { programId: f.provenance.programId, keys: [{ pubkey: f.stranger.publicKey, isSigner: true, isWritable: false }], data };
    await expectError(f, f.t.send(signed, { signers: [f.stranger] }), "ConstraintSeeds");
  });
});
