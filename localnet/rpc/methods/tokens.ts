// SPL Token reads: a token account's balance, the token accounts of an owner, a mint's supply.
import { TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID, addressOf, isTokenProgram, keyOf } from "../../chain/keys.js";
import { mintDecimalsOf, tokenAccountOf, uiTokenAmount } from "../../chain/tokens.js";
import { accountView, encodeAccount } from "../account-encoding.js";
import { type RpcMethod, contextSlot, mintReader, withContext } from "../context.js";
import { invalidParams } from "../errors.js";
import { commitment, config, positional, pubkey } from "../params.js";

export const tokenMethods: Record<string, RpcMethod> = {
  getTokenAccountBalance(params, ctx) {
    const [key, rawConfig] = positional(params, 1, 2);
    const { key: bytes, address } = pubkey(key);
    const cfg = config(rawConfig);
    const level = commitment(cfg);
    const slot = contextSlot(ctx, cfg, level);
    const state = ctx.chain.account(bytes, level, address);
    if (state === null) throw invalidParams("Invalid param: could not find account");
    const account = tokenAccountOf(state);
    if (account === null) throw invalidParams("Invalid param: not a Token account");
    const decimals = mintDecimalsOf(ctx.chain.account(account.mint, level));
    if (decimals === null) throw invalidParams("Invalid param: could not find mint");
    return withContext(slot, uiTokenAmount(account.amount, decimals));
  },

  getTokenSupply(params, ctx) {
    const [key, rawConfig] = positional(params, 1, 2);
    const { key: bytes, address } = pubkey(key);
    const cfg = config(rawConfig);
    const level = commitment(cfg);
    const slot = contextSlot(ctx, cfg, level);
    const state = ctx.chain.account(bytes, level, address);
    const decimals = mintDecimalsOf(state);
    if (state === null || decimals === null) throw invalidParams("Invalid param: not a Token mint");
    return withContext(slot, uiTokenAmount(state.data.readBigUInt64LE(36), decimals));
  },

  getTokenAccountsByOwner(params, ctx) {
    const [key, rawFilter, rawConfig] = positional(params, 2, 3);
    const { key: owner } = pubkey(key, "owner");
    const filter = config(rawFilter);
    const cfg = config(rawConfig);
    const level = commitment(cfg);
    const view = accountView(cfg);
    const slot = contextSlot(ctx, cfg, level);
    let programs: string[];
    let mint: Buffer | undefined;
    if (filter.mint !== undefined) {
      mint = pubkey(filter.mint, "mint").key;
      const mintState = ctx.chain.account(mint, level);
      if (mintState === null || !isTokenProgram(addressOf(mintState.owner))) throw invalidParams("Invalid param: could not find mint");
      programs = [addressOf(mintState.owner)];
    } else if (filter.programId !== undefined) {
      const program = pubkey(filter.programId, "programId").address;
      if (program !== TOKEN_PROGRAM_ID && program !== TOKEN_2022_PROGRAM_ID) {
        throw invalidParams("Invalid param: unrecognized Token program id");
      }
      programs = [program];
    } else {
      throw invalidParams("Invalid params: expected a filter of mint or programId");
    }
    const mints = mintReader(ctx, level);
    const value: Array<{ pubkey: string; account: ReturnType<typeof encodeAccount> }> = [];
    for (const program of programs) {
      for (const [address, state] of ctx.chain.programAccounts(keyOf(program), level)) {
        const account = tokenAccountOf(state);
        if (account === null || !account.owner.equals(owner) || (mint !== undefined && !account.mint.equals(mint))) continue;
        value.push({ pubkey: address, account: encodeAccount(state, view, mints) });
      }
    }
    return withContext(slot, value);
  },
};
