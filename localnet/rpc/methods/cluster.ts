// Node and cluster state: version, health, identity, genesis hash, slots, block height, epochs.
import { type RpcContext, type RpcMethod, FEATURE_SET, SOLANA_CORE_VERSION, contextSlot } from "../context.js";
import { commitment, config, positional } from "../params.js";

function slotsPerEpoch(ctx: RpcContext): number {
  return Number(ctx.chain.native.getEpochSchedule().slotsPerEpoch);
}

export const clusterMethods: Record<string, RpcMethod> = {
  getVersion(params) {
    positional(params, 0, 0);
    return { "solana-core": SOLANA_CORE_VERSION, "feature-set": FEATURE_SET };
  },

  getHealth(params) {
    positional(params, 0, 0);
    return "ok";
  },

  getIdentity(params, ctx) {
    positional(params, 0, 0);
    return { identity: ctx.identity };
  },

  getGenesisHash(params, ctx) {
    positional(params, 0, 0);
    return ctx.chain.genesis.genesisHash;
  },

  getSlot(params, ctx) {
    const cfg = config(positional(params, 0, 1)[0]);
    return contextSlot(ctx, cfg, commitment(cfg));
  },

  getBlockHeight(params, ctx) {
    const cfg = config(positional(params, 0, 1)[0]);
    const level = commitment(cfg);
    contextSlot(ctx, cfg, level);
    return ctx.chain.blockHeight(level);
  },

  getTransactionCount(params, ctx) {
    const cfg = config(positional(params, 0, 1)[0]);
    contextSlot(ctx, cfg, commitment(cfg));
    return ctx.chain.totalTransactions;
  },

  getEpochInfo(params, ctx) {
    const cfg = config(positional(params, 0, 1)[0]);
    const level = commitment(cfg);
    const slot = contextSlot(ctx, cfg, level);
    const perEpoch = slotsPerEpoch(ctx);
    return {
      absoluteSlot: slot,
      blockHeight: ctx.chain.blockHeight(level),
      epoch: Math.floor(slot / perEpoch),
      slotIndex: slot % perEpoch,
      slotsInEpoch: perEpoch,
      transactionCount: ctx.chain.totalTransactions,
    };
  },

  getEpochSchedule(params, ctx) {
    positional(params, 0, 0);
    const perEpoch = slotsPerEpoch(ctx);
    return { slotsPerEpoch: perEpoch, leaderScheduleSlotOffset: perEpoch, warmup: false, firstNormalEpoch: 0, firstNormalSlot: 0 };
  },

  getFirstAvailableBlock(params, ctx) {
    positional(params, 0, 0);
    return ctx.chain.ledger.firstSlot() ?? 0;
  },

  minimumLedgerSlot(params, ctx) {
    positional(params, 0, 0);
    return ctx.chain.ledger.firstSlot() ?? 0;
  },
};
