// SPL Token and Token-2022 accounts and mints as the RPC sees them: the token balances of a transaction's
// accounts (meta.preTokenBalances / postTokenBalances) and UI amounts.
import type { AccountState } from "./native.js";
import { TOKEN_2022_PROGRAM_ID, addressOf, isTokenProgram } from "./keys.js";

/** Base sizes of the SPL Token layouts (Token-2022 appends an account-type byte and extensions). */
export const TOKEN_ACCOUNT_SIZE = 165;
export const MINT_SIZE = 82;
export const MULTISIG_SIZE = 355;
const ACCOUNT_TYPE_MINT = 1;
const ACCOUNT_TYPE_ACCOUNT = 2;

/** A token amount in every form the RPC gives it. */
export interface UiTokenAmount {
  readonly amount: string;
  readonly decimals: number;
  readonly uiAmount: number | null;
  readonly uiAmountString: string;
}

export interface TokenBalance {
  readonly accountIndex: number;
  readonly mint: string;
  readonly owner: string;
  readonly programId: string;
  readonly uiTokenAmount: UiTokenAmount;
}

/** The fields of an initialized token account. */
export interface TokenAccountFields {
  readonly mint: Buffer;
  readonly owner: Buffer;
  readonly amount: bigint;
  readonly programId: string;
}

/** An initialized token account of Token or Token-2022, else null (mints, multisigs, other programs). */
export function tokenAccountOf(state: AccountState | null): TokenAccountFields | null {
  if (state === null) return null;
  const programId = addressOf(state.owner);
  if (!isTokenProgram(programId)) return null;
  const { data } = state;
  if (data.length < TOKEN_ACCOUNT_SIZE || data[108] === 0) return null;
  if (data.length > TOKEN_ACCOUNT_SIZE) {
    if (programId !== TOKEN_2022_PROGRAM_ID || data.length === MULTISIG_SIZE || data[TOKEN_ACCOUNT_SIZE] !== ACCOUNT_TYPE_ACCOUNT) {
      return null;
    }
  }
  return { mint: data.subarray(0, 32), owner: data.subarray(32, 64), amount: data.readBigUInt64LE(64), programId };
}

/** Decimals of an initialized mint of Token or Token-2022, else null. */
export function mintDecimalsOf(state: AccountState | null): number | null {
  if (state === null || !isTokenProgram(addressOf(state.owner))) return null;
  const { data } = state;
  if (data.length < MINT_SIZE || data[45] !== 1) return null;
  if (data.length > MINT_SIZE) {
    const is2022 = addressOf(state.owner) === TOKEN_2022_PROGRAM_ID;
    if (!is2022 || data.length <= TOKEN_ACCOUNT_SIZE || data[TOKEN_ACCOUNT_SIZE] !== ACCOUNT_TYPE_MINT) return null;
  }
  return data[44];
}

/** `amount` base units as the RPC shows them (uiAmountString trimmed of trailing zeros). */
export function uiTokenAmount(amount: bigint, decimals: number): UiTokenAmount {
  const digits = amount.toString();
  let uiAmountString = digits;
  if (decimals > 0) {
    const padded = digits.padStart(decimals + 1, "0");
    const whole = padded.slice(0, padded.length - decimals);
    const fraction = padded.slice(padded.length - decimals).replace(/0+$/, "");
    uiAmountString = fraction.length > 0 ? `${whole}.${fraction}` : whole;
  }
  return { amount: digits, decimals, uiAmount: Number(amount) / 10 ** decimals, uiAmountString };
}

/**
 * The token balances of a transaction's accounts: every account that is not an invoked program and holds an
 * initialized token account, with the decimals of its mint (read through `mintState` when the mint is not
 * among the accounts). Accounts whose mint cannot be read are left out, as on a cluster.
 */
export function tokenBalances(
  states: readonly (AccountState | null)[],
  invoked: readonly boolean[],
  mintState: (mint: Buffer) => AccountState | null,
): TokenBalance[] {
  const balances: TokenBalance[] = [];
  let decimalsByMint: Map<string, number | null> | undefined;
  for (let i = 0; i < states.length; i++) {
    if (invoked[i]) continue;
    const account = tokenAccountOf(states[i]);
    if (account === null) continue;
    const mint = addressOf(account.mint);
    decimalsByMint ??= new Map();
    let decimals = decimalsByMint.get(mint);
    if (decimals === undefined) {
      decimals = mintDecimalsOf(mintState(account.mint));
      decimalsByMint.set(mint, decimals);
    }
    if (decimals === null) continue;
    balances.push({
      accountIndex: i,
      mint,
      owner: addressOf(account.owner),
      programId: account.programId,
      uiTokenAmount: uiTokenAmount(account.amount, decimals),
    });
  }
  return balances;
}
