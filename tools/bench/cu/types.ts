// One row of `npm run bench:cu`: the compute units one instruction spent in one case.
export interface CuRow {
  readonly program: string;
  readonly instruction: string;
  /** What the case exercises, e.g. "SOL deposit" or "4 payees". */
  readonly case: string;
  readonly cu: number;
}

/** A program's benchmark: runs its instructions in LiteSVM and reports what each spent. */
export type CuScenario = () => Promise<CuRow[]>;
