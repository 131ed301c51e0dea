// Compute units of every provenance instruction, each run in LiteSVM in a realistic state: a node and a
// 16-node cluster (5 owners, so shares are summed per owner), SOL escrows paying through provenance's
// meter, records with the escrow charge and the emit_cpi event included, and verify_inclusion at depth 20.
import { Keypair, type PublicKey } from "@solana/web3.js";
import { equalShareBps, hashLeaf, hashNode, inferenceLeafHash, type BatchSummary, InferenceBatch, type InferenceLeaf } from "../../../ts-client/src/index.js";
import { formCluster, H100, inference, openEscrowFor, openNodeEscrow, provenanceFixture, registerNode } from "../../../tests/provenance/fixture.js";
import type { CuRow, CuScenario } from "./types.js";

/** Depth of the proof `verify_inclusion` is measured at: a batch of 2^20 (about a million) leaves. */
const DEPTH = 20;

export const provenanceCuScenario: CuScenario = async () => {
  const rows: CuRow[] = [];
  const f = await provenanceFixture();
  const { t, provenance } = f;
  const measure = async (instruction: string, caseName: string, run: () => Promise<unknown>) => {
    await run();
    rows.push({ program: "provenance", instruction, case: caseName, cu: Number(t.lastResult!.computeUnitsConsumed) });
  };

  // ---- registry
  const nodeKey = Keypair.generate();
  await measure("register_node", "new node", () => provenance.registerNode({ owner: f.owner, node: nodeKey, authority: f.worker.publicKey, hardware: H100 }));
  const node = nodeKey.publicKey;
  await measure("update_node", "rotate authority, new hardware", () =>
    provenance.updateNode({ owner: f.owner, node, authority: f.worker.publicKey, hardware: { ...H100, gpuCount: 4 } }),
  );
  await measure("set_node_status", "pause", () => provenance.setNodeStatus({ owner: f.owner, node, status: "paused" }));
  await measure("set_node_status", "resume", () => provenance.setNodeStatus({ owner: f.owner, node, status: "active" }));

  // ---- clusters: 16 nodes, measured one instruction at a time
  const owners = Array.from({ length: 5 }, () => t.fundedKeypair());
  const members: PublicKey[] = [];
  for (let i = 0; i < 17; i++) members.push(await registerNode(f, { owner: owners[i % 5], authority: Keypair.generate().publicKey }));
  const clusterKey = Keypair.generate();
  await measure("create_cluster", "empty, forming", () => provenance.createCluster({ authority: f.coordinator, cluster: clusterKey, name: "job-7" }));
  const cluster = clusterKey.publicKey;
  const shares = equalShareBps(16);
  await measure("add_cluster_members", "1 node", () => provenance.addClusterMembers({ authority: f.coordinator, cluster, members: [{ node: members[0], shareBps: shares[0] }] }));
  await measure("add_cluster_members", "16 nodes (one event each)", () =>
    provenance.addClusterMembers({ authority: f.coordinator, cluster, members: members.slice(1, 17).map((m, i) => ({ node: m, shareBps: shares[i] })) }),
  );
  await measure("remove_cluster_member", "first of 17", () => provenance.removeClusterMember({ authority: f.coordinator, cluster, node: members[0] }));
  await measure("activate_cluster", "16 members, 5 owners", () => provenance.activateCluster({ authority: f.coordinator, cluster, shares }));

  // ---- records against a node's escrow
  const escrow = await openNodeEscrow(f, node);
  await measure("record_inference", "node escrow, first charge of a window (escrow CPI + event)", () =>
    provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(1n), modelName: "llama-3.1-70b" }),
  );
  await measure("record_inference", "node escrow, same window (escrow CPI + event)", () =>
    provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(2n), modelName: "llama-3.1-70b" }),
  );
  const batchLog = Keypair.generate();
  await measure("open_batch_log", "250 slots", () => provenance.openBatchLog({ payer: f.owner, node, batchLog, capacity: 250 }));
  await measure("grow_batch_log", "+250 slots", () => provenance.growBatchLog({ payer: f.owner, node, batchLog: batchLog.publicKey, additional: 250 }));
  const batch = InferenceBatch.fromRecords(node, escrow, Array.from({ length: 5_000 }, (_, i) => inference(BigInt(i + 3), { fee: 2n })));
  await measure("record_batch", "5,000 leaves, node escrow (escrow CPI + event)", () =>
    provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog: batchLog.publicKey, target: { escrow }, batch }),
  );
  await measure("verify_inclusion", `depth ${batch.tree.depth} (5,000 leaves)`, () =>
    provenance.verifyInclusion({ batchLog: batchLog.publicKey, slot: 0, batch: batch.summary, leaf: { node, escrow, record: inference(3n, { fee: 2n }) }, proof: batch.proof(0) }),
  );
  // a million-leaf batch: what matters on chain is the proof's depth, so the root is folded from one leaf
  // through 20 siblings (the node commits to a root; the tree's other leaves never reach the chain)
  const leaf: InferenceLeaf = { node, escrow, record: inference(10_000n, { fee: 2n }) };
  const proof = Array.from({ length: DEPTH }, (_, i) => hashLeaf(Buffer.from(`sibling ${i}`)));
  const root = proof.reduce((acc, sibling) => hashNode(acc, sibling), inferenceLeafHash(leaf));
  const big: BatchSummary = { root, firstSequence: 10_000n, leafCount: 1 << DEPTH, totalUnits: 100n << BigInt(DEPTH), totalFee: 2n << BigInt(DEPTH) };
  await measure("record_batch", `${(1 << DEPTH).toLocaleString("en-US")} leaves, same window`, () =>
    provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog: batchLog.publicKey, target: { escrow }, batch: big }),
  );
  await measure("verify_inclusion", `depth ${DEPTH} (${(1 << DEPTH).toLocaleString("en-US")} leaves)`, () =>
    provenance.verifyInclusion({ batchLog: batchLog.publicKey, slot: 1, batch: big, leaf, proof }),
  );

  // ---- records against the cluster's escrow: the member is found among 16
  const clusterEscrow = await openEscrowFor(f, cluster, await provenance.clusterPayees(cluster));
  const last = members[16];
  const lastWorker = Keypair.generate();
  await provenance.updateNode({ owner: owners[16 % 5], node: last, authority: lastWorker.publicKey, hardware: H100 });
  await measure("record_inference", "cluster escrow, 16th of 16 members (escrow CPI + event)", () =>
    provenance.recordInference({ nodeAuthority: lastWorker, node: last, target: { escrow: clusterEscrow, cluster }, record: inference(1n), modelName: "llama-3.1-70b" }),
  );
  // 8 owners: an escrow's payee list travels in its open_escrow data, which caps it near 24 payees
  const big64 = await formCluster(f, { size: 64, ownerCount: 8 });
  const escrow64 = await openEscrowFor(f, big64.cluster, await provenance.clusterPayees(big64.cluster));
  await measure("record_inference", "cluster escrow, 64th of 64 members (escrow CPI + event)", () =>
    provenance.recordInference({ nodeAuthority: big64.workers[63], node: big64.nodes[63], target: { escrow: escrow64, cluster: big64.cluster }, record: inference(1n), modelName: "m" }),
  );

  // ---- closing
  await measure("set_node_status", "retire", () => provenance.setNodeStatus({ owner: f.owner, node, status: "retired" }));
  t.advance({ seconds: 3n * 3600n });
  await measure("close_batch_log", "500 expired slots", () => provenance.closeBatchLog({ owner: f.owner, node, batchLog: batchLog.publicKey }));
  await measure("close_cluster", "16 members", () => provenance.closeCluster({ authority: f.coordinator, cluster }));
  return rows;
};
