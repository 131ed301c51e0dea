// The wire format shared by Rust and TypeScript: inference leaves and batch headers (golden vectors shared
// with programs/provenance/src/state.rs), the fixed-offset encoders against Anchor's coder from the IDL,
// labels, cluster payee lists, the PDAs declared as constants in the program, and event decoding.
import { expect } from "chai";
import anchor from "@coral-xyz/anchor";
import { PublicKey } from "@solana/web3.js";
import {
  batchHash,
  BATCH_HEADER_LEN,
  clusterPayees,
  decodeEvents,
  decodeInferenceRecord,
  encodeBatchHeader,
  encodeInferenceLeaf,
  encodeInferenceRecord,
  equalShareBps,
  EVENT_IX_TAG,
  eventAuthorityAddress,
  INFERENCE_LEAF_LEN,
  InferenceBatch,
  type InferenceLeaf,
  inferenceLeafHash,
  label,
  meterAddress,
  PROVENANCE_PROGRAM_ID,
  provenanceProgram,
  readLabel,
} from "../../ts-client/src/index.js";
import provenanceIdl from "../../ts-client/src/generated/provenance.json" with { type: "json" };

const key = (byte: number) => new PublicKey(Buffer.alloc(32, byte));

/** The golden leaf of state.rs: node [1; 32], escrow [2; 32], sequence 7, request id [3; 16], ... */
const GOLDEN: InferenceLeaf = {
  node: key(1),
  escrow: key(2),
  record: {
    sequence: 7n,
    requestId: Buffer.alloc(16, 3),
    modelId: Buffer.alloc(32, 4),
    inputHash: Buffer.alloc(32, 5),
    outputHash: Buffer.alloc(32, 6),
    units: 1_000n,
    fee: 25_000n,
  },
};
const GOLDEN_LEAF_HASH = "26428023aee8abedde585515471342ec6e0646271b55b49a80370a85fbdba7d1";
const GOLDEN_BATCH_HASH = "d38b3e9d0cb2cfcd315ea91dd5b774853a57e0a86776508d3225e57820d794d2";

const bn = (v: bigint) => new anchor.BN(v.toString());
/** The coder of the typed program (camelCase names, as clients and the indexer see them). */
const coder = provenanceProgram({} as anchor.Provider).coder as InstanceType<typeof anchor.BorshCoder>;

describe("provenance: wire format", () => {
  it("Given the golden leaf and batch, When hashed in TypeScript, Then the hashes equal the Rust golden vectors", () => {
    expect(inferenceLeafHash(GOLDEN).toString("hex")).to.equal(GOLDEN_LEAF_HASH);
    const summary = { root: inferenceLeafHash(GOLDEN), firstSequence: 7n, leafCount: 1, totalUnits: 1_000n, totalFee: 25_000n };
    expect(batchHash(GOLDEN.node, GOLDEN.escrow, summary).toString("hex")).to.equal(GOLDEN_BATCH_HASH);
    // a one-leaf batch built from the record has that summary
    const batch = InferenceBatch.fromRecords(GOLDEN.node, GOLDEN.escrow, [GOLDEN.record]);
    expect(batch.summary).to.deep.equal(summary);
    expect(batch.hash.toString("hex")).to.equal(GOLDEN_BATCH_HASH);
    expect(batch.proof(0)).to.deep.equal([]);
  });

  it("Given a leaf and a batch header, When encoded by offsets and by Anchor's coder from the IDL, Then the bytes are equal", () => {
    const leaf = encodeInferenceLeaf(GOLDEN);
    expect(leaf.length).to.equal(INFERENCE_LEAF_LEN);
    const r = GOLDEN.record;
    const viaIdl = coder.types.encode("inferenceLeaf", {
      node: GOLDEN.node,
      escrow: GOLDEN.escrow,
      record: { sequence: bn(r.sequence), requestId: [...r.requestId], modelId: [...r.modelId], inputHash: [...r.inputHash], outputHash: [...r.outputHash], units: bn(r.units), fee: bn(r.fee) },
    });
    expect(Buffer.from(viaIdl)).to.deep.equal(leaf);
    expect(decodeInferenceRecord(leaf, 64)).to.deep.equal({ ...r, requestId: Uint8Array.from(r.requestId), modelId: Uint8Array.from(r.modelId), inputHash: Uint8Array.from(r.inputHash), outputHash: Uint8Array.from(r.outputHash) });
    const summary = { root: Buffer.alloc(32, 9), firstSequence: 1n << 40n, leafCount: 1_000_000, totalUnits: 123n, totalFee: 456n };
    const header = encodeBatchHeader(GOLDEN.node, GOLDEN.escrow, summary);
    expect(header.length).to.equal(BATCH_HEADER_LEN);
    const headerViaIdl = coder.types.encode("batchHeader", {
      node: GOLDEN.node,
      escrow: GOLDEN.escrow,
      batch: { root: [...summary.root], firstSequence: bn(summary.firstSequence), leafCount: summary.leafCount, totalUnits: bn(123n), totalFee: bn(456n) },
    });
    expect(Buffer.from(headerViaIdl)).to.deep.equal(header);
  });

  it("Given values out of range, When encoded, Then the encoder refuses them", () => {
    const out = Buffer.alloc(200);
    expect(() => encodeInferenceRecord({ ...GOLDEN.record, fee: 1n << 64n }, out)).to.throw(RangeError);
    expect(() => encodeInferenceRecord({ ...GOLDEN.record, requestId: Buffer.alloc(15) }, out)).to.throw(RangeError);
    expect(() => InferenceBatch.fromRecords(GOLDEN.node, GOLDEN.escrow, [GOLDEN.record, GOLDEN.record])).to.throw(/sequence 8/);
    expect(() => InferenceBatch.fromRecords(GOLDEN.node, GOLDEN.escrow, [{ ...GOLDEN.record, sequence: 0n }])).to.throw(/start at 1/);
    const huge = (sequence: bigint) => ({ ...GOLDEN.record, sequence, fee: (1n << 64n) - 1n });
    expect(() => InferenceBatch.fromRecords(GOLDEN.node, GOLDEN.escrow, [huge(1n), huge(2n)])).to.throw(/totals/);
  });

  it("Given labels, When encoded, Then they are zero-padded printable ASCII and read back", () => {
    expect(label("eu-west-3", 16)).to.deep.equal([...Buffer.from("eu-west-3"), ...Array(7).fill(0)]);
    expect(readLabel(label("NVIDIA H100 80GB HBM3", 32))).to.equal("NVIDIA H100 80GB HBM3");
    expect(() => label("", 16)).to.throw(RangeError);
    expect(() => label("x".repeat(17), 16)).to.throw(RangeError);
    expect(() => label("tab\there", 16)).to.throw(RangeError);
    expect(() => label("ünïcode", 16)).to.throw(RangeError);
  });

  it("Given cluster members, When their payee list is computed, Then owners are sorted and their shares summed", () => {
    const members = [
      { node: key(10), owner: key(9), shareBps: 1_000 },
      { node: key(11), owner: key(3), shareBps: 2_000 },
      { node: key(12), owner: key(9), shareBps: 3_000 },
      { node: key(13), owner: key(5), shareBps: 4_000 },
    ];
    expect(clusterPayees(members).map((p) => [p.owner.toBuffer()[0], p.shareBps])).to.deep.equal([[3, 2_000], [5, 4_000], [9, 4_000]]);
    for (const n of [1, 3, 16, 17, 64]) {
      const shares = equalShareBps(n);
      expect(shares.reduce((a, b) => a + b, 0)).to.equal(10_000);
      expect(Math.max(...shares) - Math.min(...shares)).to.be.at.most(1);
    }
  });

  it("Given the program's constant PDAs, When derived from their seeds, Then the addresses and canonical bumps match state.rs", () => {
    const [meter, meterBump] = PublicKey.findProgramAddressSync([Buffer.from("meter")], PROVENANCE_PROGRAM_ID);
    const [authority, authorityBump] = PublicKey.findProgramAddressSync([Buffer.from("__event_authority")], PROVENANCE_PROGRAM_ID);
    // METER / METER_BUMP and EVENT_AUTHORITY / EVENT_AUTHORITY_BUMP in programs/provenance/src/state.rs
    expect([meter.toBase58(), meterBump]).to.deep.equal(["Gq63PvtWa6FuiQ2TdbD3NJZ6bA6xScr6APhVZbCrCWMk", 252]);
    expect([authority.toBase58(), authorityBump]).to.deep.equal(["8zcW8eTjbj8dKUUw2ZwxLmCXdUrdbHyXRspZC49rXXz7", 253]);
    expect(meterAddress(PROVENANCE_PROGRAM_ID).equals(meter)).to.equal(true);
    expect(eventAuthorityAddress(PROVENANCE_PROGRAM_ID).equals(authority)).to.equal(true);
    // and the IDL (generated from the Rust constants) names the same addresses
    const record = provenanceIdl.instructions.find((ix) => ix.name === "record_inference")!;
    const address = (name: string) => (record.accounts.find((a) => a.name === name) as { address?: string }).address;
    expect([address("meter"), address("event_authority")]).to.deep.equal([meter.toBase58(), authority.toBase58()]);
  });

  it("Given inner instructions, When events are decoded, Then only the program's tagged self-invocations count", () => {
    const programId = PROVENANCE_PROGRAM_ID;
    const event = { batchLog: key(1), node: key(2), payer: key(3), capacity: 7 };
    const disc = Buffer.from(provenanceIdl.events.find((e) => e.name === "BatchLogOpened")!.discriminator);
    const body = coder.types.encode("batchLogOpened", event);
    const data = Buffer.concat([EVENT_IX_TAG, disc, body]);
    const decoded = decodeEvents(coder.events, programId, [[{ programId, data }, { programId: key(7), data }, { programId, data: Buffer.alloc(20) }]]);
    expect(decoded.map((e) => e.name)).to.deep.equal(["batchLogOpened"]);
    expect((decoded[0].data.capacity as number)).to.equal(7);
  });
});
