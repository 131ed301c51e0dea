// A localnet per test file: ephemeral loopback ports, a fast slot clock, web3.js connections that are closed
// (WebSocket included) before the node stops, and raw JSON-RPC / WebSocket helpers for what clients hide.
import { Connection, type Commitment, Keypair, LAMPORTS_PER_SOL } from "@solana/web3.js";
import WebSocket from "ws";
import { type Localnet, type LocalnetOptions, startLocalnet } from "../../localnet/index.js";

/** Fast defaults for tests: 25 ms slots, finalized two blocks behind confirmed, no fixed ports. */
export const TEST_OPTIONS: LocalnetOptions = { rpcPort: 0, slotMs: 25, finalityDepth: 2 };

export interface RawResponse {
  readonly status: number;
  readonly text: string;
  /** The parsed body (undefined when it is not JSON). */
  readonly body: any;
}

export class LocalnetFixture {
  private readonly connections: Connection[] = [];
  private readonly sockets: WebSocket[] = [];

  private constructor(readonly localnet: Localnet) {}

  static async start(options: LocalnetOptions = {}): Promise<LocalnetFixture> {
    return new LocalnetFixture(await startLocalnet({ ...TEST_OPTIONS, ...options }));
  }

  /** A web3.js connection (confirmed by default) over the node's HTTP and WebSocket endpoints. */
  connection(commitment: Commitment = "confirmed", config: { disableRetryOnRateLimit?: boolean } = {}): Connection {
    const connection = new Connection(this.localnet.rpcUrl, { commitment, wsEndpoint: this.localnet.wsUrl, ...config });
    this.connections.push(connection);
    return connection;
  }

  /** A new keypair holding `sol` SOL, visible at confirmed commitment. */
  async funded(sol = 100): Promise<Keypair> {
    const keypair = Keypair.generate();
    const result = this.localnet.chain.airdrop(keypair.publicKey, BigInt(sol) * BigInt(LAMPORTS_PER_SOL));
    if (result.status !== "landed") throw new Error(`airdrop failed: ${result.error.message}`);
    await this.nextSlots(1);
    return keypair;
  }

  /** Waits until `count` more blocks are confirmed (bounded: fails after 5 s). */
  async nextSlots(count = 1): Promise<void> {
    const target = this.localnet.chain.slot("processed") + count - 1;
    await waitFor(() => this.localnet.chain.slot("confirmed") >= target, 5_000, `slot ${target} to be confirmed`);
  }

  /** Waits until `slot` is final. */
  async finalized(slot: number): Promise<void> {
    await waitFor(() => this.localnet.chain.slot("finalized") >= slot, 5_000, `slot ${slot} to be finalized`);
  }

  /** A raw HTTP POST of `body` (a value to serialize, or text as is). */
  async post(body: unknown, path = "/"): Promise<RawResponse> {
    const response = await fetch(this.localnet.rpcUrl + path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, text, body: parsed };
  }

  /** One JSON-RPC call; the whole response object ({ result } or { error }). */
  async rpc(method: string, params?: unknown[]): Promise<any> {
    return (await this.post({ jsonrpc: "2.0", id: 1, method, ...(params ? { params } : {}) })).body;
  }

  /** A raw WebSocket to the PubSub endpoint, opened. */
  async socket(url = this.localnet.wsUrl): Promise<RawSocket> {
    const ws = new WebSocket(url);
    this.sockets.push(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return new RawSocket(ws);
  }

  /** Closes every client, then stops the node. */
  async stop(): Promise<void> {
    for (const connection of this.connections) closeWebSocket(connection);
    for (const ws of this.sockets) ws.terminate();
    await this.localnet.stop();
  }
}

/** Closes a web3.js connection's WebSocket for good (web3.js would otherwise reconnect forever). */
export function closeWebSocket(connection: Connection): void {
  const ws = (connection as unknown as { _rpcWebSocket: { setAutoReconnect(on: boolean): void; close(): void } })._rpcWebSocket;
  ws.setAutoReconnect(false);
  ws.close();
}

/** JSON-RPC over a raw WebSocket: requests with their answers, and the notifications received. */
export class RawSocket {
  private nextId = 1;
  readonly messages: any[] = [];
  private readonly waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.messages.push(JSON.parse(data.toString()));
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Sends a request (or raw text) and resolves to the message answering it. */
  async request(method: string, params?: unknown[]): Promise<any> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) }));
    return this.next((m) => m.id === id);
  }

  sendRaw(text: string): void {
    this.ws.send(text);
  }

  /** The first message (received or to come) matching `predicate`, within 5 s. */
  async next(predicate: (message: any) => boolean, timeoutMs = 5_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.messages.findIndex(predicate);
      if (index >= 0) return this.messages.splice(index, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching WebSocket message within ${timeoutMs} ms (got ${JSON.stringify(this.messages)})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** Polls `condition` every 5 ms until true; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves with the first value a callback-style subscription delivers that matches (within 5 s). */
export function firstEvent<T>(subscribe: (deliver: (value: T) => void) => void, what: string, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
    subscribe((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

