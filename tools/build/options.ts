import { DEFAULT_SBPF_VERSION, parseSbpfVersion, type SbpfVersion } from "../sbpf/src/sbpf-version.js";

export interface CliOptions {
  readonly command: "build" | "host-tests" | "help";
  readonly sbpfVersion: SbpfVersion;
  /** Cargo target directory, default <repo>/target (benchmarks use a scratch one). */
  readonly targetDir: string | undefined;
}

export const USAGE = `usage: npm run build [-- --sbpf-version 0|3] [--target-dir <dir>]
       npm run test:cargo            (same as: tsx tools/build/cli.ts --host-tests)

  --sbpf-version 0|3  SBPF version of target/deploy/*.so (default 0, what mainnet deploys)
  --target-dir <dir>  cargo target directory (default <repo>/target)
  --host-tests        run \`cargo test --workspace\` for the programs on the host instead of building`;

export class UsageError extends Error {}

export function parseCliOptions(argv: readonly string[]): CliOptions {
  let command: CliOptions["command"] = "build";
  let sbpfVersion: SbpfVersion = DEFAULT_SBPF_VERSION;
  let targetDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inlineValue] = splitFlag(argv[i]!);
    const value = (): string => {
      const next = inlineValue ?? argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case "--sbpf-version":
        try {
          sbpfVersion = parseSbpfVersion(value(), "--sbpf-version");
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        break;
      case "--target-dir":
        targetDir = value();
        break;
      case "--host-tests":
        command = "host-tests";
        break;
      case "-h":
      case "--help":
        command = "help";
        break;
      default:
        throw new UsageError(`unknown option ${argv[i]}`);
    }
  }
  return { command, sbpfVersion, targetDir };
}

function splitFlag(arg: string): [string, string | undefined] {
  const equals = arg.indexOf("=");
  return arg.startsWith("--") && equals > 0 ? [arg.slice(0, equals), arg.slice(equals + 1)] : [arg, undefined];
}
