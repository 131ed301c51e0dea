// jsonParsed account data of SPL Token and Token-2022 (accounts, mints, multisigs), as Agave's
// account-decoder gives it. Token-2022 extensions are listed by name, with their state for the common ones.
import { TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID, addressOf } from "../chain/keys.js";
import type { AccountState } from "../chain/native.js";
import { MINT_SIZE, MULTISIG_SIZE, TOKEN_ACCOUNT_SIZE, uiTokenAmount } from "../chain/tokens.js";

export interface ParsedAccountData {
  readonly program: string;
  readonly parsed: unknown;
  readonly space: number;
}

const ACCOUNT_STATES = ["uninitialized", "initialized", "frozen"] as const;

/** The parsed form of a token program account, or null if it is none of the three layouts. */
export function parseTokenAccountData(
  state: AccountState,
  mintDecimals: (mint: Buffer) => number | null,
): ParsedAccountData | null {
  const owner = addressOf(state.owner);
  if (owner !== TOKEN_PROGRAM_ID && owner !== TOKEN_2022_PROGRAM_ID) return null;
  const program = owner === TOKEN_PROGRAM_ID ? "spl-token" : "spl-token-2022";
  const { data } = state;
  const is2022 = owner === TOKEN_2022_PROGRAM_ID;
  const accountType = data.length > TOKEN_ACCOUNT_SIZE ? data[TOKEN_ACCOUNT_SIZE] : 0;
  const wrap = (parsed: unknown): ParsedAccountData => ({ program, parsed, space: data.length });
  if (data.length === MULTISIG_SIZE) return wrap(parseMultisig(data));
  if (data.length === TOKEN_ACCOUNT_SIZE || (is2022 && data.length > TOKEN_ACCOUNT_SIZE && accountType === 2)) {
    const decimals = mintDecimals(data.subarray(0, 32));
    if (decimals === null || data[108] === 0) return null;
    const info = parseTokenAccount(data, decimals);
    if (is2022 && data.length > TOKEN_ACCOUNT_SIZE) info.extensions = parseExtensions(data.subarray(TOKEN_ACCOUNT_SIZE + 1));
    return wrap({ type: "account", info });
  }
  if (data.length === MINT_SIZE || (is2022 && data.length > TOKEN_ACCOUNT_SIZE && accountType === 1)) {
    if (data[45] !== 1) return null;
    const info = parseMint(data);
    if (is2022 && data.length > TOKEN_ACCOUNT_SIZE) info.extensions = parseExtensions(data.subarray(TOKEN_ACCOUNT_SIZE + 1));
    return wrap({ type: "mint", info });
  }
  return null;
}

function optionalKey(data: Buffer, tagOffset: number): string | null {
  return data.readUInt32LE(tagOffset) === 1 ? addressOf(data.subarray(tagOffset + 4, tagOffset + 36)) : null;
}

function parseTokenAccount(data: Buffer, decimals: number): Record<string, unknown> {
  const mint = addressOf(data.subarray(0, 32));
  const isNative = data.readUInt32LE(109) === 1;
  const info: Record<string, unknown> = {
    isNative,
    mint,
    owner: addressOf(data.subarray(32, 64)),
    state: ACCOUNT_STATES[data[108]] ?? "uninitialized",
    tokenAmount: uiTokenAmount(data.readBigUInt64LE(64), decimals),
  };
  const delegate = optionalKey(data, 72);
  if (delegate !== null) {
    info.delegate = delegate;
    info.delegatedAmount = uiTokenAmount(data.readBigUInt64LE(121), decimals);
  }
  if (isNative) info.rentExemptReserve = uiTokenAmount(data.readBigUInt64LE(113), decimals);
  const closeAuthority = optionalKey(data, 129);
  if (closeAuthority !== null) info.closeAuthority = closeAuthority;
  return info;
}

function parseMint(data: Buffer): Record<string, unknown> {
  return {
    mintAuthority: optionalKey(data, 0),
    supply: data.readBigUInt64LE(36).toString(),
    decimals: data[44],
    isInitialized: data[45] === 1,
    freezeAuthority: optionalKey(data, 46),
  };
}

function parseMultisig(data: Buffer): unknown {
  const n = data[1];
  const signers: string[] = [];
  for (let i = 0; i < n && i < 11; i++) signers.push(addressOf(data.subarray(3 + 32 * i, 35 + 32 * i)));
  return { type: "multisig", info: { numRequiredSigners: data[0], numValidSigners: n, isInitialized: data[2] === 1, signers } };
}

const EXTENSION_NAMES = [
  "uninitialized",
  "transferFeeConfig",
  "transferFeeAmount",
  "mintCloseAuthority",
  "confidentialTransferMint",
  "confidentialTransferAccount",
  "defaultAccountState",
  "immutableOwner",
  "memoTransfer",
  "nonTransferable",
  "interestBearingConfig",
  "cpiGuard",
  "permanentDelegate",
  "nonTransferableAccount",
  "transferHook",
  "transferHookAccount",
  "confidentialTransferFeeConfig",
  "confidentialTransferFeeAmount",
  "metadataPointer",
  "tokenMetadata",
  "groupPointer",
  "tokenGroup",
  "groupMemberPointer",
  "tokenGroupMember",
  "confidentialMintBurn",
  "scaledUiAmountConfig",
  "pausableConfig",
  "pausableAccount",
];

/** An optional key stored as 32 bytes, all zero for none (OptionalNonZeroPubkey). */
function nonZeroKey(bytes: Buffer): string | null {
  return bytes.some((b) => b !== 0) ? addressOf(bytes) : null;
}

/** Token-2022 TLV extensions: `{ extension, state? }`, state for the extensions with a plain layout. */
function parseExtensions(tlv: Buffer): unknown[] {
  const out: unknown[] = [];
  let offset = 0;
  while (offset + 4 <= tlv.length) {
    const type = tlv.readUInt16LE(offset);
    const length = tlv.readUInt16LE(offset + 2);
    const value = tlv.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
    if (type === 0) break;
    const extension = EXTENSION_NAMES[type] ?? "unparseableExtension";
    const state = extensionState(extension, value);
    out.push(state === undefined ? { extension } : { extension, state });
  }
  return out;
}

function extensionState(extension: string, v: Buffer): unknown {
  switch (extension) {
    case "mintCloseAuthority":
      return v.length >= 32 ? { closeAuthority: nonZeroKey(v.subarray(0, 32)) } : undefined;
    case "permanentDelegate":
      return v.length >= 32 ? { delegate: nonZeroKey(v.subarray(0, 32)) } : undefined;
    case "defaultAccountState":
      return v.length >= 1 ? { accountState: ACCOUNT_STATES[v[0]] ?? "uninitialized" } : undefined;
    case "memoTransfer":
      return v.length >= 1 ? { requireIncomingTransferMemos: v[0] === 1 } : undefined;
    case "cpiGuard":
      return v.length >= 1 ? { lockCpi: v[0] === 1 } : undefined;
    case "transferHookAccount":
      return v.length >= 1 ? { transferring: v[0] === 1 } : undefined;
    case "transferHook":
    case "metadataPointer":
    case "groupPointer":
    case "groupMemberPointer": {
      if (v.length < 64) return undefined;
      const second = { transferHook: "programId", metadataPointer: "metadataAddress", groupPointer: "groupAddress", groupMemberPointer: "memberAddress" }[extension]!;
      return { authority: nonZeroKey(v.subarray(0, 32)), [second]: nonZeroKey(v.subarray(32, 64)) };
    }
    case "pausableConfig":
      return v.length >= 33 ? { authority: nonZeroKey(v.subarray(0, 32)), paused: v[32] === 1 } : undefined;
    case "transferFeeAmount":
      return v.length >= 8 ? { withheldAmount: Number(v.readBigUInt64LE(0)) } : undefined;
    default:
      return undefined;
  }
}
