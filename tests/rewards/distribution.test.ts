// Distribution (ts-client/src/rewards): the leaf encoding shared with the program (golden vectors), cumulative
// epochs built from the previous state, proofs, and JSON export/import. Off-chain only.
import { expect } from "chai";
import { Keypair, PublicKey } from "@solana/web3.js";
import {
  Distribution,
  MerkleTree,
  REWARD_LEAF_LEN,
  claimFromJSON,
  encodeRewardLeaf,
  flagProof,
  hashLeaf,
  hashRewardLeaf,
  rootFromFlaggedProof,
  rootFromProof,
  verifyProof,
} from "../../ts-client/src/index.js";

const bytes = (b: number) => new Uint8Array(32).fill(b);
const DISTRIBUTOR = new PublicKey(bytes(7));

/** The same vectors as `golden_leaf_and_root` in programs/rewards/src/state.rs. */
const GOLDEN_LEAF_0 = "f67aee8daee474b8fe573e81390efc94ee8c59221e01817149ec32c1d7884faa";
const GOLDEN_ROOT_3 = "35855471c91b0a6382328e17392b5df3f209c5a8fb56be5435b1ecacef8be497";
/** The same vector as `golden_flagged_proof` in programs/sdk/src/merkle.rs. */
const GOLDEN_FLAGGED_PROOF_3 =
  "0146c80c7b358697c7b2da5b6beaa3f3c7f7492b6cd39817fbd11fbeee18ff22bd010d74a956c2377e6f938329890ff757672f6879a1b7f6043816149dba832f9eae00cfa5bd3fb34be17ff2791f53c3dac08f1e45df1717c940c132fa69a4318f071e";

describe("rewards: distribution (off-chain)", () => {
  it("encodes a leaf as distributor, supplier and cumulative amount (u64 LE), as the program does", () => {
    const leaf = encodeRewardLeaf(DISTRIBUTOR, bytes(1), 1_000n);
    expect(leaf.length).to.equal(REWARD_LEAF_LEN);
    expect(leaf.subarray(0, 32)).to.deep.equal(Buffer.from(bytes(7)));
    expect(leaf.subarray(64).toString("hex")).to.equal("e803000000000000");
    expect(hashRewardLeaf(DISTRIBUTOR, bytes(1), 1_000n).toString("hex")).to.equal(GOLDEN_LEAF_0);
  });

  it("builds the golden root of three leaves", () => {
    const d = Distribution.fromEntitlements({
      distributor: DISTRIBUTOR,
      epoch: 1n,
      entitlements: [0, 1, 2].map((i) => ({ supplier: bytes(i + 1), cumulativeAmount: 1_000n * BigInt(i + 1) })),
    });
    expect(d.root.toString("hex")).to.equal(GOLDEN_ROOT_3);
    expect(d.maxTotalClaim).to.equal(6_000n);
    expect(d.maxNumNodes).to.equal(3n);
  });

  it("flags each sibling with its order; the flagged proof reaches the same root and a flipped flag does not", () => {
    const d = Distribution.fromEntitlements({
      distributor: DISTRIBUTOR,
      epoch: 1n,
      entitlements: Array.from({ length: 9 }, (_, i) => ({ supplier: bytes(i + 1), cumulativeAmount: BigInt(i + 1) })),
    });
    for (let i = 0; i < d.size; i++) {
      const claim = d.claimAt(i);
      const leaf = hashRewardLeaf(DISTRIBUTOR, claim.supplier, claim.cumulativeAmount);
      const flagged = flagProof(leaf, claim.proof);
      expect(flagged.every((e) => e.length === 33 && (e[0] === 0 || e[0] === 1))).to.equal(true);
      expect(rootFromFlaggedProof(leaf, flagged)).to.deep.equal(d.root);
      flagged[0][0] ^= 1;
      expect(rootFromFlaggedProof(leaf, flagged)).to.not.deep.equal(d.root);
      flagged[0][0] = 2;
      expect(rootFromFlaggedProof(leaf, flagged)).to.equal(null);
    }
  });

  it("flags the golden proof as the SDK does (leaf 3 of docs/merkle.md's five-leaf tree)", () => {
    const leaves = [0, 1, 2, 3, 4].map((i) => hashLeaf(Buffer.alloc(4, i)));
    const tree = MerkleTree.fromLeafHashes(leaves);
    const flagged = flagProof(leaves[3], tree.proof(3));
    expect(Buffer.concat(flagged).toString("hex")).to.equal(GOLDEN_FLAGGED_PROOF_3);
    expect(rootFromFlaggedProof(leaves[3], flagged)!.toString("hex")).to.equal("6ddf19d7992980914940764ce860f688b20f53e454fc31be38549a2ac3564136");
  });

  it("adds this epoch's earnings to the previous cumulative amounts, in address order, without zero leaves", () => {
    const [a, b, c] = [Keypair.generate().publicKey, Keypair.generate().publicKey, Keypair.generate().publicKey];
    const e1 = Distribution.build({ distributor: DISTRIBUTOR, epoch: 1n, earned: [{ supplier: a, amount: 10n }, { supplier: b, amount: 0n }] });
    expect(e1.size).to.equal(1, "a zero entitlement gets no leaf");
    const e2 = Distribution.build({
      distributor: DISTRIBUTOR,
      epoch: 2n,
      previous: e1,
      earned: [{ supplier: c, amount: 7n }, { supplier: a, amount: 5n }, { supplier: b, amount: 3n }],
    });
    expect([e2.amountOf(a), e2.amountOf(b), e2.amountOf(c)]).to.deep.equal([15n, 3n, 7n]);
    expect(e2.maxTotalClaim).to.equal(25n);
    const order = [...e2.entries()].map((e) => e.supplier.toBuffer());
    expect(order).to.deep.equal([...order].sort(Buffer.compare));
    const e3 = Distribution.build({ distributor: DISTRIBUTOR, epoch: 5n, previous: e2, earned: [] });
    expect(e3.root).to.deep.equal(
      Distribution.fromEntitlements({ distributor: DISTRIBUTOR, epoch: 5n, entitlements: [...e2.entries()] }).root,
      "an epoch without earnings keeps every leaf",
    );
  });

  it("builds the same tree on worker threads as on one thread, for even and odd sizes", async function () {
    this.timeout(20_000);
    for (const [size, threads] of [[20_000, 2], [33_793, 3], [65_537, 2]] as const) {
      const suppliers = Buffer.alloc(size * 32);
      for (let i = 0; i < size; i++) suppliers.writeUInt32BE((i * 2_654_435_761) >>> 0, i * 32 + 4);
      const amounts = new BigUint64Array(size).map((_, i) => BigInt(i + 1));
      const one = Distribution.build({ distributor: DISTRIBUTOR, epoch: 1n, earned: { suppliers, amounts } });
      const many = await Distribution.buildParallel({ distributor: DISTRIBUTOR, epoch: 1n, earned: { suppliers, amounts }, threads });
      expect(many.root.toString("hex")).to.equal(one.root.toString("hex"), `${size} leaves on ${threads} threads`);
      for (const i of [0, 1, size >> 1, size - 1]) expect(many.claimAt(i).proof).to.deep.equal(one.claimAt(i).proof);
    }
  });

  it("gives the same root whatever the order of the earnings", () => {
    const earned = Array.from({ length: 50 }, (_, i) => ({ supplier: Keypair.generate().publicKey, amount: BigInt(i * 7 + 1) }));
    const forward = Distribution.build({ distributor: DISTRIBUTOR, epoch: 1n, earned });
    const backward = Distribution.build({ distributor: DISTRIBUTOR, epoch: 1n, earned: [...earned].reverse() });
    expect(forward.root).to.deep.equal(backward.root);
  });

  it("refuses a repeated supplier, amounts past u64, epochs that do not increase and another distributor's previous state", () => {
    const a = Keypair.generate().publicKey;
    expect(() => Distribution.build({ distributor: DISTRIBUTOR, epoch: 1n, earned: [{ supplier: a, amount: 1n }, { supplier: a, amount: 2n }] })).to.throw(/twice/);
    expect(() => Distribution.build({ distributor: DISTRIBUTOR, epoch: 1n, earned: [{ supplier: a, amount: 1n << 64n }] })).to.throw(/u64/);
    const e1 = Distribution.build({ distributor: DISTRIBUTOR, epoch: 3n, earned: [{ supplier: a, amount: (1n << 64n) - 1n }] });
    expect(() => Distribution.build({ distributor: DISTRIBUTOR, epoch: 4n, previous: e1, earned: [{ supplier: a, amount: 1n }] })).to.throw(/u64/);
    expect(() => Distribution.build({ distributor: DISTRIBUTOR, epoch: 3n, previous: e1, earned: [] })).to.throw(/greater/);
    expect(() => Distribution.build({ distributor: new PublicKey(bytes(8)), epoch: 4n, previous: e1, earned: [] })).to.throw(/another distributor/);
    expect(() => Distribution.build({ distributor: DISTRIBUTOR, epoch: 1n, earned: [] })).to.throw(/nothing to distribute/);
  });

  it("proves every leaf, and no proof works for another distributor", () => {
    const earned = Array.from({ length: 33 }, (_, i) => ({ supplier: Keypair.generate().publicKey, amount: BigInt(i + 1) }));
    const d = Distribution.build({ distributor: DISTRIBUTOR, epoch: 1n, earned });
    expect(d.verifyAllProofs()).to.deep.equal([]);
    const claim = d.claimAt(5);
    expect(verifyProof(hashRewardLeaf(DISTRIBUTOR, claim.supplier, claim.cumulativeAmount), claim.proof, d.root)).to.equal(true);
    const replayed = hashRewardLeaf(new PublicKey(bytes(9)), claim.supplier, claim.cumulativeAmount);
    expect(rootFromProof(replayed, claim.proof)).to.not.deep.equal(d.root);
    expect(d.claimFor(Keypair.generate().publicKey)).to.equal(null);
  });

  it("round-trips through JSON, with or without proofs, and refuses a tampered file", () => {
    const earned = Array.from({ length: 20 }, (_, i) => ({ supplier: Keypair.generate().publicKey, amount: BigInt(1_000 + i) }));
    const d = Distribution.build({ distributor: DISTRIBUTOR, epoch: 4n, earned });
    const json = JSON.parse(JSON.stringify(d.toJSON({ proofs: true })));
    expect(json.proofs).to.have.length(20);
    const back = Distribution.fromJSON(json);
    expect(back.root).to.deep.equal(d.root);
    expect(back.epoch).to.equal(4n);
    expect(Distribution.fromJSON(d.toJSON()).maxTotalClaim).to.equal(d.maxTotalClaim);
    const tampered = { ...json, leaves: json.leaves.map((l: [string, string], i: number) => (i === 3 ? [l[0], "1"] : l)) };
    expect(() => Distribution.fromJSON(tampered)).to.throw(/root/);
  });

  it("hands a supplier its claim as JSON, which verifies on its own", () => {
    const supplier = Keypair.generate().publicKey;
    const d = Distribution.build({ distributor: DISTRIBUTOR, epoch: 2n, earned: [{ supplier, amount: 77n }, { supplier: Keypair.generate().publicKey, amount: 1n }] });
    const claim = claimFromJSON(JSON.parse(JSON.stringify(d.claimJSON(supplier))));
    expect(claim.cumulativeAmount).to.equal(77n);
    expect(claim.root).to.deep.equal(d.root);
    const forged = { ...d.claimJSON(supplier)!, cumulativeAmount: "78" };
    expect(() => claimFromJSON(forged)).to.throw(/does not verify/);
  });
});
