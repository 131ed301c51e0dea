// The data directory: what makes a localnet's history survive a restart.
//
//   genesis.json   fixed at creation: genesis hash and time, faucet and upgrade-authority keys, epoch length
//   ledger.jsonl   one line per confirmed block (its transactions with their meta, and the state at its end
//                  of every account it wrote), and one per fork (the slots it dropped)
//
// A restart rebuilds the genesis state (programs deployed from target/deploy again), then replays the
// blocks no fork dropped: accounts are written from the recorded states, not re-executed, so the history
// stays exactly as it was even when the programs were rebuilt since. A line cut short by a crash ends the
// ledger there (it is truncated away).
import { once } from "node:events";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync, type WriteStream } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Keypair } from "@solana/web3.js";
import bs58 from "bs58";
import type { Chain, RestoredTransaction } from "./chain/chain.js";
import type { ChainListener, ForkEvent, WrittenAccount } from "./chain/events.js";
import { keyOf } from "./chain/keys.js";
import type { AccountState } from "./chain/native.js";
import type { Block, TransactionMeta, TransactionRecord } from "./chain/records.js";
import { staticKeyCount } from "./chain/wire.js";

const FORMAT_VERSION = 1;

export interface StoredGenesis {
  readonly version: number;
  readonly genesisHash: string;
  readonly creationTime: number;
  readonly slotsPerEpoch: number;
  /** Secret keys, base58. */
  readonly faucet: string;
  readonly upgradeAuthority: string;
}

export function genesisKeypair(secret: string): Keypair {
  return Keypair.fromSecretKey(bs58.decode(secret));
}

interface AccountRecord {
  readonly k: string;
  /** Absent: the account was deleted. */
  readonly l?: string;
  readonly o?: string;
  readonly x?: boolean;
  readonly r?: string;
  readonly d?: string;
}

interface TransactionLine {
  readonly tx: string;
  readonly lw: readonly string[];
  readonly lr: readonly string[];
  readonly meta: Record<string, unknown>;
}

interface BlockLine {
  readonly t: "block";
  readonly slot: number;
  readonly blockhash: string;
  readonly blockTime: number;
  readonly txs: readonly TransactionLine[];
  readonly accounts: readonly AccountRecord[];
}

interface ForkLine {
  readonly t: "fork";
  readonly dropped: readonly number[];
}

function encodeAccount(address: string, state: AccountState | null): AccountRecord {
  if (state === null) return { k: address };
  return {
    k: address,
    l: state.lamports.toString(),
    o: bs58.encode(state.owner),
    x: state.executable,
    r: state.rentEpoch.toString(),
    d: state.data.toString("base64"),
  };
}

function decodeAccount(record: AccountRecord): { key: Buffer; state: AccountState | null } {
  const key = keyOf(record.k);
  if (record.l === undefined) return { key, state: null };
  return {
    key,
    state: {
      lamports: BigInt(record.l),
      owner: keyOf(record.o!),
      executable: record.x ?? false,
      rentEpoch: BigInt(record.r ?? "0"),
      data: Buffer.from(record.d ?? "", "base64"),
    },
  };
}

function encodeMeta(meta: TransactionMeta): Record<string, unknown> {
  return {
    err: meta.err,
    fee: meta.fee,
    pre: Array.from(meta.preBalances, String),
    post: Array.from(meta.postBalances, String),
    preToken: meta.preTokenBalances,
    postToken: meta.postTokenBalances,
    logs: meta.logMessages,
    inner: meta.innerInstructions.map((g) => ({
      index: g.index,
      ixs: g.instructions.map((ix) => [ix.programIdIndex, ix.accounts, ix.data.toString("base64"), ix.stackHeight]),
    })),
    cu: meta.computeUnitsConsumed,
    ret: meta.returnData === null ? null : [meta.returnData.programId, meta.returnData.data.toString("base64")],
  };
}

function decodeMeta(m: Record<string, unknown>): TransactionMeta {
  const inner = m.inner as Array<{ index: number; ixs: Array<[number, number[], string, number]> }>;
  const ret = m.ret as [string, string] | null;
  return {
    err: m.err as TransactionMeta["err"],
    fee: m.fee as number,
    preBalances: BigUint64Array.from(m.pre as string[], BigInt),
    postBalances: BigUint64Array.from(m.post as string[], BigInt),
    preTokenBalances: m.preToken as TransactionMeta["preTokenBalances"],
    postTokenBalances: m.postToken as TransactionMeta["postTokenBalances"],
    logMessages: m.logs as string[],
    innerInstructions: inner.map((g) => ({
      index: g.index,
      instructions: g.ixs.map(([programIdIndex, accounts, data, stackHeight]) => ({
        programIdIndex,
        accounts,
        data: Buffer.from(data, "base64"),
        stackHeight,
      })),
    })),
    computeUnitsConsumed: m.cu as number,
    returnData: ret === null ? null : { programId: ret[0], data: Buffer.from(ret[1], "base64") },
  };
}

/** The addresses a transaction's lookup tables loaded (they can change later, so they are recorded). */
function loadedAddresses(tx: TransactionRecord): { lw: string[]; lr: string[] } {
  const loaded = tx.addresses.length - staticKeyCount(tx.bytes);
  const loadedStart = tx.addresses.length - loaded;
  return {
    lw: tx.addresses.slice(loadedStart, loadedStart + tx.loadedWritableCount),
    lr: tx.addresses.slice(loadedStart + tx.loadedWritableCount),
  };
}

/** Reads the lines of the ledger; the last one, if cut short, is truncated off the file. */
async function* ledgerLines(path: string): AsyncGenerator<BlockLine | ForkLine> {
  if (!existsSync(path)) return;
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let offset = 0;
  let pending: { text: string; start: number } | undefined;
  for await (const text of lines) {
    if (pending !== undefined) yield parseLine(pending.text, pending.start, path);
    pending = { text, start: offset };
    offset += Buffer.byteLength(text) + 1;
  }
  if (pending === undefined) return;
  let last: BlockLine | ForkLine;
  try {
    last = JSON.parse(pending.text) as BlockLine | ForkLine;
  } catch {
    truncateSync(path, pending.start);
    return;
  }
  yield last;
}

function parseLine(text: string, offset: number, path: string): BlockLine | ForkLine {
  try {
    return JSON.parse(text) as BlockLine | ForkLine;
  } catch {
    throw new Error(`${path}: unreadable record at byte ${offset}; the data directory is damaged (start over with --reset)`);
  }
}

/** An open data directory; a chain listener that appends every confirmed block and fork. */
export class DataDirectory implements ChainListener {
  private stream: WriteStream | undefined;
  private writeError: unknown;

  private constructor(
    readonly path: string,
    readonly genesis: StoredGenesis,
  ) {}

  private get ledgerPath(): string {
    return join(this.path, "ledger.jsonl");
  }

  /** Opens `path`, creating it with `fresh()`'s genesis when it holds none; `reset` deletes it first. */
  static open(path: string, fresh: () => StoredGenesis, reset = false): { directory: DataDirectory; created: boolean } {
    if (reset) rmSync(path, { recursive: true, force: true });
    mkdirSync(path, { recursive: true });
    const genesisPath = join(path, "genesis.json");
    if (existsSync(genesisPath)) {
      const genesis = JSON.parse(readFileSync(genesisPath, "utf8")) as StoredGenesis;
      if (genesis.version !== FORMAT_VERSION) {
        throw new Error(`${path} has data directory format ${genesis.version}, this localnet reads ${FORMAT_VERSION} (start over with --reset)`);
      }
      return { directory: new DataDirectory(path, genesis), created: false };
    }
    const genesis = { ...fresh(), version: FORMAT_VERSION };
    writeFileSync(genesisPath, `${JSON.stringify(genesis, null, 2)}\n`);
    return { directory: new DataDirectory(path, genesis), created: true };
  }

  /** Replays the ledger into a chain in its genesis state; returns the number of blocks restored. */
  async replay(chain: Chain): Promise<number> {
    const dropped = new Set<number>();
    for await (const line of ledgerLines(this.ledgerPath)) {
      if (line.t === "fork") for (const slot of line.dropped) dropped.add(slot);
    }
    let restored = 0;
    for await (const line of ledgerLines(this.ledgerPath)) {
      if (line.t !== "block" || dropped.has(line.slot)) continue;
      const transactions: RestoredTransaction[] = line.txs.map((tx) => ({
        bytes: Buffer.from(tx.tx, "base64"),
        loadedWritable: tx.lw,
        loadedReadonly: tx.lr,
        meta: decodeMeta(tx.meta),
      }));
      chain.restoreBlock({ slot: line.slot, blockTime: line.blockTime, transactions }, line.accounts.map(decodeAccount));
      const block = chain.ledger.block(line.slot);
      if (block?.blockhash !== line.blockhash) {
        throw new Error(`${this.path}: block ${line.slot} replays to another hash; the data directory is damaged (start over with --reset)`);
      }
      restored++;
    }
    return restored;
  }

  /** Starts recording (after the replay). */
  startRecording(): void {
    this.stream = createWriteStream(this.ledgerPath, { flags: "a" });
    this.stream.on("error", (error) => {
      this.writeError = error;
    });
  }

  private append(line: BlockLine | ForkLine): void {
    if (this.stream === undefined) return;
    if (this.writeError !== undefined) throw new Error(`writing ${this.ledgerPath} failed: ${String(this.writeError)}`);
    this.stream.write(`${JSON.stringify(line)}\n`);
  }

  onConfirmed(block: Block, written: () => readonly WrittenAccount[]): void {
    this.append({
      t: "block",
      slot: block.slot,
      blockhash: block.blockhash,
      blockTime: block.blockTime,
      txs: block.transactions.map((tx) => ({
        tx: tx.bytes.toString("base64"),
        ...loadedAddresses(tx),
        meta: encodeMeta(tx.meta),
      })),
      accounts: written().map((a) => encodeAccount(a.address, a.state)),
    });
  }

  onFork(fork: ForkEvent): void {
    this.append({ t: "fork", dropped: fork.droppedSlots });
  }

  /** Flushes and closes the ledger file. */
  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    if (stream === undefined) return;
    stream.end();
    await once(stream, "finish");
  }
}
