/** The parts of `cargo metadata --format-version 1` the build needs. */
export interface CargoMetadata {
  readonly packages: ReadonlyArray<{
    readonly name: string;
    readonly manifest_path: string;
    readonly targets: ReadonlyArray<{ readonly name: string; readonly kind: readonly string[]; readonly src_path: string }>;
  }>;
}

/** An on-chain program: a workspace package with a cdylib target. */
export interface ProgramCrate {
  readonly packageName: string;
  /** Library name (underscores), which names the artifact: lib<name>.so and deploy/<name>.so. */
  readonly libName: string;
  /** Root source file of the library, e.g. for benchmarks that touch it. */
  readonly sourceRoot: string;
}

export interface Workspace {
  readonly programs: readonly ProgramCrate[];
  readonly packageNames: ReadonlySet<string>;
}

export function describeWorkspace(metadata: CargoMetadata): Workspace {
  const programs: ProgramCrate[] = [];
  for (const pkg of metadata.packages) {
    const library = pkg.targets.find((target) => target.kind.includes("cdylib"));
    if (!library) continue;
    programs.push({ packageName: pkg.name, libName: library.name.replace(/-/g, "_"), sourceRoot: library.src_path });
  }
  programs.sort((a, b) => a.libName.localeCompare(b.libName));
  return { programs, packageNames: new Set(metadata.packages.map((pkg) => pkg.name)) };
}
