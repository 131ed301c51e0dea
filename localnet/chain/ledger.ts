// The ledger the RPC reads history from: blocks by slot, transactions by signature, and signatures by
// address, bounded in memory (the oldest finalized blocks are cleaned up first, as a node with a ledger
// limit does; the data directory keeps everything).
import type { Block, TransactionRecord } from "./records.js";

/** Per-address transactions, oldest first, with a moving start for cheap removal at the front. */
interface AddressEntries {
  list: TransactionRecord[];
  start: number;
}

export interface LedgerLimits {
  /** Transactions kept in memory (default 250,000). */
  readonly maxTransactions: number;
  /** Blocks kept in memory, empty ones included (default 500,000: 55 hours of 400 ms slots). */
  readonly maxBlocks: number;
}

export const DEFAULT_LEDGER_LIMITS: LedgerLimits = { maxTransactions: 250_000, maxBlocks: 500_000 };

export class Ledger {
  private readonly blocks = new Map<number, Block>();
  /** Slots of `blocks`, ascending. */
  private readonly slots: number[] = [];
  private slotsStart = 0;
  private readonly bySignature = new Map<string, TransactionRecord>();
  private readonly byAddress = new Map<string, AddressEntries>();
  private transactionCount = 0;

  constructor(private readonly limits: LedgerLimits = DEFAULT_LEDGER_LIMITS) {}

  /** Indexes a transaction as soon as it lands (its block is closed later). */
  addTransaction(tx: TransactionRecord): void {
    this.bySignature.set(tx.signature, tx);
    for (const address of new Set(tx.addresses)) {
      let entries = this.byAddress.get(address);
      if (entries === undefined) {
        entries = { list: [], start: 0 };
        this.byAddress.set(address, entries);
      }
      entries.list.push(tx);
    }
    this.transactionCount++;
  }

  /** Adds a closed block (its transactions were added when they landed). */
  addBlock(block: Block): void {
    const last = this.lastSlot();
    if (last !== undefined && block.slot <= last) throw new Error(`block ${block.slot} is not after ${last}`);
    this.blocks.set(block.slot, block);
    this.slots.push(block.slot);
  }

  block(slot: number): Block | undefined {
    return this.blocks.get(slot);
  }

  transaction(signature: string): TransactionRecord | undefined {
    return this.bySignature.get(signature);
  }

  /** Slots with a block in [from, to], ascending, at most `limit`. */
  blockSlots(from: number, to: number, limit = Number.MAX_SAFE_INTEGER): number[] {
    const out: number[] = [];
    for (let i = this.lowerBound(from); i < this.slots.length && out.length < limit; i++) {
      const slot = this.slots[i];
      if (slot > to) break;
      out.push(slot);
    }
    return out;
  }

  /** The oldest slot whose block is still in memory (the node's first available block). */
  firstSlot(): number | undefined {
    return this.slotsStart < this.slots.length ? this.slots[this.slotsStart] : undefined;
  }

  lastSlot(): number | undefined {
    return this.slotsStart < this.slots.length ? this.slots[this.slots.length - 1] : undefined;
  }

  /**
   * Transactions mentioning `address`, newest first, with slot <= `maxSlot`, strictly older than `before`
   * (a transaction) and newer than `until` (a transaction), at most `limit`.
   */
  transactionsFor(
    address: string,
    options: { maxSlot: number; before?: TransactionRecord; until?: TransactionRecord; limit: number },
  ): TransactionRecord[] {
    const entries = this.byAddress.get(address);
    if (entries === undefined) return [];
    const out: TransactionRecord[] = [];
    const { list, start } = entries;
    for (let i = list.length - 1; i >= start && out.length < options.limit; i--) {
      const tx = list[i];
      if (tx.slot > options.maxSlot) continue;
      if (options.before && !isOlder(tx, options.before)) continue;
      if (options.until && !isOlder(options.until, tx)) break;
      out.push(tx);
    }
    return out;
  }

  /** Removes the given transactions (the newest ones: those of dropped slots) from the indexes. */
  removeNewest(transactions: readonly TransactionRecord[]): void {
    const dropped = new Set(transactions);
    for (const tx of transactions) {
      this.bySignature.delete(tx.signature);
      for (const address of new Set(tx.addresses)) {
        const entries = this.byAddress.get(address);
        if (entries === undefined) continue;
        while (entries.list.length > entries.start && dropped.has(entries.list[entries.list.length - 1])) entries.list.pop();
        if (entries.list.length === entries.start) this.byAddress.delete(address);
      }
      this.transactionCount--;
    }
  }

  /** Removes blocks of these slots (dropped by a fork); their transactions must be removed separately. */
  removeBlocks(slots: readonly number[]): void {
    const set = new Set(slots);
    for (const slot of slots) this.blocks.delete(slot);
    while (this.slots.length > this.slotsStart && set.has(this.slots[this.slots.length - 1])) this.slots.pop();
  }

  /** Cleans up the oldest blocks beyond the limits, never past `finalizedSlot`. */
  evict(finalizedSlot: number): void {
    while (
      this.slotsStart < this.slots.length &&
      (this.transactionCount > this.limits.maxTransactions || this.slots.length - this.slotsStart > this.limits.maxBlocks)
    ) {
      const slot = this.slots[this.slotsStart];
      if (slot >= finalizedSlot) break;
      this.evictBlock(slot);
      this.slotsStart++;
    }
    if (this.slotsStart > 1024 && this.slotsStart * 2 > this.slots.length) {
      this.slots.splice(0, this.slotsStart);
      this.slotsStart = 0;
    }
  }

  private evictBlock(slot: number): void {
    const block = this.blocks.get(slot)!;
    this.blocks.delete(slot);
    for (const tx of block.transactions) {
      this.bySignature.delete(tx.signature);
      for (const address of new Set(tx.addresses)) {
        const entries = this.byAddress.get(address);
        if (entries === undefined) continue;
        if (entries.list[entries.start] === tx) entries.start++;
        if (entries.start === entries.list.length) this.byAddress.delete(address);
        else if (entries.start > 64 && entries.start * 2 > entries.list.length) {
          entries.list.splice(0, entries.start);
          entries.start = 0;
        }
      }
      this.transactionCount--;
    }
  }

  private lowerBound(slot: number): number {
    let lo = this.slotsStart;
    let hi = this.slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.slots[mid] < slot) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get size(): { blocks: number; transactions: number } {
    return { blocks: this.slots.length - this.slotsStart, transactions: this.transactionCount };
  }
}

/** Whether `a` landed before `b`. */
function isOlder(a: TransactionRecord, b: TransactionRecord): boolean {
  return a.slot < b.slot || (a.slot === b.slot && a.index < b.index);
}
