// jsonParsed instructions, as Agave's transaction-status parsers give them, for the programs clients read
// that way: System, SPL Token and Token-2022 (the base instruction set), Associated Token Account and Memo.
// Anything else, or data a parser refuses, stays partially decoded (program id, accounts, base58 data), which
// is what a node does when its parser fails.
import bs58 from "bs58";
import {
  ASSOCIATED_TOKEN_PROGRAM_ID,
  MEMO_PROGRAM_ID,
  MEMO_V1_PROGRAM_ID,
  SYSTEM_PROGRAM_ID,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
} from "../chain/keys.js";
import { uiTokenAmount } from "../chain/tokens.js";

export interface ParsedInstruction {
  readonly program: string;
  readonly parsed: unknown;
}

/** Thrown by a parser for data it does not understand; the caller falls back to partially decoded. */
class Unparseable extends Error {}

/** The parsed form of an instruction, or null when it is not parsed (unknown program or refused data). */
export function parseInstruction(programId: string, accounts: readonly string[], data: Buffer): ParsedInstruction | null {
  try {
    switch (programId) {
      case SYSTEM_PROGRAM_ID:
        return { program: "system", parsed: parseSystem(accounts, data) };
      case TOKEN_PROGRAM_ID:
        return { program: "spl-token", parsed: parseToken(accounts, data) };
      case TOKEN_2022_PROGRAM_ID:
        return { program: "spl-token-2022", parsed: parseToken(accounts, data) };
      case ASSOCIATED_TOKEN_PROGRAM_ID:
        return { program: "spl-associated-token-account", parsed: parseAssociatedToken(accounts, data) };
      case MEMO_PROGRAM_ID:
      case MEMO_V1_PROGRAM_ID: {
        const text = new TextDecoder("utf-8", { fatal: true }).decode(data);
        return { program: "spl-memo", parsed: text };
      }
      default:
        return null;
    }
  } catch {
    return null;
  }
}

/** Reads bincode/borsh fields in order; any overrun is `Unparseable`. */
class Fields {
  private offset = 0;
  constructor(private readonly data: Buffer) {}

  u8(): number {
    this.need(1);
    return this.data[this.offset++];
  }
  u16(): number {
    this.need(2);
    const v = this.data.readUInt16LE(this.offset);
    this.offset += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.data.readUInt32LE(this.offset);
    this.offset += 4;
    return v;
  }
  u64(): bigint {
    this.need(8);
    const v = this.data.readBigUInt64LE(this.offset);
    this.offset += 8;
    return v;
  }
  pubkey(): string {
    this.need(32);
    const v = bs58.encode(this.data.subarray(this.offset, this.offset + 32));
    this.offset += 32;
    return v;
  }
  /** bincode String: u64 length, utf-8 bytes. */
  string(): string {
    const length = Number(this.u64());
    this.need(length);
    const v = this.data.subarray(this.offset, this.offset + length).toString("utf8");
    this.offset += length;
    return v;
  }
  /** SPL Token's COption<Pubkey> in instruction data: a one-byte tag. */
  optionPubkey(): string | null {
    return this.u8() === 1 ? this.pubkey() : null;
  }
  remaining(): number {
    return this.data.length - this.offset;
  }
  /** Everything left. */
  rest(): Buffer {
    const v = this.data.subarray(this.offset);
    this.offset = this.data.length;
    return v;
  }
  end(): void {
    if (this.offset !== this.data.length) throw new Unparseable("trailing data");
  }
  private need(n: number): void {
    if (this.offset + n > this.data.length) throw new Unparseable("data too short");
  }
}

function account(accounts: readonly string[], index: number): string {
  const a = accounts[index];
  if (a === undefined) throw new Unparseable("missing account");
  return a;
}

function checkCount(accounts: readonly string[], count: number): void {
  if (accounts.length < count) throw new Unparseable("not enough accounts");
}

// ---- System -------------------------------------------------------------------------------------------

function parseSystem(a: readonly string[], data: Buffer): unknown {
  const f = new Fields(data);
  const tag = f.u32();
  const result = (type: string, info: Record<string, unknown>) => ({ type, info });
  let out;
  switch (tag) {
    case 0: {
      checkCount(a, 2);
      const lamports = f.u64();
      const space = f.u64();
      const owner = f.pubkey();
      out = result("createAccount", { source: a[0], newAccount: a[1], lamports: Number(lamports), space: Number(space), owner });
      break;
    }
    case 1:
      checkCount(a, 1);
      out = result("assign", { account: a[0], owner: f.pubkey() });
      break;
    case 2:
      checkCount(a, 2);
      out = result("transfer", { source: a[0], destination: a[1], lamports: Number(f.u64()) });
      break;
    case 3: {
      checkCount(a, 2);
      const base = f.pubkey();
      const seed = f.string();
      const lamports = f.u64();
      const space = f.u64();
      const owner = f.pubkey();
      out = result("createAccountWithSeed", { source: a[0], newAccount: a[1], base, seed, lamports: Number(lamports), space: Number(space), owner });
      break;
    }
    case 4:
      checkCount(a, 3);
      out = result("advanceNonce", { nonceAccount: a[0], recentBlockhashesSysvar: a[1], nonceAuthority: a[2] });
      break;
    case 5:
      checkCount(a, 5);
      out = result("withdrawFromNonce", {
        nonceAccount: a[0],
        destination: a[1],
        recentBlockhashesSysvar: a[2],
        rentSysvar: a[3],
        nonceAuthority: a[4],
        lamports: Number(f.u64()),
      });
      break;
    case 6:
      checkCount(a, 3);
      out = result("initializeNonce", { nonceAccount: a[0], recentBlockhashesSysvar: a[1], rentSysvar: a[2], nonceAuthority: f.pubkey() });
      break;
    case 7:
      checkCount(a, 2);
      out = result("authorizeNonce", { nonceAccount: a[0], nonceAuthority: a[1], newAuthorized: f.pubkey() });
      break;
    case 8:
      checkCount(a, 1);
      out = result("allocate", { account: a[0], space: Number(f.u64()) });
      break;
    case 9: {
      checkCount(a, 2);
      const base = f.pubkey();
      const seed = f.string();
      const space = f.u64();
      const owner = f.pubkey();
      out = result("allocateWithSeed", { account: a[0], base, seed, space: Number(space), owner });
      break;
    }
    case 10: {
      checkCount(a, 2);
      const base = f.pubkey();
      const seed = f.string();
      const owner = f.pubkey();
      out = result("assignWithSeed", { account: a[0], base, seed, owner });
      break;
    }
    case 11: {
      checkCount(a, 3);
      const lamports = f.u64();
      const sourceSeed = f.string();
      const sourceOwner = f.pubkey();
      out = result("transferWithSeed", { source: a[0], sourceBase: a[1], destination: a[2], lamports: Number(lamports), sourceSeed, sourceOwner });
      break;
    }
    case 12:
      checkCount(a, 1);
      out = result("upgradeNonce", { nonceAccount: a[0] });
      break;
    default:
      throw new Unparseable("unknown system instruction");
  }
  f.end();
  return out;
}

// ---- SPL Token / Token-2022 -----------------------------------------------------------------------------

const AUTHORITY_TYPES = [
  "mintTokens",
  "freezeAccount",
  "accountOwner",
  "closeAccount",
  "transferFeeConfig",
  "withheldWithdraw",
  "closeMint",
  "interestRate",
  "permanentDelegate",
  "confidentialTransferMint",
  "transferHookProgramId",
  "confidentialTransferFeeConfig",
  "metadataPointer",
  "groupPointer",
  "groupMemberPointer",
  "scaledUiAmount",
  "pause",
];

/**
 * The authority of a token instruction: a single signer at `index`, or a multisig followed by its signers
 * (when more accounts follow than the instruction's own).
 */
function authority(info: Record<string, unknown>, a: readonly string[], index: number, name: string, multisigName: string): void {
  if (a.length > index + 1) {
    info[multisigName] = account(a, index);
    info.signers = a.slice(index + 1);
  } else {
    info[name] = account(a, index);
  }
}

function parseToken(a: readonly string[], data: Buffer): unknown {
  const f = new Fields(data);
  const tag = f.u8();
  const info: Record<string, unknown> = {};
  let type: string;
  switch (tag) {
    case 0:
    case 20: {
      type = tag === 0 ? "initializeMint" : "initializeMint2";
      checkCount(a, tag === 0 ? 2 : 1);
      info.mint = a[0];
      info.decimals = f.u8();
      info.mintAuthority = f.pubkey();
      const freeze = f.optionPubkey();
      if (freeze !== null) info.freezeAuthority = freeze;
      if (tag === 0) info.rentSysvar = a[1];
      break;
    }
    case 1:
      type = "initializeAccount";
      checkCount(a, 4);
      Object.assign(info, { account: a[0], mint: a[1], owner: a[2], rentSysvar: a[3] });
      break;
    case 16:
      type = "initializeAccount2";
      checkCount(a, 3);
      Object.assign(info, { account: a[0], mint: a[1], owner: f.pubkey(), rentSysvar: a[2] });
      break;
    case 18:
      type = "initializeAccount3";
      checkCount(a, 2);
      Object.assign(info, { account: a[0], mint: a[1], owner: f.pubkey() });
      break;
    case 2:
    case 19: {
      type = tag === 2 ? "initializeMultisig" : "initializeMultisig2";
      const first = tag === 2 ? 2 : 1;
      checkCount(a, first + 1);
      info.multisig = a[0];
      if (tag === 2) info.rentSysvar = a[1];
      info.signers = a.slice(first);
      info.m = f.u8();
      break;
    }
    case 3:
      type = "transfer";
      checkCount(a, 3);
      Object.assign(info, { source: a[0], destination: a[1], amount: f.u64().toString() });
      authority(info, a, 2, "authority", "multisigAuthority");
      break;
    case 4:
      type = "approve";
      checkCount(a, 3);
      Object.assign(info, { source: a[0], delegate: a[1], amount: f.u64().toString() });
      authority(info, a, 2, "owner", "multisigOwner");
      break;
    case 5:
      type = "revoke";
      checkCount(a, 2);
      info.source = a[0];
      authority(info, a, 1, "owner", "multisigOwner");
      break;
    case 6: {
      type = "setAuthority";
      checkCount(a, 2);
      const authorityType = AUTHORITY_TYPES[f.u8()];
      if (authorityType === undefined) throw new Unparseable("unknown authority type");
      const owned = authorityType === "accountOwner" || authorityType === "closeAccount" ? "account" : "mint";
      info[owned] = a[0];
      info.authorityType = authorityType;
      info.newAuthority = f.optionPubkey();
      authority(info, a, 1, "authority", "multisigAuthority");
      break;
    }
    case 7:
      type = "mintTo";
      checkCount(a, 3);
      Object.assign(info, { mint: a[0], account: a[1], amount: f.u64().toString() });
      authority(info, a, 2, "mintAuthority", "multisigMintAuthority");
      break;
    case 8:
      type = "burn";
      checkCount(a, 3);
      Object.assign(info, { account: a[0], mint: a[1], amount: f.u64().toString() });
      authority(info, a, 2, "authority", "multisigAuthority");
      break;
    case 9:
      type = "closeAccount";
      checkCount(a, 3);
      Object.assign(info, { account: a[0], destination: a[1] });
      authority(info, a, 2, "owner", "multisigOwner");
      break;
    case 10:
    case 11:
      type = tag === 10 ? "freezeAccount" : "thawAccount";
      checkCount(a, 3);
      Object.assign(info, { account: a[0], mint: a[1] });
      authority(info, a, 2, "freezeAuthority", "multisigFreezeAuthority");
      break;
    case 12: {
      type = "transferChecked";
      checkCount(a, 4);
      const amount = f.u64();
      Object.assign(info, { source: a[0], mint: a[1], destination: a[2], tokenAmount: uiTokenAmount(amount, f.u8()) });
      authority(info, a, 3, "authority", "multisigAuthority");
      break;
    }
    case 13: {
      type = "approveChecked";
      checkCount(a, 4);
      const amount = f.u64();
      Object.assign(info, { source: a[0], mint: a[1], delegate: a[2], tokenAmount: uiTokenAmount(amount, f.u8()) });
      authority(info, a, 3, "owner", "multisigOwner");
      break;
    }
    case 14: {
      type = "mintToChecked";
      checkCount(a, 3);
      const amount = f.u64();
      Object.assign(info, { mint: a[0], account: a[1], tokenAmount: uiTokenAmount(amount, f.u8()) });
      authority(info, a, 2, "mintAuthority", "multisigMintAuthority");
      break;
    }
    case 15: {
      type = "burnChecked";
      checkCount(a, 3);
      const amount = f.u64();
      Object.assign(info, { account: a[0], mint: a[1], tokenAmount: uiTokenAmount(amount, f.u8()) });
      authority(info, a, 2, "authority", "multisigAuthority");
      break;
    }
    case 17:
      type = "syncNative";
      checkCount(a, 1);
      info.account = a[0];
      break;
    case 21: {
      type = "getAccountDataSize";
      checkCount(a, 1);
      info.mint = a[0];
      const extensionTypes: number[] = [];
      while (f.remaining() >= 2) extensionTypes.push(f.u16());
      if (extensionTypes.length > 0) info.extensionTypes = extensionTypes;
      break;
    }
    case 22:
      type = "initializeImmutableOwner";
      checkCount(a, 1);
      info.account = a[0];
      break;
    case 23:
      type = "amountToUiAmount";
      checkCount(a, 1);
      Object.assign(info, { mint: a[0], amount: f.u64().toString() });
      break;
    case 24:
      type = "uiAmountToAmount";
      checkCount(a, 1);
      Object.assign(info, { mint: a[0], uiAmount: f.rest().toString("utf8") });
      break;
    default:
      // Token-2022 extension instructions are left partially decoded.
      throw new Unparseable("token instruction not parsed");
  }
  f.end();
  return { type, info };
}

// ---- Associated Token Account -----------------------------------------------------------------------------

function parseAssociatedToken(a: readonly string[], data: Buffer): unknown {
  const tag = data.length === 0 ? 0 : data[0];
  if (data.length > 1) throw new Unparseable("trailing data");
  if (tag === 0 || tag === 1) {
    checkCount(a, 6);
    return {
      type: tag === 0 ? "create" : "createIdempotent",
      info: { source: a[0], account: a[1], wallet: a[2], mint: a[3], systemProgram: a[4], tokenProgram: a[5] },
    };
  }
  if (tag === 2) {
    checkCount(a, 7);
    return {
      type: "recoverNested",
      info: { nestedSource: a[0], nestedMint: a[1], destination: a[2], nestedOwner: a[3], ownerMint: a[4], wallet: a[5], tokenProgram: a[6] },
    };
  }
  throw new Unparseable("unknown associated token instruction");
}
