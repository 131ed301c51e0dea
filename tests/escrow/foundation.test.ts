// End-to-end proof of the SDK and toolchain through the real escrow program: deployment through
// BPFLoaderUpgradeable, logs, account writes, PDA creation by CPI with seeds, sha256, a custom error
// surfacing as an Anchor error, and events decoded by Anchor's EventParser.
import { expect } from "chai";
import { createHash } from "node:crypto";
import anchor from "@coral-xyz/anchor";
import { Keypair, PublicKey } from "@solana/web3.js";
import { upgradeAuthorityOf } from "../harness/index.js";
import { configAddress, payeesHash, sortPayees, toBigInt, translateProgramError } from "../../ts-client/src/index.js";
import { escrowFixture, FEE_BPS, openEscrow, payeesOf } from "./fixture.js";

describe("foundation: the SDK end to end through the escrow program", () => {
  it("deploys through the upgradeable loader with the fixture's payer as upgrade authority", async () => {
    const f = await escrowFixture({ initialize: false });
    expect(upgradeAuthorityOf(f.t.svm, f.escrow.programId)?.toBase58()).to.equal(f.admin.publicKey.toBase58());
  });

  it("creates the config PDA by CPI with seeds, writes it, logs and emits a decodable event", async () => {
    const f = await escrowFixture({ initialize: false });
    await f.escrow.initializeConfig({ admin: f.admin, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: FEE_BPS });
    const result = f.t.lastResult!;
    // the system program ran as an inner instruction (CreateAccount signed with the PDA's seeds)
    const inner = result.innerInstructions.flat();
    expect(inner.some((ix) => ix.programId?.equals(PublicKey.default))).to.equal(true);
    const config = configAddress(f.escrow.programId);
    const account = f.t.account(config)!;
    expect(account.owner.toBase58()).to.equal(f.escrow.programId.toBase58());
    const state = await f.escrow.fetchConfig();
    expect(state.admin.toBase58()).to.equal(f.admin.publicKey.toBase58());
    expect(state.treasury.toBase58()).to.equal(f.treasury.publicKey.toBase58());
    expect(state.feeBps).to.equal(FEE_BPS);
    const [, canonicalBump] = PublicKey.findProgramAddressSync([Buffer.from("config")], f.escrow.programId);
    expect(state.bump).to.equal(canonicalBump);
    const events = f.escrow.parseEvents(result.logs);
    expect(events.map((e) => e.name)).to.deep.equal(["configInitialized"]);
    expect((events[0].data.arbiter as PublicKey).toBase58()).to.equal(f.arbiter.publicKey.toBase58());
    expect(result.logs.some((l) => l.startsWith("Program data: "))).to.equal(true);
  });

  it("surfaces a custom error as an AnchorError with its name, number and the IDL's message (the program logs only the name)", async () => {
    const f = await escrowFixture({ initialize: false });
    let error: unknown;
    try {
      await f.escrow.initializeConfig({ admin: f.admin, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: 1_001 });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(anchor.AnchorError);
    const anchorError = error as InstanceType<typeof anchor.AnchorError>;
    expect(anchorError.error.errorCode).to.deep.equal({ code: "FeeTooHigh", number: 6000 });
    expect(anchorError.error.errorMessage).to.equal("The protocol fee exceeds the 10% cap");
    expect(anchorError.message).to.contain("Error Message: The protocol fee exceeds the 10% cap.");
    expect(anchorError.logs).to.include("Program log: AnchorError occurred. Error Code: FeeTooHigh. Error Number: 6000. Error Message: FeeTooHigh.");
    expect(f.t.account(configAddress(f.escrow.programId))).to.equal(null, "a failed instruction changes nothing");
  });

  it("hashes with the sha256 syscall exactly as Node does (payee commitment and usage chain)", async () => {
    const f = await escrowFixture();
    const escrow = await openEscrow(f);
    const state = await f.escrow.fetchEscrow(escrow);
    expect(Buffer.from(state.payeesHash)).to.deep.equal(payeesHash(sortPayees(payeesOf(f))));
    const usageRef = createHash("sha256").update("inference #1").digest();
    await f.escrow.charge({ meter: f.meter, escrow, units: 10n, amount: 1_000n, usageRef });
    const [event] = f.escrow.parseEvents(f.t.lastResult!.logs);
    const expectedChain = createHash("sha256").update(Buffer.alloc(32)).update(usageRef).digest();
    expect(Buffer.from(event.data.usageChain as number[])).to.deep.equal(expectedChain);
    expect(toBigInt(event.data.pending)).to.equal(1_000n);
  });

  it("refuses an unknown instruction with Anchor's InstructionFallbackNotFound", async () => {
    const f = await escrowFixture({ initialize: false });
    const ix = { programId: f.escrow.programId, keys: [], data: Buffer.alloc(8, 7) };
    let error: unknown;
    try {
      await f.t.send([ix]);
    } catch (e) {
      error = e;
    }
    expect(String((error as { logs?: string[] }).logs)).to.contain("Error Code: InstructionFallbackNotFound. Error Number: 101");
    // a framework error's sentence is Anchor's own
    const translated = translateProgramError(error, anchor.parseIdlErrors(f.escrow.program.idl));
    expect(translated).to.be.instanceOf(anchor.AnchorError);
    expect((translated as InstanceType<typeof anchor.AnchorError>).error.errorMessage).to.equal(anchor.LangErrorMessage.get(101));
  });

  it("keeps the new escrow's account at the client's chosen address", async () => {
    const f = await escrowFixture();
    const escrowKey = Keypair.generate();
    await f.escrow.openEscrow({
      client: f.client,
      escrow: escrowKey,
      provider: f.provider.publicKey,
      providerMeter: f.meter.publicKey,
      payees: payeesOf(f),
      maxPricePerUnit: 10n,
      expiresAt: f.t.clock().unixTimestamp + 3600n,
      challengeWindow: 600n,
      deposit: 0n,
      funding: { kind: "sol" },
    });
    expect((await f.escrow.fetchEscrow(escrowKey.publicKey)).client.toBase58()).to.equal(f.client.publicKey.toBase58());
  });
});
