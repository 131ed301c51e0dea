// Deploying and upgrading programs through the real BPFLoaderUpgradeable instructions, in LiteSVM.
//
// LiteSVM's `addProgram` loads an ELF without the checks a cluster makes when a program is deployed.
// Deploying through the loader (InitializeBuffer, Write, DeployWithMaxDataLen) runs them: the ELF is parsed
// with `reject_broken_elfs` (e.g. unresolved syscalls are refused) and the bytecode verifier runs. web3.js v1
// has no client for this loader, so its instructions are encoded here (bincode, as in
// solana-loader-v3-interface: a u32 LE tag, then the fields).
import {
  Keypair,
  PACKET_DATA_SIZE,
  PublicKey,
  SYSVAR_CLOCK_PUBKEY,
  SYSVAR_RENT_PUBKEY,
  SystemProgram,
  Transaction,
  TransactionInstruction,
} from "@solana/web3.js";
import { lamports } from "@solana/kit";
import type { LiteSVM } from "litesvm";
import { ed25519Signer } from "./ed25519.js";
import { type RpcTransactionError } from "./transaction-error.js";
import { type TransactionResult, submitTransaction, submitWireTransaction, toAddress } from "./transactions.js";

export const BPF_LOADER_UPGRADEABLE_PROGRAM_ID = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");

/** UpgradeableLoaderState::Buffer header: tag u32 + Option<authority> (1 + 32). */
export const BUFFER_HEADER_SIZE = 37;
/** UpgradeableLoaderState::Program: tag u32 + programdata address. */
export const PROGRAM_ACCOUNT_SIZE = 36;
/** UpgradeableLoaderState::ProgramData header: tag u32 + slot u64 + Option<upgrade authority> (1 + 32). */
export const PROGRAMDATA_HEADER_SIZE = 45;

/** Loader instruction tags (UpgradeableLoaderInstruction variant indexes). */
const enum LoaderTag {
  InitializeBuffer = 0,
  Write = 1,
  DeployWithMaxDataLen = 2,
  Upgrade = 3,
}

/** The ProgramData account of an upgradeable program: PDA of the program id under the loader. */
export function programDataAddress(programId: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([programId.toBuffer()], BPF_LOADER_UPGRADEABLE_PROGRAM_ID)[0];
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return b;
}

function u64(value: number | bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(value));
  return b;
}

function loaderInstruction(keys: TransactionInstruction["keys"], data: Buffer): TransactionInstruction {
  return new TransactionInstruction({ programId: BPF_LOADER_UPGRADEABLE_PROGRAM_ID, keys, data });
}

/** Encoders for the BPFLoaderUpgradeable instructions used here. */
export const LoaderInstruction = {
  /** InitializeBuffer: `buffer` (created with BUFFER_HEADER_SIZE + ELF length bytes, owned by the loader). */
  initializeBuffer(buffer: PublicKey, authority: PublicKey): TransactionInstruction {
    return loaderInstruction(
      [
        { pubkey: buffer, isSigner: false, isWritable: true },
        { pubkey: authority, isSigner: false, isWritable: false },
      ],
      u32(LoaderTag.InitializeBuffer),
    );
  },

  /** Write { offset: u32, bytes: Vec<u8> (u64 LE length + bytes) } into the buffer's data after its header. */
  write(buffer: PublicKey, authority: PublicKey, offset: number, bytes: Uint8Array): TransactionInstruction {
    return loaderInstruction(
      [
        { pubkey: buffer, isSigner: false, isWritable: true },
        { pubkey: authority, isSigner: true, isWritable: false },
      ],
      Buffer.concat([u32(LoaderTag.Write), u32(offset), u64(bytes.length), Buffer.from(bytes)]),
    );
  },

  /** DeployWithMaxDataLen { max_data_len: u64 }: `program` must be an uninitialized loader account. */
  deployWithMaxDataLen(accounts: {
    payer: PublicKey;
    program: PublicKey;
    buffer: PublicKey;
    authority: PublicKey;
    maxDataLen: number;
  }): TransactionInstruction {
    return loaderInstruction(
      [
        { pubkey: accounts.payer, isSigner: true, isWritable: true },
        { pubkey: programDataAddress(accounts.program), isSigner: false, isWritable: true },
        { pubkey: accounts.program, isSigner: false, isWritable: true },
        { pubkey: accounts.buffer, isSigner: false, isWritable: true },
        { pubkey: SYSVAR_RENT_PUBKEY, isSigner: false, isWritable: false },
        { pubkey: SYSVAR_CLOCK_PUBKEY, isSigner: false, isWritable: false },
        { pubkey: SystemProgram.programId, isSigner: false, isWritable: false },
        { pubkey: accounts.authority, isSigner: true, isWritable: false },
      ],
      Buffer.concat([u32(LoaderTag.DeployWithMaxDataLen), u64(accounts.maxDataLen)]),
    );
  },

  /** Upgrade: replaces the program's ELF with the buffer's; the buffer's lamports go to `spill`. */
  upgrade(accounts: { program: PublicKey; buffer: PublicKey; spill: PublicKey; authority: PublicKey }): TransactionInstruction {
    return loaderInstruction(
      [
        { pubkey: programDataAddress(accounts.program), isSigner: false, isWritable: true },
        { pubkey: accounts.program, isSigner: false, isWritable: true },
        { pubkey: accounts.buffer, isSigner: false, isWritable: true },
        { pubkey: accounts.spill, isSigner: false, isWritable: true },
        { pubkey: SYSVAR_RENT_PUBKEY, isSigner: false, isWritable: false },
        { pubkey: SYSVAR_CLOCK_PUBKEY, isSigner: false, isWritable: false },
        { pubkey: accounts.authority, isSigner: true, isWritable: false },
      ],
      u32(LoaderTag.Upgrade),
    );
  },
};

/** The largest Write chunk that fits a transaction with these signers and accounts (see the sum below). */
export function maxWriteChunk(separateAuthority: boolean): number {
  const signatures = separateAuthority ? 2 : 1;
  const keys = separateAuthority ? 4 : 3; // payer, [authority], buffer, loader
  // shortvec(sigs) + sigs + header(3) + shortvec(keys) + keys + blockhash + shortvec(ixs)
  // + program index + shortvec(accounts) + 2 account indexes + shortvec(data, 2 bytes) + tag/offset/len (16)
  const overhead = 1 + 64 * signatures + 3 + 1 + 32 * keys + 32 + 1 + 1 + 1 + 2 + 2 + 16;
  return PACKET_DATA_SIZE - overhead;
}

/** Which step of a deploy or upgrade failed. */
export type DeployStage = "create buffer" | "write" | "deploy" | "upgrade";

/** A deploy or upgrade step was refused; carries that transaction's error and logs. */
export class DeployError extends Error {
  constructor(
    readonly stage: DeployStage,
    readonly result: TransactionResult,
  ) {
    super(`${stage} failed: ${result.errorMessage}\n${result.logs.map((l) => `  ${l}`).join("\n")}`);
    this.name = "DeployError";
  }

  get err(): RpcTransactionError | null {
    return this.result.err;
  }

  get logs(): readonly string[] {
    return this.result.logs;
  }
}

/** Options of `writeBuffer`. */
export interface WriteBufferOptions {
  /** Pays and signs every transaction. */
  readonly payer: Keypair;
  /** Buffer authority (default: payer); must be the upgrade authority to deploy or upgrade from it. */
  readonly authority?: Keypair;
  /** Buffer account keypair (default: new). */
  readonly buffer?: Keypair;
  /** Bytes per Write (default: the most that fits a transaction). */
  readonly chunkSize?: number;
}

/** A buffer holding an ELF, ready for DeployWithMaxDataLen or Upgrade. */
export interface WrittenBuffer {
  readonly address: PublicKey;
  /** Number of transactions it took (create + initialize, then one per chunk). */
  readonly transactions: number;
}

/** Creates a buffer account, InitializeBuffer, then Writes the ELF in chunks. */
export function writeBuffer(svm: LiteSVM, elf: Uint8Array, options: WriteBufferOptions): WrittenBuffer {
  const { payer } = options;
  const authority = options.authority ?? payer;
  const buffer = options.buffer ?? Keypair.generate();
  const separateAuthority = !authority.publicKey.equals(payer.publicKey);
  const chunkSize = options.chunkSize ?? maxWriteChunk(separateAuthority);
  const space = BUFFER_HEADER_SIZE + elf.length;
  send(svm, "create buffer", payer, [buffer], [
    SystemProgram.createAccount({
      fromPubkey: payer.publicKey,
      newAccountPubkey: buffer.publicKey,
      lamports: Number(svm.minimumBalanceForRentExemption(BigInt(space))),
      space,
      programId: BPF_LOADER_UPGRADEABLE_PROGRAM_ID,
    }),
    LoaderInstruction.initializeBuffer(buffer.publicKey, authority.publicKey),
  ]);
  const fullChunks = Math.floor(elf.length / chunkSize);
  writeFullChunks(svm, elf, fullChunks, chunkSize, payer, authority, buffer.publicKey);
  let transactions = 1 + fullChunks;
  if (fullChunks * chunkSize < elf.length) {
    const offset = fullChunks * chunkSize;
    send(svm, "write", payer, separateAuthority ? [authority] : [], [
      LoaderInstruction.write(buffer.publicKey, authority.publicKey, offset, elf.subarray(offset)),
    ]);
    transactions++;
  }
  return { address: buffer.publicKey, transactions };
}

/**
 * Sends the Writes of the first `count` chunks. web3.js takes milliseconds to serialize a message with a
 * kilobyte of instruction data (and a deploy has a hundred of them), so the message is serialized once and
 * each chunk only changes what differs: the offset and the bytes that end the Write data, which end the
 * message of a one-instruction transaction. Signing uses node:crypto (the same Ed25519 signatures).
 */
function writeFullChunks(
  svm: LiteSVM,
  elf: Uint8Array,
  count: number,
  chunkSize: number,
  payer: Keypair,
  authority: Keypair,
  buffer: PublicKey,
): void {
  if (count === 0) return;
  const message = new Transaction({ feePayer: payer.publicKey, recentBlockhash: svm.latestBlockhash() })
    .add(LoaderInstruction.write(buffer, authority.publicKey, 0, elf.subarray(0, chunkSize)))
    .compileMessage();
  const template = message.serialize();
  const bytesAt = template.length - chunkSize;
  const offsetAt = bytesAt - 12; // Write data: tag u32, offset u32, length u64, bytes
  if (!template.subarray(bytesAt).equals(Buffer.from(elf.subarray(0, chunkSize))) || template.readUInt32LE(offsetAt) !== 0) {
    throw new Error("unexpected Write message layout");
  }
  const signers = message.accountKeys
    .slice(0, message.header.numRequiredSignatures)
    .map((key) => ed25519Signer(key.equals(payer.publicKey) ? payer : authority));
  for (let chunk = 0; chunk < count; chunk++) {
    const offset = chunk * chunkSize;
    const bytes = Buffer.from(template);
    bytes.writeUInt32LE(offset, offsetAt);
    bytes.set(elf.subarray(offset, offset + chunkSize), bytesAt);
    // Wire format: shortvec signature count (< 128: one byte), signatures in signer order, message.
    const wire = Buffer.concat([Buffer.of(signers.length), ...signers.map((sign) => sign(bytes)), bytes]);
    const result = submitWireTransaction(svm, wire);
    if (result.err !== null) throw new DeployError("write", result);
  }
}

/** Options of `deployProgram`. */
export interface DeployOptions extends Omit<WriteBufferOptions, "authority"> {
  /**
   * The program account. A keypair: created by a system CreateAccount it signs (as `solana program
   * deploy` does). A public key (e.g. an id from Anchor.toml whose keypair the tests lack): the empty,
   * rent-exempt loader-owned account is written with `setAccount` instead; the loader does not require
   * the program account's signature, so the deploy itself is unchanged. Default: a new keypair.
   */
  readonly program?: Keypair | PublicKey;
  /** Upgrade authority (default: payer). */
  readonly upgradeAuthority?: Keypair;
  /** ProgramData capacity for later upgrades (default: twice the ELF). */
  readonly maxDataLen?: number;
  /** Advance one slot so the program can be invoked (default true; the loader delays visibility a slot). */
  readonly advanceSlot?: boolean;
}

/** What a deploy produced. */
export interface DeployResult {
  readonly programId: PublicKey;
  readonly programData: PublicKey;
  /** The DeployWithMaxDataLen transaction: its logs (e.g. "Deployed program <id>"), compute units. */
  readonly deploy: TransactionResult;
  /** Number of transactions sent (buffer, writes, deploy). */
  readonly transactions: number;
}

/** Deploys `elf` through BPFLoaderUpgradeable; throws `DeployError` if any step is refused. */
export function deployProgram(svm: LiteSVM, elf: Uint8Array, options: DeployOptions): DeployResult {
  const { payer } = options;
  const authority = options.upgradeAuthority ?? payer;
  const buffer = writeBuffer(svm, elf, { ...options, authority });
  const programKeypair = options.program instanceof PublicKey ? undefined : (options.program ?? Keypair.generate());
  const programId = programKeypair?.publicKey ?? (options.program as PublicKey);
  const createProgram: TransactionInstruction[] = [];
  const programLamports = Number(svm.minimumBalanceForRentExemption(BigInt(PROGRAM_ACCOUNT_SIZE)));
  if (programKeypair) {
    createProgram.push(
      SystemProgram.createAccount({
        fromPubkey: payer.publicKey,
        newAccountPubkey: programId,
        lamports: programLamports,
        space: PROGRAM_ACCOUNT_SIZE,
        programId: BPF_LOADER_UPGRADEABLE_PROGRAM_ID,
      }),
    );
  } else {
    if (svm.getAccount(toAddress(programId)).exists) throw new Error(`an account already exists at ${programId.toBase58()}`);
    svm.setAccount({
      address: toAddress(programId),
      lamports: lamports(BigInt(programLamports)),
      programAddress: toAddress(BPF_LOADER_UPGRADEABLE_PROGRAM_ID),
      executable: false,
      data: new Uint8Array(PROGRAM_ACCOUNT_SIZE),
      space: BigInt(PROGRAM_ACCOUNT_SIZE),
    });
  }
  const signers = [...(programKeypair ? [programKeypair] : []), ...(authority === payer ? [] : [authority])];
  const deploy = send(svm, "deploy", payer, signers, [
    ...createProgram,
    LoaderInstruction.deployWithMaxDataLen({
      payer: payer.publicKey,
      program: programId,
      buffer: buffer.address,
      authority: authority.publicKey,
      maxDataLen: options.maxDataLen ?? elf.length * 2,
    }),
  ]);
  if (options.advanceSlot ?? true) advanceOneSlot(svm);
  return { programId, programData: programDataAddress(programId), deploy, transactions: buffer.transactions + 1 };
}

/** Options of `upgradeProgram`. */
export interface UpgradeOptions extends Omit<WriteBufferOptions, "authority"> {
  /** The program's upgrade authority (default: payer). */
  readonly upgradeAuthority?: Keypair;
  /** Receives the buffer's lamports (default: payer). */
  readonly spill?: PublicKey;
  /** Advance one slot so the new code runs (default true). */
  readonly advanceSlot?: boolean;
}

/** Replaces a deployed program's ELF through Write + Upgrade; returns the Upgrade transaction. */
export function upgradeProgram(svm: LiteSVM, programId: PublicKey, elf: Uint8Array, options: UpgradeOptions): TransactionResult {
  const { payer } = options;
  const authority = options.upgradeAuthority ?? payer;
  const buffer = writeBuffer(svm, elf, { ...options, authority });
  const result = send(svm, "upgrade", payer, authority === payer ? [] : [authority], [
    LoaderInstruction.upgrade({ program: programId, buffer: buffer.address, spill: options.spill ?? payer.publicKey, authority: authority.publicKey }),
  ]);
  if (options.advanceSlot ?? true) advanceOneSlot(svm);
  return result;
}

/** The upgrade authority recorded in a program's ProgramData, null if immutable, undefined if not deployed. */
export function upgradeAuthorityOf(svm: LiteSVM, programId: PublicKey): PublicKey | null | undefined {
  const account = svm.getAccount(toAddress(programDataAddress(programId)));
  if (!account.exists || account.data.length < PROGRAMDATA_HEADER_SIZE) return undefined;
  const data = Buffer.from(account.data);
  return data[12] === 1 ? new PublicKey(data.subarray(13, 45)) : null;
}

/** The ELF bytes stored in a program's ProgramData (padded with zeros up to its max data length). */
export function deployedElf(svm: LiteSVM, programId: PublicKey): Buffer | undefined {
  const account = svm.getAccount(toAddress(programDataAddress(programId)));
  return account.exists ? Buffer.from(account.data.subarray(PROGRAMDATA_HEADER_SIZE)) : undefined;
}

function advanceOneSlot(svm: LiteSVM): void {
  svm.warpToSlot(svm.getClock().slot + 1n);
}

function send(svm: LiteSVM, stage: DeployStage, payer: Keypair, signers: Keypair[], instructions: TransactionInstruction[]): TransactionResult {
  const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: svm.latestBlockhash() }).add(...instructions);
  tx.sign(payer, ...signers);
  const result = submitTransaction(svm, tx);
  if (result.err !== null) throw new DeployError(stage, result);
  return result;
}
