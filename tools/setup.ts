// `npm run setup`: installs the Debian packages of the offline SBPF toolchain (tools/sbpf/README.md).
import { installToolchain, systemSetupEnvironment } from "./sbpf/src/toolchain.js";

process.exitCode = installToolchain(systemSetupEnvironment(process.env));
