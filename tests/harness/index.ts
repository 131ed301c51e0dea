// The test harness, for `import { TestSvm, expectCustomError } from "../harness/index.js"`; it re-exports the
// LiteSVM runtime helpers of svm/ (deploy, transaction results and errors, Anchor.toml, workspace paths).
export * from "../../svm/index.js";
export * from "./connection.js";
export * from "./errors.js";
export * from "./provider.js";
export * from "./svm.js";
export * from "./tokens.js";
