// The localnet node: `startLocalnet(options)` and the types around it.
export { type Localnet, type LocalnetOptions, isLoopback, startLocalnet } from "./localnet.js";
export { type FaultOptions, Faults } from "./faults.js";
export { Chain, type Commitment, type SubmitResult } from "./chain/chain.js";
export type { ForkEvent, SlotInfo, WrittenAccount } from "./chain/events.js";
export type { LedgerLimits } from "./chain/ledger.js";
export type { Block, TransactionMeta, TransactionRecord } from "./chain/records.js";
