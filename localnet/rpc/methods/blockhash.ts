// Blockhashes and fees: the latest blockhash, whether one is still valid, and the fee of a message.
import { WireFormatError, parseMessage } from "../../chain/wire.js";
import { TransactionRejected } from "../../chain/transaction.js";
import { type RpcMethod, contextSlot, withContext } from "../context.js";
import { invalidParams } from "../errors.js";
import { base64, commitment, config, positional } from "../params.js";

export const blockhashMethods: Record<string, RpcMethod> = {
  getLatestBlockhash(params, ctx) {
    const cfg = config(positional(params, 0, 1)[0]);
    const level = commitment(cfg);
    const slot = contextSlot(ctx, cfg, level);
    const { blockhash, lastValidBlockHeight } = ctx.chain.latestBlockhash(level);
    return withContext(slot, { blockhash, lastValidBlockHeight });
  },

  isBlockhashValid(params, ctx) {
    const [hash, rawConfig] = positional(params, 1, 2);
    if (typeof hash !== "string") throw invalidParams("Invalid params: blockhash must be a base58 string");
    const cfg = config(rawConfig);
    const level = commitment(cfg);
    const slot = contextSlot(ctx, cfg, level);
    return withContext(slot, ctx.chain.isBlockhashValid(hash, level));
  },

  getFeeForMessage(params, ctx) {
    const [encoded, rawConfig] = positional(params, 1, 2);
    if (typeof encoded !== "string") throw invalidParams("Invalid params: message must be a base64 string");
    const cfg = config(rawConfig);
    const level = commitment(cfg);
    const slot = contextSlot(ctx, cfg, level);
    const bytes = base64(encoded, "message");
    let fee: bigint | null;
    try {
      fee = ctx.chain.feeForMessage(parseMessage(bytes));
    } catch (error) {
      if (error instanceof WireFormatError) throw invalidParams(`invalid message: ${error.message}`);
      if (error instanceof TransactionRejected) fee = null;
      else throw error;
    }
    return withContext(slot, fee);
  },
};
