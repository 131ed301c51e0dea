// The state of accounts at the end of every slot that is not yet finalized, kept as pre-images: for each slot,
// the state each written account had before the slot first wrote it. The current state and these pre-images
// give any account at any unfinalized slot (reads at confirmed and finalized commitment), and undo whole
// slots (forks).
import type { AccountState } from "./native.js";

interface PreImage {
  /** The 32-byte key, to write the account back. */
  readonly key: Buffer;
  readonly state: AccountState | null;
}

/** An account to write back: its key and the state to restore (null: delete). */
export interface RestoredAccount {
  readonly address: string;
  readonly key: Buffer;
  readonly state: AccountState | null;
}

export class AccountHistory {
  /** slot -> address -> state before the slot's first write. */
  private readonly preImages = new Map<number, Map<string, PreImage>>();
  /** address -> slots (ascending, unfinalized) that wrote it. */
  private readonly writtenIn = new Map<string, number[]>();

  /** Records that `slot` writes `address`, whose state before the write is `before` (first write per slot wins). */
  recordWrite(slot: number, address: string, key: Buffer, before: AccountState | null): void {
    let images = this.preImages.get(slot);
    if (images === undefined) {
      images = new Map();
      this.preImages.set(slot, images);
    }
    if (images.has(address)) return;
    images.set(address, { key, state: before });
    const slots = this.writtenIn.get(address);
    if (slots === undefined) this.writtenIn.set(address, [slot]);
    else slots.push(slot);
  }

  /** Addresses `slot` wrote, with their keys. */
  writtenBy(slot: number): Array<{ address: string; key: Buffer }> {
    const images = this.preImages.get(slot);
    if (images === undefined) return [];
    return [...images].map(([address, image]) => ({ address, key: image.key }));
  }

  /**
   * The state of `address` at the end of `slot`: the pre-image of the first later slot that wrote it, else the
   * current state (`current()`).
   */
  stateAt(address: string, slot: number, current: () => AccountState | null): AccountState | null {
    const slots = this.writtenIn.get(address);
    if (slots !== undefined) {
      for (const s of slots) {
        if (s > slot) return this.preImages.get(s)!.get(address)!.state;
      }
    }
    return current();
  }

  /** Addresses written after `slot`, with their keys (what a read at `slot` must look up in the history). */
  writtenAfter(slot: number): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    for (const [s, images] of this.preImages) {
      if (s <= slot) continue;
      for (const [address, image] of images) out.set(address, image.key);
    }
    return out;
  }

  /** Forgets `slot` (it became final): its pre-images are no longer needed. Slots must be forgotten in order. */
  forget(slot: number): void {
    const images = this.preImages.get(slot);
    if (images === undefined) return;
    this.preImages.delete(slot);
    for (const address of images.keys()) {
      const slots = this.writtenIn.get(address)!;
      slots.splice(slots.indexOf(slot), 1);
      if (slots.length === 0) this.writtenIn.delete(address);
    }
  }

  /**
   * Removes the slots `fromSlot` and later, returning what to write back so that the accounts are as they were
   * before `fromSlot`: for each account those slots wrote, its pre-image in the earliest of them.
   */
  undoFrom(fromSlot: number): RestoredAccount[] {
    const restored = new Map<string, RestoredAccount>();
    const dropped = [...this.preImages.keys()].filter((s) => s >= fromSlot).sort((a, b) => a - b);
    for (const slot of dropped) {
      for (const [address, image] of this.preImages.get(slot)!) {
        if (!restored.has(address)) restored.set(address, { address, key: image.key, state: image.state });
      }
    }
    for (const slot of dropped.reverse()) {
      const images = this.preImages.get(slot)!;
      this.preImages.delete(slot);
      for (const address of images.keys()) {
        const slots = this.writtenIn.get(address)!;
        slots.splice(slots.lastIndexOf(slot), 1);
        if (slots.length === 0) this.writtenIn.delete(address);
      }
    }
    return [...restored.values()];
  }

  /** Number of slots held (unfinalized slots that wrote something). */
  get size(): number {
    return this.preImages.size;
  }
}
