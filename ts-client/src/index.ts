// infergrid TypeScript client: typed Anchor programs plus high-level calls, PDAs, merkle tools and
// event decoding.
export * from "./escrow/index.js";
export * from "./merkle.js";
export * from "./programs.js";
export * from "./provenance/index.js";
export * from "./rewards/index.js";
export { bn, bytes32, keyOf, ProgramClient, translateProgramError, type SignerLike } from "./common/program-client.js";
