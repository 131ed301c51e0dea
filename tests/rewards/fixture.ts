// A LiteSVM with the rewards program deployed through the upgradeable loader and the parties of a typical
// distributor funded. Each test builds its own (a fresh chain per test).
import type { Idl } from "@coral-xyz/anchor";
import { TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { Keypair, LAMPORTS_PER_SOL, PublicKey } from "@solana/web3.js";
import { type ExpectedCustomError, type MintExtension, TestSvm, expectCustomError } from "../harness/index.js";
import {
  Distribution,
  type DistributorRef,
  type EarnedReward,
  type Funding,
  REWARDS_PROGRAM_ID,
  type RewardsClient,
  SOL,
  rewardsClient,
  toBigInt,
} from "../../ts-client/src/index.js";
import rewardsIdl from "../../ts-client/src/generated/rewards.json" with { type: "json" };

export const IDL = rewardsIdl as Idl;
export const DAY = 86_400n;
export const START = 1_800_000_000n;
export const SOL_UNIT = BigInt(LAMPORTS_PER_SOL);

export interface RewardsFixture {
  readonly t: TestSvm;
  readonly rewards: RewardsClient;
  /** The fixture's payer: creates distributors and pays their rent. */
  readonly creator: Keypair;
  /** Publishes roots and funds the vault. */
  readonly authority: Keypair;
  readonly treasury: Keypair;
  readonly suppliers: Keypair[];
}

/** Fresh chain at START with the rewards program and `suppliers` funded wallets. */
export function rewardsFixture(options: { suppliers?: number } = {}): RewardsFixture {
  const t = TestSvm.create({ programs: ["rewards"] });
  t.warp({ unixTimestamp: START });
  const rewards = rewardsClient(t.provider, t.programs.rewards ?? REWARDS_PROGRAM_ID);
  const authority = t.fundedKeypair(1_000n * SOL_UNIT);
  const treasury = t.fundedKeypair();
  const suppliers = Array.from({ length: options.suppliers ?? 3 }, () => t.fundedKeypair());
  return { t, rewards, creator: t.payer, authority, treasury, suppliers };
}

/** The reward kinds every money test runs with. */
export const REWARD_KINDS = [
  { name: "SOL", programId: null },
  { name: "SPL Token", programId: TOKEN_PROGRAM_ID },
  { name: "Token-2022", programId: TOKEN_2022_PROGRAM_ID },
] as const;

/**
 * A reward mint of the given token program (null: SOL) with `supply` minted to the authority's associated
 * token account; for SOL the authority already holds 1,000 SOL.
 */
export async function rewardMint(
  f: RewardsFixture,
  programId: PublicKey | null,
  options: { supply?: bigint; extensions?: MintExtension[]; decimals?: number } = {},
): Promise<Funding> {
  if (programId === null) return SOL;
  const mint = await f.t.createMint({ programId, extensions: options.extensions, decimals: options.decimals });
  const account = await f.t.createTokenAccount({ mint, owner: f.authority.publicKey });
  const supply = options.supply ?? 1_000_000_000_000n;
  if (supply > 0n) await f.t.mintTo(mint, account, supply);
  return { kind: "token", mint, tokenProgram: programId };
}

/** Creates the recipients' token accounts (associated) for a token reward; nothing for SOL. */
export async function openRecipients(f: RewardsFixture, reward: Funding, owners: readonly PublicKey[]): Promise<void> {
  if (reward.kind === "sol") return;
  for (const owner of owners) await f.t.createTokenAccount({ mint: reward.mint, owner });
}

/** Creates a distributor (id 1 by default) expiring in 90 days. */
export async function createDistributor(
  f: RewardsFixture,
  reward: Funding,
  options: { id?: bigint; expiresIn?: bigint } = {},
): Promise<DistributorRef> {
  const { distributor } = await f.rewards.createDistributor({
    creator: f.creator,
    id: options.id ?? 1n,
    authority: f.authority.publicKey,
    treasury: f.treasury.publicKey,
    expiresAt: f.t.clock().unixTimestamp + (options.expiresIn ?? 90n * DAY),
    reward,
  });
  return distributor;
}

/**
 * Builds the next epoch's distribution from `previous` and `earned`, funds the vault with what the epoch
 * adds (or `fund`), and publishes the root.
 */
export async function publishEpoch(
  f: RewardsFixture,
  distributor: DistributorRef,
  earned: readonly EarnedReward[],
  options: { previous?: Distribution; epoch?: bigint; fund?: bigint } = {},
): Promise<Distribution> {
  const distribution = Distribution.build({
    distributor: distributor.address,
    epoch: options.epoch ?? (options.previous ? options.previous.epoch + 1n : 1n),
    previous: options.previous,
    earned,
  });
  const added = distribution.maxTotalClaim - (options.previous?.maxTotalClaim ?? 0n);
  await f.rewards.publishDistribution({
    authority: f.authority,
    distributor,
    distribution,
    fund: { funder: f.authority, amount: options.fund ?? added },
  });
  return distribution;
}

/** What a supplier (or the treasury) holds in the reward: lamports, or its associated token account's balance. */
export function holdings(f: RewardsFixture, reward: Funding, owner: PublicKey): bigint {
  if (reward.kind === "sol") return f.t.balance(owner);
  const account = f.rewards.recipientAccount(owner, reward);
  return f.t.account(account) ? f.t.tokenAccount(account).amount : 0n;
}

/** Rewards held by a distributor: vault balance, or lamports above its rent reserve. */
export async function distributorBalance(f: RewardsFixture, distributor: DistributorRef): Promise<bigint> {
  if (distributor.reward.kind === "token") return f.t.tokenAccount(f.rewards.vault(distributor.address, distributor.reward)!).amount;
  const state = await f.rewards.fetchDistributor(distributor.address);
  return f.t.balance(distributor.address) - toBigInt(state.rentReserve);
}

/** Expects `action` to fail with the rewards (or framework) error `name`. */
export function expectRewardsError(action: Promise<unknown> | (() => Promise<unknown>), name: string, extra: ExpectedCustomError = {}) {
  return expectCustomError(action, { name, ...extra }, IDL);
}

/** Expects `action` to fail with a custom error code (framework errors are not in the IDL). */
export function expectErrorCode(action: Promise<unknown> | (() => Promise<unknown>), code: number) {
  return expectCustomError(action, { code }, IDL);
}

/** Anchor framework error codes the SDK raises. */
export const FRAMEWORK = {
  ConstraintSeeds: 2006,
  ConstraintAddress: 2012,
  RequireKeysNeqViolated: 2504,
  AccountDiscriminatorAlreadySet: 3000,
  AccountDiscriminatorMismatch: 3002,
  AccountDidNotDeserialize: 3003,
  AccountNotEnoughKeys: 3005,
  AccountNotMutable: 3006,
  AccountOwnedByWrongProgram: 3007,
  InvalidProgramId: 3008,
  AccountNotSigner: 3010,
  AccountNotInitialized: 3012,
} as const;

/** A fresh keypair's public key (an address nobody else uses). */
export function newKey(): PublicKey {
  return Keypair.generate().publicKey;
}
