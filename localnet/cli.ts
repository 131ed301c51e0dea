// `npm run localnet`: starts the node and runs it until interrupted.
import { USAGE, parseCliArgs } from "./cli-options.js";
import { startLocalnet } from "./localnet.js";
import { describeLocalnet } from "./describe.js";

let command;
try {
  command = parseCliArgs(process.argv.slice(2));
} catch (error) {
  console.error(`localnet: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (command.help) {
  console.log(USAGE);
} else {
  const localnet = await startLocalnet(command.options);
  console.log(describeLocalnet(localnet, command.options));
  const shutdown = (signal: string) => {
    console.log(`\nlocalnet: ${signal}, stopping`);
    localnet.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("localnet: stop failed:", error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}
