import { buildAll } from "./build.js";
import { runHostTests } from "./host-tests.js";
import { USAGE, UsageError, parseCliOptions } from "./options.js";
import { buildPaths } from "./paths.js";
import { BuildFailure } from "./sbpf-programs.js";

/** Runs the build command line; returns the exit status. Build failures print their message, not a stack. */
export async function runBuildCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  try {
    const options = parseCliOptions(argv);
    const paths = buildPaths(undefined, options.targetDir);
    if (options.command === "help") {
      console.log(USAGE);
      return 0;
    }
    if (options.command === "host-tests") return await runHostTests(paths, env);
    await buildAll({ sbpfVersion: options.sbpfVersion, paths, env });
    return 0;
  } catch (error) {
    if (!(error instanceof BuildFailure || error instanceof UsageError)) throw error;
    console.error(error.message);
    if (error instanceof UsageError) console.error(USAGE);
    return 1;
  }
}
