import { getTransactionDecoder, address, lamports } from "@solana/kit";
import {
  Keypair, LAMPORTS_PER_SOL, PublicKey, SYSVAR_CLOCK_PUBKEY, SYSVAR_RENT_PUBKEY, SystemProgram, Transaction,
  TransactionInstruction, type AccountMeta, type Signer,
} from "@solana/web3.js";
import { FailedTransactionMetadata, LiteSVM } from "litesvm";

const decoder = getTransactionDecoder();
export const UPGRADEABLE_LOADER = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");

export interface Invocation {
  readonly ok: boolean;
  readonly logs: readonly string[];
  readonly returnData: Buffer;
  readonly error: string | undefined;
  readonly computeUnits: bigint;
}

/** A LiteSVM with a funded payer, sending web3.js transactions. */
export class Svm {
  readonly svm = new LiteSVM();
  readonly payer = Keypair.generate();

  constructor() {
    this.svm.airdrop(address(this.payer.publicKey.toBase58()), lamports(BigInt(100 * LAMPORTS_PER_SOL)));
  }

  /** Loads a program the way tests usually do (LiteSVM's addProgram, upgradeable loader checks). */
  addProgram(elf: Uint8Array): PublicKey {
    const programId = Keypair.generate().publicKey;
    this.svm.addProgram(address(programId.toBase58()), elf);
    return programId;
  }

  invoke(programId: PublicKey, data: Uint8Array, keys: AccountMeta[] = []): Invocation {
    return this.send([new TransactionInstruction({ programId, keys, data: Buffer.from(data) })]);
  }

  send(instructions: TransactionInstruction[], signers: Signer[] = []): Invocation {
    const transaction = new Transaction().add(...instructions);
    transaction.recentBlockhash = this.svm.latestBlockhash();
    transaction.feePayer = this.payer.publicKey;
    transaction.sign(this.payer, ...signers);
    const result = this.svm.sendTransaction(decoder.decode(transaction.serialize()));
    this.svm.expireBlockhash();
    const meta = result instanceof FailedTransactionMetadata ? result.meta() : result;
    return {
      ok: !(result instanceof FailedTransactionMetadata),
      logs: meta.logs(),
      returnData: Buffer.from(meta.returnData().data()),
      error: result instanceof FailedTransactionMetadata ? result.err().toString() : undefined,
      computeUnits: meta.computeUnitsConsumed(),
    };
  }

  /**
   * Deploys through BPFLoaderUpgradeable's own instructions (InitializeBuffer, Write, DeployWithMaxDataLen),
   * the path that re-checks the ELF with the deployment-time rules mainnet applies, then advances a slot.
   */
  deploy(elf: Uint8Array): PublicKey {
    const buffer = Keypair.generate();
    const program = Keypair.generate();
    const payer = this.payer.publicKey;
    const bufferSize = 37 + elf.length;
    const rent = (size: number) => Number(this.svm.minimumBalanceForRentExemption(BigInt(size)));
    this.expectOk("create buffer", this.send([
      SystemProgram.createAccount({ fromPubkey: payer, newAccountPubkey: buffer.publicKey, lamports: rent(bufferSize), space: bufferSize, programId: UPGRADEABLE_LOADER }),
      loaderInstruction([u32(0)], [{ pubkey: buffer.publicKey, isSigner: false, isWritable: true }, { pubkey: payer, isSigner: false, isWritable: false }]),
    ], [buffer]));
    const chunk = 900;
    for (let offset = 0; offset < elf.length; offset += chunk) {
      const bytes = elf.subarray(offset, offset + chunk);
      this.expectOk(`write ${offset}`, this.send([
        loaderInstruction([u32(1), u32(offset), u64(bytes.length), Buffer.from(bytes)], [
          { pubkey: buffer.publicKey, isSigner: false, isWritable: true },
          { pubkey: payer, isSigner: true, isWritable: false },
        ]),
      ]));
    }
    const [programData] = PublicKey.findProgramAddressSync([program.publicKey.toBuffer()], UPGRADEABLE_LOADER);
    this.expectOk("deploy", this.send([
      SystemProgram.createAccount({ fromPubkey: payer, newAccountPubkey: program.publicKey, lamports: rent(36), space: 36, programId: UPGRADEABLE_LOADER }),
      loaderInstruction([u32(2), u64(elf.length * 2)], [
        { pubkey: payer, isSigner: true, isWritable: true },
        { pubkey: programData, isSigner: false, isWritable: true },
        { pubkey: program.publicKey, isSigner: false, isWritable: true },
        { pubkey: buffer.publicKey, isSigner: false, isWritable: true },
        { pubkey: SYSVAR_RENT_PUBKEY, isSigner: false, isWritable: false },
        { pubkey: SYSVAR_CLOCK_PUBKEY, isSigner: false, isWritable: false },
        { pubkey: SystemProgram.programId, isSigner: false, isWritable: false },
        { pubkey: payer, isSigner: true, isWritable: false },
      ]),
    ], [program]));
    this.svm.warpToSlot(this.svm.getClock().slot + 1n); // deployed programs become visible in the next slot
    return program.publicKey;
  }

  private expectOk(step: string, invocation: Invocation): void {
    if (!invocation.ok) throw new Error(`${step} failed: ${invocation.error}\n${invocation.logs.join("\n")}`);
  }
}

function loaderInstruction(parts: Buffer[], keys: AccountMeta[]): TransactionInstruction {
  return new TransactionInstruction({ programId: UPGRADEABLE_LOADER, keys, data: Buffer.concat(parts) });
}

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}

function u64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(value));
  return bytes;
}
