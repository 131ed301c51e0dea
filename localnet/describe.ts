// What `npm run localnet` prints at start: endpoints, programs, keys, data directory and faults.
import type { Localnet, LocalnetOptions } from "./localnet.js";

export function describeLocalnet(localnet: Localnet, options: LocalnetOptions): string {
  const lines = [
    "infergrid localnet (LiteSVM)",
    `  JSON-RPC            ${localnet.rpcUrl}`,
    `  WebSocket           ${localnet.wsUrl}`,
    `  genesis hash        ${localnet.genesisHash}`,
    `  upgrade authority   ${localnet.upgradeAuthority.publicKey.toBase58()}`,
    `  faucet              ${localnet.faucet.publicKey.toBase58()} (requestAirdrop)`,
    `  data directory      ${options.dataDir ?? "none (history in memory)"}${localnet.restoredBlocks > 0 ? `, ${localnet.restoredBlocks} blocks restored` : ""}`,
  ];
  for (const [name, id] of Object.entries(localnet.programs)) lines.push(`  program ${name.padEnd(11)} ${id.toBase58()}`);
  const faults = Object.keys(localnet.faults.current).filter((k) => k !== "seed" && k !== "methods");
  if (faults.length > 0) lines.push(`  faults              ${JSON.stringify(localnet.faults.current)}`);
  return lines.join("\n");
}
