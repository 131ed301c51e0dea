// `npm run bench:localnet [-- --json]`: sendTransaction throughput and getTransaction latency of the localnet
// under load from a second process (a benchmark, not a test); see ./localnet/benchmark.ts.
import { runLocalnetBenchmark } from "./localnet/benchmark.js";

process.exitCode = await runLocalnetBenchmark(process.argv.slice(2));
