// Running web3.js transactions in LiteSVM the way a cluster does, shared by the test harness and the localnet
// node: program ids from Anchor.toml, deploys through BPFLoaderUpgradeable, results and errors in RPC form.
export * from "./anchor-toml.js";
export * from "./deploy.js";
export * from "./transaction-error.js";
export * from "./transactions.js";
export * from "./workspace.js";
export * from "./ed25519.js";
