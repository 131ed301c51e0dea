// settle: anyone pays out matured charges: the fee to the treasury's earnings, the rest to the payees' by share.
import { expect } from "chai";
import { Keypair } from "@solana/web3.js";
import { type Payee, sortPayees } from "../../ts-client/src/index.js";
import {
  books,
  charge,
  currency,
  type Currency,
  currentWindow,
  earnings,
  escrowFixture,
  type EscrowFixture,
  escrowRent,
  FEE_BPS,
  FUNDING_KINDS,
  HOUR,
  openEscrow,
  payeesOf,
  sendRaw,
  tamper,
} from "./fixture.js";
import { expectError, expectUnchanged, lastEvent, plain } from "./expect.js";

/** What settle should pay: the fee, then each payee's share in sorted order, the rounding dust to the last. */
function split(amount: bigint, feeBps: number, payees: readonly Payee[]): { fee: bigint; parts: bigint[] } {
  const fee = (amount * BigInt(feeBps)) / 10_000n;
  const rest = amount - fee;
  const sorted = sortPayees(payees);
  let paid = 0n;
  const parts = sorted.map((p, i) => {
    const part = i === sorted.length - 1 ? rest - paid : (rest * BigInt(p.shareBps)) / 10_000n;
    paid += part;
    return part;
  });
  return { fee, parts };
}

/** An escrow in `c` with `amount` charged and approved (matured). */
async function matured(f: EscrowFixture, c: Currency, amount: bigint, payees = payeesOf(f)) {
  const escrow = await openEscrow(f, { currency: c, deposit: 1_000_000n, payees });
  const window = currentWindow(f);
  await charge(f, escrow, amount);
  await f.escrow.approveCharges({ client: f.client, escrow, window });
  return escrow;
}

describe("settle", () => {
  for (const kind of FUNDING_KINDS) {
    describe(`given matured charges of a ${kind} escrow with three payees`, () => {
      it("when anyone settles, then the fee goes to the treasury and the rest to the payees by share, dust to the last", async () => {
        const f = await escrowFixture({ suppliers: 3 });
        const c = await currency(f, kind);
        const payees: Payee[] = f.suppliers.map((s, i) => ({ owner: s.publicKey, shareBps: [3_333, 3_333, 3_334][i] }));
        const escrow = await matured(f, c, 100_001n, payees);
        const parties = [f.treasury, ...sortPayees(payees).map((p) => f.suppliers.find((s) => s.publicKey.equals(p.owner))!)];
        const before = parties.map((p) => earnings(f, p.publicKey, c.mint)!);
        const escrowLamports = f.t.balance(escrow);
        const vault = c.vaultBalance();

        const ix = await f.escrow.settleIx({ escrow, payees, treasury: f.treasury.publicKey, mint: c.mint });
        await f.t.send(ix, { feePayer: f.stranger, skipPreflight: true }); // a crank with no role

        const { fee, parts } = split(100_001n, FEE_BPS, payees);
        expect(fee + parts.reduce((a, b) => a + b, 0n)).to.equal(100_001n);
        const after = parties.map((p) => earnings(f, p.publicKey, c.mint)!);
        [fee, ...parts].forEach((amount, i) => {
          expect(after[i].balance - before[i].balance).to.equal(amount);
          expect(after[i].totalEarned - before[i].totalEarned).to.equal(amount);
          if (kind === "sol") expect(after[i].lamports - before[i].lamports).to.equal(amount, "SOL earnings are lamports");
          else expect(after[i].lamports).to.equal(before[i].lamports, "token earnings stay in the vault");
        });
        const b = books(f, escrow);
        expect([b.matured, b.settled, b.fees, b.available]).to.deep.equal([0n, 100_001n - fee, fee, 1_000_000n - 100_001n]);
        if (kind === "sol") expect(f.t.balance(escrow)).to.equal(escrowLamports - 100_001n);
        else expect(c.vaultBalance()).to.equal(vault);

        const event = lastEvent(f, "escrowSettled");
        const credit = (x: unknown) => plain(x as Record<string, unknown>);
        expect(credit(event.treasury)).to.deep.equal({ owner: f.treasury.publicKey.toBase58(), amount: fee, balance: after[0].balance });
        expect((event.payees as unknown[]).map(credit)).to.deep.equal(
          parties.slice(1).map((p, i) => ({ owner: p.publicKey.toBase58(), amount: parts[i], balance: after[i + 1].balance })),
        );
        const { treasury: _t, payees: _p, ...totals } = plain(event);
        expect(totals).to.deep.equal({
          escrow: escrow.toBase58(),
          mint: c.mint.toBase58(),
          amount: 100_001n,
          fee,
          settled: 100_001n - fee,
          fees: fee,
          pending: 0n,
          available: 1_000_000n - 100_001n,
        });
      });

      it("when charges passed their window undisputed, then settle matures and pays them without an approval", async () => {
        const f = await escrowFixture();
        const c = await currency(f, kind);
        const escrow = await openEscrow(f, { currency: c, deposit: 10_000n });
        const window = currentWindow(f);
        await charge(f, escrow, 4_000n);
        await expectError(f, f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey, mint: c.mint }), "NothingToSettle");
        f.t.warp({ unixTimestamp: (window + 2n) * HOUR });
        await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey, mint: c.mint });
        const b = books(f, escrow);
        expect([b.pending, b.matured, b.settled + b.fees]).to.deep.equal([0n, 0n, 4_000n]);
      });
    });
  }

  describe("given nothing matured", () => {
    it("when settle runs on charges inside their window, then it fails with NothingToSettle and nothing moves", async () => {
      const f = await escrowFixture();
      const escrow = await openEscrow(f);
      await charge(f, escrow, 10n);
      const accounts = [escrow, f.escrow.earnings(f.treasury.publicKey), ...f.suppliers.map((s) => f.escrow.earnings(s.publicKey))];
      await expectUnchanged(f.t, accounts, () => expectError(f, f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey }), "NothingToSettle"));
    });

    it("when settle runs twice, then the second fails with NothingToSettle", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "sol");
      const escrow = await matured(f, c, 10n);
      await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      await expectError(f, f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey }), "NothingToSettle");
    });
  });

  describe("given a payee list that differs from the one fixed at open", () => {
    const lists: [string, (f: EscrowFixture) => Payee[]][] = [
      ["other shares", (f) => payeesOf(f).map((p, i) => ({ ...p, shareBps: i === 0 ? p.shareBps + 1 : p.shareBps - 1 }))],
      ["a payee left out", (f) => [{ owner: f.suppliers[0].publicKey, shareBps: 10_000 }]],
      ["another payee instead", (f) => [{ owner: f.stranger.publicKey, shareBps: 5_000 }, { owner: f.suppliers[1].publicKey, shareBps: 5_000 }]],
    ];
    for (const [what, list] of lists) {
      it(`when settle names ${what}, then it fails with PayeesMismatch`, async () => {
        const f = await escrowFixture();
        await f.escrow.openEarnings({ owner: f.stranger.publicKey });
        const escrow = await matured(f, await currency(f, "sol"), 1_000n);
        await expectUnchanged(f.t, [escrow], () => expectError(f, f.escrow.settle({ escrow, payees: list(f), treasury: f.treasury.publicKey }), "PayeesMismatch"));
      });
    }

    it("when fewer earnings accounts than payees are passed, then it fails with PayeesMismatch", async () => {
      const f = await escrowFixture();
      const escrow = await matured(f, await currency(f, "sol"), 1_000n);
      const ix = await f.escrow.settleIx({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      ix.keys.pop();
      await expectError(f, sendRaw(f, ix), "PayeesMismatch");
    });
  });

  describe("given earnings accounts that do not match", () => {
    it("when the payees' earnings are passed in the wrong order, then it fails with EarningsMismatch", async () => {
      const f = await escrowFixture();
      const escrow = await matured(f, await currency(f, "sol"), 1_000n);
      const ix = await f.escrow.settleIx({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      const [a, b] = [ix.keys[3], ix.keys[4]];
      ix.keys[3] = b;
      ix.keys[4] = a;
      await expectUnchanged(f.t, [escrow, a.pubkey, b.pubkey], () => expectError(f, sendRaw(f, ix), "EarningsMismatch"));
    });

    it("when someone else's earnings are passed as the treasury's, then it fails with EarningsMismatch", async () => {
      const f = await escrowFixture();
      await f.escrow.openEarnings({ owner: f.stranger.publicKey });
      const escrow = await matured(f, await currency(f, "sol"), 1_000n);
      const ix = await f.escrow.settleIx({ escrow, payees: payeesOf(f), treasury: f.stranger.publicKey });
      await expectUnchanged(f.t, [escrow, f.escrow.earnings(f.stranger.publicKey)], () => expectError(f, sendRaw(f, ix), "EarningsMismatch"));
    });

    it("when the payees' earnings in another mint are passed, then it fails with EarningsMismatch", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token");
      const escrow = await matured(f, c, 1_000n);
      const solEarnings = await f.escrow.settleIx({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      await expectError(f, sendRaw(f, solEarnings), "EarningsMismatch");
    });

    it("when a payee has no earnings account yet, then it fails with AccountNotInitialized; once opened, settle works", async () => {
      const f = await escrowFixture();
      const newcomer = Keypair.generate();
      const payees = [...payeesOf(f).slice(0, 1).map((p) => ({ ...p, shareBps: 5_000 })), { owner: newcomer.publicKey, shareBps: 5_000 }];
      const escrow = await matured(f, await currency(f, "sol"), 1_000n, payees);
      await expectError(f, f.escrow.settle({ escrow, payees, treasury: f.treasury.publicKey }), "AccountNotInitialized");
      await f.escrow.openEarnings({ owner: newcomer.publicKey }); // anyone may open it, paying its rent
      await f.escrow.settle({ escrow, payees, treasury: f.treasury.publicKey });
      expect(earnings(f, newcomer.publicKey)!.balance).to.equal(split(1_000n, FEE_BPS, payees).parts[sortPayees(payees).findIndex((p) => p.owner.equals(newcomer.publicKey))]);
    });

    it("when an earnings account is passed read-only, then it fails with AccountNotMutable", async () => {
      const f = await escrowFixture();
      const escrow = await matured(f, await currency(f, "sol"), 1_000n);
      const ix = await f.escrow.settleIx({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      await expectError(f, sendRaw(f, tamper(ix, 3, { isWritable: false })), "AccountNotMutable");
    });
  });

  describe("given other configurations", () => {
    it("when the treasury is also a payee, then its one earnings account receives the fee and its share", async () => {
      const f = await escrowFixture();
      const payees = [{ owner: f.treasury.publicKey, shareBps: 4_000 }, { owner: f.suppliers[0].publicKey, shareBps: 6_000 }];
      const escrow = await matured(f, await currency(f, "sol"), 10_000n, payees);
      const before = earnings(f, f.treasury.publicKey)!;
      await f.escrow.settle({ escrow, payees, treasury: f.treasury.publicKey });
      const { fee, parts } = split(10_000n, FEE_BPS, payees);
      const share = parts[sortPayees(payees).findIndex((p) => p.owner.equals(f.treasury.publicKey))];
      const after = earnings(f, f.treasury.publicKey)!;
      expect(after.balance - before.balance).to.equal(fee + share);
      expect(after.lamports - before.lamports).to.equal(fee + share);
    });

    it("when the admin raised the fee after the escrow opened, then settle takes the fee fixed at open", async () => {
      const f = await escrowFixture();
      const escrow = await matured(f, await currency(f, "sol"), 10_000n);
      await f.escrow.updateConfig({ admin: f.admin, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: 1_000, paused: false });
      await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      expect(books(f, escrow).fees).to.equal((10_000n * BigInt(FEE_BPS)) / 10_000n);
    });

    it("when the fee is zero, then the payees get everything and the treasury is credited nothing", async () => {
      const f = await escrowFixture();
      await f.escrow.updateConfig({ admin: f.admin, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: 0, paused: false });
      const escrow = await matured(f, await currency(f, "sol"), 999n);
      await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      const b = books(f, escrow);
      expect([b.fees, b.settled]).to.deep.equal([0n, 999n]);
      expect(earnings(f, f.treasury.publicKey)!.balance).to.equal(0n);
    });

    it("when the protocol is paused, then settlement still pays out", async () => {
      const f = await escrowFixture();
      const escrow = await matured(f, await currency(f, "sol"), 1_000n);
      await f.escrow.updateConfig({ admin: f.admin, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: FEE_BPS, paused: true });
      await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      expect(books(f, escrow).matured).to.equal(0n);
    });

    it("when the admin moved the treasury, then fees go to the new treasury's earnings", async () => {
      const f = await escrowFixture();
      const escrow = await matured(f, await currency(f, "sol"), 10_000n);
      await f.escrow.updateConfig({ admin: f.admin, treasury: f.stranger.publicKey, arbiter: f.arbiter.publicKey, feeBps: FEE_BPS, paused: false });
      await f.escrow.openEarnings({ owner: f.stranger.publicKey });
      await expectError(f, f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey }), "EarningsMismatch");
      await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.stranger.publicKey });
      expect(earnings(f, f.stranger.publicKey)!.balance).to.equal(250n);
    });

    it("when fourteen payees share a settlement (the most a legacy transaction carries), then each is paid", async () => {
      const f = await escrowFixture();
      const owners = Array.from({ length: 14 }, () => Keypair.generate().publicKey);
      for (const owner of owners) await f.escrow.openEarnings({ owner });
      const payees = owners.map((owner, i) => ({ owner, shareBps: i === 0 ? 10_000 - 13 * 714 : 714 }));
      const escrow = await matured(f, await currency(f, "sol"), 1_000_000n, payees);
      await f.escrow.settle({ escrow, payees, treasury: f.treasury.publicKey });
      const { parts } = split(1_000_000n, FEE_BPS, payees);
      sortPayees(payees).forEach((p, i) => expect(earnings(f, p.owner)!.balance).to.equal(parts[i]));
      expect(Number(f.t.lastResult!.computeUnitsConsumed)).to.be.below(200_000);
    });

    it("when the SOL escrow pays out, then its account keeps exactly rent plus what it still holds", async () => {
      const f = await escrowFixture();
      const escrow = await matured(f, await currency(f, "sol"), 123_456n);
      await f.escrow.settle({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      const b = books(f, escrow);
      expect(f.t.balance(escrow)).to.equal(escrowRent(f) + b.available + b.pending + b.matured);
    });
  });

  describe("given a crafted account list", () => {
    it("when the escrow itself is passed as the treasury's earnings, then it fails with AccountDiscriminatorMismatch", async () => {
      const f = await escrowFixture();
      const escrow = await matured(f, await currency(f, "sol"), 1_000n);
      const ix = await f.escrow.settleIx({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      await expectUnchanged(f.t, [escrow], () => expectError(f, sendRaw(f, tamper(ix, 2, { pubkey: escrow })), "AccountDiscriminatorMismatch"));
    });

    it("when a payee's earnings are passed for both payees, then the second credit fails with EarningsMismatch", async () => {
      const f = await escrowFixture();
      const escrow = await matured(f, await currency(f, "sol"), 1_000n);
      const ix = await f.escrow.settleIx({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      const duplicated = tamper(ix, 4, { pubkey: ix.keys[3].pubkey });
      await expectUnchanged(f.t, [escrow, ix.keys[3].pubkey], () => expectError(f, sendRaw(f, duplicated), "EarningsMismatch"));
    });

    it("when the payees' earnings are passed as system accounts, then it fails with AccountNotInitialized", async () => {
      const f = await escrowFixture();
      const escrow = await matured(f, await currency(f, "sol"), 1_000n);
      const ix = await f.escrow.settleIx({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey });
      await expectError(f, sendRaw(f, tamper(ix, 3, { pubkey: f.suppliers[0].publicKey })), "AccountNotInitialized");
    });

    it("when a token escrow is settled, then no token account is needed: the books move inside the vault", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token");
      const escrow = await matured(f, c, 1_000n);
      const ix = await f.escrow.settleIx({ escrow, payees: payeesOf(f), treasury: f.treasury.publicKey, mint: c.mint });
      expect(ix.keys.every((k) => !k.pubkey.equals(f.escrow.vault(c.mint)))).to.equal(true);
      await sendRaw(f, ix);
      expect(books(f, escrow).settled > 0n).to.equal(true);
    });
  });
});

