import { expect } from "chai";
import {
  Keypair,
  LAMPORTS_PER_SOL,
  PACKET_DATA_SIZE,
  type PublicKey,
  Transaction,
  TransactionInstruction,
} from "@solana/web3.js";
import { lamports } from "@solana/kit";
import { LiteSVM } from "litesvm";
import {
  BPF_LOADER_UPGRADEABLE_PROGRAM_ID,
  DeployError,
  LoaderInstruction,
  PROGRAMDATA_HEADER_SIZE,
  deployProgram,
  deployedElf,
  maxWriteChunk,
  programDataAddress,
  upgradeAuthorityOf,
  upgradeProgram,
} from "../../svm/deploy.js";
import { TestSvm } from "../harness/index.js";
import { readProgramSo, workspacePrograms } from "../../svm/workspace.js";
import { type TransactionResult, submitTransaction, toAddress } from "../../svm/transactions.js";

/** The program the deploy path is proven with; built by `npm run build` (npm test runs it first). */
const PROGRAM = "escrow";

function fundedSvm(): { svm: LiteSVM; payer: Keypair } {
  const svm = new LiteSVM();
  const payer = Keypair.generate();
  svm.airdrop(toAddress(payer.publicKey), lamports(100n * BigInt(LAMPORTS_PER_SOL)));
  return { svm, payer };
}

/** Invokes a program with no accounts and no data; returns the outcome whether it succeeds or not. */
function invoke(svm: LiteSVM, payer: Keypair, programId: PublicKey): TransactionResult {
  const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: svm.latestBlockhash() }).add(
    new TransactionInstruction({ programId, keys: [], data: Buffer.alloc(0) }),
  );
  tx.sign(payer);
  return submitTransaction(svm, tx);
}

function deployRefusal(svm: LiteSVM, payer: Keypair, elf: Uint8Array): DeployError {
  try {
    deployProgram(svm, elf, { payer });
  } catch (error) {
    if (error instanceof DeployError) return error;
    throw error;
  }
  throw new Error("expected the deploy to be refused");
}

function addProgramRefusal(elf: Uint8Array): string | null {
  try {
    new LiteSVM().addProgram(toAddress(Keypair.generate().publicKey), elf);
    return null;
  } catch (error) {
    return String(error);
  }
}

/** A section of an ELF64 file, from its section headers. */
function section(elf: Buffer, name: string): { offset: number; size: number } {
  const headers = Number(elf.readBigUInt64LE(0x28));
  const entrySize = elf.readUInt16LE(0x3a);
  const count = elf.readUInt16LE(0x3c);
  const names = Number(elf.readBigUInt64LE(headers + elf.readUInt16LE(0x3e) * entrySize + 0x18));
  for (let i = 0; i < count; i++) {
    const header = headers + i * entrySize;
    const at = names + elf.readUInt32LE(header);
    if (elf.toString("latin1", at, elf.indexOf(0, at)) === name) {
      return { offset: Number(elf.readBigUInt64LE(header + 0x18)), size: Number(elf.readBigUInt64LE(header + 0x20)) };
    }
  }
  throw new Error(`no ${name} section`);
}

describe("deploying through BPFLoaderUpgradeable", () => {
  it("fills Write transactions up to the packet size limit", () => {
    const payer = Keypair.generate();
    const authority = Keypair.generate();
    const buffer = Keypair.generate().publicKey;
    for (const signer of [payer, authority]) {
      const separate = signer !== payer;
      const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: payer.publicKey.toBase58() }).add(
        LoaderInstruction.write(buffer, signer.publicKey, 0, new Uint8Array(maxWriteChunk(separate))),
      );
      tx.sign(...(separate ? [payer, authority] : [payer]));
      expect(tx.serialize().length, separate ? "payer + authority" : "payer as authority").to.equal(PACKET_DATA_SIZE);
    }
  });

  it(`deploys target/deploy/${PROGRAM}.so: an executable program whose ProgramData holds the ELF and authority`, () => {
    const elf = readProgramSo(PROGRAM);
    const { svm, payer } = fundedSvm();

    const deployed = deployProgram(svm, elf, { payer });

    expect(deployed.deploy.logs).to.include(`Deployed program ${deployed.programId.toBase58()}`);
    expect(deployed.programData.equals(programDataAddress(deployed.programId))).to.equal(true);
    const program = svm.getAccount(toAddress(deployed.programId));
    expect(program.exists && program.executable).to.equal(true);
    expect(program.exists && program.programAddress).to.equal(BPF_LOADER_UPGRADEABLE_PROGRAM_ID.toBase58());
    const stored = deployedElf(svm, deployed.programId) as Buffer;
    expect(stored.length).to.equal(elf.length * 2);
    expect(stored.subarray(0, elf.length).equals(elf)).to.equal(true);
    expect(upgradeAuthorityOf(svm, deployed.programId)?.equals(payer.publicKey)).to.equal(true);

    // The program runs: whatever it answers to empty instruction data, the runtime executed it.
    const run = invoke(svm, payer, deployed.programId);
    expect(run.logs[0]).to.equal(`Program ${deployed.programId.toBase58()} invoke [1]`);
    expect(run.logs.some((l) => l.startsWith(`Program ${deployed.programId.toBase58()} consumed `))).to.equal(true);
  });

  it("upgrades the program with Write + Upgrade, signed by the upgrade authority only", () => {
    const elf = readProgramSo(PROGRAM);
    const { svm, payer } = fundedSvm();
    const authority = Keypair.generate();
    const { programId } = deployProgram(svm, elf, { payer, upgradeAuthority: authority });
    const deploySlot = Buffer.from(deployedElfHeader(svm, programId)).readBigUInt64LE(4);

    const refused = (() => {
      try {
        upgradeProgram(svm, programId, elf, { payer });
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(refused).to.be.instanceOf(DeployError);
    expect((refused as DeployError).stage).to.equal("upgrade");
    expect((refused as DeployError).err).to.deep.equal({ InstructionError: [0, "IncorrectAuthority"] });

    const upgraded = upgradeProgram(svm, programId, elf, { payer, upgradeAuthority: authority });
    expect(upgraded.logs).to.include(`Upgraded program ${programId.toBase58()}`);
    expect(Buffer.from(deployedElfHeader(svm, programId)).readBigUInt64LE(4) > deploySlot, "ProgramData slot moves on").to.equal(true);
  });

  it(`TestSvm loads ${PROGRAM} at its Anchor.toml id through the loader, the payer as upgrade authority`, () => {
    const declared = workspacePrograms().find((p) => p.name === PROGRAM);
    expect(declared, `${PROGRAM} in Anchor.toml`).to.not.equal(undefined);

    const t = TestSvm.create({ programs: [PROGRAM] });

    expect(t.programs[PROGRAM].equals(declared!.programId)).to.equal(true);
    expect(upgradeAuthorityOf(t.svm, declared!.programId)?.equals(t.payer.publicKey)).to.equal(true);
    expect(invoke(t.svm, t.payer, declared!.programId).logs[0]).to.equal(`Program ${declared!.programId.toBase58()} invoke [1]`);
  });

  describe("refuses broken ELFs", () => {
    // litesvm 1.4.1's addProgram parses the ELF and runs the verifier too, so it refuses these two as well.
    it("refuses a truncated ELF (so does LiteSVM's addProgram)", () => {
      const elf = readProgramSo(PROGRAM);
      const truncated = elf.subarray(0, elf.length >> 1);
      const { svm, payer } = fundedSvm();

      const refusal = deployRefusal(svm, payer, truncated);

      expect(refusal.stage).to.equal("deploy");
      expect(refusal.err).to.deep.equal({ InstructionError: [1, "InvalidAccountData"] });
      expect(addProgramRefusal(truncated)).to.not.equal(null);
    });

    it("refuses an ELF for another machine (so does LiteSVM's addProgram)", () => {
      const elf = Buffer.from(readProgramSo(PROGRAM));
      elf.writeUInt16LE(62, 18); // e_machine = EM_X86_64
      const { svm, payer } = fundedSvm();

      const refusal = deployRefusal(svm, payer, elf);

      expect(refusal.err).to.deep.equal({ InstructionError: [1, "InvalidAccountData"] });
      expect(refusal.logs.join("\n")).to.match(/wrong machine|invalid file header/);
      expect(addProgramRefusal(elf)).to.not.equal(null);
    });

    // Here the two paths differ: a deploy parses with `reject_broken_elfs` and refuses a call to a syscall the
    // runtime does not have; addProgram (the execution environment's parser) accepts the ELF, which would fail
    // only when the call runs. This needs SBPF v0, where syscalls are dynamic symbols named in .dynstr (v3
    // calls them by hash, and litesvm 1.4.1 accepts an unknown hash on both paths).
    it("refuses a call to an unknown syscall, which LiteSVM's addProgram accepts", () => {
      const elf = Buffer.from(readProgramSo(PROGRAM));
      expect(elf.readUInt32LE(0x30), `${PROGRAM}.so must be SBPF v0 (e_flags 0) for this case; see the comment above`).to.equal(0);
      const dynstr = section(elf, ".dynstr");
      const at = elf.indexOf("sol_", dynstr.offset);
      expect(at, "a syscall name in .dynstr").to.be.within(dynstr.offset, dynstr.offset + dynstr.size - 1);
      elf.write("xol_", at); // same length: nothing else in the file moves
      const { svm, payer } = fundedSvm();

      const refusal = deployRefusal(svm, payer, elf);

      expect(refusal.stage).to.equal("deploy");
      expect(refusal.err).to.deep.equal({ InstructionError: [1, "InvalidAccountData"] });
      expect(refusal.logs.some((l) => l.startsWith("Unresolved symbol (xol_"))).to.equal(true);
      expect(addProgramRefusal(elf)).to.equal(null);
    });
  });
});

/** The ProgramData header: tag u32, deploy slot u64, Option<upgrade authority>. */
function deployedElfHeader(svm: LiteSVM, programId: PublicKey): Uint8Array {
  const account = svm.getAccount(toAddress(programDataAddress(programId)));
  if (!account.exists) throw new Error("no ProgramData");
  return account.data.subarray(0, PROGRAMDATA_HEADER_SIZE);
}
