// High-level client for the rewards program: one method per instruction (same name), each with an `...Ix`
// builder beside it, plus account fetchers, event decoding, and calls that publish a Distribution and
// claim from it. Wraps Anchor's typed Program.
import anchor from "@coral-xyz/anchor";
import type { Program } from "@coral-xyz/anchor";
import { createAssociatedTokenAccountIdempotentInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { type Keypair, PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import { bn, bytes32, keyOf, ProgramClient, type SignerLike } from "../common/program-client.js";
import type { Rewards as RewardsIdl } from "../generated/rewards.js";
import type { Funding } from "../escrow/client.js";
import { SOL_MINT } from "../escrow/pda.js";
import { claimStatusAddress, distributorAddress, rewardsVaultAddress } from "./pda.js";
import type { Distribution, RewardClaim } from "./distribution.js";
import { hashRewardLeaf } from "./leaf.js";
import { flagProof } from "../merkle.js";

const { BN, EventParser } = anchor;

/** A distributor's address and reward mint: what every instruction on it needs to know. */
export interface DistributorRef {
  readonly address: PublicKey;
  /** SOL, or the token mint and its program. */
  readonly reward: Funding;
}

/** A decoded rewards event: its IDL name and fields (camelCase, u64 as BN). */
export interface RewardsEvent {
  readonly name: string;
  readonly data: Record<string, unknown>;
}

export interface CreateDistributorParams {
  readonly creator: SignerLike;
  /** The creator's number for this distributor; never reuse one after a close (docs/rewards.md). */
  readonly id: bigint;
  /** Publishes roots (default: the creator). */
  readonly authority?: PublicKey;
  readonly treasury: PublicKey;
  readonly expiresAt: bigint;
  readonly reward: Funding;
}

export class RewardsClient extends ProgramClient<RewardsIdl> {
  private readonly parser: InstanceType<typeof EventParser>;

  constructor(program: Program<RewardsIdl>) {
    super(program);
    this.parser = new EventParser(program.programId, this.coder);
  }



  // ---- addresses
  distributor(creator: PublicKey, id: bigint, reward: Funding): PublicKey {
    return distributorAddress(this.programId, creator, id, mintOf(reward));
  }
  /** A token distributor's vault (null for SOL). */
  vault(distributor: PublicKey, reward: Funding): PublicKey | null {
    return reward.kind === "sol" ? null : rewardsVaultAddress(distributor, reward.mint, reward.tokenProgram);
  }
  claimStatus(distributor: PublicKey, supplier: PublicKey): PublicKey {
    return claimStatusAddress(this.programId, distributor, supplier);
  }
  /** Where a supplier's (or the treasury's) rewards go: its wallet for SOL, its associated token account for a token. */
  recipientAccount(owner: PublicKey, reward: Funding): PublicKey {
    return reward.kind === "sol" ? owner : getAssociatedTokenAddressSync(reward.mint, owner, true, reward.tokenProgram);
  }

  // ---- reads
  fetchDistributor(distributor: PublicKey) {
    return this.program.account.distributor.fetch(distributor);
  }
  /** The distributor's state plus its address and reward mint. */
  async distributorRef(distributor: PublicKey): Promise<DistributorRef> {
    const state = await this.fetchDistributor(distributor);
    const reward: Funding = state.mint.equals(SOL_MINT) ? { kind: "sol" } : { kind: "token", mint: state.mint, tokenProgram: state.tokenProgram };
    return { address: distributor, reward };
  }
  /** A supplier's claim status, or null before its first claim. */
  fetchClaimStatus(distributor: PublicKey, supplier: PublicKey) {
    return this.program.account.claimStatus.fetchNullable(this.claimStatus(distributor, supplier));
  }

  /** Rewards events in a transaction's logs, in order. */
  parseEvents(logs: readonly string[]): RewardsEvent[] {
    return [...this.parser.parseLogs([...logs])].map((e) => ({ name: e.name, data: e.data as Record<string, unknown> }));
  }


  /** The vault, mint and token program of an instruction (all null for SOL). */
  private tokenAccounts(distributor: PublicKey, reward: Funding) {
    if (reward.kind === "sol") return { vault: null, mint: null, tokenProgram: null };
    return { vault: this.vault(distributor, reward), mint: reward.mint, tokenProgram: reward.tokenProgram };
  }

  // ---- setup
  /**
   * The instructions that create a distributor: for a token, first its vault (the distributor's
   * associated token account, created idempotently), then `create_distributor`.
   */
  async createDistributorIxs(p: Omit<CreateDistributorParams, "creator"> & { creator: PublicKey }): Promise<TransactionInstruction[]> {
    const distributor = this.distributor(p.creator, p.id, p.reward);
    const ixs: TransactionInstruction[] = [];
    if (p.reward.kind === "token") {
      const vault = rewardsVaultAddress(distributor, p.reward.mint, p.reward.tokenProgram);
      ixs.push(createAssociatedTokenAccountIdempotentInstruction(p.creator, vault, distributor, p.reward.mint, p.reward.tokenProgram));
    }
    ixs.push(await this.createDistributorIx(p));
    return ixs;
  }
  createDistributorIx(p: Omit<CreateDistributorParams, "creator"> & { creator: PublicKey }) {
    const distributor = this.distributor(p.creator, p.id, p.reward);
    return this.program.methods
      .createDistributor(bn(p.id), p.authority ?? p.creator, p.treasury, bn(p.expiresAt))
      .accountsPartial({ creator: p.creator, distributor, systemProgram: SystemProgram.programId, ...this.tokenAccounts(distributor, p.reward) })
      .instruction();
  }
  async createDistributor(p: CreateDistributorParams): Promise<{ signature: string; distributor: DistributorRef }> {
    const creator = keyOf(p.creator);
    const signature = await this.send(await this.createDistributorIxs({ ...p, creator }), [p.creator]);
    return { signature, distributor: { address: this.distributor(creator, p.id, p.reward), reward: p.reward } };
  }

  fundDistributorIx(p: { funder: PublicKey; distributor: DistributorRef; amount: bigint; funderToken?: PublicKey }) {
    const { address, reward } = p.distributor;
    return this.program.methods
      .fundDistributor(bn(p.amount))
      .accountsPartial({
        funder: p.funder,
        distributor: address,
        systemProgram: SystemProgram.programId,
        ...this.tokenAccounts(address, reward),
        funderToken: reward.kind === "sol" ? null : (p.funderToken ?? this.recipientAccount(p.funder, reward)),
      })
      .instruction();
  }
  async fundDistributor(p: { funder: SignerLike; distributor: DistributorRef; amount: bigint; funderToken?: PublicKey }) {
    return this.send(await this.fundDistributorIx({ ...p, funder: keyOf(p.funder) }), [p.funder]);
  }

  // ---- epochs
  publishRootIx(p: { authority: PublicKey; distributor: DistributorRef; epoch: bigint; root: Uint8Array; maxTotalClaim: bigint; maxNumNodes: bigint }) {
    const { address, reward } = p.distributor;
    return this.program.methods
      .publishRoot(bn(p.epoch), bytes32(p.root), bn(p.maxTotalClaim), bn(p.maxNumNodes))
      .accountsPartial({ authority: p.authority, distributor: address, ...this.tokenAccounts(address, reward) })
      .instruction();
  }
  async publishRoot(p: { authority: SignerLike; distributor: DistributorRef; epoch: bigint; root: Uint8Array; maxTotalClaim: bigint; maxNumNodes: bigint }) {
    return this.send(await this.publishRootIx({ ...p, authority: keyOf(p.authority) }), [p.authority]);
  }

  /**
   * Publishes a distribution's root with its totals as guards; with `fund`, first deposits what the root
   * adds over what the vault holds, in the same transaction.
   */
  async publishDistribution(p: { authority: SignerLike; distributor: DistributorRef; distribution: Distribution; fund?: { funder: SignerLike; amount: bigint; funderToken?: PublicKey } }) {
    if (!p.distribution.distributor.equals(p.distributor.address)) throw new Error("the distribution was built for another distributor");
    const ixs: TransactionInstruction[] = [];
    const signers: SignerLike[] = [p.authority];
    if (p.fund && p.fund.amount > 0n) {
      ixs.push(await this.fundDistributorIx({ funder: keyOf(p.fund.funder), distributor: p.distributor, amount: p.fund.amount, funderToken: p.fund.funderToken }));
      signers.push(p.fund.funder);
    }
    ixs.push(
      await this.publishRootIx({
        authority: keyOf(p.authority),
        distributor: p.distributor,
        epoch: p.distribution.epoch,
        root: p.distribution.root,
        maxTotalClaim: p.distribution.maxTotalClaim,
        maxNumNodes: p.distribution.maxNumNodes,
      }),
    );
    return this.send(ixs, signers);
  }

  // ---- claims
  /** Claims for `claim.supplier`, paid to its wallet (SOL) or `destination` (default: its associated token account). */
  claimIx(p: {
    payer: PublicKey;
    distributor: DistributorRef;
    claim: Pick<RewardClaim, "supplier" | "cumulativeAmount" | "proof">;
    destination?: PublicKey;
    /** Overrides the claim status address (tests of the program's checks). */
    claimStatus?: PublicKey;
  }) {
    const { address, reward } = p.distributor;
    return this.program.methods
      .claim(p.claim.supplier, bn(p.claim.cumulativeAmount), flaggedProofOf(address, p.claim))
      .accountsPartial({
        payer: p.payer,
        distributor: address,
        claimStatus: p.claimStatus ?? claimStatusAddress(this.programId, address, p.claim.supplier),
        destination: p.destination ?? this.recipientAccount(p.claim.supplier, reward),
        systemProgram: SystemProgram.programId,
        ...this.tokenAccounts(address, reward),
      })
      .instruction();
  }
  /**
   * Claims for `claim.supplier` (the signer pays fees and, on a first claim, the claim status's rent).
   * `createDestination` first creates the supplier's associated token account when it has none.
   */
  async claim(p: {
    payer?: SignerLike;
    distributor: DistributorRef;
    claim: Pick<RewardClaim, "supplier" | "cumulativeAmount" | "proof">;
    destination?: PublicKey;
    claimStatus?: PublicKey;
    createDestination?: boolean;
  }) {
    const payer = p.payer ?? this.wallet;
    const ixs: TransactionInstruction[] = [];
    const { reward } = p.distributor;
    if (p.createDestination && reward.kind === "token" && !p.destination) {
      const ata = this.recipientAccount(p.claim.supplier, reward);
      ixs.push(createAssociatedTokenAccountIdempotentInstruction(keyOf(payer), ata, p.claim.supplier, reward.mint, reward.tokenProgram));
    }
    ixs.push(await this.claimIx({ ...p, payer: keyOf(payer) }));
    return this.send(ixs, [payer]);
  }

  // ---- authority
  updateDistributorIx(p: { authority: PublicKey; distributor: PublicKey; treasury: PublicKey; expiresAt: bigint; paused: boolean }) {
    return this.program.methods
      .updateDistributor(p.treasury, bn(p.expiresAt), p.paused)
      .accountsPartial({ authority: p.authority, distributor: p.distributor })
      .instruction();
  }
  async updateDistributor(p: { authority: SignerLike; distributor: PublicKey; treasury: PublicKey; expiresAt: bigint; paused: boolean }) {
    return this.send(await this.updateDistributorIx({ ...p, authority: keyOf(p.authority) }), [p.authority]);
  }

  proposeAuthorityIx(p: { authority: PublicKey; distributor: PublicKey; newAuthority: PublicKey }) {
    return this.program.methods.proposeAuthority(p.newAuthority).accountsPartial({ authority: p.authority, distributor: p.distributor }).instruction();
  }
  async proposeAuthority(p: { authority: SignerLike; distributor: PublicKey; newAuthority: PublicKey }) {
    return this.send(await this.proposeAuthorityIx({ ...p, authority: keyOf(p.authority) }), [p.authority]);
  }

  acceptAuthorityIx(p: { newAuthority: PublicKey; distributor: PublicKey }) {
    return this.program.methods.acceptAuthority().accountsPartial({ newAuthority: p.newAuthority, distributor: p.distributor }).instruction();
  }
  async acceptAuthority(p: { newAuthority: SignerLike; distributor: PublicKey }) {
    return this.send(await this.acceptAuthorityIx({ ...p, newAuthority: keyOf(p.newAuthority) }), [p.newAuthority]);
  }

  // ---- end of life
  /** Claws back an expired distributor's rewards to `destination` (default: the treasury's wallet or associated token account). */
  clawbackIx(p: { distributor: DistributorRef; treasury: PublicKey; creator: PublicKey; destination?: PublicKey }) {
    const { address, reward } = p.distributor;
    return this.program.methods
      .clawback()
      .accountsPartial({
        distributor: address,
        destination: p.destination ?? this.recipientAccount(p.treasury, reward),
        creator: p.creator,
        ...this.tokenAccounts(address, reward),
      })
      .instruction();
  }
  /** Reads treasury and creator from the distributor, then claws back. */
  async clawback(p: { distributor: DistributorRef; destination?: PublicKey }) {
    const state = await this.fetchDistributor(p.distributor.address);
    return this.send(await this.clawbackIx({ ...p, treasury: state.treasury, creator: state.creator }), []);
  }

  closeClaimStatusIx(p: { distributor: PublicKey; supplier: PublicKey; rentPayer: PublicKey }) {
    return this.program.methods
      .closeClaimStatus()
      .accountsPartial({ claimStatus: this.claimStatus(p.distributor, p.supplier), distributor: p.distributor, rentPayer: p.rentPayer })
      .instruction();
  }
  /** Reads the rent payer from the claim status, then closes it. */
  async closeClaimStatus(p: { distributor: PublicKey; supplier: PublicKey }) {
    const status = await this.fetchClaimStatus(p.distributor, p.supplier);
    if (!status) throw new Error("that supplier has no claim status");
    return this.send(await this.closeClaimStatusIx({ ...p, rentPayer: status.rentPayer }), []);
  }
}

/** The claim's proof as the program takes it: each sibling behind its order flag (docs/rewards.md). */
function flaggedProofOf(distributor: PublicKey, claim: Pick<RewardClaim, "supplier" | "cumulativeAmount" | "proof">): number[][] {
  const leaf = hashRewardLeaf(distributor, claim.supplier, claim.cumulativeAmount);
  return flagProof(leaf, claim.proof).map((element) => Array.from(element));
}

function mintOf(reward: Funding): PublicKey {
  return reward.kind === "sol" ? SOL_MINT : reward.mint;
}


