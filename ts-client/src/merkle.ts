// Merkle trees over sha256 with domain separation: the TypeScript twin of programs/sdk/src/merkle.rs,
// specified in docs/merkle.md. Levels are kept as contiguous buffers (32 bytes per node) so a
// million-leaf tree is two allocations per level, not millions of small buffers.
import { hash as nodeHash } from "node:crypto";

export const LEAF_PREFIX = 0x00;
export const NODE_PREFIX = 0x01;
export const MAX_DEPTH = 32;

const sha256 = (data: Buffer): Buffer => nodeHash("sha256", data, "buffer") as unknown as Buffer;

/** sha256(0x00 ++ leaf bytes). */
export function hashLeaf(leaf: Uint8Array): Buffer {
  const pre = Buffer.allocUnsafe(1 + leaf.length);
  pre[0] = LEAF_PREFIX;
  pre.set(leaf, 1);
  return sha256(pre);
}

/** sha256(0x01 ++ min(a, b) ++ max(a, b)). */
export function hashNode(a: Uint8Array, b: Uint8Array): Buffer {
  const pre = Buffer.allocUnsafe(65);
  pre[0] = NODE_PREFIX;
  const aFirst = Buffer.compare(a, b) <= 0;
  pre.set(aFirst ? a : b, 1);
  pre.set(aFirst ? b : a, 33);
  return sha256(pre);
}

/** Root reached from a leaf hash through a proof (sibling hashes, bottom-up). */
export function rootFromProof(leafHash: Uint8Array, proof: readonly Uint8Array[]): Buffer {
  let node: Buffer = Buffer.from(leafHash);
  for (const sibling of proof) node = hashNode(node, sibling);
  return node;
}

/** True when `proof` links `leafHash` to `root`. */
export function verifyProof(leafHash: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  return proof.length <= MAX_DEPTH && rootFromProof(leafHash, proof).equals(Buffer.from(root));
}

/** A built tree: every level, leaves first. */
export class MerkleTree {
  private constructor(private readonly levels: Buffer[]) {}

  /** Builds the tree over leaf hashes (each 32 bytes), given as one buffer or a list. */
  static fromLeafHashes(leafHashes: Buffer | readonly Uint8Array[]): MerkleTree {
    const leaves = Buffer.isBuffer(leafHashes) ? leafHashes : Buffer.concat(leafHashes.map((h) => Buffer.from(h)));
    if (leaves.length === 0 || leaves.length % 32 !== 0) throw new Error("a tree needs at least one 32-byte leaf hash");
    const levels = [leaves];
    const scratch = Buffer.allocUnsafe(65);
    scratch[0] = NODE_PREFIX;
    let level = leaves;
    while (level.length > 32) {
      const count = level.length / 32;
      const next = Buffer.allocUnsafe(Math.ceil(count / 2) * 32);
      for (let i = 0; i + 1 < count; i += 2) {
        const a = level.subarray(i * 32, i * 32 + 32);
        const b = level.subarray(i * 32 + 32, i * 32 + 64);
        const aFirst = Buffer.compare(a, b) <= 0;
        scratch.set(aFirst ? a : b, 1);
        scratch.set(aFirst ? b : a, 33);
        sha256(scratch).copy(next, (i / 2) * 32);
      }
      if (count % 2 === 1) level.copy(next, next.length - 32, level.length - 32); // odd node moves up
      levels.push(next);
      level = next;
    }
    return new MerkleTree(levels);
  }

  /**
   * A tree from its lower levels, already built (leaves first; each level pairs the one below, its odd
   * last node moved up): builds the levels above. For builders that hash the lower levels in parallel,
   * over ranges aligned to a power of two.
   */
  static fromLevels(lower: readonly Buffer[]): MerkleTree {
    if (lower.length === 0 || lower[0].length === 0 || lower[0].length % 32 !== 0) throw new Error("a tree needs at least one 32-byte leaf hash");
    lower.forEach((level, l) => {
      if (l > 0 && level.length !== Math.ceil(lower[l - 1].length / 64) * 32) throw new Error(`level ${l} has the wrong size`);
    });
    const upper = MerkleTree.fromLeafHashes(lower[lower.length - 1]).levels;
    return new MerkleTree([...lower.slice(0, -1), ...upper]);
  }

  /** Builds the tree over encoded leaves (hashed with the leaf prefix). */
  static fromLeaves(leaves: readonly Uint8Array[]): MerkleTree {
    const hashes = Buffer.allocUnsafe(leaves.length * 32);
    leaves.forEach((leaf, i) => hashLeaf(leaf).copy(hashes, i * 32));
    return MerkleTree.fromLeafHashes(hashes);
  }

  get root(): Buffer {
    return Buffer.from(this.levels[this.levels.length - 1]);
  }

  get leafCount(): number {
    return this.levels[0].length / 32;
  }

  get depth(): number {
    return this.levels.length - 1;
  }

  leafHash(index: number): Buffer {
    this.checkIndex(index);
    return Buffer.from(this.levels[0].subarray(index * 32, index * 32 + 32));
  }

  /** Sibling hashes from the leaf's level up (views into the tree: copy them to keep them). */
  proof(index: number): Buffer[] {
    this.checkIndex(index);
    const out: Buffer[] = [];
    for (let l = 0; l < this.levels.length - 1; l++) {
      const level = this.levels[l];
      const sibling = index ^ 1;
      if (sibling * 32 < level.length) out.push(level.subarray(sibling * 32, sibling * 32 + 32));
      index >>= 1;
    }
    return out;
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.leafCount) throw new RangeError(`leaf ${index} is not in a tree of ${this.leafCount}`);
  }
}

/** Flag of a flagged proof element whose sibling sorts after the running node. */
export const NODE_FIRST = 0x00;
/** Flag of a flagged proof element whose sibling sorts before the running node (equals NODE_PREFIX). */
export const SIBLING_FIRST = NODE_PREFIX;

/**
 * A proof with each sibling behind its order flag, `[flag, sibling]` (33 bytes): SIBLING_FIRST when the
 * sibling sorts before the running node, else NODE_FIRST. Twin of `sdk::merkle::root_from_flagged_proof`:
 * the flags spare the verifier its comparisons, and a wrong flag makes the proof fail.
 */
export function flagProof(leafHash: Uint8Array, proof: readonly Uint8Array[]): Buffer[] {
  let node: Buffer = Buffer.from(leafHash);
  return proof.map((sibling) => {
    const element = Buffer.allocUnsafe(33);
    element[0] = Buffer.compare(sibling, node) < 0 ? SIBLING_FIRST : NODE_FIRST;
    element.set(sibling, 1);
    node = hashNode(node, sibling);
    return element;
  });
}

/** Root reached from a leaf hash through a flagged proof, or null when a flag is neither 0 nor 1. */
export function rootFromFlaggedProof(leafHash: Uint8Array, proof: readonly Uint8Array[]): Buffer | null {
  let node: Buffer = Buffer.from(leafHash);
  for (const element of proof) {
    if (element.length !== 33 || (element[0] !== NODE_FIRST && element[0] !== SIBLING_FIRST)) return null;
    const sibling = element.subarray(1);
    const [lo, hi] = element[0] === SIBLING_FIRST ? [sibling, node] : [node, sibling];
    const pre = Buffer.allocUnsafe(65);
    pre[0] = NODE_PREFIX;
    pre.set(lo, 1);
    pre.set(hi, 33);
    node = sha256(pre);
  }
  return node;
}
