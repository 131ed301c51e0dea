// Command-line options of `npm run localnet`, parsed into LocalnetOptions.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { Keypair } from "@solana/web3.js";
import type { FaultOptions } from "./faults.js";
import type { LocalnetOptions } from "./localnet.js";

export const USAGE = `Usage: npm run localnet -- [options]

A Solana JSON-RPC and WebSocket node over LiteSVM with infergrid's programs deployed.

  --rpc-port <n>            JSON-RPC port (default 8899)
  --ws-port <n>             WebSocket port (default: JSON-RPC port + 1)
  --slot-ms <n>             slot duration in ms (default 400)
  --finality-depth <n>      blocks between confirmed and finalized (default 31)
  --ledger <dir>            data directory kept across restarts (default .localnet-ledger)
  --no-ledger               keep history in memory only
  --reset                   delete the data directory first
  --programs <a,b>          Anchor.toml programs to deploy (default all)
  --no-programs             deploy none
  --upgrade-authority <f>   keypair file of the programs' upgrade authority
                            (default ~/.config/solana/id.json when it exists, else generated)
  --latency-ms <n|min-max>  fault: delay every response and WebSocket message
  --http-429-rate <r>       fault: share of HTTP requests answered 429
  --http-500-rate <r>       fault: share of HTTP requests answered 500
  --rpc-error-rate <r>      fault: share of JSON-RPC calls answered -32005
  --ws-drop-rate <r>        fault: share of WebSocket messages that drop their connection
  --fork-every <n>          fault: a fork every n slots...
  --fork-depth <n>          ...dropping the newest n unfinalized blocks (default 2)
  --fault-methods <a,b>     restrict HTTP and JSON-RPC faults to these methods
  --fault-seed <n>          seed of the fault generator
  -h, --help                this text
`;

export type CliCommand = { readonly help: true } | { readonly help: false; readonly options: LocalnetOptions };

/** Parses the arguments after `npm run localnet --`; throws with a message for anything it does not know. */
export function parseCliArgs(args: readonly string[], home = homedir()): CliCommand {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "-h" || arg === "--help") return { help: true };
    if (!arg.startsWith("--")) throw new Error(`unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    if (["no-ledger", "reset", "no-programs"].includes(name)) {
      flags.set(name, true);
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    flags.set(name, value);
  }
  const known = new Set([
    "rpc-port", "ws-port", "slot-ms", "finality-depth", "ledger", "no-ledger", "reset", "programs", "no-programs",
    "upgrade-authority", "latency-ms", "http-429-rate", "http-500-rate", "rpc-error-rate", "ws-drop-rate",
    "fork-every", "fork-depth", "fault-methods", "fault-seed",
  ]);
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown option --${name}`);
  const text = (name: string): string | undefined => {
    const v = flags.get(name);
    return v === true ? undefined : v;
  };
  const num = (name: string): number | undefined => {
    const v = text(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${v}"`);
    return n;
  };
  const faults: { -readonly [K in keyof FaultOptions]: FaultOptions[K] } = {};
  const latency = text("latency-ms");
  if (latency !== undefined) {
    const [min, max] = latency.split("-").map(Number);
    if (!Number.isFinite(min) || (max !== undefined && !Number.isFinite(max))) throw new Error(`--latency-ms must be n or min-max, got "${latency}"`);
    faults.latencyMs = max === undefined ? min : { min, max };
  }
  faults.http429Rate = num("http-429-rate");
  faults.http500Rate = num("http-500-rate");
  faults.rpcErrorRate = num("rpc-error-rate");
  faults.wsDropRate = num("ws-drop-rate");
  const forkEvery = num("fork-every");
  if (forkEvery !== undefined) faults.fork = { everySlots: forkEvery, depth: num("fork-depth") ?? 2 };
  faults.methods = text("fault-methods")?.split(",").filter(Boolean);
  faults.seed = num("fault-seed");
  const authorityPath = text("upgrade-authority") ?? defaultWallet(home);
  return {
    help: false,
    options: {
      rpcPort: num("rpc-port"),
      wsPort: num("ws-port"),
      slotMs: num("slot-ms"),
      finalityDepth: num("finality-depth"),
      dataDir: flags.has("no-ledger") ? undefined : (text("ledger") ?? ".localnet-ledger"),
      reset: flags.has("reset"),
      programs: flags.has("no-programs") ? [] : text("programs")?.split(",").filter(Boolean),
      upgradeAuthority: authorityPath === undefined ? undefined : readKeypair(authorityPath),
      faults: Object.fromEntries(Object.entries(faults).filter(([, v]) => v !== undefined)) as FaultOptions,
    },
  };
}

function defaultWallet(home: string): string | undefined {
  const path = join(home, ".config", "solana", "id.json");
  return existsSync(path) ? path : undefined;
}

/** A keypair file as the Solana CLI writes it: a JSON array of the 64 secret-key bytes. */
export function readKeypair(path: string): Keypair {
  const bytes = JSON.parse(readFileSync(path, "utf8")) as unknown;
  if (!Array.isArray(bytes) || bytes.length !== 64 || !bytes.every((b) => Number.isInteger(b) && b >= 0 && b < 256)) {
    throw new Error(`${path} is not a keypair file (a JSON array of 64 bytes)`);
  }
  return Keypair.fromSecretKey(Uint8Array.from(bytes));
}
