// withdraw_earnings: a supplier (or the treasury) takes its earnings, without the client, even while paused.
import { expect } from "chai";
import { Keypair } from "@solana/web3.js";
import { SOL } from "../../ts-client/src/index.js";
import {
  accountIndex,
  charge,
  currency,
  type Currency,
  currentWindow,
  earnings,
  earningsRent,
  escrowFixture,
  type EscrowFixture,
  FEE_BPS,
  FUNDING_KINDS,
  openEscrow,
  payeesOf,
  sendRaw,
  tamper,
} from "./fixture.js";
import { expectError, expectUnchanged, lastEvent, plain } from "./expect.js";

/** Settles `amount` of charges of an escrow in `c` into the treasury's and the fixture's suppliers' earnings. */
async function earn(f: EscrowFixture, c: Currency, amount: bigint): Promise<void> {
  const escrow = await openEscrow(f, { currency: c, deposit: amount });
  const window = currentWindow(f);
  await charge(f, escrow, amount, amount);
  await f.escrow.approveCharges({ client: f.client, escrow, window });
  await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey, mint: c.mint });
}

describe("withdraw_earnings", () => {
  for (const kind of FUNDING_KINDS) {
    describe(`given a supplier with ${kind} earnings`, () => {
      async function setup() {
        const f = await escrowFixture();
        const c = await currency(f, kind);
        await earn(f, c, 100_000n);
        const supplier = f.suppliers[0];
        const withdraw = (amount: bigint, owner = supplier, destination = c.wallet(owner.publicKey)) =>
          f.escrow.withdrawEarnings({ owner, destination, amount, funding: c.funding });
        return { f, c, supplier, withdraw, address: f.escrow.earnings(supplier.publicKey, c.mint) };
      }

      it("when the supplier withdraws part, then its wallet receives it and the balance drops by it", async () => {
        const { f, c, supplier, withdraw, address } = await setup();
        const before = earnings(f, supplier.publicKey, c.mint)!;
        const wallet = c.balance(supplier.publicKey);
        const vault = c.vaultBalance();
        await withdraw(10_000n);
        const after = earnings(f, supplier.publicKey, c.mint)!;
        expect([after.balance, after.totalEarned, after.totalWithdrawn]).to.deep.equal([before.balance - 10_000n, before.totalEarned, 10_000n]);
        expect(c.balance(supplier.publicKey)).to.equal(wallet + 10_000n);
        if (kind === "sol") expect(after.lamports).to.equal(earningsRent(f) + after.balance, "SOL earnings are lamports above rent");
        else expect(c.vaultBalance()).to.equal(vault - 10_000n);
        expect(plain(lastEvent(f, "earningsWithdrawn"))).to.deep.equal({
          earnings: address.toBase58(),
          owner: supplier.publicKey.toBase58(),
          mint: c.mint.toBase58(),
          destination: c.wallet(supplier.publicKey).toBase58(),
          amount: 10_000n,
          balance: before.balance - 10_000n,
          totalWithdrawn: 10_000n,
        });
      });

      it("when the supplier withdraws everything, then the balance is zero; one more fails with InsufficientEarnings", async () => {
        const { f, c, supplier, withdraw, address } = await setup();
        const { balance } = earnings(f, supplier.publicKey, c.mint)!;
        await expectUnchanged(f.t, [address, c.wallet(supplier.publicKey)], () => expectError(f, withdraw(balance + 1n), "InsufficientEarnings"));
        await withdraw(balance);
        expect(earnings(f, supplier.publicKey, c.mint)!.balance).to.equal(0n);
        if (kind === "sol") expect(f.t.balance(address)).to.equal(earningsRent(f), "the account stays rent-exempt");
        await expectError(f, withdraw(1n), "InsufficientEarnings");
      });

      it("when the treasury withdraws, then it takes the protocol fees", async () => {
        const { f, c, withdraw } = await setup();
        const fee = (100_000n * BigInt(FEE_BPS)) / 10_000n;
        expect(earnings(f, f.treasury.publicKey, c.mint)!.balance).to.equal(fee);
        const wallet = c.balance(f.treasury.publicKey);
        await withdraw(fee, f.treasury);
        expect(c.balance(f.treasury.publicKey)).to.equal(wallet + fee);
      });

      it("when the supplier sends the withdrawal to another account of its choice, then that account receives it", async () => {
        const { f, c, supplier, withdraw } = await setup();
        const destination = kind === "sol" ? Keypair.generate().publicKey : c.wallet(f.provider.publicKey);
        const before = kind === "sol" ? 0n : c.balance(f.provider.publicKey);
        // a brand-new SOL wallet must receive at least the rent minimum of an empty account
        const amount = kind === "sol" ? 1_000_000n : 5n;
        if (kind === "sol") await earn(f, c, 3_000_000n);
        await withdraw(amount, supplier, destination);
        expect(kind === "sol" ? f.t.balance(destination) : c.balance(f.provider.publicKey)).to.equal(before + amount);
      });

      it("when the protocol is paused, then withdrawals still work", async () => {
        const { f, withdraw } = await setup();
        await f.escrow.updateConfig({ admin: f.admin, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: FEE_BPS, paused: true });
        await withdraw(1n);
      });

      it("when the amount is zero, then it fails with ZeroAmount", async () => {
        const { f, withdraw, address } = await setup();
        await expectUnchanged(f.t, [address], () => expectError(f, withdraw(0n), "ZeroAmount"));
      });

      it("when someone else withdraws the supplier's earnings to its own wallet, then it fails with NotEarningsOwner", async () => {
        const { f, c, supplier, address } = await setup();
        const ix = await f.escrow.withdrawEarningsIx({ owner: f.stranger.publicKey, destination: c.wallet(f.stranger.publicKey), amount: 1n, funding: c.funding });
        const theft = tamper(ix, accountIndex(f, "withdraw_earnings", "earnings"), { pubkey: address });
        await expectUnchanged(f.t, [address, c.wallet(f.stranger.publicKey), c.wallet(supplier.publicKey)], () =>
          expectError(f, sendRaw(f, theft, [f.stranger]), "NotEarningsOwner"),
        );
      });

      it("when the supplier's key is given without its signature, then it fails with AccountNotSigner", async () => {
        const { f, c, supplier, address } = await setup();
        const ix = await f.escrow.withdrawEarningsIx({ owner: supplier.publicKey, destination: c.wallet(f.stranger.publicKey), amount: 1n, funding: c.funding });
        const unsigned = tamper(ix, accountIndex(f, "withdraw_earnings", "owner"), { isSigner: false });
        await expectUnchanged(f.t, [address], () => expectError(f, sendRaw(f, unsigned), "AccountNotSigner"));
      });

      it("when someone with no earnings account withdraws, then it fails with AccountNotInitialized", async () => {
        const { f, c } = await setup();
        await expectError(
          f,
          f.escrow.withdrawEarnings({ owner: f.stranger, destination: c.wallet(f.stranger.publicKey), amount: 1n, funding: c.funding }),
          "AccountNotInitialized",
        );
      });
    });
  }

  describe("given SOL and token earnings", () => {
    it("when SOL earnings are withdrawn with token accounts, then it fails with FundingMismatch", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token");
      await earn(f, await currency(f, "sol"), 1_000n);
      const ix = await f.escrow.withdrawEarningsIx({ owner: f.suppliers[0].publicKey, destination: f.suppliers[0].publicKey, amount: 1n, funding: c.funding });
      const solEarnings = tamper(ix, accountIndex(f, "withdraw_earnings", "earnings"), { pubkey: f.escrow.earnings(f.suppliers[0].publicKey) });
      await expectError(f, sendRaw(f, solEarnings, [f.suppliers[0]]), "FundingMismatch");
    });

    it("when token earnings are withdrawn without token accounts, then it fails with FundingMismatch", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token");
      await earn(f, c, 1_000n);
      const ix = await f.escrow.withdrawEarningsIx({ owner: f.suppliers[0].publicKey, destination: c.wallet(f.suppliers[0].publicKey), amount: 1n, funding: SOL });
      const tokenEarnings = tamper(ix, accountIndex(f, "withdraw_earnings", "earnings"), { pubkey: f.escrow.earnings(f.suppliers[0].publicKey, c.mint) });
      await expectError(f, sendRaw(f, tokenEarnings, [f.suppliers[0]]), "FundingMismatch");
    });

    it("when token earnings are withdrawn through another mint's vault, then it fails with MintMismatch", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token");
      const other = await currency(f, "token");
      await earn(f, c, 1_000n);
      await earn(f, other, 1_000n);
      const ix = await f.escrow.withdrawEarningsIx({ owner: f.suppliers[0].publicKey, destination: other.wallet(f.suppliers[0].publicKey), amount: 1n, funding: other.funding });
      const wrong = tamper(ix, accountIndex(f, "withdraw_earnings", "earnings"), { pubkey: f.escrow.earnings(f.suppliers[0].publicKey, c.mint) });
      await expectUnchanged(f.t, [f.escrow.vault(other.mint), f.escrow.vault(c.mint)], () => expectError(f, sendRaw(f, wrong, [f.suppliers[0]]), "MintMismatch"));
    });

    it("when SOL earnings are withdrawn into the earnings account itself, then it fails with RequireKeysNeqViolated", async () => {
      const f = await escrowFixture();
      await earn(f, await currency(f, "sol"), 1_000n);
      const address = f.escrow.earnings(f.suppliers[0].publicKey);
      const self = f.escrow.withdrawEarnings({ owner: f.suppliers[0], destination: address, amount: 1n, funding: SOL });
      await expectUnchanged(f.t, [address], () => expectError(f, self, "RequireKeysNeqViolated"));
    });

    it("when token earnings are withdrawn into the vault itself, then it fails with RequireKeysNeqViolated", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token-2022");
      await earn(f, c, 1_000n);
      const vault = f.escrow.vault(c.mint);
      const self = f.escrow.withdrawEarnings({ owner: f.suppliers[0], destination: vault, amount: 1n, funding: c.funding });
      await expectUnchanged(f.t, [vault, f.escrow.earnings(f.suppliers[0].publicKey, c.mint)], () => expectError(f, self, "RequireKeysNeqViolated"));
    });
  });
});
