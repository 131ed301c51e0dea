// A LiteSVM with the escrow and provenance programs deployed through the upgradeable loader, the escrow
// config initialized, and the parties of a provenance deployment funded: a node owner and its worker key, a
// client, a cluster coordinator. Each test builds its own (a fresh chain per test).
//
// Failing transactions are executed, not just simulated (`skipPreflight`): they land and pay their fee like
// on a cluster, so "a failed instruction changes nothing" is the runtime's rollback, observed.
import { createHash } from "node:crypto";
import { Keypair, LAMPORTS_PER_SOL, type PublicKey } from "@solana/web3.js";
import { TestSvm } from "../harness/index.js";
import {
  type EscrowClient,
  escrowClient,
  equalShareBps,
  type Hardware,
  type InferenceRecord,
  type Payee,
  type ProvenanceClient,
  provenanceClient,
  SOL,
} from "../../ts-client/src/index.js";

export const HOUR = 3600n;
export const DAY = 24n * HOUR;
export const FEE_BPS = 250;
export const START = 1_800_000_000n;

export const H100: Hardware = { gpuModel: "NVIDIA H100 80GB HBM3", gpuCount: 8, vramGib: 80, cpuCores: 96, ramGib: 1024, region: "eu-west-3" };

export interface ProvenanceFixture {
  readonly t: TestSvm;
  readonly escrow: EscrowClient;
  readonly provenance: ProvenanceClient;
  readonly admin: Keypair;
  readonly treasury: Keypair;
  readonly arbiter: Keypair;
  readonly client: Keypair;
  /** Owns the fixture's node. */
  readonly owner: Keypair;
  /** The node's worker key (its authority). */
  readonly worker: Keypair;
  /** Forms clusters. */
  readonly coordinator: Keypair;
  /** Someone with no role anywhere: the attacker of the failure tests. */
  readonly stranger: Keypair;
}

/** Fresh chain with both programs and the escrow config. */
export async function provenanceFixture(): Promise<ProvenanceFixture> {
  const t = TestSvm.create({ programs: ["escrow", "provenance"], opts: { skipPreflight: true } });
  t.warp({ unixTimestamp: START });
  const escrow = escrowClient(t.provider, t.programs.escrow);
  const provenance = provenanceClient(t.provider, t.programs.provenance, t.programs.escrow);
  const admin = t.payer; // the fixture's payer is the upgrade authority of the deployed programs
  const treasury = t.fundedKeypair();
  const arbiter = t.fundedKeypair();
  const client = t.fundedKeypair(1_000n * BigInt(LAMPORTS_PER_SOL));
  const owner = t.fundedKeypair();
  const worker = t.fundedKeypair();
  const coordinator = t.fundedKeypair();
  const stranger = t.fundedKeypair();
  await escrow.initializeConfig({ admin, treasury: treasury.publicKey, arbiter: arbiter.publicKey, feeBps: FEE_BPS });
  await escrow.openEarnings({ owner: treasury.publicKey });
  return { t, escrow, provenance, admin, treasury, arbiter, client, owner, worker, coordinator, stranger };
}

/** Registers a node (default: the fixture's owner and worker); returns its address. */
export async function registerNode(
  f: ProvenanceFixture,
  o: { owner?: Keypair; authority?: PublicKey; hardware?: Hardware; node?: Keypair } = {},
): Promise<PublicKey> {
  const node = o.node ?? Keypair.generate();
  await f.provenance.registerNode({ owner: o.owner ?? f.owner, node, authority: o.authority ?? f.worker.publicKey, hardware: o.hardware ?? H100 });
  return node.publicKey;
}

export interface EscrowTerms {
  readonly deposit?: bigint;
  readonly maxPrice?: bigint;
  readonly window?: bigint;
  readonly expiresIn?: bigint;
  /** Override the payee list (default: the provider's). */
  readonly payees?: readonly Payee[];
  /** Override the meters (default: both provenance's meter). */
  readonly providerMeter?: PublicKey;
  readonly programMeter?: PublicKey;
}

/** Opens a SOL escrow from the fixture's client for `provider`, paying `payees` through provenance. */
export async function openEscrowFor(f: ProvenanceFixture, provider: PublicKey, payees: readonly Payee[], terms: EscrowTerms = {}): Promise<PublicKey> {
  const meters = f.provenance.escrowMeters();
  const { escrow } = await f.escrow.openEscrow({
    client: f.client,
    escrow: Keypair.generate(),
    provider,
    providerMeter: terms.providerMeter ?? meters.providerMeter,
    programMeter: terms.programMeter ?? meters.programMeter,
    payees: terms.payees ?? payees,
    maxPricePerUnit: terms.maxPrice ?? 1_000n,
    expiresAt: START + (terms.expiresIn ?? 30n * DAY),
    challengeWindow: terms.window ?? HOUR,
    deposit: terms.deposit ?? 10n * BigInt(LAMPORTS_PER_SOL),
    funding: SOL,
  });
  return escrow;
}

/** Opens an escrow whose provider is `node` (paying its owner everything). */
export async function openNodeEscrow(f: ProvenanceFixture, node: PublicKey, terms: EscrowTerms = {}): Promise<PublicKey> {
  return openEscrowFor(f, node, await f.provenance.nodePayees(node), terms);
}

export interface ClusterSetup {
  readonly cluster: PublicKey;
  readonly nodes: PublicKey[];
  /** Owner of each node (owners are shared: node i belongs to owners[i % owners]). */
  readonly owners: Keypair[];
  readonly workers: Keypair[];
  /** Shares given at activation, in member order (ascending node address). */
  readonly shares: number[];
}

/**
 * A cluster of `size` nodes, each with its own worker key, owned by `ownerCount` owners (so shares are
 * summed per owner), with equal shares; activated unless `activate` is false.
 */
export async function formCluster(f: ProvenanceFixture, o: { size?: number; ownerCount?: number; activate?: boolean } = {}): Promise<ClusterSetup> {
  const size = o.size ?? 16;
  const owners = Array.from({ length: o.ownerCount ?? 5 }, () => f.t.fundedKeypair());
  const workers: Keypair[] = [];
  const nodes: PublicKey[] = [];
  for (let i = 0; i < size; i++) {
    const worker = f.t.fundedKeypair();
    workers.push(worker);
    nodes.push(await registerNode(f, { owner: owners[i % owners.length], authority: worker.publicKey }));
  }
  const cluster = Keypair.generate();
  await f.provenance.createCluster({ authority: f.coordinator, cluster, name: "job-7 llama-70b" });
  const shares = equalShareBps(size);
  for (let i = 0; i < size; i += 16) {
    const members = nodes.slice(i, i + 16).map((node, j) => ({ node, shareBps: shares[i + j] }));
    await f.provenance.addClusterMembers({ authority: f.coordinator, cluster: cluster.publicKey, members });
  }
  if (o.activate ?? true) await f.provenance.activateCluster({ authority: f.coordinator, cluster: cluster.publicKey, shares });
  return { cluster: cluster.publicKey, nodes, owners, workers, shares };
}

/** Opens the earnings accounts the payees of an escrow need for `settle`. */
export async function openEarnings(f: ProvenanceFixture, payees: readonly Payee[]): Promise<void> {
  for (const p of payees) await f.escrow.openEarnings({ owner: p.owner });
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** A deterministic inference record: sequence `sequence`, request id and hashes derived from `tag`. */
export function inference(sequence: bigint, o: { tag?: string; units?: bigint; fee?: bigint; requestId?: Uint8Array } = {}): InferenceRecord {
  const tag = o.tag ?? `inference ${sequence}`;
  return {
    sequence,
    requestId: o.requestId ?? digest(`request ${tag}`).subarray(0, 16),
    modelId: digest("model llama-3.1-70b-instruct"),
    inputHash: digest(`input ${tag}`),
    outputHash: digest(`output ${tag}`),
    units: o.units ?? 100n,
    fee: o.fee ?? 5_000n,
  };
}

/** The provenance events of the last (successful) transaction, in order. */
export function lastEvents(f: ProvenanceFixture) {
  const result = f.t.lastResult;
  if (!result) throw new Error("no transaction yet");
  if (result.err) throw new Error(`the last transaction failed: ${JSON.stringify(result.err)}\n${result.logs.join("\n")}`);
  return f.provenance.parseEvents(result.innerInstructions);
}
