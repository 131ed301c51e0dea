// `npm run bench:merkle [-- --json]`: merkle trees at scale (docs/merkle.md). One function per measurement,
// registered in MEASUREMENTS: each returns rows {measurement, case, value, unit, target, ok}. Prints a
// Markdown table or, with --json, one JSON array on stdout; exits 1 when a target is missed.
//
// - inference tree: a 1,000,000-leaf provenance batch (leaf encoding, leaf hashing on every core, tree)
// - proof extraction: proofs per second out of that tree
// - batch cost: lamports per recorded inference in batch mode, from record_batch run in LiteSVM, beside a
//   200-byte account per inference and a compressed-NFT-style leaf
//
// To add a measurement (the rewards program's 1,000,000-supplier distribution, for one), write a function
// `async (): Promise<MerkleRow[]>` below and add it to MEASUREMENTS.
import { Keypair, PublicKey } from "@solana/web3.js";
import { availableParallelism, loadavg } from "node:os";
import { Distribution, INFERENCE_RECORD_LEN, InferenceBatch } from "../../ts-client/src/index.js";
import { inference, openNodeEscrow, provenanceFixture, registerNode } from "../../tests/provenance/fixture.js";

export interface MerkleRow {
  readonly measurement: string;
  readonly case: string;
  readonly value: number;
  readonly unit: string;
  /** The target, as text (e.g. "< 5 s"); absent for reference rows. */
  readonly target?: string;
  readonly ok?: boolean;
}

export type MerkleMeasurement = () => Promise<MerkleRow[]>;

const LEAVES = 1_000_000;
const TREE_TARGET_MS = 5_000;
const PROOFS_TARGET_PER_S = 100_000;
const COST_TARGET_LAMPORTS = 1;
/** Solana's base fee per signature. */
const LAMPORTS_PER_SIGNATURE = 5_000;
/** Rent-exempt minimum of a 200-byte account ((200 + 128) bytes x 6,960 lamports): one account per inference. */
const ACCOUNT_PER_INFERENCE = 2_282_880;
/** What a compressed-NFT-style leaf costs per inference (tree rent and fees amortized), about. */
const COMPRESSED_LEAF = 295;

/** Deterministic encoded records 1..count (136 bytes each): distinct request ids and hashes, fee 3, 100 units. */
function encodedRecords(count: number): Buffer {
  const out = Buffer.alloc(count * INFERENCE_RECORD_LEN);
  for (let i = 0; i < count; i++) {
    const at = i * INFERENCE_RECORD_LEN;
    out.writeUInt32LE(i + 1, at); // sequence
    out.writeUInt32LE(i + 1, at + 8); // request id
    out.writeUInt32LE(0xa11ce, at + 24); // model id
    out.writeUInt32LE(i, at + 56); // input hash
    out.writeUInt32LE(i ^ 0x5a5a5a5a, at + 88); // output hash
    out.writeUInt32LE(100, at + 120); // units
    out.writeUInt32LE(3, at + 128); // fee
  }
  return out;
}

const node = Keypair.generate().publicKey;
const escrow = Keypair.generate().publicKey;
let million: InferenceBatch | undefined;

/** A 1,000,000-leaf inference tree: leaves hashed on every core, levels on the main thread. */
export const inferenceTree: MerkleMeasurement = async () => {
  const records = encodedRecords(LEAVES);
  const started = performance.now();
  million = await InferenceBatch.fromEncodedRecordsParallel(node, escrow, records);
  const ms = performance.now() - started;
  const cores = availableParallelism();
  const load = loadavg()[0].toFixed(1);
  return [
    { measurement: "inference tree", case: `build ${LEAVES.toLocaleString("en-US")} leaves, depth ${million.tree.depth} (${cores} cores, load ${load})`, value: Math.round(ms), unit: "ms", target: `< ${TREE_TARGET_MS} ms`, ok: ms < TREE_TARGET_MS },
  ];
};

/** Proofs per second out of the million-leaf tree (each copied out, as a client keeps them). */
export const proofExtraction: MerkleMeasurement = async () => {
  million ??= InferenceBatch.fromEncodedRecords(node, escrow, encodedRecords(LEAVES));
  const tree = million;
  const count = 200_000;
  let hashes = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++) hashes += tree.proof((i * 7_919) % LEAVES).length;
  const seconds = (performance.now() - started) / 1000;
  const perSecond = Math.round(count / seconds);
  if (hashes === 0) throw new Error("empty proofs");
  return [{ measurement: "proof extraction", case: `${count.toLocaleString("en-US")} random leaves of ${LEAVES.toLocaleString("en-US")}, copied out (load ${loadavg()[0].toFixed(1)})`, value: perSecond, unit: "proofs/s", target: `>= ${PROOFS_TARGET_PER_S.toLocaleString("en-US")}/s`, ok: perSecond >= PROOFS_TARGET_PER_S }];
};

/**
 * Lamports per recorded inference in batch mode, measured: record_batch runs in LiteSVM with the node's
 * worker as fee payer and the only signer; what the worker and the batch log lose is the cost (the escrow
 * charge moves the client's money and is no cost of recording). The batch hash goes into the node's batch
 * log, a rent deposit paid once and refunded at close, so a batch creates no account.
 */
export const batchCost: MerkleMeasurement = async () => {
  const f = await provenanceFixture();
  const nodeKey = await registerNode(f);
  const escrowKey = await openNodeEscrow(f, nodeKey, { deposit: 100_000_000_000n });
  const batchLog = Keypair.generate();
  await f.provenance.openBatchLog({ payer: f.owner, node: nodeKey, batchLog, capacity: 8 });
  const rows: MerkleRow[] = [];
  let first = 1n;
  for (const leaves of [5_000, 10_000, 100_000, LEAVES]) {
    const batch = await batchOf(nodeKey, escrowKey, first, leaves);
    first += BigInt(leaves);
    const paid = await lamportsSpent(f, [f.worker.publicKey, batchLog.publicKey], () => {
      const ix = f.provenance.recordBatchIx({ nodeAuthority: f.worker.publicKey, node: nodeKey, batchLog: batchLog.publicKey, target: { escrow: escrowKey }, batch });
      return ix.then((i) => f.t.send(i, { feePayer: f.worker }));
    });
    const perInference = paid / leaves;
    rows.push({
      measurement: "batch cost",
      case: `${leaves.toLocaleString("en-US")} leaves: ${paid.toLocaleString("en-US")} lamports (1 signature, no rent)`,
      value: perInference,
      unit: "lamports/inference",
      target: `<= ${COST_TARGET_LAMPORTS}`,
      ok: perInference <= COST_TARGET_LAMPORTS,
    });
  }
  const single = await lamportsSpent(f, [f.worker.publicKey], async () => {
    const ix = await f.provenance.recordInferenceIx({ nodeAuthority: f.worker.publicKey, node: nodeKey, target: { escrow: escrowKey }, record: inference(first), modelName: "m" });
    return f.t.send(ix, { feePayer: f.worker });
  });
  const logRent = Number(f.t.svm.minimumBalanceForRentExemption(BigInt(8 + 40 + 250 * 40)));
  rows.push(
    { measurement: "batch cost", case: "reference: record_inference, one transaction per inference", value: single, unit: "lamports/inference" },
    { measurement: "batch cost", case: "baseline: a 200-byte account per inference (rent)", value: ACCOUNT_PER_INFERENCE, unit: "lamports/inference" },
    { measurement: "batch cost", case: "baseline: a compressed-NFT-style leaf", value: COMPRESSED_LEAF, unit: "lamports/inference" },
    { measurement: "batch cost", case: "deposit: a 250-slot batch log (refunded at close, slots reused)", value: logRent, unit: "lamports once" },
  );
  return rows;
};

/** A real batch of `leaves` inferences from sequence `first` for the node and escrow. */
function batchOf(nodeKey: PublicKey, escrowKey: PublicKey, first: bigint, leaves: number): Promise<InferenceBatch> {
  const records = encodedRecords(leaves);
  for (let i = 0; i < leaves; i++) records.writeBigUInt64LE(first + BigInt(i), i * INFERENCE_RECORD_LEN);
  return InferenceBatch.fromEncodedRecordsParallel(nodeKey, escrowKey, records);
}

/** Lamports the accounts lost over `run`. */
async function lamportsSpent(f: Awaited<ReturnType<typeof provenanceFixture>>, accounts: readonly PublicKey[], run: () => Promise<unknown>): Promise<number> {
  const before = accounts.map((a) => f.t.balance(a));
  await run();
  return Number(accounts.reduce((sum, a, i) => sum + (before[i] - f.t.balance(a)), 0n));
}

/**
 * The rewards program's distribution for 1,000,000 suppliers (ts-client/src/rewards): an epoch built from
 * the previous epoch's cumulative amounts plus everyone's earnings (sort, merge, leaves and lower levels on
 * every core), and a first epoch from scratch.
 */
export const rewardsDistribution: MerkleMeasurement = async () => {
  const distributor = new PublicKey(Buffer.alloc(32, 7));
  const suppliers = Buffer.alloc(LEAVES * 32);
  for (let i = 0; i < LEAVES; i++) {
    // distinct addresses in scrambled order: the build sorts them
    suppliers.writeUInt32BE((i * 2_654_435_761) >>> 0, i * 32);
    suppliers.writeUInt32BE(i, i * 32 + 28);
  }
  const amounts = new BigUint64Array(LEAVES).map((_, i) => 1_000n + BigInt(i % 977));
  const earned = { suppliers, amounts };
  const rows: MerkleRow[] = [];
  const time = async (what: string, build: () => Promise<Distribution>) => {
    const started = performance.now();
    const built = await build();
    const ms = performance.now() - started;
    const where = `${availableParallelism()} cores, load ${loadavg()[0].toFixed(1)}`;
    rows.push({ measurement: "rewards distribution", case: `${what}: ${LEAVES.toLocaleString("en-US")} suppliers, depth ${built.depth} (${where})`, value: Math.round(ms), unit: "ms", target: `< ${TREE_TARGET_MS} ms`, ok: ms < TREE_TARGET_MS });
    return built;
  };
  const first = await time("first epoch", () => Distribution.buildParallel({ distributor, epoch: 1n, earned }));
  await time("next epoch from the previous one", () => Distribution.buildParallel({ distributor, epoch: 2n, previous: first, earned }));
  return rows;
};

/** Every measurement, in order. */
export const MEASUREMENTS: Record<string, MerkleMeasurement> = {
  "inference tree": inferenceTree,
  "proof extraction": proofExtraction,
  "batch cost": batchCost,
  "rewards distribution": rewardsDistribution,
};

async function main(): Promise<void> {
  const json = process.argv.includes("--json");
  const rows: MerkleRow[] = [];
  for (const [name, measure] of Object.entries(MEASUREMENTS)) {
    const started = performance.now();
    rows.push(...(await measure()));
    if (!json) console.error(`${name}: ${(performance.now() - started).toFixed(0)} ms`);
  }
  if (json) process.stdout.write(JSON.stringify(rows) + "\n");
  else {
    console.log("| measurement | case | value | unit | target |");
    console.log("| --- | --- | ---: | --- | --- |");
    for (const r of rows) {
      const value = Number.isInteger(r.value) ? r.value.toLocaleString("en-US") : r.value.toFixed(3);
      const target = r.target === undefined ? "" : `${r.target} ${r.ok ? "ok" : "MISSED"}`;
      console.log(`| ${r.measurement} | ${r.case} | ${value} | ${r.unit} | ${target} |`);
    }
  }
  if (rows.some((r) => r.ok === false)) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
