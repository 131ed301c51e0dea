// `npm run build` / `npm run test:cargo`: options in ./options.ts, pipeline in ./build.ts.
import { runBuildCli } from "./main.js";

process.exitCode = await runBuildCli(process.argv.slice(2), process.env);
