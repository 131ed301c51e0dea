export * from "./client.js";
export * from "./pda.js";
export * from "./payees.js";
