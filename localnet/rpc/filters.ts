// getProgramAccounts / programSubscribe filters: dataSize, memcmp (base58 or base64 bytes) and
// tokenAccountState, validated as a node validates them.
import bs58 from "bs58";
import type { AccountState } from "../chain/native.js";
import { tokenAccountOf } from "../chain/tokens.js";
import { invalidParams } from "./errors.js";
import { config, u64 } from "./params.js";

export type AccountFilter =
  | { readonly kind: "dataSize"; readonly size: number }
  | { readonly kind: "memcmp"; readonly offset: number; readonly bytes: Buffer }
  | { readonly kind: "tokenAccountState" };

const MAX_FILTERS = 4;
const MAX_MEMCMP_BYTES = 128;
const MAX_MEMCMP_BASE58_CHARS = 175;

export function parseFilters(value: unknown): AccountFilter[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidParams("Invalid params: filters must be an array");
  if (value.length > MAX_FILTERS) throw invalidParams(`Too many filters provided; max ${MAX_FILTERS}`);
  return value.map(parseFilter);
}

function parseFilter(value: unknown): AccountFilter {
  const filter = config(value);
  if ("dataSize" in filter) return { kind: "dataSize", size: u64(filter.dataSize, "dataSize") };
  if ("tokenAccountState" in filter) return { kind: "tokenAccountState" };
  if ("memcmp" in filter) {
    const memcmp = config(filter.memcmp);
    const offset = u64(memcmp.offset, "memcmp.offset");
    const bytes = memcmp.bytes;
    if (typeof bytes !== "string") throw invalidParams("Invalid params: memcmp.bytes must be a string");
    const encoding = memcmp.encoding ?? "base58";
    let decoded: Buffer;
    if (encoding === "base58") {
      if (bytes.length > MAX_MEMCMP_BASE58_CHARS) throw invalidParams("Invalid param: filter: Base58DataTooLarge");
      try {
        decoded = Buffer.from(bs58.decode(bytes));
      } catch {
        throw invalidParams("Invalid param: filter: DecodeError(InvalidBase58Character)");
      }
    } else if (encoding === "base64") {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(bytes)) throw invalidParams("Invalid param: filter: Base64 decode error");
      decoded = Buffer.from(bytes, "base64");
    } else {
      throw invalidParams(`Invalid params: unknown memcmp encoding ${JSON.stringify(encoding)}`);
    }
    if (decoded.length > MAX_MEMCMP_BYTES) throw invalidParams("Invalid param: filter: DataTooLarge");
    return { kind: "memcmp", offset, bytes: decoded };
  }
  throw invalidParams("Invalid params: unknown filter, expected dataSize, memcmp or tokenAccountState");
}

export function matchesFilters(state: AccountState, filters: readonly AccountFilter[]): boolean {
  for (const filter of filters) {
    switch (filter.kind) {
      case "dataSize":
        if (state.data.length !== filter.size) return false;
        break;
      case "memcmp": {
        const end = filter.offset + filter.bytes.length;
        if (end > state.data.length || !state.data.subarray(filter.offset, end).equals(filter.bytes)) return false;
        break;
      }
      case "tokenAccountState":
        if (tokenAccountOf(state) === null) return false;
        break;
    }
  }
  return true;
}
