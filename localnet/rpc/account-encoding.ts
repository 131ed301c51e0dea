// Accounts as the RPC returns them (UiAccount): lamports, owner, data in the requested encoding, executable,
// rentEpoch and space. jsonParsed covers SPL Token and Token-2022 and falls back to base64, as a node does.
import bs58 from "bs58";
import { addressOf } from "../chain/keys.js";
import type { AccountState } from "../chain/native.js";
import { mintDecimalsOf } from "../chain/tokens.js";
import { parseTokenAccountData } from "../parse/token-account.js";
import { invalidParams } from "./errors.js";
import { dataSlice, oneOf } from "./params.js";
import { zstdRawFrame } from "./zstd.js";

export type AccountEncoding = "binary" | "base58" | "base64" | "base64+zstd" | "jsonParsed";
export const ACCOUNT_ENCODINGS: readonly AccountEncoding[] = ["binary", "base58", "base64", "base64+zstd", "jsonParsed"];

/** Largest account data the base58 encodings accept. */
const MAX_BASE58_BYTES = 128;

export interface AccountView {
  readonly encoding: AccountEncoding;
  readonly slice: { offset: number; length: number } | undefined;
}

/** `encoding` and `dataSlice` of a config (default `fallback`), checked as a node checks them. */
export function accountView(cfg: Record<string, unknown>, fallback: AccountEncoding = "binary"): AccountView {
  const encoding = oneOf(cfg, "encoding", ACCOUNT_ENCODINGS, fallback);
  const slice = dataSlice(cfg);
  if (encoding === "jsonParsed" && slice !== undefined) {
    throw invalidParams("Sliced account data can only be encoded using binary (base 58) or base64 encoding.");
  }
  return { encoding, slice };
}

export interface UiAccount {
  readonly lamports: bigint;
  readonly owner: string;
  readonly data: unknown;
  readonly executable: boolean;
  readonly rentEpoch: bigint;
  readonly space: number;
}

/**
 * The account in the view's encoding. `mintState` reads mints for jsonParsed token accounts (decimals).
 * Throws -32602 for base58 data over 128 bytes.
 */
export function encodeAccount(
  state: AccountState,
  view: AccountView,
  mintState: (mint: Buffer) => AccountState | null,
): UiAccount {
  return {
    lamports: state.lamports,
    owner: addressOf(state.owner),
    data: encodeData(state, view, mintState),
    executable: state.executable,
    rentEpoch: state.rentEpoch,
    space: state.data.length,
  };
}

function encodeData(state: AccountState, view: AccountView, mintState: (mint: Buffer) => AccountState | null): unknown {
  const data = view.slice ? state.data.subarray(view.slice.offset, view.slice.offset + view.slice.length) : state.data;
  switch (view.encoding) {
    case "binary":
    case "base58": {
      if (data.length > MAX_BASE58_BYTES) {
        throw invalidParams(`Encoded binary (base 58) data should be less than ${MAX_BASE58_BYTES} bytes, please use Base64 encoding.`);
      }
      const text = bs58.encode(data);
      return view.encoding === "binary" ? text : [text, "base58"];
    }
    case "base64":
      return [data.toString("base64"), "base64"];
    case "base64+zstd":
      return [zstdRawFrame(data).toString("base64"), "base64+zstd"];
    case "jsonParsed":
      return parseTokenAccountData(state, (mint) => mintDecimalsOf(mintState(mint))) ?? [data.toString("base64"), "base64"];
  }
}
