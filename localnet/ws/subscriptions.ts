// PubSub subscriptions (accountSubscribe, programSubscribe, logsSubscribe, signatureSubscribe, slotSubscribe,
// rootSubscribe), fed by the chain's events at each subscription's commitment, in the notification shapes of
// Agave's pubsub service.
import type { Chain, Commitment } from "../chain/chain.js";
import type { ChainListener, ForkEvent, SlotInfo, WrittenAccount } from "../chain/events.js";
import { SYSTEM_PROGRAM_ID, addressOf, keyOf } from "../chain/keys.js";
import type { AccountState } from "../chain/native.js";
import type { Block, TransactionRecord } from "../chain/records.js";
import { type AccountView, accountView, encodeAccount } from "../rpc/account-encoding.js";
import { withContext } from "../rpc/context.js";
import { INVALID_PARAMS, RpcError, invalidParams } from "../rpc/errors.js";
import { type AccountFilter, matchesFilters, parseFilters } from "../rpc/filters.js";
import { commitment, config, optionalBoolean, positional, pubkey, signature as parseSignature } from "../rpc/params.js";

/** Where notifications of a connection go. */
export interface Subscriber {
  notify(method: string, subscription: number, result: unknown): void;
}

type Kind = "account" | "program" | "logs" | "signature" | "slot" | "root";

interface BaseSubscription {
  readonly id: number;
  readonly kind: Kind;
  readonly subscriber: Subscriber;
}
interface AccountSubscription extends BaseSubscription {
  readonly kind: "account";
  readonly address: string;
  readonly commitment: Commitment;
  readonly view: AccountView;
}
interface ProgramSubscription extends BaseSubscription {
  readonly kind: "program";
  readonly program: string;
  readonly commitment: Commitment;
  readonly view: AccountView;
  readonly filters: readonly AccountFilter[];
}
interface LogsSubscription extends BaseSubscription {
  readonly kind: "logs";
  /** null: all transactions. */
  readonly mentions: string | null;
  readonly commitment: Commitment;
}
interface SignatureSubscription extends BaseSubscription {
  readonly kind: "signature";
  readonly signature: string;
  readonly commitment: Commitment;
  readonly received: boolean;
}
interface SlotSubscription extends BaseSubscription {
  readonly kind: "slot" | "root";
}
type Subscription = AccountSubscription | ProgramSubscription | LogsSubscription | SignatureSubscription | SlotSubscription;

const NOTIFICATION: Record<Kind, string> = {
  account: "accountNotification",
  program: "programNotification",
  logs: "logsNotification",
  signature: "signatureNotification",
  slot: "slotNotification",
  root: "rootNotification",
};

/** The RPC shape of an account that no longer exists (a zero-lamport system account). */
const CLOSED_ACCOUNT: AccountState = {
  lamports: 0n,
  data: Buffer.alloc(0),
  owner: keyOf(SYSTEM_PROGRAM_ID),
  executable: false,
  rentEpoch: 0n,
};

/** Subscription methods by name: `[subscribe, unsubscribe]` pairs share a kind. */
export const SUBSCRIBE_METHODS: Readonly<Record<string, Kind>> = {
  accountSubscribe: "account",
  programSubscribe: "program",
  logsSubscribe: "logs",
  signatureSubscribe: "signature",
  slotSubscribe: "slot",
  rootSubscribe: "root",
};
export const UNSUBSCRIBE_METHODS: Readonly<Record<string, Kind>> = {
  accountUnsubscribe: "account",
  programUnsubscribe: "program",
  logsUnsubscribe: "logs",
  signatureUnsubscribe: "signature",
  slotUnsubscribe: "slot",
  rootUnsubscribe: "root",
};

export class SubscriptionHub implements ChainListener {
  private nextId = 0;
  private readonly byId = new Map<number, Subscription>();
  private readonly accounts = new Map<string, Set<AccountSubscription>>();
  private readonly programs = new Map<string, Set<ProgramSubscription>>();
  private readonly logs = new Set<LogsSubscription>();
  private readonly signatures = new Map<string, Set<SignatureSubscription>>();
  private readonly slots = new Set<SlotSubscription>();
  private readonly roots = new Set<SlotSubscription>();

  constructor(private readonly chain: Chain) {}

  get count(): number {
    return this.byId.size;
  }

  /**
   * Creates a subscription for `method` (one of SUBSCRIBE_METHODS) and returns its id, plus a notification to
   * send right after the answer (a signature already at the commitment). Throws RpcError for bad params.
   */
  subscribe(method: string, params: unknown, subscriber: Subscriber): { id: number; immediate?: () => void } {
    const kind = SUBSCRIBE_METHODS[method];
    const id = this.nextId;
    switch (kind) {
      case "account": {
        const [key, rawConfig] = positional(params, 1, 2);
        const cfg = config(rawConfig);
        const sub: AccountSubscription = {
          id,
          kind,
          subscriber,
          address: pubkey(key).address,
          commitment: commitment(cfg),
          view: accountView(cfg),
        };
        addTo(this.accounts, sub.address, sub);
        this.register(sub);
        return { id };
      }
      case "program": {
        const [key, rawConfig] = positional(params, 1, 2);
        const cfg = config(rawConfig);
        const sub: ProgramSubscription = {
          id,
          kind,
          subscriber,
          program: pubkey(key).address,
          commitment: commitment(cfg),
          view: accountView(cfg),
          filters: parseFilters(cfg.filters),
        };
        addTo(this.programs, sub.program, sub);
        this.register(sub);
        return { id };
      }
      case "logs": {
        const [filter, rawConfig] = positional(params, 1, 2);
        const cfg = config(rawConfig);
        let mentions: string | null = null;
        if (filter === "all" || filter === "allWithVotes") mentions = null;
        else if (filter && typeof filter === "object" && Array.isArray((filter as { mentions?: unknown }).mentions)) {
          const list = (filter as { mentions: unknown[] }).mentions;
          if (list.length !== 1) throw invalidParams("Invalid Request: Only 1 address supported");
          mentions = pubkey(list[0]).address;
        } else {
          throw invalidParams('Invalid params: expected "all", "allWithVotes" or { "mentions": [address] }');
        }
        const sub: LogsSubscription = { id, kind, subscriber, mentions, commitment: commitment(cfg) };
        this.logs.add(sub);
        this.register(sub);
        return { id };
      }
      case "signature": {
        const [sig, rawConfig] = positional(params, 1, 2);
        const cfg = config(rawConfig);
        const sub: SignatureSubscription = {
          id,
          kind,
          subscriber,
          signature: parseSignature(sig),
          commitment: commitment(cfg),
          received: optionalBoolean(cfg, "enableReceivedNotification") ?? false,
        };
        this.register(sub);
        // Already at the commitment: notify at once (then the subscription is done).
        const tx = this.chain.ledger.transaction(sub.signature);
        if (tx !== undefined && reached(this.chain, tx.slot, sub.commitment)) {
          return { id, immediate: () => this.notifySignature(sub, tx) };
        }
        addTo(this.signatures, sub.signature, sub);
        return { id };
      }
      case "slot":
      case "root": {
        positional(params, 0, 0);
        const sub: SlotSubscription = { id, kind, subscriber };
        (kind === "slot" ? this.slots : this.roots).add(sub);
        this.register(sub);
        return { id };
      }
      default:
        throw new RpcError(INVALID_PARAMS, `unknown subscription method ${method}`);
    }
  }

  private register(sub: Subscription): void {
    this.byId.set(sub.id, sub);
    this.nextId++;
  }

  /** Removes a subscription of `subscriber`; false if it has no such subscription of that kind. */
  unsubscribe(method: string, params: unknown, subscriber: Subscriber): boolean {
    const kind = UNSUBSCRIBE_METHODS[method];
    const [rawId] = positional(params, 1, 1);
    const sub = typeof rawId === "number" ? this.byId.get(rawId) : undefined;
    if (sub === undefined || sub.kind !== kind || sub.subscriber !== subscriber) return false;
    this.remove(sub);
    return true;
  }

  /** Removes every subscription of a closed connection. */
  dropSubscriber(subscriber: Subscriber): void {
    for (const sub of [...this.byId.values()]) if (sub.subscriber === subscriber) this.remove(sub);
  }

  private remove(sub: Subscription): void {
    this.byId.delete(sub.id);
    switch (sub.kind) {
      case "account":
        removeFrom(this.accounts, sub.address, sub);
        break;
      case "program":
        removeFrom(this.programs, sub.program, sub);
        break;
      case "logs":
        this.logs.delete(sub);
        break;
      case "signature":
        removeFrom(this.signatures, sub.signature, sub);
        break;
      case "slot":
        this.slots.delete(sub);
        break;
      case "root":
        this.roots.delete(sub);
        break;
    }
  }

  private send(sub: Subscription, result: unknown): void {
    sub.subscriber.notify(NOTIFICATION[sub.kind], sub.id, result);
  }

  // ---- chain events -----------------------------------------------------------------------------------

  onReceived(signature: string, slot: number): void {
    for (const sub of this.signatures.get(signature) ?? []) {
      if (sub.received) this.send(sub, withContext(slot, "receivedSignature"));
    }
  }

  onTransaction(tx: TransactionRecord, written: readonly WrittenAccount[]): void {
    this.notifyAccounts("processed", tx.slot, written);
    this.notifyTransaction("processed", tx);
  }

  onConfirmed(block: Block, written: () => readonly WrittenAccount[]): void {
    this.notifyAccounts("confirmed", block.slot, written);
    for (const tx of block.transactions) this.notifyTransaction("confirmed", tx);
  }

  onFinalized(block: Block, written: () => readonly WrittenAccount[]): void {
    this.notifyAccounts("finalized", block.slot, written);
    for (const tx of block.transactions) this.notifyTransaction("finalized", tx);
    for (const sub of this.roots) this.send(sub, block.slot);
  }

  onSlot(info: SlotInfo): void {
    for (const sub of this.slots) this.send(sub, { parent: info.parent, root: info.root, slot: info.slot });
  }

  onFork(fork: ForkEvent): void {
    // The accounts the dropped slots wrote are back to their old states at processed and confirmed.
    const slot = this.chain.slot("processed");
    this.notifyAccounts("processed", slot, fork.restored);
    this.notifyAccounts("confirmed", slot, fork.restored);
  }

  private notifyAccounts(level: Commitment, slot: number, written: readonly WrittenAccount[] | (() => readonly WrittenAccount[])): void {
    if (this.accounts.size === 0 && this.programs.size === 0) return;
    const accounts = typeof written === "function" ? written() : written;
    for (const { address, state } of accounts) {
      for (const sub of this.accounts.get(address) ?? []) {
        if (sub.commitment !== level) continue;
        this.guarded(sub, () => withContext(slot, encodeAccount(state ?? CLOSED_ACCOUNT, sub.view, (m) => this.chain.account(m, level))));
      }
      if (state === null) continue;
      for (const sub of this.programs.get(addressOf(state.owner)) ?? []) {
        if (sub.commitment !== level || !matchesFilters(state, sub.filters)) continue;
        this.guarded(sub, () =>
          withContext(slot, { pubkey: address, account: encodeAccount(state, sub.view, (m) => this.chain.account(m, level)) }),
        );
      }
    }
  }

  /** Sends what `result` computes; an account the encoding refuses (base58 over 128 bytes) is skipped. */
  private guarded(sub: Subscription, result: () => unknown): void {
    let value: unknown;
    try {
      value = result();
    } catch (error) {
      if (error instanceof RpcError) return;
      throw error;
    }
    this.send(sub, value);
  }

  private notifyTransaction(level: Commitment, tx: TransactionRecord): void {
    for (const sub of this.logs) {
      if (sub.commitment !== level) continue;
      if (sub.mentions !== null && !tx.addresses.includes(sub.mentions)) continue;
      this.send(sub, withContext(tx.slot, { signature: tx.signature, err: tx.meta.err, logs: tx.meta.logMessages }));
    }
    const subs = this.signatures.get(tx.signature);
    if (subs === undefined) return;
    for (const sub of [...subs]) {
      if (sub.commitment === level) this.notifySignature(sub, tx);
    }
  }

  /** The final notification of a signature subscription, which then ends. */
  private notifySignature(sub: SignatureSubscription, tx: TransactionRecord): void {
    this.send(sub, withContext(tx.slot, { err: tx.meta.err }));
    this.remove(sub);
  }
}

function reached(chain: Chain, slot: number, level: Commitment): boolean {
  return slot <= chain.slot(level);
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}
