// The Sealevel attack classes that apply to the rewards program, each attempted for real and shown rejected:
// missing signer, owner check, type cosplay, bump canonicalization, duplicate mutable accounts, closing and
// revival, reinitialization, arithmetic overflow, arbitrary CPI, account data matching and cross-distributor
// replay.
import { expect } from "chai";
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { Keypair, PublicKey, SystemProgram } from "@solana/web3.js";
import { Distribution, type DistributorRef, SOL, addressWithSeed, claimStatusAddress, claimStatusSeed } from "../../ts-client/src/index.js";
import {
  FRAMEWORK,
  type RewardsFixture,
  createDistributor,
  expectErrorCode,
  expectRewardsError,
  openRecipients,
  publishEpoch,
  rewardMint,
  rewardsFixture,
  DAY,
} from "./fixture.js";

const U64_MAX = (1n << 64n) - 1n;

/** A SOL distributor with a funded root for the fixture's suppliers. */
async function solDistributor(f: RewardsFixture, id = 1n): Promise<{ distributor: DistributorRef; e1: Distribution }> {
  const distributor = await createDistributor(f, SOL, { id });
  const e1 = await publishEpoch(f, distributor, f.suppliers.map((s, i) => ({ supplier: s.publicKey, amount: 100n * BigInt(i + 1) })));
  return { distributor, e1 };
}

describe("rewards: Sealevel attacks", () => {
  it("missing signer: an authority, nominee or payer that did not sign is refused", async () => {
    const f = rewardsFixture();
    const { distributor, e1 } = await solDistributor(f);
    const publish = await f.rewards.publishRootIx({ authority: f.authority.publicKey, distributor, epoch: 2n, root: e1.root, maxTotalClaim: 1n, maxNumNodes: 1n });
    publish.keys[0].isSigner = false;
    await expectErrorCode(f.t.send(publish), FRAMEWORK.AccountNotSigner);
    const accept = await f.rewards.acceptAuthorityIx({ newAuthority: f.authority.publicKey, distributor: distributor.address });
    accept.keys[0].isSigner = false;
    await expectErrorCode(f.t.send(accept), FRAMEWORK.AccountNotSigner);
    const supplier = f.suppliers[0];
    const claim = await f.rewards.claimIx({ payer: supplier.publicKey, distributor, claim: e1.claimFor(supplier.publicKey)! });
    claim.keys[0].isSigner = false;
    await expectErrorCode(f.t.send(claim), FRAMEWORK.AccountNotSigner);
  });

  it("owner check: a distributor's exact bytes in an account another program owns are refused", async () => {
    const f = rewardsFixture();
    const { distributor, e1 } = await solDistributor(f);
    const real = f.t.account(distributor.address)!;
    const fake = Keypair.generate().publicKey;
    f.t.setAccount(fake, { lamports: 10n ** 10n, owner: SystemProgram.programId, data: real.data });
    const stolen = { address: fake, reward: SOL };
    await expectErrorCode(f.rewards.claim({ distributor: stolen, claim: e1.claimFor(f.suppliers[0].publicKey)! }), FRAMEWORK.AccountNotInitialized);
    f.t.setAccount(fake, { lamports: 10n ** 10n, owner: TOKEN_PROGRAM_ID, data: real.data });
    await expectErrorCode(f.rewards.claim({ distributor: stolen, claim: e1.claimFor(f.suppliers[0].publicKey)! }), FRAMEWORK.AccountOwnedByWrongProgram);
  });

  it("type cosplay: a claim status passed as a distributor, and a distributor as a claim status, are refused", async () => {
    const f = rewardsFixture();
    const { distributor, e1 } = await solDistributor(f);
    const supplier = f.suppliers[0].publicKey;
    await f.rewards.claim({ distributor, claim: e1.claimFor(supplier)! });
    const status = f.rewards.claimStatus(distributor.address, supplier);
    await expectErrorCode(
      f.rewards.publishRoot({ authority: f.authority, distributor: { address: status, reward: SOL }, epoch: 2n, root: e1.root, maxTotalClaim: 1n, maxNumNodes: 1n }),
      FRAMEWORK.AccountDiscriminatorMismatch,
    );
    const { distributor: another } = await solDistributor(f, 2n);
    const other = f.suppliers[1].publicKey;
    const ix = await f.rewards.claimIx({ payer: f.creator.publicKey, distributor, claim: e1.claimFor(other)! });
    ix.keys[2].pubkey = another.address; // another distributor as the claim status
    await expectErrorCode(f.t.send(ix), FRAMEWORK.AccountDiscriminatorMismatch);
  });

  it("bump canonicalization (none to canonicalize: the claim status has an address with seed, no bump): a status at any other derivation is refused", async () => {
    const f = rewardsFixture({ suppliers: 0 });
    const distributor = await createDistributor(f, SOL);
    const other = await createDistributor(f, SOL, { id: 9n });
    const supplier = Keypair.generate().publicKey;
    f.t.airdrop(supplier, 1_000_000_000n);
    const e1 = await publishEpoch(f, distributor, [{ supplier, amount: 10n }]);
    const claim = e1.claimFor(supplier)!;
    const programId = f.rewards.programId;
    const forged = [
      addressWithSeed(distributor.address, claimStatusSeed(Keypair.generate().publicKey), programId), // another supplier's seed
      addressWithSeed(other.address, claimStatusSeed(supplier), programId), // another distributor as the base
      addressWithSeed(distributor.address, claimStatusSeed(supplier).toUpperCase(), programId), // the seed spelt otherwise
      PublicKey.findProgramAddressSync([Buffer.from("claim_status"), distributor.address.toBuffer(), supplier.toBuffer()], programId)[0], // a PDA
    ];
    for (const address of forged) {
      await expectErrorCode(f.rewards.claim({ distributor, claim, claimStatus: address }), FRAMEWORK.ConstraintSeeds);
      expect(f.t.account(address)).to.equal(null);
    }
    // the one address works, once
    await f.rewards.claim({ distributor, claim });
    await expectRewardsError(f.rewards.claim({ distributor, claim }), "NothingToClaim");
  });

  it("duplicate mutable accounts: the distributor (or its vault) as the destination is refused", async () => {
    const f = rewardsFixture();
    const distributor = await createDistributor(f, SOL);
    // a root naming the distributor itself: paying it would move lamports onto themselves
    const e1 = await publishEpoch(f, distributor, [{ supplier: distributor.address, amount: 10n }]);
    await expectErrorCode(f.rewards.claim({ distributor, claim: e1.claimFor(distributor.address)! }), FRAMEWORK.RequireKeysNeqViolated);
    const token = await rewardMint(f, TOKEN_PROGRAM_ID);
    const supplier = f.suppliers[0].publicKey;
    await openRecipients(f, token, [supplier]);
    const tokenDistributor = await createDistributor(f, token, { id: 2n });
    const t1 = await publishEpoch(f, tokenDistributor, [{ supplier, amount: 10n }]);
    const vault = f.rewards.vault(tokenDistributor.address, token)!;
    await expectRewardsError(f.rewards.claim({ distributor: tokenDistributor, claim: t1.claimFor(supplier)!, destination: vault }), "DestinationMismatch");
  });

  it("closing and revival: a clawed-back distributor stays dead even after lamports are sent back to it", async () => {
    const f = rewardsFixture();
    const distributor = await createDistributor(f, SOL, { expiresIn: DAY });
    const e1 = await publishEpoch(f, distributor, f.suppliers.map((s) => ({ supplier: s.publicKey, amount: 10n })));
    f.t.advance({ seconds: DAY });
    await f.rewards.clawback({ distributor });
    await f.t.send(SystemProgram.transfer({ fromPubkey: f.creator.publicKey, toPubkey: distributor.address, lamports: 10_000_000 }));
    const revived = f.t.account(distributor.address)!;
    expect([revived.owner.toBase58(), revived.data.length]).to.deep.equal([SystemProgram.programId.toBase58(), 0]);
    await expectErrorCode(f.rewards.claim({ distributor, claim: e1.claimFor(f.suppliers[0].publicKey)! }), FRAMEWORK.AccountNotInitialized);
    await expectErrorCode(
      f.rewards.publishRoot({ authority: f.authority, distributor, epoch: 2n, root: e1.root, maxTotalClaim: 30n, maxNumNodes: 3n }),
      FRAMEWORK.AccountNotInitialized,
    );
    await expectErrorCode(f.t.send(await f.rewards.clawbackIx({ distributor, treasury: f.treasury.publicKey, creator: f.creator.publicKey })), FRAMEWORK.AccountNotInitialized);
  });

  it("reinitialization: neither a distributor nor a claim status can be created twice", async () => {
    const f = rewardsFixture();
    const { distributor, e1 } = await solDistributor(f);
    await expectErrorCode(createDistributor(f, SOL), FRAMEWORK.AccountDiscriminatorAlreadySet);
    const supplier = f.suppliers[0].publicKey;
    await f.rewards.claim({ distributor, claim: e1.claimFor(supplier)! });
    const before = f.t.account(f.rewards.claimStatus(distributor.address, supplier))!;
    await expectRewardsError(f.rewards.claim({ distributor, claim: e1.claimFor(supplier)! }), "NothingToClaim");
    expect(f.t.account(f.rewards.claimStatus(distributor.address, supplier))!.data).to.deep.equal(before.data, "the status is never reset");
  });

  it("arithmetic overflow: totals that would pass u64 are refused, not wrapped", async () => {
    const f = rewardsFixture();
    const token = await rewardMint(f, TOKEN_PROGRAM_ID, { supply: U64_MAX });
    const [a, b] = f.suppliers.map((s) => s.publicKey);
    await openRecipients(f, token, [a, b]);
    const distributor = await createDistributor(f, token);
    await f.rewards.fundDistributor({ funder: f.authority, distributor, amount: U64_MAX });
    // cumulative amounts of u64::MAX and 1: the second claim would take total_claimed past u64
    const e1 = Distribution.build({ distributor: distributor.address, epoch: 1n, earned: [{ supplier: a, amount: U64_MAX - 1n }, { supplier: b, amount: 1n }] });
    await f.rewards.publishRoot({ authority: f.authority, distributor, epoch: 1n, root: e1.root, maxTotalClaim: U64_MAX - 1n, maxNumNodes: 2n });
    await f.rewards.claim({ distributor, claim: e1.claimFor(a)! });
    await expectRewardsError(f.rewards.claim({ distributor, claim: e1.claimFor(b)! }), "ExceedsMaxTotalClaim");
    // a second deposit would take total_funded past u64: the supplier hands its tokens back to fund again
    const supplierToken = f.rewards.recipientAccount(a, token);
    let thrown: unknown;
    try {
      await f.rewards.fundDistributor({ funder: f.suppliers[0], distributor, amount: 2n, funderToken: supplierToken });
    } catch (error) {
      thrown = error;
    }
    expect(String((thrown as { logs?: string[] }).logs)).to.contain("arithmetic overflowed");
  });

  it("arbitrary CPI: a token program other than the distributor's is never invoked", async () => {
    const f = rewardsFixture();
    const token = await rewardMint(f, TOKEN_PROGRAM_ID);
    const supplier = f.suppliers[0].publicKey;
    await openRecipients(f, token, [supplier]);
    const distributor = await createDistributor(f, token);
    const e1 = await publishEpoch(f, distributor, [{ supplier, amount: 10n }]);
    const ix = await f.rewards.claimIx({ payer: f.creator.publicKey, distributor, claim: e1.claimFor(supplier)! });
    ix.keys[7].pubkey = SystemProgram.programId; // an impostor "token program" would get the distributor's signature
    await expectRewardsError(f.t.send(ix), "TokenProgramMismatch");
  });

  it("account data matching: another distributor's vault or claim status, and token accounts for a SOL distributor, are refused", async () => {
    const f = rewardsFixture();
    const token = await rewardMint(f, TOKEN_PROGRAM_ID);
    const supplier = f.suppliers[0].publicKey;
    await openRecipients(f, token, [supplier]);
    const one = await createDistributor(f, token, { id: 1n });
    const two = await createDistributor(f, token, { id: 2n });
    const e1 = await publishEpoch(f, one, [{ supplier, amount: 10n }]);
    const e2 = await publishEpoch(f, two, [{ supplier, amount: 10n }]);
    const ix = await f.rewards.claimIx({ payer: f.creator.publicKey, distributor: two, claim: e2.claimFor(supplier)! });
    ix.keys[5].pubkey = f.rewards.vault(one.address, token)!;
    await expectRewardsError(f.t.send(ix), "VaultMismatch");
    await f.rewards.claim({ distributor: one, claim: e1.claimFor(supplier)! });
    const statusOfOne = claimStatusAddress(f.rewards.programId, one.address, supplier);
    await expectRewardsError(f.rewards.claim({ distributor: two, claim: e2.claimFor(supplier)!, claimStatus: statusOfOne }), "ClaimStatusMismatch");
    const { distributor: sol, e1: solRoot } = await solDistributor(f, 3n);
    await expectRewardsError(f.rewards.claim({ distributor: { ...sol, reward: token }, claim: solRoot.claimFor(supplier)! }), "FundingMismatch");
  });

  it("replay across distributors: a valid leaf and proof of one distributor do not verify on another", async () => {
    const f = rewardsFixture();
    const supplier = f.suppliers[0].publicKey;
    const { distributor: one, e1 } = await solDistributor(f, 1n);
    const { distributor: two } = await solDistributor(f, 2n);
    // same suppliers and amounts on both, but each leaf commits to its distributor
    await expectRewardsError(f.rewards.claim({ distributor: two, claim: e1.claimFor(supplier)! }), "InvalidProof");
    await f.rewards.claim({ distributor: one, claim: e1.claimFor(supplier)! });
  });
});
