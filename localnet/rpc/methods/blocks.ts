// Blocks: a block by slot, the slots that have blocks, and block times.
import type { Block } from "../../chain/records.js";
import { type RpcContext, type RpcMethod } from "../context.js";
import { blockCleanedUp, blockNotAvailable, invalidParams, slotSkipped } from "../errors.js";
import { config, historyCommitment, oneOf, optionalBoolean, optionalU64, positional, u64 } from "../params.js";
import { TRANSACTION_ENCODINGS, encodeTransactionWithMeta } from "../transaction-encoding.js";

const MAX_SLOT_RANGE = 500_000;
const TRANSACTION_DETAILS = ["full", "accounts", "signatures", "none"] as const;

/** The block at `slot` visible at the commitment, or the error a node gives for that slot. */
function blockAt(ctx: RpcContext, slot: number, level: "confirmed" | "finalized"): Block {
  if (slot > ctx.chain.slot(level)) throw blockNotAvailable(slot);
  const first = ctx.chain.ledger.firstSlot() ?? 0;
  if (slot < first) throw blockCleanedUp(slot, first);
  const block = ctx.chain.block(slot, level);
  if (block === undefined) throw slotSkipped(slot);
  return block;
}

export const blockMethods: Record<string, RpcMethod> = {
  getBlock(params, ctx) {
    const [rawSlot, rawConfig] = positional(params, 1, 2);
    const slot = u64(rawSlot, "slot");
    const cfg = typeof rawConfig === "string" ? { encoding: rawConfig } : config(rawConfig);
    const encoding = oneOf(cfg, "encoding", TRANSACTION_ENCODINGS, "json");
    const details = oneOf(cfg, "transactionDetails", TRANSACTION_DETAILS, "full");
    const rewards = optionalBoolean(cfg, "rewards") ?? true;
    const maxSupportedTransactionVersion = optionalU64(cfg, "maxSupportedTransactionVersion");
    const block = blockAt(ctx, slot, historyCommitment(cfg));
    const out: Record<string, unknown> = {
      blockHeight: block.blockHeight,
      blockTime: block.blockTime,
      blockhash: block.blockhash,
      parentSlot: block.parentSlot,
      previousBlockhash: block.previousBlockhash,
    };
    if (details === "full" || details === "accounts") {
      out.transactions = block.transactions.map((tx) => encodeTransactionWithMeta(tx, { encoding, maxSupportedTransactionVersion, details }));
    } else if (details === "signatures") {
      out.signatures = block.transactions.map((tx) => tx.signature);
    }
    if (rewards) out.rewards = [];
    return out;
  },

  getBlocks(params, ctx) {
    const [rawStart, second, third] = positional(params, 1, 3);
    const start = u64(rawStart, "start slot");
    let end: number | undefined;
    let cfg: Record<string, unknown>;
    if (typeof second === "number" || second === null) {
      end = second === null ? undefined : u64(second, "end slot");
      cfg = config(third);
    } else {
      cfg = config(second);
    }
    const level = historyCommitment(cfg);
    const last = Math.min(end ?? Number.MAX_SAFE_INTEGER, ctx.chain.slot(level));
    if (last - start > MAX_SLOT_RANGE) throw invalidParams(`Slot range too large; max ${MAX_SLOT_RANGE}`);
    return last < start ? [] : ctx.chain.ledger.blockSlots(start, last);
  },

  getBlocksWithLimit(params, ctx) {
    const [rawStart, rawLimit, rawConfig] = positional(params, 2, 3);
    const start = u64(rawStart, "start slot");
    const limit = u64(rawLimit, "limit");
    if (limit > MAX_SLOT_RANGE) throw invalidParams(`Limit too large; max ${MAX_SLOT_RANGE}`);
    const level = historyCommitment(config(rawConfig));
    return ctx.chain.ledger.blockSlots(start, ctx.chain.slot(level), limit);
  },

  getBlockTime(params, ctx) {
    const [rawSlot] = positional(params, 1, 1);
    return blockAt(ctx, u64(rawSlot, "slot"), "confirmed").blockTime;
  },
};
