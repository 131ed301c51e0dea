// The epoch reward formula (docs/rewards.md): integer splits that always add up to the budget, units and
// uptime pools, the uptime floor, and recorded node work aggregated per supplier. Off-chain only.
import { expect } from "chai";
import { Keypair, PublicKey } from "@solana/web3.js";
import {
  type EpochWork,
  type NodeWork,
  type RecordedWorkSource,
  type SupplierWork,
  aggregateNodeWork,
  computeEpochRewards,
  epochRewardsFromSource,
  splitProRata,
} from "../../ts-client/src/index.js";

const HOUR = 3_600n;
const EPOCH = 24n * HOUR;
const key = (b: number) => new PublicKey(new Uint8Array(32).fill(b));
const amounts = (rewards: { supplier: unknown; amount: bigint }[]) => rewards.map((r) => r.amount);

/** xorshift, so every run checks the same sequences. */
function random(seed: bigint) {
  let s = seed;
  return (n: bigint) => {
    s ^= (s << 13n) & 0xffff_ffff_ffff_ffffn;
    s ^= s >> 7n;
    s ^= (s << 17n) & 0xffff_ffff_ffff_ffffn;
    return s % n;
  };
}

describe("rewards: epoch formula (off-chain)", () => {
  it("splits a pool in proportion, handing the remainder to the largest fractional parts", () => {
    expect(splitProRata(100n, [1n, 1n, 1n])).to.deep.equal([34n, 33n, 33n], "ties: earlier (lower address) first");
    expect(splitProRata(10n, [1n, 2n, 3n, 0n])).to.deep.equal([2n, 3n, 5n, 0n]);
    expect(splitProRata(7n, [0n, 0n])).to.deep.equal([0n, 0n]);
    expect(splitProRata(0n, [5n])).to.deep.equal([0n]);
  });

  it("always distributes exactly the budget over seeded random inputs", () => {
    const next = random(0x9e3779b97f4a7c15n);
    for (let run = 0; run < 200; run++) {
      const suppliers: SupplierWork[] = Array.from({ length: 1 + Number(next(40n)) }, (_, i) => {
        const nodes = next(4n);
        return { supplier: key(i + 1), units: next(3n) === 0n ? 0n : next(1_000_000n), nodes, uptimeSeconds: nodes === 0n ? 0n : next(nodes * EPOCH + 1n) };
      });
      const budget = next(1n << 62n);
      const result = computeEpochRewards({ epoch: 1n, epochSeconds: EPOCH, suppliers }, { budget, workShareBps: next(10_001n), minUptimeBps: next(10_001n) });
      const total = amounts([...result.rewards]).reduce((a, b) => a + b, 0n);
      expect(total).to.equal(result.distributed);
      expect(result.distributed + result.undistributed).to.equal(budget);
      expect(result.undistributed === 0n || result.distributed === 0n).to.equal(true);
      expect(result.rewards.every((r) => r.amount > 0n)).to.equal(true);
    }
  });

  it("pays the work pool by units and the uptime pool by node-seconds", () => {
    const work: EpochWork = {
      epoch: 3n,
      epochSeconds: EPOCH,
      suppliers: [
        { supplier: key(1), units: 300n, nodes: 1n, uptimeSeconds: EPOCH },
        { supplier: key(2), units: 100n, nodes: 2n, uptimeSeconds: EPOCH },
        { supplier: key(3), units: 0n, nodes: 1n, uptimeSeconds: EPOCH },
      ],
    };
    const result = computeEpochRewards(work, { budget: 1_000n, workShareBps: 8_000n, minUptimeBps: 0n });
    expect([result.workPool, result.uptimePool]).to.deep.equal([800n, 200n]);
    // work: 600 / 200 / 0; uptime (1 : 1 : 1 days of node time): 67 / 67 / 66
    expect(amounts([...result.rewards])).to.deep.equal([667n, 267n, 66n]);
  });

  it("gives no uptime reward below the uptime floor and moves an empty pool to the other", () => {
    const suppliers: SupplierWork[] = [
      { supplier: key(1), units: 10n, nodes: 1n, uptimeSeconds: EPOCH / 2n },
      { supplier: key(2), units: 10n, nodes: 1n, uptimeSeconds: EPOCH },
    ];
    const floor = computeEpochRewards({ epoch: 1n, epochSeconds: EPOCH, suppliers }, { budget: 100n, workShareBps: 5_000n, minUptimeBps: 9_000n });
    expect(amounts([...floor.rewards])).to.deep.equal([25n, 75n]);
    const idle = suppliers.map((s) => ({ ...s, units: 0n }));
    const uptimeOnly = computeEpochRewards({ epoch: 1n, epochSeconds: EPOCH, suppliers: idle }, { budget: 100n, workShareBps: 5_000n, minUptimeBps: 0n });
    expect([uptimeOnly.workPool, uptimeOnly.uptimePool]).to.deep.equal([0n, 100n]);
    const nobody = computeEpochRewards({ epoch: 1n, epochSeconds: EPOCH, suppliers: [] }, { budget: 100n, workShareBps: 5_000n, minUptimeBps: 0n });
    expect([nobody.distributed, nobody.undistributed]).to.deep.equal([0n, 100n]);
  });

  it("refuses inconsistent work: uptime above its nodes' time, repeated suppliers, bad policies", () => {
    const base = { epoch: 1n, epochSeconds: EPOCH };
    const policy = { budget: 1n, workShareBps: 5_000n, minUptimeBps: 0n };
    expect(() => computeEpochRewards({ ...base, suppliers: [{ supplier: key(1), units: 1n, nodes: 1n, uptimeSeconds: EPOCH + 1n }] }, policy)).to.throw(/uptime/);
    const twice = [1, 1].map((b) => ({ supplier: key(b), units: 1n, nodes: 1n, uptimeSeconds: 1n }));
    expect(() => computeEpochRewards({ ...base, suppliers: twice }, policy)).to.throw(/twice/);
    expect(() => computeEpochRewards({ ...base, suppliers: [] }, { ...policy, workShareBps: 10_001n })).to.throw(/workShareBps/);
    expect(() => computeEpochRewards({ ...base, suppliers: [] }, { ...policy, budget: 1n << 64n })).to.throw(/u64/);
  });

  it("adds up recorded node work per owner, each node's uptime capped at the epoch", () => {
    const owner = Keypair.generate().publicKey;
    const other = Keypair.generate().publicKey;
    const nodes: NodeWork[] = [
      { node: key(11), owner, units: 5n, uptimeSeconds: EPOCH + 100n },
      { node: key(12), owner, units: 7n, uptimeSeconds: HOUR },
      { node: key(13), owner: other, units: 1n, uptimeSeconds: 0n },
    ];
    const work = aggregateNodeWork(EPOCH, nodes);
    const mine = work.find((w) => new PublicKey(w.supplier).equals(owner))!;
    expect([mine.units, mine.uptimeSeconds, mine.nodes]).to.deep.equal([12n, EPOCH + HOUR, 2n]);
    expect(work).to.have.length(2);
  });

  it("computes an epoch's rewards from a recorded-work source (the indexer's interface)", async () => {
    const owner = Keypair.generate().publicKey;
    const source: RecordedWorkSource = {
      epochWork: async (epoch) => ({ epochSeconds: EPOCH, nodes: epoch === 7n ? [{ owner, units: 10n, uptimeSeconds: EPOCH }] : [] }),
    };
    const result = await epochRewardsFromSource(source, 7n, { budget: 1_000n, workShareBps: 7_000n, minUptimeBps: 5_000n });
    expect(result.rewards).to.have.length(1);
    expect(result.rewards[0].amount).to.equal(1_000n);
    expect((result.rewards[0].supplier as PublicKey).equals(owner)).to.equal(true);
  });
});
