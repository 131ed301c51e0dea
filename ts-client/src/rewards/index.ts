export * from "./client.js";
export * from "./distribution.js";
export * from "./formula.js";
export * from "./leaf.js";
export * from "./pda.js";
