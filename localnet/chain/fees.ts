// Transaction fees as the runtime charges them (solana-fee `calculate_fee`): 5,000 lamports per signature,
// counting the signatures that precompile instructions verify, plus the prioritization fee: compute-unit
// price (micro-lamports) times the compute-unit limit, rounded up.
import {
  COMPUTE_BUDGET_PROGRAM_ID,
  ED25519_PROGRAM_ID,
  SECP256K1_PROGRAM_ID,
  SECP256R1_PROGRAM_ID,
  SYSTEM_PROGRAM_ID,
  VOTE_PROGRAM_ID,
} from "./keys.js";

export const LAMPORTS_PER_SIGNATURE = 5_000n;
const MAX_COMPUTE_UNIT_LIMIT = 1_400_000n;
const DEFAULT_INSTRUCTION_COMPUTE_UNIT_LIMIT = 200_000n;
/** What a builtin instruction reserves when the limit is not set. */
const MAX_BUILTIN_ALLOCATION_COMPUTE_UNIT_LIMIT = 3_000n;
const MICRO_LAMPORTS_PER_LAMPORT = 1_000_000n;

const PRECOMPILES = new Set([ED25519_PROGRAM_ID, SECP256K1_PROGRAM_ID, SECP256R1_PROGRAM_ID]);
/** Builtins that were not migrated to on-chain programs: they reserve 3,000 units each, not 200,000. */
const BUILTINS = new Set([
  SYSTEM_PROGRAM_ID,
  VOTE_PROGRAM_ID,
  COMPUTE_BUDGET_PROGRAM_ID,
  "BPFLoader1111111111111111111111111111111111",
  "BPFLoader2111111111111111111111111111111111",
  "BPFLoaderUpgradeab1e11111111111111111111111",
  "LoaderV411111111111111111111111111111111111",
  ...PRECOMPILES,
]);

/** An instruction with its program resolved. */
export interface FeeInstruction {
  readonly programId: string;
  readonly data: Buffer;
}

/** The fee of a message with `numRequiredSignatures` signers and these instructions. */
export function transactionFee(numRequiredSignatures: number, instructions: readonly FeeInstruction[]): bigint {
  let signatures = BigInt(numRequiredSignatures);
  let unitLimit: bigint | undefined;
  let unitPrice = 0n;
  let defaultLimit = 0n;
  for (const ix of instructions) {
    if (PRECOMPILES.has(ix.programId) && ix.data.length > 0) signatures += BigInt(ix.data[0]);
    if (ix.programId === COMPUTE_BUDGET_PROGRAM_ID) {
      if (ix.data[0] === 2 && ix.data.length === 5) unitLimit = BigInt(ix.data.readUInt32LE(1));
      if (ix.data[0] === 3 && ix.data.length === 9) unitPrice = ix.data.readBigUInt64LE(1);
    }
    defaultLimit += BUILTINS.has(ix.programId) ? MAX_BUILTIN_ALLOCATION_COMPUTE_UNIT_LIMIT : DEFAULT_INSTRUCTION_COMPUTE_UNIT_LIMIT;
  }
  const limit = min(unitLimit ?? defaultLimit, MAX_COMPUTE_UNIT_LIMIT);
  const prioritization = (unitPrice * limit + MICRO_LAMPORTS_PER_LAMPORT - 1n) / MICRO_LAMPORTS_PER_LAMPORT;
  return signatures * LAMPORTS_PER_SIGNATURE + prioritization;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
