// sbpf-ld: the linker rustc runs for target bpfel-unknown-none (see ../README.md).
import { main } from "./driver.js";

process.exitCode = main(process.argv.slice(2), process.env);
