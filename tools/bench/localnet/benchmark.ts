// The localnet benchmark: a node in this process, the load from a second one (./load.ts) over loopback.
// Targets: at least 2,000 simple transfers per second through sendTransaction (with preflight, as clients
// send by default), and getTransaction p99 at most 5 ms while transfers keep arriving.
import { spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { Keypair, LAMPORTS_PER_SOL } from "@solana/web3.js";
import bs58 from "bs58";
import { startLocalnet } from "../../../localnet/index.js";
import type { LoadConfig, LoadResult } from "./load.js";

const TARGET_TPS = 2_000;
const TARGET_P99_MS = 5;

function option(argv: readonly string[], name: string, fallback: number): number {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? Number(argv[index + 1]) : fallback;
}

export async function runLocalnetBenchmark(argv: readonly string[]): Promise<number> {
  const json = argv.includes("--json");
  const transfers = option(argv, "transfers", 20_000);
  const localnet = await startLocalnet({ rpcPort: 0, programs: [], finalityDepth: 31 });
  try {
    const payers = Array.from({ length: 16 }, () => Keypair.generate());
    for (const payer of payers) {
      const result = localnet.chain.airdrop(payer.publicKey, 10_000n * BigInt(LAMPORTS_PER_SOL));
      if (result.status !== "landed") throw new Error(`funding a payer failed: ${result.error.message}`);
    }
    localnet.advanceSlots(1);
    const config: LoadConfig = {
      rpcUrl: localnet.rpcUrl,
      payers: payers.map((p) => bs58.encode(p.secretKey)),
      transfers,
      concurrency: option(argv, "concurrency", 32),
      backgroundRate: option(argv, "background-rate", 1_000),
      lookups: option(argv, "lookups", 5_000),
      lookupConcurrency: option(argv, "lookup-concurrency", 4),
      warmup: option(argv, "warmup", 500),
    };
    const result = await runLoad(config);
    const ok = result.transfersPerSecond >= TARGET_TPS && result.lookupMs.p99 <= TARGET_P99_MS;
    if (json) {
      process.stdout.write(`${JSON.stringify({ ...result, targets: { transfersPerSecond: TARGET_TPS, p99Ms: TARGET_P99_MS }, ok })}\n`);
    } else {
      const load = loadavg().map((l) => l.toFixed(2)).join(" ");
      console.log(`localnet benchmark (load from a second process over loopback; ${cpus().length} cores, load average ${load})`);
      console.log(`  sendTransaction   ${result.sent} transfers in ${result.seconds.toFixed(2)} s: ${result.transfersPerSecond.toFixed(0)} tx/s (target >= ${TARGET_TPS}), ${result.failed} failed`);
      console.log(
        `  getTransaction    ${result.lookups} lookups (after ${config.warmup} warm-up) under ~${config.backgroundRate} tx/s: p50 ${result.lookupMs.p50.toFixed(2)} ms, p90 ${result.lookupMs.p90.toFixed(2)} ms, p99 ${result.lookupMs.p99.toFixed(2)} ms (target <= ${TARGET_P99_MS}), max ${result.lookupMs.max.toFixed(2)} ms`,
      );
      console.log(`  ledger            ${localnet.chain.ledger.size.transactions} transactions, ${localnet.chain.ledger.size.blocks} blocks`);
      console.log(`  ${ok ? "targets met" : "TARGETS MISSED"}`);
    }
    return 0;
  } finally {
    await localnet.stop();
  }
}

function runLoad(config: LoadConfig): Promise<LoadResult> {
  const script = fileURLToPath(new URL("./load.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, JSON.stringify(config)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`the load process exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").at(-1)!) as LoadResult);
      } catch (error) {
        reject(error);
      }
    });
  });
}
