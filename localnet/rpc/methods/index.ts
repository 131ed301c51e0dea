// Every JSON-RPC method of the node, by name.
import type { RpcMethod } from "../context.js";
import { accountMethods } from "./accounts.js";
import { blockMethods } from "./blocks.js";
import { blockhashMethods } from "./blockhash.js";
import { clusterMethods } from "./cluster.js";
import { tokenMethods } from "./tokens.js";
import { transactionMethods } from "./transactions.js";

export const RPC_METHODS: ReadonlyMap<string, RpcMethod> = new Map(
  Object.entries({
    ...clusterMethods,
    ...accountMethods,
    ...tokenMethods,
    ...blockhashMethods,
    ...transactionMethods,
    ...blockMethods,
  }),
);
