// What every RPC method gets: the chain and the node's identity, and the helpers shared by the methods.
import type { Chain, Commitment } from "../chain/chain.js";
import type { AccountState } from "../chain/native.js";
import { minContextSlotNotReached } from "./errors.js";
import { optionalU64 } from "./params.js";

/** The version of Agave whose runtime LiteSVM 1.4.1 embeds; what getVersion reports. */
export const SOLANA_CORE_VERSION = "4.2.1";
/** getVersion's feature-set: a fixed identifier of this node's (LiteSVM's) feature set. */
export const FEATURE_SET = 3_294_202_862;

export interface RpcContext {
  readonly chain: Chain;
  /** The node's identity (getIdentity), base58. */
  readonly identity: string;
}

export type RpcMethod = (params: unknown, ctx: RpcContext) => unknown;

/** `{ context: { apiVersion, slot }, value }`, the RpcResponse wrapper. */
export function withContext<T>(slot: number, value: T): { context: { apiVersion: string; slot: number }; value: T } {
  return { context: { apiVersion: SOLANA_CORE_VERSION, slot }, value };
}

/** The slot at `commitment`, after checking the config's minContextSlot against it. */
export function contextSlot(ctx: RpcContext, cfg: Record<string, unknown>, commitment: Commitment): number {
  const slot = ctx.chain.slot(commitment);
  const min = optionalU64(cfg, "minContextSlot");
  if (min !== undefined && slot < min) throw minContextSlotNotReached(slot);
  return slot;
}

/** Reads a mint at a commitment (jsonParsed token accounts need its decimals). */
export function mintReader(ctx: RpcContext, commitment: Commitment): (mint: Buffer) => AccountState | null {
  return (mint) => ctx.chain.account(mint, commitment);
}
