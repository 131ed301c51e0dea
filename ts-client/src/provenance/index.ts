export * from "./batch.js";
export * from "./client.js";
export * from "./cluster.js";
export * from "./events.js";
export * from "./labels.js";
export * from "./leaf.js";
export * from "./pda.js";
