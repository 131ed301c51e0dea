// The load generator of the localnet benchmark, run in a second process: `tsx load.ts <json config>`.
// Phase 1 sends pre-signed transfers as fast as the node takes them (throughput); phase 2 keeps sending
// at a steady rate while timing getTransaction of landed transfers (latency under load), after a warm-up of
// unmeasured lookups. Prints one JSON line.
import { Agent, type ClientRequest, type IncomingMessage, request } from "node:http";
import { Keypair } from "@solana/web3.js";
import bs58 from "bs58";
import { transferFactory } from "./transfers.js";

export interface LoadConfig {
  readonly rpcUrl: string;
  /** Funded payers, base58 secret keys. */
  readonly payers: readonly string[];
  readonly transfers: number;
  readonly concurrency: number;
  /** Phase 2: transfers per second sent while measuring, and how many getTransaction calls. */
  readonly backgroundRate: number;
  readonly lookups: number;
  readonly lookupConcurrency: number;
  /** getTransaction calls before the measured ones (JIT warm-up of both processes), not measured. */
  readonly warmup: number;
}

export interface LoadResult {
  readonly sent: number;
  readonly failed: number;
  readonly seconds: number;
  readonly transfersPerSecond: number;
  readonly lookups: number;
  readonly lookupMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
  readonly backgroundSent: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

type RpcAnswer = { result?: unknown; error?: { message: string } };

/**
 * One call in flight. It hangs off its request and response objects, whose listeners are module functions
 * rather than closures (no `request(options, callback)`, which adds a `once` wrapper): with closures, this
 * process's heap sometimes reached ~95 MB by the end of phase 1 instead of 30-40 MB (presumably the retention
 * described in localnet/rpc/server.ts), and the full GCs that followed fell among the timed lookups (p99 4-5 ms).
 */
interface Call {
  readonly resolve: (answer: RpcAnswer) => void;
  readonly reject: (error: unknown) => void;
  readonly chunks: Buffer[];
}
const CALL = Symbol("call");
type WithCall<T> = T & { [CALL]?: Call };

function onResponse(this: WithCall<ClientRequest>, res: WithCall<IncomingMessage>): void {
  res[CALL] = this[CALL];
  res.on("data", onResponseData);
  res.on("end", onResponseEnd);
}

function onResponseData(this: WithCall<IncomingMessage>, chunk: Buffer): void {
  this[CALL]!.chunks.push(chunk);
}

function onResponseEnd(this: WithCall<IncomingMessage>): void {
  const call = this[CALL]!;
  try {
    call.resolve(JSON.parse(Buffer.concat(call.chunks).toString("utf8")) as RpcAnswer);
  } catch (error) {
    call.reject(error);
  }
}

function onRequestError(this: WithCall<ClientRequest>, error: Error): void {
  this[CALL]!.reject(error);
}

function rpc(url: URL, method: string, params: unknown[]): Promise<RpcAnswer> {
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
  return new Promise((resolve, reject) => {
    const req: WithCall<ClientRequest> = request({
      host: url.hostname,
      port: url.port,
      path: "/",
      method: "POST",
      agent,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    });
    req[CALL] = { resolve, reject, chunks: [] };
    req.on("response", onResponse);
    req.on("error", onRequestError);
    req.end(body);
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function run(config: LoadConfig): Promise<LoadResult> {
  const url = new URL(config.rpcUrl);
  const latest = await rpc(url, "getLatestBlockhash", [{ commitment: "confirmed" }]);
  const blockhash = (latest.result as { value: { blockhash: string } }).value.blockhash;
  const makers = config.payers.map((secret) => transferFactory(Keypair.fromSecretKey(bs58.decode(secret)), Keypair.generate().publicKey, blockhash));
  let counter = 0n;
  // Distinct amounts (above the rent-exempt minimum of the recipients) make distinct transactions.
  const next = () => makers[Number(counter % BigInt(makers.length))](1_000_000n + counter++).toString("base64");

  // Phase 1: throughput.
  const wires = Array.from({ length: config.transfers }, next);
  let sent = 0;
  let failed = 0;
  const signatures: string[] = [];
  let cursor = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: config.concurrency }, async () => {
      while (cursor < wires.length) {
        const wire = wires[cursor++];
        const answer = await rpc(url, "sendTransaction", [wire, { encoding: "base64" }]);
        if (typeof answer.result === "string") {
          sent++;
          if (signatures.length < 50_000) signatures.push(answer.result);
        } else failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  // Let the last transfers be confirmed, then phase 2: lookups under a steady background load.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  let backgroundSent = 0;
  let stop = false;
  // Paced senders: each sends on its own schedule, so the load is steady rather than in bursts.
  const senders = 4;
  const interval = (1000 * senders) / config.backgroundRate;
  const deadline = performance.now() + 60_000;
  const background = Promise.all(
    Array.from({ length: senders }, async (_, k) => {
      let due = performance.now() + (k * interval) / senders;
      while (!stop && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
        await rpc(url, "sendTransaction", [next(), { encoding: "base64" }]);
        backgroundSent++;
        due += interval;
      }
    }),
  );
  const lookup = async (signature: string): Promise<void> => {
    const answer = await rpc(url, "getTransaction", [signature, { encoding: "json", commitment: "confirmed", maxSupportedTransactionVersion: 0 }]);
    if (answer.result === null || answer.result === undefined) throw new Error(`getTransaction ${signature}: ${JSON.stringify(answer)}`);
  };
  // Warm-up, not measured: neither process has run getTransaction yet, and its first calls run unoptimized
  // code. The measurement is of a node serving lookups all along; the warm-up looks up other transfers (from
  // the end of the list) than the measured ones (from its start).
  let warmupIndex = 0;
  await Promise.all(
    Array.from({ length: config.lookupConcurrency }, async () => {
      while (warmupIndex < config.warmup) await lookup(signatures[signatures.length - 1 - (warmupIndex++ % signatures.length)]);
    }),
  );
  const latencies: number[] = [];
  let lookupIndex = 0;
  await Promise.all(
    Array.from({ length: config.lookupConcurrency }, async () => {
      while (lookupIndex < config.lookups) {
        const signature = signatures[lookupIndex++ % signatures.length];
        const t = performance.now();
        await lookup(signature);
        latencies.push(performance.now() - t);
      }
    }),
  );
  stop = true;
  await background;
  latencies.sort((a, b) => a - b);
  return {
    sent,
    failed,
    seconds,
    transfersPerSecond: sent / seconds,
    lookups: latencies.length,
    lookupMs: { p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: latencies.at(-1) ?? 0 },
    backgroundSent,
  };
}

const config = JSON.parse(process.argv[2] ?? "{}") as LoadConfig;
run(config).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    agent.destroy();
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
