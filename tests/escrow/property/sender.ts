// Sends transactions to LiteSVM and reads accounts without the slow paths around it: signatures through
// node:crypto, no web3.js `serialize()` (it re-verifies every signature in JavaScript), and, when available,
// LiteSVM's native object directly with wire bytes (its JavaScript wrapper converts every address through
// @solana/kit's base58 codecs, which costs more than executing the transaction). Every transaction is executed
// and lands, as with `skipPreflight`.
import type { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { FailedTransactionMetadata, type LiteSVM, type TransactionMetadata } from "litesvm";
import bs58 from "bs58";
import { clusterTransactionError, ed25519Signer, type RpcTransactionError } from "../../harness/index.js";

/** The outcome of one transaction. */
export interface SentTransaction {
  readonly logs: readonly string[];
  /** Null on success; the RPC's JSON form otherwise. */
  readonly err: RpcTransactionError | null;
  readonly computeUnits: bigint;
}

/** The part of litesvm's native object (`LiteSVM.inner`, litesvm 1.4.1) used here. */
interface NativeSvm {
  getAccount(address: Uint8Array): { lamports(): bigint; data(): Uint8Array; owner(): Uint8Array } | null;
  sendLegacyTransaction(wire: Uint8Array): TransactionMetadata | FailedTransactionMetadata;
}

function nativeOf(svm: LiteSVM): NativeSvm | null {
  const inner = (svm as unknown as { inner?: Partial<NativeSvm> }).inner;
  return inner && typeof inner.getAccount === "function" && typeof inner.sendLegacyTransaction === "function" ? (inner as NativeSvm) : null;
}

/** An account as read here: lamports, owner (32 bytes) and data. */
export interface RawAccount {
  readonly lamports: bigint;
  readonly owner: Uint8Array;
  readonly data: Buffer;
}

export class FastSender {
  private readonly signers = new Map<string, (message: Uint8Array) => Buffer>();
  private readonly native: NativeSvm | null;

  constructor(
    readonly svm: LiteSVM,
    readonly payer: Keypair,
  ) {
    this.native = nativeOf(svm);
  }

  /** The account at `address` (its 32 bytes, and base58 for the public API), or null if it does not exist. */
  account(address: Uint8Array, base58: string): RawAccount | null {
    if (this.native) {
      const account = this.native.getAccount(address);
      return account && { lamports: account.lamports(), owner: account.owner(), data: Buffer.from(account.data()) };
    }
    const account = this.svm.getAccount(base58 as Parameters<LiteSVM["getAccount"]>[0]);
    if (!account.exists) return null;
    return { lamports: account.lamports, owner: new Uint8Array(Buffer.from(bs58decode(account.programAddress))), data: Buffer.from(account.data) };
  }

  /** Registers how a keypair signs (when its key object exists already), saving the derivation. */
  register(keypair: Keypair, sign: (message: Uint8Array) => Buffer): void {
    this.signers.set(keypair.publicKey.toBase58(), sign);
  }

  private signerOf(keypair: Keypair): (message: Uint8Array) => Buffer {
    const key = keypair.publicKey.toBase58();
    let sign = this.signers.get(key);
    if (!sign) {
      sign = ed25519Signer(keypair);
      this.signers.set(key, sign);
    }
    return sign;
  }

  /** Signs with the payer and `signers` (every key the message needs) and executes; never throws for a failure. */
  send(instructions: readonly TransactionInstruction[], signers: readonly Keypair[] = []): SentTransaction {
    const { bytes: messageBytes, signerKeys } = compileLegacyMessage(this.payer.publicKey, bs58decode(this.svm.latestBlockhash()), instructions);
    const all = [this.payer, ...signers];
    const sigs = signerKeys.map((key) => {
      const keypair = all.find((k) => k.publicKey.equals(key));
      if (!keypair) throw new Error(`no signer for ${key.toBase58()}`);
      return this.signerOf(keypair)(messageBytes);
    });
    const outcome = this.native
      ? // the wire format: the signature count (one byte below 128), the signatures, the message
        this.native.sendLegacyTransaction(Buffer.concat([Buffer.from([sigs.length]), ...sigs, messageBytes]))
      : // @solana/kit's transaction shape: the message bytes and the signatures by address, in order
        this.svm.sendTransaction({
          messageBytes,
          signatures: Object.fromEntries(signerKeys.map((key, i) => [key.toBase58(), sigs[i]])),
        } as unknown as Parameters<LiteSVM["sendTransaction"]>[0]);
    // a new blockhash, so that the same instruction twice is a new transaction (as time passing on a cluster)
    this.svm.expireBlockhash();
    if (outcome instanceof FailedTransactionMetadata) {
      const meta = outcome.meta();
      return { logs: meta.logs(), err: clusterTransactionError(outcome.err()).err, computeUnits: meta.computeUnitsConsumed() };
    }
    return { logs: outcome.logs(), err: null, computeUnits: outcome.computeUnitsConsumed() };
  }

  /** As `send`, throwing with the logs when the transaction fails. */
  sendOk(instructions: readonly TransactionInstruction[], signers: readonly Keypair[] = []): SentTransaction {
    const result = this.send(instructions, signers);
    if (result.err !== null) throw new Error(`transaction failed: ${JSON.stringify(result.err)}\n${result.logs.join("\n")}`);
    return result;
  }
}

/** The custom error code of a failed transaction's instruction, and the program that returned it (innermost). */
export function customCodeOf(result: SentTransaction): { programId: string; code: number } | null {
  for (const line of result.logs) {
    const match = /^Program (\w+) failed: custom program error: 0x([0-9a-fA-F]+)$/.exec(line);
    if (match) return { programId: match[1], code: parseInt(match[2], 16) };
  }
  return null;
}

/**
 * A legacy message (what web3.js's `compileMessage().serialize()` produces, without its base58 round trips):
 * header, account keys (writable signers with the fee payer first, read-only signers, writable, read-only),
 * the blockhash, the instructions. Returns the bytes and the keys that must sign, in order.
 */
export function compileLegacyMessage(
  feePayer: PublicKey,
  blockhash: Uint8Array,
  instructions: readonly TransactionInstruction[],
): { bytes: Buffer; signerKeys: PublicKey[] } {
  const metas = new Map<string, { pubkey: PublicKey; signer: boolean; writable: boolean }>();
  const note = (pubkey: PublicKey, signer: boolean, writable: boolean) => {
    const id = pubkey.toBuffer().toString("latin1");
    const meta = metas.get(id);
    if (meta) {
      meta.signer ||= signer;
      meta.writable ||= writable;
    } else {
      metas.set(id, { pubkey, signer, writable });
    }
  };
  note(feePayer, true, true);
  for (const ix of instructions) {
    for (const k of ix.keys) note(k.pubkey, k.isSigner, k.isWritable);
    note(ix.programId, false, false);
  }
  const all = [...metas.values()];
  const rank = (m: { signer: boolean; writable: boolean }) => (m.signer ? (m.writable ? 0 : 1) : m.writable ? 2 : 3);
  // a stable sort keeps the fee payer first among the writable signers
  const keys = all.map((m, i) => ({ m, i })).sort((a, b) => rank(a.m) - rank(b.m) || a.i - b.i).map(({ m }) => m);
  const index = new Map(keys.map((m, i) => [m.pubkey.toBuffer().toString("latin1"), i]));
  const indexOf = (k: PublicKey) => index.get(k.toBuffer().toString("latin1"))!;
  const parts: Buffer[] = [
    Buffer.from([keys.filter((m) => m.signer).length, keys.filter((m) => m.signer && !m.writable).length, keys.filter((m) => !m.signer && !m.writable).length]),
    shortvec(keys.length),
    ...keys.map((m) => m.pubkey.toBuffer()),
    Buffer.from(blockhash),
    shortvec(instructions.length),
  ];
  for (const ix of instructions) {
    parts.push(Buffer.from([indexOf(ix.programId)]), shortvec(ix.keys.length), Buffer.from(ix.keys.map((k) => indexOf(k.pubkey))), shortvec(ix.data.length), Buffer.from(ix.data));
  }
  return { bytes: Buffer.concat(parts), signerKeys: keys.filter((m) => m.signer).map((m) => m.pubkey) };
}

function shortvec(n: number): Buffer {
  const out: number[] = [];
  let rest = n;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    if (rest === 0) {
      out.push(byte);
      return Buffer.from(out);
    }
    out.push(byte | 0x80);
  }
}

function bs58decode(text: string): Uint8Array {
  return new Uint8Array(bs58.decode(text));
}

export type { PublicKey };
