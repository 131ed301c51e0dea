// `npm start`: the whole network locally, in one command. Builds the programs, starts the localnet node
// (JSON-RPC and WebSocket over LiteSVM, programs deployed through the upgradeable loader), initializes the
// escrow config, and runs until interrupted. The indexer and explorer join this command when they exist.
import anchor from "@coral-xyz/anchor";
import { Connection, Keypair } from "@solana/web3.js";
import { buildAll } from "./build/build.js";
import { buildPaths } from "./build/paths.js";
import { startLocalnet } from "../localnet/index.js";
import { describeLocalnet } from "../localnet/describe.js";
import { escrowClient } from "../ts-client/src/index.js";

const DATA_DIR = ".localnet";

async function main(): Promise<void> {
  await buildAll({ sbpfVersion: 0, paths: buildPaths(), env: process.env });
  const localnet = await startLocalnet({ dataDir: DATA_DIR });
  console.log(describeLocalnet(localnet, { dataDir: DATA_DIR }));

  // The deployer (upgrade authority) is the protocol admin, treasury and arbiter of a local network.
  const admin = localnet.upgradeAuthority;
  const connection = new Connection(localnet.rpcUrl, { commitment: "confirmed", wsEndpoint: localnet.wsUrl });
  const provider = new anchor.AnchorProvider(connection, new anchor.Wallet(admin), { commitment: "confirmed" });
  const escrow = escrowClient(provider, localnet.programs.escrow);
  if (!(await connection.getAccountInfo(escrow.config()))) {
    await escrow.initializeConfig({ admin, treasury: admin.publicKey, arbiter: admin.publicKey, feeBps: 100 });
    await escrow.openEarnings({ owner: admin.publicKey });
  }
  const config = await escrow.fetchConfig();
  console.log(`escrow config ${escrow.config().toBase58()}: admin ${config.admin.toBase58()}, fee ${config.feeBps} bps`);
  console.log("indexer, query API and explorer: not part of the stack yet (they come with the indexer issues).");
  console.log("Ctrl-C stops the network; its history stays in .localnet/ (delete it for a fresh chain).");

  const stop = (signal: string) => {
    console.log(`\n${signal}: stopping`);
    localnet.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("stop failed:", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

export type { Keypair };
