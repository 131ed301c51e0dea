// What every program client shares: the typed Anchor program, its coder, sending a transaction with
// the right signers, and Anchor's error translation.
import anchor from "@coral-xyz/anchor";
import type { Idl, Program } from "@coral-xyz/anchor";
import { type Keypair, PublicKey, type Signer, Transaction, type TransactionInstruction } from "@solana/web3.js";

const { AnchorError, BN, BorshCoder, LangErrorMessage, translateError, parseIdlErrors } = anchor;

/** A party that signs: a keypair, or the provider's wallet (then its public key). */
export type SignerLike = Keypair | PublicKey;

export function keyOf(s: SignerLike): PublicKey {
  return s instanceof PublicKey ? s : s.publicKey;
}

/** A u64/i64 argument as Anchor encodes it. */
export function bn(value: bigint | number): InstanceType<typeof BN> {
  return new BN(value.toString());
}

/** A `[u8; 32]` argument as Anchor encodes it. */
export function bytes32(bytes: Uint8Array): number[] {
  if (bytes.length !== 32) throw new Error(`expected 32 bytes, got ${bytes.length}`);
  return Array.from(bytes);
}

export abstract class ProgramClient<T extends Idl> {
  readonly coder: InstanceType<typeof BorshCoder>;
  private readonly idlErrors: Map<number, string>;

  constructor(readonly program: Program<T>) {
    this.coder = new BorshCoder(program.idl);
    this.idlErrors = parseIdlErrors(program.idl);
  }

  get programId(): PublicKey {
    return this.program.programId;
  }

  /** The provider's wallet: pays fees and signs where a `SignerLike` is its public key. */
  protected get wallet(): PublicKey {
    const key = this.program.provider.publicKey;
    if (!key) throw new Error("the provider has no wallet");
    return key;
  }

  /** Sends `ixs` in one transaction signed by the wallet and the keypairs among `signers`. */
  protected async send(ixs: TransactionInstruction | readonly TransactionInstruction[], signers: readonly SignerLike[]): Promise<string> {
    const keypairs = signers.filter((s): s is Keypair => !(s instanceof PublicKey) && !s.publicKey.equals(this.wallet));
    const tx = new Transaction().add(...(Array.isArray(ixs) ? ixs : [ixs as TransactionInstruction]));
    try {
      return await this.program.provider.sendAndConfirm!(tx, keypairs as Signer[]);
    } catch (err) {
      throw translateProgramError(err, this.idlErrors);
    }
  }
}

/**
 * Anchor's `translateError` (as `.rpc()` does: an `AnchorError` with name and number when the program logged
 * one), with the message a person should read. The programs keep only error names on-chain and log the name as
 * the message, as Anchor does for an error declared without `#[msg]`; the sentence is in the IDL's `errors`
 * (program errors, from 6000) or Anchor's own `LangErrorMessage` (framework errors).
 */
export function translateProgramError(err: unknown, idlErrors: Map<number, string>): unknown {
  const translated = translateError(err, idlErrors);
  if (!(translated instanceof AnchorError)) return translated;
  const { errorCode, errorMessage, origin, comparedValues } = translated.error;
  const sentence = idlErrors.get(errorCode.number) ?? LangErrorMessage.get(errorCode.number);
  if (sentence === undefined || sentence === errorMessage) return translated;
  const upgraded = new AnchorError(errorCode, sentence, translated.errorLogs, translated.logs, origin, comparedValues);
  upgraded.message = translated.message.replace(`Error Message: ${errorMessage}.`, `Error Message: ${sentence}.`);
  return upgraded;
}
