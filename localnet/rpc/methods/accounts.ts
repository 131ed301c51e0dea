// Account reads: balances, accounts (one, many, by program) and the rent-exempt minimum.
import type { RpcContext, RpcMethod } from "../context.js";
import { contextSlot, mintReader, withContext } from "../context.js";
import { accountView, encodeAccount } from "../account-encoding.js";
import { invalidParams } from "../errors.js";
import { matchesFilters, parseFilters } from "../filters.js";
import { commitment, config, optionalBoolean, positional, pubkey, u64 } from "../params.js";

const MAX_MULTIPLE_ACCOUNTS = 100;

export const accountMethods: Record<string, RpcMethod> = {
  getBalance(params, ctx) {
    const [key, rawConfig] = positional(params, 1, 2);
    const { key: bytes, address } = pubkey(key);
    const cfg = config(rawConfig);
    const level = commitment(cfg);
    const slot = contextSlot(ctx, cfg, level);
    return withContext(slot, ctx.chain.account(bytes, level, address)?.lamports ?? 0n);
  },

  getAccountInfo(params, ctx) {
    const [key, rawConfig] = positional(params, 1, 2);
    const { key: bytes, address } = pubkey(key);
    const cfg = config(rawConfig);
    const level = commitment(cfg);
    const view = accountView(cfg);
    const slot = contextSlot(ctx, cfg, level);
    const state = ctx.chain.account(bytes, level, address);
    return withContext(slot, state === null ? null : encodeAccount(state, view, mintReader(ctx, level)));
  },

  getMultipleAccounts(params, ctx) {
    const [keys, rawConfig] = positional(params, 1, 2);
    if (!Array.isArray(keys)) throw invalidParams("Invalid params: expected an array of pubkeys");
    if (keys.length > MAX_MULTIPLE_ACCOUNTS) throw invalidParams(`Too many inputs provided; max ${MAX_MULTIPLE_ACCOUNTS}`);
    const parsed = keys.map((k) => pubkey(k));
    const cfg = config(rawConfig);
    const level = commitment(cfg);
    const view = accountView(cfg);
    const slot = contextSlot(ctx, cfg, level);
    const mints = mintReader(ctx, level);
    return withContext(
      slot,
      parsed.map(({ key, address }) => {
        const state = ctx.chain.account(key, level, address);
        return state === null ? null : encodeAccount(state, view, mints);
      }),
    );
  },

  getProgramAccounts(params, ctx) {
    const [key, rawConfig] = positional(params, 1, 2);
    const { key: program } = pubkey(key);
    const cfg = config(rawConfig);
    const level = commitment(cfg);
    const view = accountView(cfg);
    const filters = parseFilters(cfg.filters);
    const slot = contextSlot(ctx, cfg, level);
    const result = programAccounts(ctx, program, level, view, filters);
    return optionalBoolean(cfg, "withContext") ? withContext(slot, result) : result;
  },

  getMinimumBalanceForRentExemption(params, ctx) {
    const [length, rawConfig] = positional(params, 1, 2);
    const cfg = config(rawConfig);
    contextSlot(ctx, cfg, commitment(cfg));
    return ctx.chain.native.minimumBalanceForRentExemption(BigInt(u64(length, "data length")));
  },
};

/** `[{ pubkey, account }]` of the accounts owned by `program` that pass the filters. */
export function programAccounts(
  ctx: RpcContext,
  program: Buffer,
  level: Parameters<RpcContext["chain"]["programAccounts"]>[1],
  view: ReturnType<typeof accountView>,
  filters: ReturnType<typeof parseFilters>,
): Array<{ pubkey: string; account: ReturnType<typeof encodeAccount> }> {
  const mints = mintReader(ctx, level);
  const out: Array<{ pubkey: string; account: ReturnType<typeof encodeAccount> }> = [];
  for (const [address, state] of ctx.chain.programAccounts(program, level)) {
    if (matchesFilters(state, filters)) out.push({ pubkey: address, account: encodeAccount(state, view, mints) });
  }
  return out;
}
