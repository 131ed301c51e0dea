// The genesis state of a localnet: LiteSVM (builtins, sysvars, SPL Token, Token-2022, Associated Token, Memo)
// with infergrid's programs deployed through BPFLoaderUpgradeable at their Anchor.toml ids, a funded upgrade
// authority and faucet, then configured for the node (its own blockhash and duplicate checks).
import { EpochSchedule, LiteSVM } from "litesvm";
import { type Keypair, LAMPORTS_PER_SOL, type PublicKey } from "@solana/web3.js";
import { deployProgram } from "../svm/deploy.js";
import { keyOf, SYSTEM_PROGRAM_ID } from "./chain/keys.js";
import { nativeOf, writeAccount } from "./chain/native.js";

/** What the faucet holds at genesis: 500 million SOL, as solana-test-validator's. */
export const FAUCET_LAMPORTS = 500_000_000n * BigInt(LAMPORTS_PER_SOL);
/** What the upgrade authority holds at genesis (it pays the deploys). */
export const UPGRADE_AUTHORITY_LAMPORTS = 1_000_000n * BigInt(LAMPORTS_PER_SOL);

export interface GenesisProgram {
  readonly name: string;
  readonly programId: PublicKey;
  readonly elf: Uint8Array;
}

export interface GenesisOptions {
  readonly programs: readonly GenesisProgram[];
  readonly upgradeAuthority: Keypair;
  readonly faucet: Keypair;
  readonly slotsPerEpoch: number;
}

/** A LiteSVM in the genesis state. Throws `DeployError` if a program fails the loader's checks. */
export function createGenesisSvm(options: GenesisOptions): LiteSVM {
  const svm = new LiteSVM();
  const native = nativeOf(svm);
  const fund = (keypair: Keypair, lamports: bigint) =>
    writeAccount(native, keypair.publicKey.toBuffer(), {
      lamports,
      data: Buffer.alloc(0),
      owner: keyOf(SYSTEM_PROGRAM_ID),
      executable: false,
      rentEpoch: 0n,
    });
  fund(options.upgradeAuthority, UPGRADE_AUTHORITY_LAMPORTS);
  fund(options.faucet, FAUCET_LAMPORTS);
  for (const program of options.programs) {
    deployProgram(svm, program.elf, { payer: options.upgradeAuthority, program: program.programId, advanceSlot: false });
  }
  const slotsPerEpoch = BigInt(options.slotsPerEpoch);
  native.setEpochSchedule(new EpochSchedule(slotsPerEpoch, slotsPerEpoch, false, 0n, 0n));
  // The chain checks blockhashes (any of the last 150 blocks) and duplicates (its own history) itself.
  svm.withBlockhashCheck(false).withTransactionHistory(0n);
  return svm;
}
