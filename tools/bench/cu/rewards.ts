// Compute units of every rewards instruction, run in LiteSVM in a realistic state: SOL, SPL Token and
// Token-2022 distributors whose root covers 100,000 suppliers (proofs of depth 17).
//
// A first claim creates the supplier's claim status at its canonical PDA: the program checks that no higher
// bump gives an address, at 1,500 CU per higher bump, so its cost depends on the supplier. Half of all
// suppliers have bump 255 (no check), a quarter 254 (one), and so on; first claims are reported for a
// bump-255 supplier, a bump-254 one, and as the median over a sample.
import { randomBytes } from "node:crypto";
import { TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { Keypair, type PublicKey } from "@solana/web3.js";
import { Distribution, type DistributorRef, type Funding, claimStatusPda, toBigInt } from "../../../ts-client/src/index.js";
import { DAY, openRecipients, rewardMint, rewardsFixture, type RewardsFixture } from "../../../tests/rewards/fixture.js";
import type { CuRow, CuScenario } from "./types.js";

/** Suppliers in the benchmark root: 2^16 < n <= 2^17, so proofs are 17 hashes deep. */
export const BENCH_SUPPLIERS = 100_000;
/** First claims measured per reward kind, for the median. */
const SAMPLE = 8;

export const rewardsCuScenario: CuScenario = async () => {
  const rows: CuRow[] = [];
  const f = rewardsFixture({ suppliers: 0 });
  const cu = () => Number(f.t.lastResult!.computeUnitsConsumed);
  const row = (instruction: string, caseName: string, value = cu()) => rows.push({ program: "rewards", instruction, case: caseName, cu: value });

  const kinds: Array<{ name: string; programId: PublicKey | null }> = [
    { name: "SOL", programId: null },
    { name: "SPL Token", programId: TOKEN_PROGRAM_ID },
    { name: "Token-2022", programId: TOKEN_2022_PROGRAM_ID },
  ];
  let id = 1n;
  for (const kind of kinds) {
    const reward = await rewardMint(f, kind.programId);
    const distributor = await create(f, reward, id++);
    row("create_distributor", kind.programId ? `${kind.name} (vault: the distributor's associated token account)` : "SOL");

    // suppliers with a known claim-status bump: 255 (half of all), 254 (a quarter), and a random sample
    const sample = [...bySuppliersBump(f, distributor, 255, 1), ...bySuppliersBump(f, distributor, 254, 1), ...Array.from({ length: SAMPLE }, () => Keypair.generate())];
    for (const s of sample) f.t.airdrop(s.publicKey, 10_000_000n);
    await openRecipients(f, reward, sample.map((s) => s.publicKey));
    const treasury = f.treasury.publicKey;
    await openRecipients(f, reward, [treasury]);

    const e1 = benchDistribution(distributor, 1n, sample.map((s) => s.publicKey));
    await f.rewards.fundDistributor({ funder: f.authority, distributor, amount: e1.maxTotalClaim });
    row("fund_distributor", kind.name);
    await publish(f, distributor, e1);
    row("publish_root", `${BENCH_SUPPLIERS.toLocaleString("en-US")} suppliers`);

    const depth = Math.max(...sample.map((s) => e1.claimFor(s.publicKey)!.proof.length));
    const firsts: number[] = [];
    for (const s of sample) {
      await f.rewards.claim({ distributor, claim: e1.claimFor(s.publicKey)! });
      firsts.push(cu());
    }
    row("claim", `first (claim status created), depth ${depth}, ${kind.name}, supplier with bump 255 (1 in 2)`, firsts[0]);
    row("claim", `first (claim status created), depth ${depth}, ${kind.name}, supplier with bump 254 (1 in 4)`, firsts[1]);
    const random = firsts.slice(2).sort((a, b) => a - b);
    row("claim", `first (claim status created), depth ${depth}, ${kind.name}, median of ${SAMPLE} random suppliers`, random[random.length >> 1]);

    const e2 = benchDistribution(distributor, 2n, sample.map((s) => s.publicKey), e1);
    await f.rewards.fundDistributor({ funder: f.authority, distributor, amount: e2.maxTotalClaim - e1.maxTotalClaim });
    await publish(f, distributor, e2);
    await f.rewards.claim({ distributor, claim: e2.claimFor(sample[0].publicKey)! });
    row("claim", `later, depth ${depth}, ${kind.name}`);

    if (kind.programId === null) {
      const state = await f.rewards.fetchDistributor(distributor.address);
      const newAuthority = f.t.fundedKeypair();
      await f.rewards.updateDistributor({ authority: f.authority, distributor: distributor.address, treasury, expiresAt: toBigInt(state.expiresAt), paused: false });
      row("update_distributor", "treasury, expiry, pause");
      await f.rewards.proposeAuthority({ authority: f.authority, distributor: distributor.address, newAuthority: newAuthority.publicKey });
      row("propose_authority", "nominate");
      await f.rewards.acceptAuthority({ newAuthority, distributor: distributor.address });
      row("accept_authority", "nominee accepts");
    }
    f.t.advance({ seconds: 31n * DAY });
    await f.rewards.clawback({ distributor });
    row("clawback", kind.programId ? `${kind.name} (vault emptied and closed)` : "SOL");
    if (kind.programId === null) {
      await f.rewards.closeClaimStatus({ distributor: distributor.address, supplier: sample[0].publicKey });
      row("close_claim_status", "after clawback");
    }
  }
  return rows;
};

/** A distributor expiring in 30 days; for a token, its vault is created in a transaction of its own first. */
async function create(f: RewardsFixture, reward: Funding, id: bigint): Promise<DistributorRef> {
  const params = { creator: f.creator.publicKey, id, authority: f.authority.publicKey, treasury: f.treasury.publicKey, expiresAt: f.t.clock().unixTimestamp + 30n * DAY, reward };
  const ixs = await f.rewards.createDistributorIxs(params);
  for (const ix of ixs) await f.t.send(ix);
  return { address: f.rewards.distributor(f.creator.publicKey, id, reward), reward };
}

/** `count` new suppliers whose claim status with `distributor` has canonical bump `bump`. */
function bySuppliersBump(f: RewardsFixture, distributor: DistributorRef, bump: number, count: number): Keypair[] {
  const found: Keypair[] = [];
  while (found.length < count) {
    const candidate = Keypair.generate();
    if (claimStatusPda(f.rewards.programId, distributor.address, candidate.publicKey)[1] === bump) found.push(candidate);
  }
  return found;
}

/** 100,000 suppliers (the given ones among them) with amounts; on top of `previous`, only the given ones earn. */
function benchDistribution(distributor: DistributorRef, epoch: bigint, known: readonly PublicKey[], previous?: Distribution): Distribution {
  const n = previous ? known.length : BENCH_SUPPLIERS;
  const suppliers = Buffer.concat([...known.map((k) => k.toBuffer()), randomBytes((n - known.length) * 32)]);
  const amounts = new BigUint64Array(n).map((_, i) => 1_000n + BigInt(i % 977));
  return Distribution.build({ distributor: distributor.address, epoch, previous, earned: { suppliers, amounts } });
}

function publish(f: RewardsFixture, distributor: DistributorRef, d: Distribution) {
  return f.rewards.publishRoot({ authority: f.authority, distributor, epoch: d.epoch, root: d.root, maxTotalClaim: d.maxTotalClaim, maxNumNodes: d.maxNumNodes });
}
