// infergrid TypeScript client: typed Anchor programs plus high-level calls, PDAs and event decoding.
export * from "./escrow/index.js";
export * from "./programs.js";
