/**
 * A refusal or failure that sbpf-ld reports to the user. Its message names the symbol, function or section at
 * fault and says what to do; the driver prints it as `sbpf-ld: error: <message>` and exits with status 1.
 */
export class SbpfError extends Error {
  override readonly name = "SbpfError";
}

/** Prefix of every diagnostic line, so that rustc's linker note shows where the message comes from. */
export const DIAGNOSTIC_PREFIX = "sbpf-ld: error: ";

/** The text printed for a failure: SbpfError messages as they are, anything else as an internal error. */
export function formatDiagnostic(error: unknown): string {
  if (error instanceof SbpfError) return DIAGNOSTIC_PREFIX + error.message;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `${DIAGNOSTIC_PREFIX}internal error (please report): ${detail}`;
}
