// Instructions that create SPL Token and Token-2022 mints (with Token-2022 extensions) and token accounts.
// Pure builders: the caller supplies rent-exempt balances and sends the instructions.
import {
  type AccountState,
  ExtensionType,
  type Mint,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeAccount3Instruction,
  createInitializeImmutableOwnerInstruction,
  createInitializeDefaultAccountStateInstruction,
  createInitializeInterestBearingMintInstruction,
  createInitializeMint2Instruction,
  createInitializeMintCloseAuthorityInstruction,
  createInitializeNonTransferableMintInstruction,
  createInitializePausableConfigInstruction,
  createInitializePermanentDelegateInstruction,
  createInitializeTransferFeeConfigInstruction,
  createInitializeTransferHookInstruction,
  getAccountLen,
  getAccountTypeOfMintType,
  getAssociatedTokenAddressSync,
  getExtensionTypes,
  getMintLen,
} from "@solana/spl-token";
import { type PublicKey, SystemProgram, type TransactionInstruction } from "@solana/web3.js";

/** A Token-2022 mint extension and its initial configuration. */
export type MintExtension =
  | {
      readonly type: "transferFee";
      readonly feeBasisPoints: number;
      readonly maxFee: bigint;
      readonly configAuthority?: PublicKey | null;
      readonly withdrawAuthority?: PublicKey | null;
    }
  | { readonly type: "transferHook"; readonly hookProgramId: PublicKey; readonly authority: PublicKey }
  | { readonly type: "nonTransferable" }
  | { readonly type: "permanentDelegate"; readonly delegate: PublicKey }
  | { readonly type: "mintCloseAuthority"; readonly closeAuthority: PublicKey }
  /** Requires a freeze authority on the mint. */
  | { readonly type: "defaultAccountState"; readonly state: AccountState }
  | { readonly type: "interestBearing"; readonly rateBasisPoints: number; readonly rateAuthority: PublicKey }
  | { readonly type: "pausable"; readonly authority: PublicKey };

const EXTENSION_TYPES: Record<MintExtension["type"], ExtensionType> = {
  transferFee: ExtensionType.TransferFeeConfig,
  transferHook: ExtensionType.TransferHook,
  nonTransferable: ExtensionType.NonTransferable,
  permanentDelegate: ExtensionType.PermanentDelegate,
  mintCloseAuthority: ExtensionType.MintCloseAuthority,
  defaultAccountState: ExtensionType.DefaultAccountState,
  interestBearing: ExtensionType.InterestBearingConfig,
  pausable: ExtensionType.PausableConfig,
};

/** What a new mint looks like. */
export interface MintSpec {
  readonly decimals: number;
  readonly mintAuthority: PublicKey;
  readonly freezeAuthority?: PublicKey | null;
  /** Token-2022 extensions; any extension implies Token-2022. */
  readonly extensions?: readonly MintExtension[];
  /** TOKEN_PROGRAM_ID (default without extensions) or TOKEN_2022_PROGRAM_ID. */
  readonly programId?: PublicKey;
}

/** The token program a mint spec asks for; extensions need Token-2022. */
export function mintProgramId(spec: MintSpec): PublicKey {
  const extensions = spec.extensions ?? [];
  const programId = spec.programId ?? (extensions.length > 0 ? TOKEN_2022_PROGRAM_ID : TOKEN_PROGRAM_ID);
  if (extensions.length > 0 && !programId.equals(TOKEN_2022_PROGRAM_ID)) {
    throw new Error("mint extensions need the Token-2022 program");
  }
  return programId;
}

/** Size in bytes of the mint account for a spec. */
export function mintSpace(spec: MintSpec): number {
  return getMintLen((spec.extensions ?? []).map((e) => EXTENSION_TYPES[e.type]));
}

/**
 * Creates and initializes `mint` (which must sign): system CreateAccount with `lamports` (rent-exempt
 * for `mintSpace(spec)`), each extension's initialize instruction, then InitializeMint2.
 */
export function createMintInstructions(
  payer: PublicKey,
  mint: PublicKey,
  spec: MintSpec,
  lamports: number,
): TransactionInstruction[] {
  const programId = mintProgramId(spec);
  return [
    SystemProgram.createAccount({ fromPubkey: payer, newAccountPubkey: mint, space: mintSpace(spec), lamports, programId }),
    ...(spec.extensions ?? []).map((extension) => initializeExtension(mint, extension, programId)),
    createInitializeMint2Instruction(mint, spec.decimals, spec.mintAuthority, spec.freezeAuthority ?? null, programId),
  ];
}

function initializeExtension(mint: PublicKey, e: MintExtension, programId: PublicKey): TransactionInstruction {
  switch (e.type) {
    case "transferFee":
      return createInitializeTransferFeeConfigInstruction(
        mint,
        e.configAuthority ?? null,
        e.withdrawAuthority ?? null,
        e.feeBasisPoints,
        e.maxFee,
        programId,
      );
    case "transferHook":
      return createInitializeTransferHookInstruction(mint, e.authority, e.hookProgramId, programId);
    case "nonTransferable":
      return createInitializeNonTransferableMintInstruction(mint, programId);
    case "permanentDelegate":
      return createInitializePermanentDelegateInstruction(mint, e.delegate, programId);
    case "mintCloseAuthority":
      return createInitializeMintCloseAuthorityInstruction(mint, e.closeAuthority, programId);
    case "defaultAccountState":
      return createInitializeDefaultAccountStateInstruction(mint, e.state, programId);
    case "interestBearing":
      return createInitializeInterestBearingMintInstruction(mint, e.rateAuthority, e.rateBasisPoints, programId);
    case "pausable":
      return createInitializePausableConfigInstruction(mint, e.authority, programId);
  }
}

/** The associated token account of `owner` for `mint`, and the idempotent instruction creating it. */
export function associatedTokenAccount(
  payer: PublicKey,
  mint: PublicKey,
  owner: PublicKey,
  programId: PublicKey,
  allowOwnerOffCurve = false,
): { address: PublicKey; instruction: TransactionInstruction } {
  const address = getAssociatedTokenAddressSync(mint, owner, allowOwnerOffCurve, programId);
  return { address, instruction: createAssociatedTokenAccountIdempotentInstruction(payer, address, owner, mint, programId) };
}

/**
 * Creates and initializes a token account at `account` (which must sign), sized for the mint's extensions.
 * `lamports` must be rent-exempt for `tokenAccountSpace(mint)`.
 */
export function createTokenAccountInstructions(
  payer: PublicKey,
  account: PublicKey,
  mint: Mint,
  owner: PublicKey,
  programId: PublicKey,
  lamports: number,
): TransactionInstruction[] {
  const extensions = tokenAccountExtensions(mint);
  return [
    SystemProgram.createAccount({
      fromPubkey: payer,
      newAccountPubkey: account,
      space: getAccountLen(extensions),
      lamports,
      programId,
    }),
    ...(extensions.includes(ExtensionType.ImmutableOwner) ? [createInitializeImmutableOwnerInstruction(account, programId)] : []),
    createInitializeAccount3Instruction(account, mint.address, owner, programId),
  ];
}

/** Size of a token account for `mint`. */
export function tokenAccountSpace(mint: Mint): number {
  return getAccountLen(tokenAccountExtensions(mint));
}

/**
 * The account extensions a token account for `mint` needs: those its mint extensions imply, plus
 * ImmutableOwner for a non-transferable mint (Token-2022 refuses the account without it).
 */
export function tokenAccountExtensions(mint: Mint): ExtensionType[] {
  const implied = getExtensionTypes(mint.tlvData)
    .map(getAccountTypeOfMintType)
    .filter((e) => e !== ExtensionType.Uninitialized);
  if (implied.includes(ExtensionType.NonTransferableAccount)) implied.push(ExtensionType.ImmutableOwner);
  return [...new Set(implied)];
}
