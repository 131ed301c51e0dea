// High-level client for the provenance program: one method per instruction (same name), each with an
// `...Ix` builder beside it, plus addresses, account fetchers, event decoding (inner instructions) and the
// escrow-side helpers (opening an escrow that pays through provenance, disputing a record or a batch).
// Wraps Anchor's typed Program.
import anchor from "@coral-xyz/anchor";
import type { Program } from "@coral-xyz/anchor";
import { type Keypair, PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import { bn, keyOf, ProgramClient, type SignerLike } from "../common/program-client.js";
import type { Provenance as ProvenanceIdl } from "../generated/provenance.js";
import { configAddress as escrowConfigAddress } from "../escrow/pda.js";
import type { Payee } from "../escrow/payees.js";
import type { InferenceBatch } from "./batch.js";
import { clusterPayees } from "./cluster.js";
import { decodeEvents, type InnerInstructionLike, type ProvenanceEvent } from "./events.js";
import { label } from "./labels.js";
import type { BatchSummary, InferenceLeaf, InferenceRecord } from "./leaf.js";
import { eventAuthorityAddress, meterAddress } from "./pda.js";

const { BN } = anchor;
const bytes = (b: Uint8Array, size: number, what: string): number[] => {
  if (b.length !== size) throw new Error(`${what} has ${size} bytes, got ${b.length}`);
  return Array.from(b);
};

/** What a node offers. Labels: printable ASCII, GPU model at most 32 characters, region at most 16. */
export interface Hardware {
  readonly gpuModel: string;
  readonly gpuCount: number;
  /** Memory of each GPU, GiB. */
  readonly vramGib: number;
  readonly cpuCores: number;
  /** System memory, GiB. */
  readonly ramGib: number;
  readonly region: string;
}

/** A node's lifecycle status, as the IDL's `NodeStatus`. */
export type NodeStatusName = "active" | "paused" | "retired";

/** The escrow a record charges, and the cluster it serves in when the escrow's provider is a cluster. */
export interface ChargeTarget {
  readonly escrow: PublicKey;
  /** Omit when the escrow's provider is the node itself. */
  readonly cluster?: PublicKey;
  /** The escrow program (default: the one the escrow client of this deployment uses). */
  readonly escrowProgram?: PublicKey;
}

/** The arguments of the escrow's `dispute_charges` for one recorded inference or batch. */
export interface DisputeTarget {
  readonly escrow: PublicKey;
  readonly window: bigint;
  readonly amount: bigint;
  readonly usageRef: Buffer;
}

/** The IDL's `Hardware` argument from labels and numbers. */
export function hardwareArg(h: Hardware) {
  return {
    gpuModel: label(h.gpuModel, 32),
    gpuCount: h.gpuCount,
    vramGib: h.vramGib,
    cpuCores: h.cpuCores,
    ramGib: h.ramGib,
    region: label(h.region, 16),
  };
}

/** The IDL's `InferenceRecord` argument. */
export function recordArg(r: InferenceRecord) {
  return {
    sequence: bn(r.sequence),
    requestId: bytes(r.requestId, 16, "request id"),
    modelId: bytes(r.modelId, 32, "model id"),
    inputHash: bytes(r.inputHash, 32, "input hash"),
    outputHash: bytes(r.outputHash, 32, "output hash"),
    units: bn(r.units),
    fee: bn(r.fee),
  };
}

/** The IDL's `BatchSummary` argument. */
export function batchSummaryArg(s: BatchSummary) {
  return {
    root: bytes(s.root, 32, "root"),
    firstSequence: bn(s.firstSequence),
    leafCount: s.leafCount,
    totalUnits: bn(s.totalUnits),
    totalFee: bn(s.totalFee),
  };
}

export class ProvenanceClient extends ProgramClient<ProvenanceIdl> {
  /** `escrowProgramId`: the escrow program records charge (its config PDA is derived from it). */
  constructor(
    program: Program<ProvenanceIdl>,
    readonly escrowProgramId: PublicKey,
  ) {
    super(program);
  }



  // ---- addresses
  /** The PDA that signs provenance's escrow charges: name it as the escrow's program (and provider) meter. */
  meter(): PublicKey {
    return meterAddress(this.programId);
  }
  eventAuthority(): PublicKey {
    return eventAuthorityAddress(this.programId);
  }

  /**
   * The meter fields of `open_escrow` for an escrow that pays through provenance: both meters are the
   * provenance meter, so every charge comes with a recorded inference or batch.
   */
  escrowMeters(): { providerMeter: PublicKey; programMeter: PublicKey } {
    return { providerMeter: this.meter(), programMeter: this.meter() };
  }

  // ---- reads
  fetchNode(node: PublicKey) {
    return this.program.account.node.fetch(node);
  }
  fetchCluster(cluster: PublicKey) {
    return this.program.account.cluster.fetch(cluster);
  }
  fetchBatchLog(batchLog: PublicKey) {
    return this.program.account.batchLog.fetch(batchLog);
  }

  /** The payee list [(owner, 10,000 bps)] an escrow whose provider is this node must pay. */
  async nodePayees(node: PublicKey): Promise<Payee[]> {
    const state = await this.fetchNode(node);
    return [{ owner: state.owner, shareBps: 10_000 }];
  }

  /** The payee list an escrow for an active cluster must pay (as `ClusterActivated.payees`). */
  async clusterPayees(cluster: PublicKey): Promise<Payee[]> {
    const state = await this.fetchCluster(cluster);
    const members = state.members.slice(0, state.memberCount);
    return clusterPayees(members.map((m) => ({ node: m.node, owner: m.owner, shareBps: m.shareBps })));
  }

  /** The provenance events among a transaction's inner instructions, in order. */
  parseEvents(inner: readonly InnerInstructionLike[] | readonly (readonly InnerInstructionLike[])[]): ProvenanceEvent[] {
    return decodeEvents(this.coder.events, this.programId, inner);
  }

  /** The escrow's `dispute_charges` arguments that contest a recorded inference (`InferenceRecorded`). */
  disputeOfInference(event: Record<string, unknown>): DisputeTarget {
    const record = event.record as { fee: InstanceType<typeof BN> };
    return {
      escrow: event.escrow as PublicKey,
      window: BigInt((event.window as InstanceType<typeof BN>).toString()),
      amount: BigInt(record.fee.toString()),
      usageRef: Buffer.from(event.recordHash as number[]),
    };
  }

  /** The escrow's `dispute_charges` arguments that contest a whole batch (`BatchRecorded`); `amount` may be less. */
  disputeOfBatch(event: Record<string, unknown>, amount?: bigint): DisputeTarget {
    const batch = event.batch as { totalFee: InstanceType<typeof BN> };
    return {
      escrow: event.escrow as PublicKey,
      window: BigInt((event.window as InstanceType<typeof BN>).toString()),
      amount: amount ?? BigInt(batch.totalFee.toString()),
      usageRef: Buffer.from(event.batchHash as number[]),
    };
  }


  private emitAccounts() {
    return { eventAuthority: this.eventAuthority(), program: this.programId };
  }

  private chargeAccounts(target: ChargeTarget) {
    const escrowProgram = target.escrowProgram ?? this.escrowProgramId;
    return {
      cluster: target.cluster ?? null,
      escrow: target.escrow,
      escrowConfig: escrowConfigAddress(this.escrowProgramId),
      meter: this.meter(),
      escrowProgram,
    };
  }

  // ---- registry
  registerNodeIx(p: { owner: PublicKey; node: PublicKey; authority: PublicKey; hardware: Hardware }) {
    return this.program.methods
      .registerNode(p.authority, hardwareArg(p.hardware))
      .accountsPartial({ owner: p.owner, node: p.node, systemProgram: SystemProgram.programId, ...this.emitAccounts() })
      .instruction();
  }
  async registerNode(p: { owner: SignerLike; node: Keypair; authority: PublicKey; hardware: Hardware }) {
    const ix = await this.registerNodeIx({ ...p, owner: keyOf(p.owner), node: p.node.publicKey });
    return this.send(ix, [p.owner, p.node]);
  }

  updateNodeIx(p: { owner: PublicKey; node: PublicKey; authority: PublicKey; hardware: Hardware }) {
    return this.program.methods
      .updateNode(p.authority, hardwareArg(p.hardware))
      .accountsPartial({ owner: p.owner, node: p.node, ...this.emitAccounts() })
      .instruction();
  }
  async updateNode(p: { owner: SignerLike; node: PublicKey; authority: PublicKey; hardware: Hardware }) {
    return this.send(await this.updateNodeIx({ ...p, owner: keyOf(p.owner) }), [p.owner]);
  }

  setNodeStatusIx(p: { owner: PublicKey; node: PublicKey; status: NodeStatusName }) {
    return this.program.methods
      .setNodeStatus({ [p.status]: {} } as never)
      .accountsPartial({ owner: p.owner, node: p.node, ...this.emitAccounts() })
      .instruction();
  }
  async setNodeStatus(p: { owner: SignerLike; node: PublicKey; status: NodeStatusName }) {
    return this.send(await this.setNodeStatusIx({ ...p, owner: keyOf(p.owner) }), [p.owner]);
  }

  // ---- clusters
  createClusterIx(p: { authority: PublicKey; cluster: PublicKey; name: string }) {
    return this.program.methods
      .createCluster(label(p.name, 32))
      .accountsPartial({ authority: p.authority, cluster: p.cluster, systemProgram: SystemProgram.programId, ...this.emitAccounts() })
      .instruction();
  }
  async createCluster(p: { authority: SignerLike; cluster: Keypair; name: string }) {
    const ix = await this.createClusterIx({ ...p, authority: keyOf(p.authority), cluster: p.cluster.publicKey });
    return this.send(ix, [p.authority, p.cluster]);
  }

  /** Adds nodes with provisional shares (at most 32 per call). */
  addClusterMembersIx(p: { authority: PublicKey; cluster: PublicKey; members: readonly { node: PublicKey; shareBps: number }[] }) {
    return this.program.methods
      .addClusterMembers(p.members.map((m) => m.shareBps))
      .accountsPartial({ authority: p.authority, cluster: p.cluster, ...this.emitAccounts() })
      .remainingAccounts(p.members.map((m) => ({ pubkey: m.node, isSigner: false, isWritable: false })))
      .instruction();
  }
  async addClusterMembers(p: { authority: SignerLike; cluster: PublicKey; members: readonly { node: PublicKey; shareBps: number }[] }) {
    return this.send(await this.addClusterMembersIx({ ...p, authority: keyOf(p.authority) }), [p.authority]);
  }

  removeClusterMemberIx(p: { authority: PublicKey; cluster: PublicKey; node: PublicKey }) {
    return this.program.methods
      .removeClusterMember(p.node)
      .accountsPartial({ authority: p.authority, cluster: p.cluster, ...this.emitAccounts() })
      .instruction();
  }
  async removeClusterMember(p: { authority: SignerLike; cluster: PublicKey; node: PublicKey }) {
    return this.send(await this.removeClusterMemberIx({ ...p, authority: keyOf(p.authority) }), [p.authority]);
  }

  /** Sets every member's share (members in ascending order of node address) and activates the cluster. */
  activateClusterIx(p: { authority: PublicKey; cluster: PublicKey; shares: readonly number[] }) {
    return this.program.methods
      .activateCluster([...p.shares])
      .accountsPartial({ authority: p.authority, cluster: p.cluster, ...this.emitAccounts() })
      .instruction();
  }
  async activateCluster(p: { authority: SignerLike; cluster: PublicKey; shares: readonly number[] }) {
    return this.send(await this.activateClusterIx({ ...p, authority: keyOf(p.authority) }), [p.authority]);
  }

  closeClusterIx(p: { authority: PublicKey; cluster: PublicKey }) {
    return this.program.methods
      .closeCluster()
      .accountsPartial({ authority: p.authority, cluster: p.cluster, ...this.emitAccounts() })
      .instruction();
  }
  async closeCluster(p: { authority: SignerLike; cluster: PublicKey }) {
    return this.send(await this.closeClusterIx({ ...p, authority: keyOf(p.authority) }), [p.authority]);
  }

  // ---- records
  recordInferenceIx(p: { nodeAuthority: PublicKey; node: PublicKey; target: ChargeTarget; record: InferenceRecord; modelName: string }) {
    return this.program.methods
      .recordInference(recordArg(p.record), label(p.modelName, 32))
      .accountsPartial({ nodeAuthority: p.nodeAuthority, node: p.node, ...this.chargeAccounts(p.target), ...this.emitAccounts() })
      .instruction();
  }
  async recordInference(p: { nodeAuthority: SignerLike; node: PublicKey; target: ChargeTarget; record: InferenceRecord; modelName: string }) {
    return this.send(await this.recordInferenceIx({ ...p, nodeAuthority: keyOf(p.nodeAuthority) }), [p.nodeAuthority]);
  }

  openBatchLogIx(p: { payer: PublicKey; node: PublicKey; batchLog: PublicKey; capacity: number }) {
    return this.program.methods
      .openBatchLog(p.capacity)
      .accountsPartial({ payer: p.payer, node: p.node, batchLog: p.batchLog, systemProgram: SystemProgram.programId, ...this.emitAccounts() })
      .instruction();
  }
  /** Opens the node's batch log; `payer` is its owner or authority. */
  async openBatchLog(p: { payer: SignerLike; node: PublicKey; batchLog: Keypair; capacity: number }) {
    const ix = await this.openBatchLogIx({ ...p, payer: keyOf(p.payer), batchLog: p.batchLog.publicKey });
    return this.send(ix, [p.payer, p.batchLog]);
  }

  growBatchLogIx(p: { payer: PublicKey; node: PublicKey; batchLog: PublicKey; additional: number }) {
    return this.program.methods
      .growBatchLog(p.additional)
      .accountsPartial({ payer: p.payer, node: p.node, batchLog: p.batchLog, systemProgram: SystemProgram.programId, ...this.emitAccounts() })
      .instruction();
  }
  async growBatchLog(p: { payer: SignerLike; node: PublicKey; batchLog: PublicKey; additional: number }) {
    return this.send(await this.growBatchLogIx({ ...p, payer: keyOf(p.payer) }), [p.payer]);
  }

  closeBatchLogIx(p: { owner: PublicKey; node: PublicKey; batchLog: PublicKey }) {
    return this.program.methods
      .closeBatchLog()
      .accountsPartial({ owner: p.owner, node: p.node, batchLog: p.batchLog, ...this.emitAccounts() })
      .instruction();
  }
  async closeBatchLog(p: { owner: SignerLike; node: PublicKey; batchLog: PublicKey }) {
    return this.send(await this.closeBatchLogIx({ ...p, owner: keyOf(p.owner) }), [p.owner]);
  }

  recordBatchIx(p: { nodeAuthority: PublicKey; node: PublicKey; batchLog: PublicKey; target: ChargeTarget; batch: BatchSummary | InferenceBatch }) {
    const summary = "summary" in p.batch ? p.batch.summary : p.batch;
    return this.program.methods
      .recordBatch(batchSummaryArg(summary))
      .accountsPartial({ nodeAuthority: p.nodeAuthority, node: p.node, batchLog: p.batchLog, ...this.chargeAccounts(p.target), ...this.emitAccounts() })
      .instruction();
  }
  async recordBatch(p: { nodeAuthority: SignerLike; node: PublicKey; batchLog: PublicKey; target: ChargeTarget; batch: BatchSummary | InferenceBatch }) {
    return this.send(await this.recordBatchIx({ ...p, nodeAuthority: keyOf(p.nodeAuthority) }), [p.nodeAuthority]);
  }

  verifyInclusionIx(p: { batchLog: PublicKey; slot: number; batch: BatchSummary; leaf: InferenceLeaf; proof: readonly Uint8Array[] }) {
    return this.program.methods
      .verifyInclusion(
        p.slot,
        batchSummaryArg(p.batch),
        { node: p.leaf.node, escrow: p.leaf.escrow, record: recordArg(p.leaf.record) },
        p.proof.map((h) => bytes(h, 32, "proof hash")),
      )
      .accountsPartial({ batchLog: p.batchLog })
      .instruction();
  }
  /** Proves on chain that `leaf` is in the batch recorded in `slot` of `batchLog` (no event: it changes nothing). */
  async verifyInclusion(p: { batchLog: PublicKey; slot: number; batch: BatchSummary; leaf: InferenceLeaf; proof: readonly Uint8Array[] }) {
    return this.send(await this.verifyInclusionIx(p), []);
  }
}

