// LiteSVM's transaction errors in the two forms a cluster gives them: the JSON of the RPC (`err` of a
// signature status or simulation, e.g. {"InstructionError":[0,{"Custom":1}]}) and the text of the RPC's error
// message ("Error processing Instruction 0: custom program error: 0x1").
//
// The texts are the `Display` implementations of solana-sdk's `TransactionError` (transaction-error crate)
// and `InstructionError` (instruction-error crate). Both tables are indexed by the numbers of litesvm 1.4.1's
// `TransactionErrorFieldless` and `InstructionErrorFieldless` (see node_modules/litesvm/dist/internal.d.ts);
// the variants with fields arrive as class instances.
import {
  type FailedTransactionMetadata,
  InstructionErrorBorshIo,
  InstructionErrorCustom,
  TransactionErrorDuplicateInstruction,
  TransactionErrorInstructionError,
  TransactionErrorInsufficientFundsForRent,
  TransactionErrorProgramExecutionTemporarilyRestricted,
} from "litesvm/dist/internal.js";

/** An instruction error as the RPC serializes it. */
export type RpcInstructionError = string | { Custom: number } | { BorshIoError: string };

/** A transaction error as the RPC serializes it (serde's externally tagged enums). */
export type RpcTransactionError =
  | string
  | { InstructionError: [number, RpcInstructionError] }
  | { DuplicateInstruction: number }
  | { InsufficientFundsForRent: { account_index: number } }
  | { ProgramExecutionTemporarilyRestricted: { account_index: number } };

/** A LiteSVM transaction error in both cluster forms. */
export interface ClusterTransactionError {
  /** The RPC JSON form, e.g. `{ InstructionError: [0, { Custom: 1 }] }`. */
  readonly err: RpcTransactionError;
  /** The RPC text form, e.g. `Error processing Instruction 0: custom program error: 0x1`. */
  readonly message: string;
}

/** `TransactionError` variants without fields, in litesvm's `TransactionErrorFieldless` order. */
const TRANSACTION_ERRORS: ReadonlyArray<readonly [name: string, display: string]> = [
  ["AccountInUse", "Account in use"],
  ["AccountLoadedTwice", "Account loaded twice"],
  ["AccountNotFound", "Attempt to debit an account but found no record of a prior credit."],
  ["ProgramAccountNotFound", "Attempt to load a program that does not exist"],
  ["InsufficientFundsForFee", "Insufficient funds for fee"],
  ["InvalidAccountForFee", "This account may not be used to pay transaction fees"],
  ["AlreadyProcessed", "This transaction has already been processed"],
  ["BlockhashNotFound", "Blockhash not found"],
  ["CallChainTooDeep", "Loader call chain is too deep"],
  ["MissingSignatureForFee", "Transaction requires a fee but has no signature present"],
  ["InvalidAccountIndex", "Transaction contains an invalid account reference"],
  ["SignatureFailure", "Transaction did not pass signature verification"],
  ["InvalidProgramForExecution", "This program may not be used for executing instructions"],
  ["SanitizeFailure", "Transaction failed to sanitize accounts offsets correctly"],
  ["ClusterMaintenance", "Transactions are currently disabled due to cluster maintenance"],
  ["AccountBorrowOutstanding", "Transaction processing left an account with an outstanding borrowed reference"],
  ["WouldExceedMaxBlockCostLimit", "Transaction would exceed max Block Cost Limit"],
  ["UnsupportedVersion", "Transaction version is unsupported"],
  ["InvalidWritableAccount", "Transaction loads a writable account that cannot be written"],
  ["WouldExceedMaxAccountCostLimit", "Transaction would exceed max account limit within the block"],
  ["WouldExceedAccountDataBlockLimit", "Transaction would exceed account data limit within the block"],
  ["TooManyAccountLocks", "Transaction locked too many accounts"],
  ["AddressLookupTableNotFound", "Transaction loads an address table account that doesn't exist"],
  ["InvalidAddressLookupTableOwner", "Transaction loads an address table account with an invalid owner"],
  ["InvalidAddressLookupTableData", "Transaction loads an address table account with invalid data"],
  ["InvalidAddressLookupTableIndex", "Transaction address table lookup uses an invalid index"],
  ["InvalidRentPayingAccount", "Transaction leaves an account with a lower balance than rent-exempt minimum"],
  ["WouldExceedMaxVoteCostLimit", "Transaction would exceed max Vote Cost Limit"],
  ["WouldExceedAccountDataTotalLimit", "Transaction would exceed total account data limit"],
  ["MaxLoadedAccountsDataSizeExceeded", "Transaction exceeded max loaded accounts data size cap"],
  ["ResanitizationNeeded", "ResanitizationNeeded"],
  ["InvalidLoadedAccountsDataSizeLimit", "LoadedAccountsDataSizeLimit set for transaction must be greater than 0."],
  ["UnbalancedTransaction", "Sum of account balances before and after transaction do not match"],
  ["ProgramCacheHitMaxLimit", "Program cache hit max limit"],
  ["CommitCancelled", "CommitCancelled"],
];

/** `InstructionError` variants without fields, in litesvm's `InstructionErrorFieldless` order. */
const INSTRUCTION_ERRORS: ReadonlyArray<readonly [name: string, display: string]> = [
  ["GenericError", "generic instruction error"],
  ["InvalidArgument", "invalid program argument"],
  ["InvalidInstructionData", "invalid instruction data"],
  ["InvalidAccountData", "invalid account data for instruction"],
  ["AccountDataTooSmall", "account data too small for instruction"],
  ["InsufficientFunds", "insufficient funds for instruction"],
  ["IncorrectProgramId", "incorrect program id for instruction"],
  ["MissingRequiredSignature", "missing required signature for instruction"],
  ["AccountAlreadyInitialized", "instruction requires an uninitialized account"],
  ["UninitializedAccount", "instruction requires an initialized account"],
  ["UnbalancedInstruction", "sum of account balances before and after instruction do not match"],
  ["ModifiedProgramId", "instruction illegally modified the program id of an account"],
  ["ExternalAccountLamportSpend", "instruction spent from the balance of an account it does not own"],
  ["ExternalAccountDataModified", "instruction modified data of an account it does not own"],
  ["ReadonlyLamportChange", "instruction changed the balance of a read-only account"],
  ["ReadonlyDataModified", "instruction modified data of a read-only account"],
  ["DuplicateAccountIndex", "instruction contains duplicate accounts"],
  ["ExecutableModified", "instruction changed executable bit of an account"],
  ["RentEpochModified", "instruction modified rent epoch of an account"],
  ["NotEnoughAccountKeys", "insufficient account keys for instruction"],
  ["AccountDataSizeChanged", "program other than the account's owner changed the size of the account data"],
  ["AccountNotExecutable", "instruction expected an executable account"],
  ["AccountBorrowFailed", "instruction tries to borrow reference for an account which is already borrowed"],
  ["AccountBorrowOutstanding", "instruction left account with an outstanding borrowed reference"],
  ["DuplicateAccountOutOfSync", "instruction modifications of multiply-passed account differ"],
  ["InvalidError", "program returned invalid error code"],
  ["ExecutableDataModified", "instruction changed executable accounts data"],
  ["ExecutableLamportChange", "instruction changed the balance of an executable account"],
  ["ExecutableAccountNotRentExempt", "executable accounts must be rent exempt"],
  ["UnsupportedProgramId", "Unsupported program id"],
  ["CallDepth", "Cross-program invocation call depth too deep"],
  ["MissingAccount", "An account required by the instruction is missing"],
  ["ReentrancyNotAllowed", "Cross-program invocation reentrancy not allowed for this instruction"],
  ["MaxSeedLengthExceeded", "Length of the seed is too long for address generation"],
  ["InvalidSeeds", "Provided seeds do not result in a valid address"],
  ["InvalidRealloc", "Failed to reallocate account data"],
  ["ComputationalBudgetExceeded", "Computational budget exceeded"],
  ["PrivilegeEscalation", "Cross-program invocation with unauthorized signer or writable account"],
  ["ProgramEnvironmentSetupFailure", "Failed to create program execution environment"],
  ["ProgramFailedToComplete", "Program failed to complete"],
  ["ProgramFailedToCompile", "Program failed to compile"],
  ["Immutable", "Account is immutable"],
  ["IncorrectAuthority", "Incorrect authority provided"],
  ["AccountNotRentExempt", "An account does not have enough lamports to be rent-exempt"],
  ["InvalidAccountOwner", "Invalid account owner"],
  ["ArithmeticOverflow", "Program arithmetic overflowed"],
  ["UnsupportedSysvar", "Unsupported sysvar"],
  ["IllegalOwner", "Provided owner is not allowed"],
  ["MaxAccountsDataAllocationsExceeded", "Accounts data allocations exceeded the maximum allowed per transaction"],
  ["MaxAccountsExceeded", "Max accounts exceeded"],
  ["MaxInstructionTraceLengthExceeded", "Max instruction trace length exceeded"],
  ["BuiltinProgramsMustConsumeComputeUnits", "Builtin programs must consume compute units"],
  ["BorshIoError", "Failed to serialize or deserialize account data"],
];

type LiteSvmTransactionError = ReturnType<FailedTransactionMetadata["err"]>;
type LiteSvmInstructionError = ReturnType<TransactionErrorInstructionError["err"]>;

function lookup(table: typeof TRANSACTION_ERRORS, index: number, kind: string): readonly [string, string] {
  const entry = table[index];
  if (!entry) throw new Error(`unknown ${kind} number ${index}: update svm/transaction-error.ts for this litesvm`);
  return entry;
}

function instructionError(err: LiteSvmInstructionError): { err: RpcInstructionError; message: string } {
  if (err instanceof InstructionErrorCustom) {
    return { err: { Custom: err.code }, message: `custom program error: 0x${err.code.toString(16)}` };
  }
  if (err instanceof InstructionErrorBorshIo) {
    return { err: { BorshIoError: err.msg }, message: `Failed to serialize or deserialize account data: ${err.msg}` };
  }
  if (typeof err !== "number") throw new Error(`unexpected instruction error from litesvm: ${String(err)}`);
  const [name, message] = lookup(INSTRUCTION_ERRORS, err, "InstructionError");
  return { err: name, message };
}

/** Converts the error of a failed LiteSVM transaction into its cluster forms. */
export function clusterTransactionError(err: LiteSvmTransactionError): ClusterTransactionError {
  if (err instanceof TransactionErrorInstructionError) {
    const inner = instructionError(err.err());
    return {
      err: { InstructionError: [err.index, inner.err] },
      message: `Error processing Instruction ${err.index}: ${inner.message}`,
    };
  }
  if (err instanceof TransactionErrorDuplicateInstruction) {
    return {
      err: { DuplicateInstruction: err.index },
      message: `Transaction contains a duplicate instruction (${err.index}) that is not allowed`,
    };
  }
  if (err instanceof TransactionErrorInsufficientFundsForRent) {
    return {
      err: { InsufficientFundsForRent: { account_index: err.accountIndex } },
      message: `Transaction results in an account (${err.accountIndex}) with insufficient funds for rent`,
    };
  }
  if (err instanceof TransactionErrorProgramExecutionTemporarilyRestricted) {
    return {
      err: { ProgramExecutionTemporarilyRestricted: { account_index: err.accountIndex } },
      message: `Execution of the program referenced by account at index ${err.accountIndex} is temporarily restricted.`,
    };
  }
  if (typeof err !== "number") throw new Error(`unexpected transaction error from litesvm: ${String(err)}`);
  const [name, message] = lookup(TRANSACTION_ERRORS, err, "TransactionError");
  return { err: name, message };
}

/** A `TransactionError` without fields, by name (e.g. "BlockhashNotFound"), in both cluster forms. */
export function fieldlessTransactionError(name: string): ClusterTransactionError {
  const entry = TRANSACTION_ERRORS.find(([n]) => n === name);
  if (!entry) throw new Error(`"${name}" is not a TransactionError without fields`);
  return { err: entry[0], message: entry[1] };
}

/** The variant names, for a test that checks them against litesvm's own Debug output. */
export const transactionErrorNames: readonly string[] = TRANSACTION_ERRORS.map(([name]) => name);
export const instructionErrorNames: readonly string[] = INSTRUCTION_ERRORS.map(([name]) => name);
