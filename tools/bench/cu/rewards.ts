// Compute units of every rewards instruction, run in LiteSVM in a realistic state: SOL, SPL Token and
// Token-2022 distributors whose root covers 100,000 suppliers (proofs of depth 17).
//
// A first claim creates the supplier's claim status at its canonical PDA: the program checks that every
// higher bump lands on the curve (gives no address), about 340 CU per higher bump, so its cost depends on the
// supplier. Half of all suppliers have bump 255 (no check), a quarter 254 (one), an eighth 253, and so on;
// first claims are reported for suppliers of given bumps and as the median over a random sample.
//
// For reference, a bare `transfer_checked` sent straight to each token program: the difference between the
// two is what makes Token-2022 claims dearer than SPL Token ones.
import { randomBytes } from "node:crypto";
import { TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID, createTransferCheckedInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
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

  // the claim-status bumps whose first claims are reported (SPL Token, the target's case, the most)
  const kinds: Array<{ name: string; programId: PublicKey | null; bumps: number[] }> = [
    { name: "SOL", programId: null, bumps: [255, 254] },
    { name: "SPL Token", programId: TOKEN_PROGRAM_ID, bumps: [255, 254, 253, 250] },
    { name: "Token-2022", programId: TOKEN_2022_PROGRAM_ID, bumps: [255, 254] },
  ];
  let id = 1n;
  for (const kind of kinds) {
    const reward = await rewardMint(f, kind.programId);
    const distributor = await create(f, reward, id++);
    row("create_distributor", kind.programId ? `${kind.name} (vault: the distributor's associated token account)` : "SOL");

    // suppliers with known claim-status bumps, then a random sample
    const known = kind.bumps.map((bump) => bySuppliersBump(f, distributor, bump));
    const sample = [...known, ...Array.from({ length: SAMPLE }, () => Keypair.generate())];
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
    kind.bumps.forEach((bump, i) => {
      if (e1.claimFor(known[i].publicKey)!.proof.length !== depth) throw new Error(`the bump-${bump} supplier's proof is shorter than ${depth}`);
      row("claim", `first (claim status created), depth ${depth}, ${kind.name}, supplier with bump ${bump} (1 in ${2 ** (256 - bump)})`, firsts[i]);
    });
    const random = firsts.slice(known.length).sort((a, b) => a - b);
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
    if (reward.kind === "token") {
      // the token program alone: the authority's tokens to the treasury, sent directly
      const source = getAssociatedTokenAddressSync(reward.mint, f.authority.publicKey, false, reward.tokenProgram);
      const destination = getAssociatedTokenAddressSync(reward.mint, treasury, false, reward.tokenProgram);
      const decimals = f.t.account(reward.mint)!.data[44];
      await f.t.send(createTransferCheckedInstruction(source, reward.mint, destination, f.authority.publicKey, 1n, decimals, [], reward.tokenProgram), { signers: [f.authority] });
      rows.push({ program: kind.name, instruction: "transfer_checked", case: "sent directly (reference for the claims' transfer)", cu: cu() });
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

/**
 * A new supplier whose claim status with `distributor` has canonical bump `bump`. Its address sorts in the
 * first 15/16 of the root's suppliers, whose proofs have the tree's full depth (the last ones' are shorter).
 */
function bySuppliersBump(f: RewardsFixture, distributor: DistributorRef, bump: number): Keypair {
  for (;;) {
    const candidate = Keypair.generate();
    if (candidate.publicKey.toBytes()[0] >= 0xf0) continue;
    if (claimStatusPda(f.rewards.programId, distributor.address, candidate.publicKey)[1] === bump) return candidate;
  }
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
