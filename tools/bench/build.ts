// `npm run bench:build`: full and incremental build times (a benchmark, not a test); see ./build-benchmark.ts.
import { runBuildBenchmark } from "./build-benchmark.js";

process.exitCode = await runBuildBenchmark(process.argv.slice(2));
