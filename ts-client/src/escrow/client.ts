// High-level client for the escrow program: one method per instruction (same name), each with an
// `...Ix` builder beside it, plus account fetchers and event decoding. Wraps Anchor's typed Program.
import anchor from "@coral-xyz/anchor";
import type { Program } from "@coral-xyz/anchor";
import { type Keypair, PublicKey, SystemProgram } from "@solana/web3.js";
import { bn, bytes32, keyOf, ProgramClient, type SignerLike } from "../common/program-client.js";
import type { Escrow as EscrowIdl } from "../generated/escrow.js";
import { configAddress, earningsAddress, mintVaultAddress, programDataAddress, SOL_MINT, vaultAddress } from "./pda.js";
import { type Payee, sortPayees } from "./payees.js";

const { BN, EventParser } = anchor;
type BNType = InstanceType<typeof BN>;

export type { SignerLike };

/** How an escrow is funded: SOL, or a token through the program's vault for the mint. */
export type Funding =
  | { readonly kind: "sol" }
  | { readonly kind: "token"; readonly mint: PublicKey; readonly tokenProgram: PublicKey };

export const SOL: Funding = { kind: "sol" };

export interface OpenEscrowParams {
  readonly client: SignerLike;
  /** The new escrow's keypair (its address). */
  readonly escrow: Keypair;
  readonly provider: PublicKey;
  readonly providerMeter: PublicKey;
  /** A program PDA allowed to charge (provenance's meter), or omitted for none. */
  readonly programMeter?: PublicKey;
  readonly payees: readonly Payee[];
  readonly maxPricePerUnit: bigint;
  readonly expiresAt: bigint;
  readonly challengeWindow: bigint;
  readonly deposit: bigint;
  readonly funding: Funding;
  /** Token escrows: the client's token account paying the deposit. */
  readonly clientToken?: PublicKey;
}

/** A decoded escrow event: its IDL name and fields (camelCase, u64 as BN). */
export interface EscrowEvent {
  readonly name: string;
  readonly data: Record<string, unknown>;
}

export class EscrowClient extends ProgramClient<EscrowIdl> {
  private readonly parser: InstanceType<typeof EventParser>;

  constructor(program: Program<EscrowIdl>) {
    super(program);
    this.parser = new EventParser(program.programId, this.coder);
  }



  // ---- addresses
  config(): PublicKey {
    return configAddress(this.programId);
  }
  earnings(owner: PublicKey, mint: PublicKey = SOL_MINT): PublicKey {
    return earningsAddress(this.programId, owner, mint);
  }
  mintVault(mint: PublicKey): PublicKey {
    return mintVaultAddress(this.programId, mint);
  }
  vault(mint: PublicKey): PublicKey {
    return vaultAddress(this.programId, mint);
  }

  // ---- reads
  fetchConfig() {
    return this.program.account.config.fetch(this.config());
  }
  fetchEscrow(escrow: PublicKey) {
    return this.program.account.escrow.fetch(escrow);
  }
  fetchEarnings(owner: PublicKey, mint: PublicKey = SOL_MINT) {
    return this.program.account.earnings.fetch(this.earnings(owner, mint));
  }
  fetchMintVault(mint: PublicKey) {
    return this.program.account.mintVault.fetch(this.mintVault(mint));
  }

  /** Escrow events in a transaction's logs, in order. */
  parseEvents(logs: readonly string[]): EscrowEvent[] {
    return [...this.parser.parseLogs([...logs])].map((e) => ({ name: e.name, data: e.data as Record<string, unknown> }));
  }


  /** The token-side accounts of an instruction (all null for SOL). */
  private tokenAccounts(funding: Funding) {
    if (funding.kind === "sol") return { mintVault: null, vault: null, mint: null, tokenProgram: null };
    return {
      mintVault: this.mintVault(funding.mint),
      vault: this.vault(funding.mint),
      mint: funding.mint,
      tokenProgram: funding.tokenProgram,
    };
  }

  // ---- config
  initializeConfigIx(p: { payer?: PublicKey; admin: PublicKey; treasury: PublicKey; arbiter: PublicKey; feeBps: number }) {
    return this.program.methods
      .initializeConfig(p.treasury, p.arbiter, p.feeBps)
      .accountsPartial({
        payer: p.payer ?? this.wallet,
        admin: p.admin,
        config: this.config(),
        program: this.programId,
        programData: programDataAddress(this.programId),
        systemProgram: SystemProgram.programId,
      })
      .instruction();
  }
  async initializeConfig(p: { admin: SignerLike; treasury: PublicKey; arbiter: PublicKey; feeBps: number }) {
    return this.send(await this.initializeConfigIx({ ...p, admin: keyOf(p.admin) }), [p.admin]);
  }

  updateConfigIx(p: { admin: PublicKey; treasury: PublicKey; arbiter: PublicKey; feeBps: number; paused: boolean }) {
    return this.program.methods
      .updateConfig(p.treasury, p.arbiter, p.feeBps, p.paused)
      .accountsPartial({ admin: p.admin, config: this.config() })
      .instruction();
  }
  async updateConfig(p: { admin: SignerLike; treasury: PublicKey; arbiter: PublicKey; feeBps: number; paused: boolean }) {
    return this.send(await this.updateConfigIx({ ...p, admin: keyOf(p.admin) }), [p.admin]);
  }

  proposeAdminIx(p: { admin: PublicKey; newAdmin: PublicKey }) {
    return this.program.methods.proposeAdmin(p.newAdmin).accountsPartial({ admin: p.admin, config: this.config() }).instruction();
  }
  async proposeAdmin(p: { admin: SignerLike; newAdmin: PublicKey }) {
    return this.send(await this.proposeAdminIx({ ...p, admin: keyOf(p.admin) }), [p.admin]);
  }

  acceptAdminIx(p: { newAdmin: PublicKey }) {
    return this.program.methods.acceptAdmin().accountsPartial({ newAdmin: p.newAdmin, config: this.config() }).instruction();
  }
  async acceptAdmin(p: { newAdmin: SignerLike }) {
    return this.send(await this.acceptAdminIx({ newAdmin: keyOf(p.newAdmin) }), [p.newAdmin]);
  }

  // ---- vaults and earnings
  createMintVaultIx(p: { payer?: PublicKey; mint: PublicKey; tokenProgram: PublicKey }) {
    return this.program.methods
      .createMintVault()
      .accountsPartial({
        payer: p.payer ?? this.wallet,
        mintVault: this.mintVault(p.mint),
        vault: this.vault(p.mint),
        mint: p.mint,
        tokenProgram: p.tokenProgram,
        systemProgram: SystemProgram.programId,
      })
      .instruction();
  }
  async createMintVault(p: { mint: PublicKey; tokenProgram: PublicKey }) {
    return this.send(await this.createMintVaultIx(p), []);
  }

  openEarningsIx(p: { payer?: PublicKey; owner: PublicKey; mint?: PublicKey }) {
    const mint = p.mint ?? SOL_MINT;
    return this.program.methods
      .openEarnings(p.owner, mint)
      .accountsPartial({ payer: p.payer ?? this.wallet, earnings: this.earnings(p.owner, mint), systemProgram: SystemProgram.programId })
      .instruction();
  }
  async openEarnings(p: { owner: PublicKey; mint?: PublicKey }) {
    return this.send(await this.openEarningsIx(p), []);
  }

  // ---- escrow lifecycle
  openEscrowIx(p: Omit<OpenEscrowParams, "client" | "escrow"> & { client: PublicKey; escrow: PublicKey }) {
    const token = this.tokenAccounts(p.funding);
    return this.program.methods
      .openEscrow(
        p.provider,
        p.providerMeter,
        p.programMeter ?? PublicKey.default,
        sortPayees(p.payees),
        bn(p.maxPricePerUnit),
        bn(p.expiresAt),
        bn(p.challengeWindow),
        bn(p.deposit),
      )
      .accountsPartial({
        client: p.client,
        escrow: p.escrow,
        config: this.config(),
        systemProgram: SystemProgram.programId,
        ...token,
        clientToken: p.funding.kind === "sol" ? null : requireKey(p.clientToken, "clientToken"),
      })
      .instruction();
  }
  async openEscrow(p: OpenEscrowParams) {
    const ix = await this.openEscrowIx({ ...p, client: keyOf(p.client), escrow: p.escrow.publicKey });
    const signature = await this.send(ix, [p.client, p.escrow]);
    return { signature, escrow: p.escrow.publicKey };
  }

  fundEscrowIx(p: { client: PublicKey; escrow: PublicKey; amount: bigint; funding: Funding; clientToken?: PublicKey }) {
    return this.program.methods
      .fundEscrow(bn(p.amount))
      .accountsPartial({
        client: p.client,
        escrow: p.escrow,
        systemProgram: SystemProgram.programId,
        ...this.tokenAccounts(p.funding),
        clientToken: p.funding.kind === "sol" ? null : requireKey(p.clientToken, "clientToken"),
      })
      .instruction();
  }
  async fundEscrow(p: { client: SignerLike; escrow: PublicKey; amount: bigint; funding: Funding; clientToken?: PublicKey }) {
    return this.send(await this.fundEscrowIx({ ...p, client: keyOf(p.client) }), [p.client]);
  }

  chargeIx(p: { meter: PublicKey; escrow: PublicKey; units: bigint; amount: bigint; usageRef: Uint8Array }) {
    return this.program.methods
      .charge(bn(p.units), bn(p.amount), bytes32(p.usageRef))
      .accountsPartial({ meter: p.meter, escrow: p.escrow, config: this.config() })
      .instruction();
  }
  async charge(p: { meter: SignerLike; escrow: PublicKey; units: bigint; amount: bigint; usageRef: Uint8Array }) {
    return this.send(await this.chargeIx({ ...p, meter: keyOf(p.meter) }), [p.meter]);
  }

  approveChargesIx(p: { client: PublicKey; escrow: PublicKey; window: bigint }) {
    return this.program.methods.approveCharges(bn(p.window)).accountsPartial({ client: p.client, escrow: p.escrow }).instruction();
  }
  async approveCharges(p: { client: SignerLike; escrow: PublicKey; window: bigint }) {
    return this.send(await this.approveChargesIx({ ...p, client: keyOf(p.client) }), [p.client]);
  }

  disputeChargesIx(p: { client: PublicKey; escrow: PublicKey; window: bigint; amount: bigint; usageRef: Uint8Array }) {
    return this.program.methods
      .disputeCharges(bn(p.window), bn(p.amount), bytes32(p.usageRef))
      .accountsPartial({ client: p.client, escrow: p.escrow })
      .instruction();
  }
  async disputeCharges(p: { client: SignerLike; escrow: PublicKey; window: bigint; amount: bigint; usageRef: Uint8Array }) {
    return this.send(await this.disputeChargesIx({ ...p, client: keyOf(p.client) }), [p.client]);
  }

  resolveDisputeIx(p: { arbiter: PublicKey; escrow: PublicKey; window: bigint; toProvider: bigint }) {
    return this.program.methods
      .resolveDispute(bn(p.window), bn(p.toProvider))
      .accountsPartial({ arbiter: p.arbiter, config: this.config(), escrow: p.escrow })
      .instruction();
  }
  async resolveDispute(p: { arbiter: SignerLike; escrow: PublicKey; window: bigint; toProvider: bigint }) {
    return this.send(await this.resolveDisputeIx({ ...p, arbiter: keyOf(p.arbiter) }), [p.arbiter]);
  }

  /** Settles matured charges; `treasury` and `mint` pick the earnings accounts. */
  settleIx(p: { escrow: PublicKey; payees: readonly Payee[]; treasury: PublicKey; mint?: PublicKey }) {
    const mint = p.mint ?? SOL_MINT;
    const payees = sortPayees(p.payees);
    return this.program.methods
      .settle(payees)
      .accountsPartial({ escrow: p.escrow, config: this.config(), treasuryEarnings: this.earnings(p.treasury, mint) })
      .remainingAccounts(payees.map((payee) => ({ pubkey: this.earnings(payee.owner, mint), isSigner: false, isWritable: true })))
      .instruction();
  }
  async settle(p: { escrow: PublicKey; payees: readonly Payee[]; treasury: PublicKey; mint?: PublicKey }) {
    return this.send(await this.settleIx(p), []);
  }

  withdrawEarningsIx(p: { owner: PublicKey; destination: PublicKey; amount: bigint; funding: Funding }) {
    const mint = p.funding.kind === "sol" ? SOL_MINT : p.funding.mint;
    return this.program.methods
      .withdrawEarnings(bn(p.amount))
      .accountsPartial({
        owner: p.owner,
        earnings: this.earnings(p.owner, mint),
        destination: p.destination,
        ...this.tokenAccounts(p.funding),
      })
      .instruction();
  }
  async withdrawEarnings(p: { owner: SignerLike; destination: PublicKey; amount: bigint; funding: Funding }) {
    return this.send(await this.withdrawEarningsIx({ ...p, owner: keyOf(p.owner) }), [p.owner]);
  }

  requestCloseIx(p: { client: PublicKey; escrow: PublicKey }) {
    return this.program.methods.requestClose().accountsPartial({ client: p.client, escrow: p.escrow }).instruction();
  }
  async requestClose(p: { client: SignerLike; escrow: PublicKey }) {
    return this.send(await this.requestCloseIx({ ...p, client: keyOf(p.client) }), [p.client]);
  }

  refundIx(p: { client: PublicKey; escrow: PublicKey; funding: Funding; clientToken?: PublicKey }) {
    return this.program.methods
      .refund()
      .accountsPartial({
        client: p.client,
        escrow: p.escrow,
        ...this.tokenAccounts(p.funding),
        clientToken: p.funding.kind === "sol" ? null : requireKey(p.clientToken, "clientToken"),
      })
      .instruction();
  }
  async refund(p: { client: SignerLike; escrow: PublicKey; funding: Funding; clientToken?: PublicKey }) {
    return this.send(await this.refundIx({ ...p, client: keyOf(p.client) }), [p.client]);
  }

  closeEscrowIx(p: { client: PublicKey; escrow: PublicKey }) {
    return this.program.methods.closeEscrow().accountsPartial({ client: p.client, escrow: p.escrow }).instruction();
  }
  async closeEscrow(p: { client: SignerLike; escrow: PublicKey }) {
    return this.send(await this.closeEscrowIx({ ...p, client: keyOf(p.client) }), [p.client]);
  }
}


function requireKey(key: PublicKey | undefined, name: string): PublicKey {
  if (!key) throw new Error(`${name} is required for a token escrow`);
  return key;
}

/** Converts an Anchor BN field to bigint. */
export function toBigInt(value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (value && typeof (value as BNType).toString === "function") return BigInt((value as BNType).toString());
  throw new Error(`not a number: ${String(value)}`);
}
