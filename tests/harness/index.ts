// The test harness, for `import { TestSvm, expectCustomError } from "../harness/index.js"`.
export * from "./anchor-toml.js";
export * from "./connection.js";
export * from "./deploy.js";
export * from "./errors.js";
export * from "./provider.js";
export * from "./svm.js";
export * from "./tokens.js";
export * from "./transaction-error.js";
export * from "./transactions.js";
