// What the chain tells its listeners (the WebSocket server, the data directory): transactions as they land,
// slots as they open, blocks as they are confirmed and finalized, and forks.
import type { AccountState } from "./native.js";
import type { Block, TransactionRecord } from "./records.js";

/** An account a transaction or block wrote, with its state afterwards (null: deleted). */
export interface WrittenAccount {
  readonly address: string;
  readonly state: AccountState | null;
}

export interface SlotInfo {
  readonly slot: number;
  readonly parent: number;
  readonly root: number;
}

export interface ForkEvent {
  /** Slots whose blocks (or, for the slot that was open, transactions) were dropped, ascending. */
  readonly droppedSlots: readonly number[];
  readonly droppedSignatures: readonly string[];
  /** The accounts written back, with their restored states. */
  readonly restored: readonly WrittenAccount[];
  /** The newest block left (the new fork's parent). */
  readonly parentSlot: number;
}

/**
 * A listener of the chain; every method is optional. The account lists are computed on demand (a function),
 * since most slots have no subscriber that needs them.
 */
export interface ChainListener {
  /** A transaction landed in the open slot (processed commitment). */
  onTransaction?(tx: TransactionRecord, written: readonly WrittenAccount[]): void;
  /** A submitted transaction was accepted for processing (before it lands). */
  onReceived?(signature: string, slot: number): void;
  onSlot?(info: SlotInfo): void;
  /** A slot closed into a block, which is confirmed at once; `written` gives the accounts at its end. */
  onConfirmed?(block: Block, written: () => readonly WrittenAccount[]): void;
  /** A block became final (rooted); `written` gives the accounts it wrote, as they were at its end. */
  onFinalized?(block: Block, written: () => readonly WrittenAccount[]): void;
  onFork?(fork: ForkEvent): void;
}
