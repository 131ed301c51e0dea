// startLocalnet: a Solana JSON-RPC and WebSocket node over LiteSVM, with infergrid's programs deployed.
// Assembles the genesis state, the chain (and its data directory), the slot clock, the RPC server and the
// PubSub server; `stop()` takes them down in reverse.
import { randomBytes } from "node:crypto";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Keypair, type PublicKey } from "@solana/web3.js";
import bs58 from "bs58";
import { readProgramSo, workspacePrograms } from "../svm/workspace.js";
import { Chain } from "./chain/chain.js";
import type { ForkEvent } from "./chain/events.js";
import { DEFAULT_LEDGER_LIMITS, type LedgerLimits } from "./chain/ledger.js";
import { DataDirectory, type StoredGenesis, genesisKeypair } from "./data-directory.js";
import { type FaultOptions, Faults } from "./faults.js";
import { type GenesisProgram, createGenesisSvm } from "./genesis.js";
import { createRpcServer } from "./rpc/server.js";
import { SubscriptionHub } from "./ws/subscriptions.js";
import { PubSubServer } from "./ws/server.js";

export interface LocalnetOptions {
  /** A loopback address to listen on (default 127.0.0.1); anything else is refused. */
  readonly host?: string;
  /** JSON-RPC port (default 8899; 0: any free port). */
  readonly rpcPort?: number;
  /** WebSocket port (default rpcPort + 1, or any free port when rpcPort is 0). The RPC port accepts WebSocket upgrades too. */
  readonly wsPort?: number;
  /** Slot duration in ms (default 400); 0 stops the clock: slots advance only through `advanceSlots`. */
  readonly slotMs?: number;
  /** Blocks between the newest confirmed and the newest finalized block (default 31, as a cluster). */
  readonly finalityDepth?: number;
  /** Anchor.toml programs to deploy, by name (default all of `[programs.<cluster>]`; [] for none). */
  readonly programs?: readonly string[];
  readonly anchorToml?: string;
  readonly cluster?: string;
  readonly deployDir?: string;
  /** Upgrade authority of the deployed programs (default: generated, or the data directory's). */
  readonly upgradeAuthority?: Keypair;
  /** Keep history here across restarts (default: in memory only). */
  readonly dataDir?: string;
  /** Delete the data directory first. */
  readonly reset?: boolean;
  /** Slots per epoch (default 432,000). */
  readonly slotsPerEpoch?: number;
  /** How much history stays in memory (the data directory keeps all of it). */
  readonly ledgerLimits?: Partial<LedgerLimits>;
  /** Fault injection (default: none). */
  readonly faults?: FaultOptions;
  /** Where the node reports unexpected errors (default console.error). */
  readonly logError?: (message: string, error: unknown) => void;
}

export interface Localnet {
  readonly rpcUrl: string;
  readonly wsUrl: string;
  readonly rpcPort: number;
  readonly wsPort: number;
  readonly genesisHash: string;
  /** Deployed programs by Anchor.toml name. */
  readonly programs: Readonly<Record<string, PublicKey>>;
  /** Upgrade authority of the deployed programs, funded at genesis. */
  readonly upgradeAuthority: Keypair;
  /** Pays requestAirdrop. */
  readonly faucet: Keypair;
  /** Blocks restored from the data directory at start. */
  readonly restoredBlocks: number;
  readonly chain: Chain;
  /** Reconfigure faults while running: `faults.configure({...})`. */
  readonly faults: Faults;
  /** Closes `count` slots now (default 1), whatever the clock. */
  advanceSlots(count?: number): void;
  /** Drops the newest `depth` confirmed-but-not-finalized blocks (and the open slot's transactions). */
  fork(depth: number): ForkEvent;
  /** Drops every WebSocket connection; returns how many. */
  dropWebSocketConnections(): number;
  /** Stops the clock and the servers, closes the open slot and flushes the data directory. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_RPC_PORT = 8899;
const DEFAULT_SLOT_MS = 400;
const DEFAULT_FINALITY_DEPTH = 31;
const DEFAULT_SLOTS_PER_EPOCH = 432_000;

/** Whether `host` is a loopback address (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function checkPort(name: string, port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${name} must be a port number (0-65535), got ${port}`);
}

export async function startLocalnet(options: LocalnetOptions = {}): Promise<Localnet> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopback(host)) throw new Error(`the localnet listens on loopback addresses only, not ${host}`);
  const rpcPort = options.rpcPort ?? DEFAULT_RPC_PORT;
  const wsPort = options.wsPort ?? (rpcPort === 0 ? 0 : rpcPort + 1);
  checkPort("rpcPort", rpcPort);
  checkPort("wsPort", wsPort);
  const slotMs = options.slotMs ?? DEFAULT_SLOT_MS;
  if (!(Number.isFinite(slotMs) && slotMs >= 0)) throw new Error(`slotMs must be >= 0, got ${slotMs}`);
  const slotsPerEpoch = options.slotsPerEpoch ?? DEFAULT_SLOTS_PER_EPOCH;
  if (!Number.isInteger(slotsPerEpoch) || slotsPerEpoch < 32) throw new Error(`slotsPerEpoch must be an integer >= 32, got ${slotsPerEpoch}`);
  const logError = options.logError ?? ((message: string, error: unknown) => console.error(`localnet: ${message}:`, error));
  const faults = new Faults(options.faults);

  const fresh = (): StoredGenesis => ({
    version: 1,
    genesisHash: bs58.encode(randomBytes(32)),
    creationTime: Math.floor(Date.now() / 1000),
    slotsPerEpoch,
    faucet: bs58.encode(Keypair.generate().secretKey),
    upgradeAuthority: bs58.encode((options.upgradeAuthority ?? Keypair.generate()).secretKey),
  });
  const opened = options.dataDir === undefined ? undefined : DataDirectory.open(options.dataDir, fresh, options.reset);
  const stored = opened?.directory.genesis ?? fresh();
  const upgradeAuthority = genesisKeypair(stored.upgradeAuthority);
  if (options.upgradeAuthority && !options.upgradeAuthority.publicKey.equals(upgradeAuthority.publicKey)) {
    throw new Error(
      `${options.dataDir} was created with upgrade authority ${upgradeAuthority.publicKey.toBase58()}; pass that one or reset the data directory`,
    );
  }
  const faucet = genesisKeypair(stored.faucet);

  const declared = options.programs?.length === 0 ? [] : workspacePrograms(options.anchorToml, options.cluster);
  const wanted = options.programs ?? declared.map((p) => p.name);
  const programs: GenesisProgram[] = wanted.map((name) => {
    const program = declared.find((p) => p.name === name);
    if (!program) throw new Error(`program "${name}" is not in [programs.${options.cluster ?? "localnet"}] of Anchor.toml`);
    return { name, programId: program.programId, elf: readProgramSo(name, options.deployDir) };
  });
  const svm = createGenesisSvm({ programs, upgradeAuthority, faucet, slotsPerEpoch: stored.slotsPerEpoch });
  const chain = new Chain(
    svm,
    { genesisHash: stored.genesisHash, creationTime: stored.creationTime, faucet },
    {
      finalityDepth: options.finalityDepth ?? DEFAULT_FINALITY_DEPTH,
      ledgerLimits: { ...DEFAULT_LEDGER_LIMITS, ...options.ledgerLimits },
      onListenerError: (error) => logError("a chain listener failed", error),
    },
  );
  const dataDirectory = opened?.directory;
  const restoredBlocks = dataDirectory ? await dataDirectory.replay(chain) : 0;
  if (dataDirectory) {
    dataDirectory.startRecording();
    chain.addListener(dataDirectory);
  }

  const hub = new SubscriptionHub(chain);
  chain.addListener(hub);
  const pubsub = new PubSubServer({ hub, faults, logError });
  const rpcServer = createRpcServer({ context: { chain, identity: faucet.publicKey.toBase58() }, faults, logError });
  rpcServer.on("upgrade", (request, socket, head) => pubsub.handleUpgrade(request, socket, head));
  const wsServer = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" });
    res.end("Upgrade Required: this port serves WebSocket subscriptions");
  });
  wsServer.on("upgrade", (request, socket, head) => pubsub.handleUpgrade(request, socket, head));

  const servers: Server[] = [];
  const closeServers = async () => {
    await pubsub.close();
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  };
  let boundRpcPort: number;
  let boundWsPort: number;
  try {
    boundRpcPort = await listen(rpcServer, host, rpcPort);
    servers.push(rpcServer);
    boundWsPort = await listen(wsServer, host, wsPort);
    servers.push(wsServer);
  } catch (error) {
    await closeServers();
    await dataDirectory?.close();
    throw error;
  }

  const tick = () => {
    chain.tick();
    const depth = faults.forkAt(chain.slot("confirmed"));
    if (depth !== null) chain.fork(depth);
  };
  const clock = slotMs > 0 ? startClock(slotMs, tick, (error) => logError("slot clock", error)) : undefined;

  let stopping: Promise<void> | undefined;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  return {
    rpcUrl: `http://${urlHost}:${boundRpcPort}`,
    wsUrl: `ws://${urlHost}:${boundWsPort}`,
    rpcPort: boundRpcPort,
    wsPort: boundWsPort,
    genesisHash: stored.genesisHash,
    programs: Object.fromEntries(programs.map((p) => [p.name, p.programId])),
    upgradeAuthority,
    faucet,
    restoredBlocks,
    chain,
    faults,
    advanceSlots(count = 1) {
      if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a non-negative integer, got ${count}`);
      for (let i = 0; i < count; i++) tick();
    },
    fork(depth) {
      return chain.fork(depth);
    },
    dropWebSocketConnections() {
      return pubsub.dropAll();
    },
    stop() {
      stopping ??= (async () => {
        clock?.stop();
        await closeServers();
        if (dataDirectory) {
          // The open slot's transactions become a block, so that they are kept.
          chain.tick();
          await dataDirectory.close();
        }
      })();
      return stopping;
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Calls `tick` every `slotMs` ms, aligned on the start time (no drift), until stopped. */
function startClock(slotMs: number, tick: () => void, onError: (error: unknown) => void): { stop(): void } {
  const start = Date.now();
  let ticks = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    ticks++;
    timer = setTimeout(run, Math.max(0, start + ticks * slotMs - Date.now()));
  };
  const run = () => {
    try {
      tick();
    } catch (error) {
      onError(error);
    }
    // After a stall (a long synchronous request), skip the missed slots rather than bursting through them.
    const due = Math.floor((Date.now() - start) / slotMs);
    if (due > ticks) ticks = due;
    schedule();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
