// create_distributor: SOL and token distributors (both token programs), their state and event, and the mints,
// vaults and arguments refused.
import { expect } from "chai";
import { AccountState, TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { Keypair, PublicKey, SystemProgram } from "@solana/web3.js";
import { type Funding, SOL, distributorAddress, toBigInt } from "../../ts-client/src/index.js";
import { DAY, FRAMEWORK, REWARD_KINDS, createDistributor, expectErrorCode, expectRewardsError, rewardMint, rewardsFixture } from "./fixture.js";

describe("rewards: create_distributor", () => {
  for (const kind of REWARD_KINDS) {
    it(`creates a ${kind.name} distributor at its PDA with the given roles and an event carrying its state`, async () => {
      const f = rewardsFixture();
      const reward = await rewardMint(f, kind.programId, { decimals: 9 });
      const distributor = await createDistributor(f, reward, { id: 42n });
      const state = await f.rewards.fetchDistributor(distributor.address);
      expect(state.creator.toBase58()).to.equal(f.creator.publicKey.toBase58());
      expect(toBigInt(state.id)).to.equal(42n);
      expect(state.authority.toBase58()).to.equal(f.authority.publicKey.toBase58());
      expect(state.treasury.toBase58()).to.equal(f.treasury.publicKey.toBase58());
      expect(toBigInt(state.epoch)).to.equal(0n);
      expect(toBigInt(state.expiresAt) - toBigInt(state.createdAt)).to.equal(90n * DAY);
      expect(toBigInt(state.rentReserve)).to.equal(BigInt(f.t.account(distributor.address)!.lamports));
      const mint = reward.kind === "token" ? reward.mint : null;
      expect(state.mint.toBase58()).to.equal((mint ?? SOL_KEY).toBase58());
      expect(state.decimals).to.equal(mint ? 9 : 0);
      if (reward.kind === "token") {
        const vault = f.t.tokenAccount(state.vault);
        expect(vault.owner.toBase58()).to.equal(distributor.address.toBase58());
        expect(vault.mint.toBase58()).to.equal(reward.mint.toBase58());
        expect(state.vault.toBase58()).to.equal(f.rewards.vault(distributor.address, reward)!.toBase58());
      }
      const [event] = f.rewards.parseEvents(f.t.lastResult!.logs);
      expect(event.name).to.equal("distributorCreated");
      expect((event.data.state as { creator: { toBase58(): string } }).creator.toBase58()).to.equal(f.creator.publicKey.toBase58());
      expect(distributorAddress(f.rewards.programId, f.creator.publicKey, 42n, mint ?? undefined).toBase58()).to.equal(distributor.address.toBase58());
    });
  }

  it("refuses Token-2022 mints whose extensions would make payouts inexact or blockable", async () => {
    const f = rewardsFixture();
    const refused: Funding[] = [
      await rewardMint(f, TOKEN_2022_PROGRAM_ID, { extensions: [{ type: "transferFee", feeBasisPoints: 100, maxFee: 1_000n }] }),
      await rewardMint(f, TOKEN_2022_PROGRAM_ID, { extensions: [{ type: "permanentDelegate", delegate: f.authority.publicKey }] }),
      await rewardMint(f, TOKEN_2022_PROGRAM_ID, { extensions: [{ type: "pausable", authority: f.authority.publicKey }] }),
    ];
    for (const [i, reward] of refused.entries()) await expectRewardsError(createDistributor(f, reward, { id: BigInt(i) }), "UnsupportedMint");
    const accepted = await rewardMint(f, TOKEN_2022_PROGRAM_ID, { extensions: [{ type: "mintCloseAuthority", closeAuthority: f.authority.publicKey }] });
    await createDistributor(f, accepted, { id: 9n });
  });

  it("refuses a frozen-by-default mint (its vault would be frozen)", async () => {
    const f = rewardsFixture();
    const reward = await rewardMint(f, TOKEN_2022_PROGRAM_ID, { supply: 0n, extensions: [{ type: "defaultAccountState", state: AccountState.Frozen }] });
    await expectRewardsError(createDistributor(f, reward), "UnsupportedMint");
  });

  it("refuses a vault the distributor does not own, or one with a delegate or a close authority", async () => {
    const f = rewardsFixture();
    const reward = await rewardMint(f, TOKEN_PROGRAM_ID);
    if (reward.kind !== "token") throw new Error("token reward expected");
    const base = { creator: f.creator.publicKey, id: 1n, authority: f.authority.publicKey, treasury: f.treasury.publicKey, expiresAt: f.t.clock().unixTimestamp + DAY, reward };
    const [createVault, create] = await f.rewards.createDistributorIxs(base);
    await expectRewardsError(f.t.send(create), "VaultMismatch", {}); // the vault does not exist yet
    const foreign = await f.t.createTokenAccount({ mint: reward.mint, owner: f.creator.publicKey, account: Keypair.generate() });
    const withForeign = await f.rewards.createDistributorIx(base);
    withForeign.keys[3].pubkey = foreign;
    await expectRewardsError(f.t.send(withForeign), "VaultMismatch");
    // a delegate or a close authority can only be set by the owner (the distributor), so write those states
    await f.t.send(createVault);
    const vault = create.keys[3].pubkey;
    const pristine = f.t.account(vault)!;
    for (const [offset, what] of [[72, "delegate"], [129, "close authority"]] as const) {
      const data = Buffer.from(pristine.data);
      data.writeUInt32LE(1, offset);
      f.authority.publicKey.toBuffer().copy(data, offset + 4);
      f.t.setAccount(vault, { lamports: BigInt(pristine.lamports), owner: pristine.owner, data });
      await expectRewardsError(f.t.send(await f.rewards.createDistributorIx(base)), "VaultMismatch").catch((e) => {
        throw new Error(`a vault with a ${what}: ${String(e)}`);
      });
    }
    f.t.setAccount(vault, { lamports: BigInt(pristine.lamports), owner: pristine.owner, data: pristine.data });
    await f.t.send(await f.rewards.createDistributorIx(base));
  });

  it("refuses token accounts for SOL (and the reverse), a wrong token program, a past expiry and a zero treasury", async () => {
    const f = rewardsFixture();
    const reward = await rewardMint(f, TOKEN_PROGRAM_ID);
    if (reward.kind !== "token") throw new Error("token reward expected");
    const base = { creator: f.creator.publicKey, id: 1n, authority: f.authority.publicKey, treasury: f.treasury.publicKey, expiresAt: f.t.clock().unixTimestamp + DAY };
    const sol = await f.rewards.createDistributorIx({ ...base, reward: SOL });
    sol.keys[4].pubkey = reward.mint; // only the mint given
    await expectRewardsError(f.t.send(sol), "FundingMismatch");
    const wrongProgram = await f.rewards.createDistributorIx({ ...base, reward: { ...reward, tokenProgram: TOKEN_2022_PROGRAM_ID } });
    await expectRewardsError(f.t.send(wrongProgram), "TokenProgramMismatch");
    const notAToken = await f.rewards.createDistributorIx({ ...base, reward: { ...reward, tokenProgram: f.rewards.programId } });
    notAToken.keys[5].pubkey = SystemProgram.programId;
    await expectErrorCode(f.t.send(notAToken), FRAMEWORK.InvalidProgramId);
    await expectRewardsError(f.rewards.createDistributor({ ...base, creator: f.creator, expiresAt: f.t.clock().unixTimestamp, reward: SOL }), "InvalidExpiry");
    await expectRewardsError(f.rewards.createDistributor({ ...base, creator: f.creator, treasury: SOL_KEY, reward: SOL }), "InvalidAddress");
  });

  it("refuses a second creation at the same address, and a distributor at an address not derived from its seeds", async () => {
    const f = rewardsFixture();
    await createDistributor(f, SOL, { id: 3n });
    await expectErrorCode(createDistributor(f, SOL, { id: 3n }), FRAMEWORK.AccountDiscriminatorAlreadySet);
    const ix = await f.rewards.createDistributorIx({ creator: f.creator.publicKey, id: 4n, treasury: f.treasury.publicKey, expiresAt: f.t.clock().unixTimestamp + DAY, reward: SOL });
    ix.keys[1].pubkey = f.rewards.distributor(f.creator.publicKey, 5n, SOL);
    await expectErrorCode(f.t.send(ix), FRAMEWORK.ConstraintSeeds);
  });
});

const SOL_KEY = PublicKey.default;
