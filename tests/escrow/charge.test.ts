// charge: a meter charges usage into the pending bucket of the current challenge window.
import { expect } from "chai";
import { createHash } from "node:crypto";
import { Keypair } from "@solana/web3.js";
import {
  accountIndex,
  books,
  currency,
  currentWindow,
  escrowFixture,
  type EscrowFixture,
  FEE_BPS,
  HOUR,
  openEscrow,
  sendRaw,
  tamper,
  usageRef,
} from "./fixture.js";
import { expectError, expectUnchanged, lastEvent, plain } from "./expect.js";
import { FastSender } from "./property/sender.js";

const sha256 = (...parts: Uint8Array[]) => parts.reduce((h, p) => h.update(p), createHash("sha256")).digest();

async function setup(options: { deposit?: bigint; maxPrice?: bigint; programMeter?: Keypair; expiresIn?: bigint } = {}) {
  const f = await escrowFixture();
  const escrow = await openEscrow(f, {
    deposit: options.deposit ?? 1_000_000n,
    maxPrice: options.maxPrice ?? 100n,
    programMeter: options.programMeter?.publicKey,
    expiresIn: options.expiresIn,
  });
  const charge = (amount: bigint, units = 1_000n, meter: Keypair = f.meter, ref = usageRef()) =>
    f.escrow.charge({ meter, escrow, units, amount, usageRef: ref });
  return { f, escrow, charge };
}

function pause(f: EscrowFixture, paused: boolean) {
  return f.escrow.updateConfig({ admin: f.admin, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: FEE_BPS, paused });
}

describe("charge", () => {
  describe("given an open escrow and its provider's meter", () => {
    it("when the meter charges, then the amount is pending in the window's bucket with the usage chained in", async () => {
      const { f, escrow, charge } = await setup();
      const ref = createHash("sha256").update("inference 1").digest();
      await charge(500n, 10n, f.meter, ref);
      const window = currentWindow(f);
      const b = books(f, escrow);
      expect([b.pending, b.matured, b.available, b.chargeCount]).to.deep.equal([500n, 0n, 999_500n, 1n]);
      expect(b.buckets).to.have.length(1);
      const chain = sha256(Buffer.alloc(32), ref);
      expect(b.buckets[0]).to.deep.equal({ window, amount: 500n, disputed: 0n, units: 10n, charges: 1, usageChain: chain });
      const event = plain(lastEvent(f, "chargeRecorded"));
      expect(event).to.deep.include({
        escrow: escrow.toBase58(),
        meter: f.meter.publicKey.toBase58(),
        window,
        units: 10n,
        amount: 500n,
        bucketAmount: 500n,
        maturedNow: 0n,
        pending: 500n,
        matured: 0n,
        available: 999_500n,
        chargeCount: 1n,
      });
      expect(Buffer.from(event.usageRef as number[])).to.deep.equal(ref);
      expect(Buffer.from(event.usageChain as number[])).to.deep.equal(chain);
    });

    it("when the meter charges a thousand times in one window, then they add up in one bucket", async () => {
      const { f, escrow } = await setup();
      const sender = new FastSender(f.t.svm, f.t.payer);
      const start = currentWindow(f) * HOUR;
      let chain: Buffer = Buffer.alloc(32);
      for (let i = 0; i < 1_000; i++) {
        if (i % 50 === 0) f.t.warp({ unixTimestamp: start + BigInt(i) * 3n }); // ~3 s per charge: still one window
        const ref = usageRef(i);
        sender.sendOk([await f.escrow.chargeIx({ meter: f.meter.publicKey, escrow, units: 1n, amount: 3n, usageRef: ref })], [f.meter]);
        chain = sha256(chain, ref);
      }
      const b = books(f, escrow);
      expect(b.buckets).to.have.length(1, "pending state stays bounded");
      expect(b.buckets[0]).to.deep.include({ amount: 3_000n, units: 1_000n, charges: 1_000 });
      expect(b.buckets[0].usageChain).to.deep.equal(chain, "the chain commits to every charge in order");
      expect([b.pending, b.chargeCount]).to.deep.equal([3_000n, 1_000n]);
    });

    it("when charges span windows, then each window gets its own bucket and a passed one matures on the next charge", async () => {
      const { f, escrow, charge } = await setup();
      const w0 = currentWindow(f);
      await charge(100n);
      f.t.warp({ unixTimestamp: (w0 + 1n) * HOUR });
      await charge(200n);
      expect(books(f, escrow).buckets.map((b) => [b.window, b.amount])).to.deep.equal([
        [w0, 100n],
        [w0 + 1n, 200n],
      ]);
      // bucket w0 can be disputed until the end of window w0 + 1
      f.t.warp({ unixTimestamp: (w0 + 2n) * HOUR - 1n });
      await charge(1n);
      expect(books(f, escrow).matured).to.equal(0n);
      f.t.warp({ unixTimestamp: (w0 + 2n) * HOUR });
      await charge(300n);
      const event = plain(lastEvent(f, "chargeRecorded"));
      expect([event.maturedNow, event.matured, event.pending]).to.deep.equal([100n, 100n, 501n]);
      const b = books(f, escrow);
      expect(b.buckets.map((x) => [x.window, x.amount])).to.deep.equal([
        [w0 + 2n, 300n],
        [w0 + 1n, 201n],
      ]);
    });

    it("when the charge equals units times the maximum price, then it is accepted; one more fails with PriceAboveTerms", async () => {
      const { f, escrow, charge } = await setup({ maxPrice: 7n });
      await charge(70n, 10n);
      await expectUnchanged(f.t, [escrow], () => expectError(f, charge(71n, 10n), "PriceAboveTerms"));
    });

    it("when the charge equals the available balance, then it is accepted; one more fails with InsufficientBalance", async () => {
      const { f, escrow, charge } = await setup({ deposit: 1_000n });
      await charge(600n);
      await expectUnchanged(f.t, [escrow], () => expectError(f, charge(401n), "InsufficientBalance"));
      await charge(400n);
      expect(books(f, escrow).available).to.equal(0n);
    });

    it("when units or amount is zero, then it fails with ZeroCharge", async () => {
      const { f, escrow, charge } = await setup();
      await expectUnchanged(f.t, [escrow], () => expectError(f, charge(0n, 1n), "ZeroCharge"));
      await expectUnchanged(f.t, [escrow], () => expectError(f, charge(1n, 0n), "ZeroCharge"));
    });

    it("when the meter charges one second before expiry, then it is accepted; at expiry it fails with EscrowEnded", async () => {
      const { f, escrow, charge } = await setup({ expiresIn: 5n * HOUR });
      const { expiresAt } = books(f, escrow);
      f.t.warp({ unixTimestamp: expiresAt - 1n });
      await charge(1n);
      f.t.warp({ unixTimestamp: expiresAt });
      await expectUnchanged(f.t, [escrow], () => expectError(f, charge(1n), "EscrowEnded"));
    });

    it("when the client gave notice, then charges go on for one window and then fail with EscrowEnded", async () => {
      const { f, escrow, charge } = await setup();
      await f.escrow.requestClose({ client: f.client, escrow });
      const { closingAt } = books(f, escrow);
      f.t.warp({ unixTimestamp: closingAt - 1n });
      await charge(1n);
      f.t.warp({ unixTimestamp: closingAt });
      await expectError(f, charge(1n), "EscrowEnded");
    });

    it("when a token escrow is charged, then no tokens move", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token-2022");
      const escrow = await openEscrow(f, { currency: c, deposit: 1_000n });
      const vault = c.vaultBalance();
      await f.escrow.charge({ meter: f.meter, escrow, units: 1n, amount: 600n, usageRef: usageRef() });
      expect(c.vaultBalance()).to.equal(vault);
      expect(books(f, escrow).pending).to.equal(600n);
    });
  });

  describe("given a program meter the client authorised", () => {
    it("when that meter charges, then it is accepted like the provider's meter", async () => {
      const programMeter = Keypair.generate(); // provenance's PDA in production, signing by CPI
      const { f, escrow, charge } = await setup({ programMeter });
      await charge(5n, 1n, programMeter);
      expect(plain(lastEvent(f, "chargeRecorded")).meter).to.equal(programMeter.publicKey.toBase58());
      expect(books(f, escrow).pending).to.equal(5n);
    });
  });

  describe("given signers that are not the escrow's meters", () => {
    for (const who of ["client", "provider", "stranger", "arbiter"] as const) {
      it(`when the ${who} charges, then it fails with NotMeter`, async () => {
        const { f, escrow, charge } = await setup();
        await expectUnchanged(f.t, [escrow], () => expectError(f, charge(1n, 1n, f[who]), "NotMeter"));
      });
    }

    it("when the meter's key is given without its signature, then it fails with AccountNotSigner", async () => {
      const { f, escrow } = await setup();
      const ix = await f.escrow.chargeIx({ meter: f.meter.publicKey, escrow, units: 1n, amount: 1n, usageRef: usageRef() });
      const unsigned = tamper(ix, accountIndex(f, "charge", "meter"), { isSigner: false });
      await expectUnchanged(f.t, [escrow], () => expectError(f, sendRaw(f, unsigned), "AccountNotSigner"));
    });

    it("when the escrow is passed read-only, then it fails with AccountNotMutable", async () => {
      const { f, escrow } = await setup();
      const ix = await f.escrow.chargeIx({ meter: f.meter.publicKey, escrow, units: 1n, amount: 1n, usageRef: usageRef() });
      const readonly = tamper(ix, accountIndex(f, "charge", "escrow"), { isWritable: false });
      await expectError(f, sendRaw(f, readonly, [f.meter]), "AccountNotMutable");
    });
  });

  describe("given a paused protocol", () => {
    it("when the meter charges, then it fails with Paused; after unpausing it is accepted", async () => {
      const { f, escrow, charge } = await setup();
      await pause(f, true);
      await expectUnchanged(f.t, [escrow], () => expectError(f, charge(1n), "Paused"));
      await pause(f, false);
      await charge(1n);
    });
  });

  describe("given disputes", () => {
    it("when every bucket holds a dispute, then a charge in a new window fails with TooManyOpenDisputes until one is resolved", async () => {
      const { f, escrow, charge } = await setup();
      const w0 = currentWindow(f);
      for (let i = 0n; i < 4n; i++) {
        f.t.warp({ unixTimestamp: (w0 + i) * HOUR });
        await charge(10n);
        await f.escrow.disputeCharges({ client: f.client, escrow, window: w0 + i, amount: 10n, usageRef: usageRef() });
      }
      f.t.warp({ unixTimestamp: (w0 + 4n) * HOUR });
      await expectUnchanged(f.t, [escrow], () => expectError(f, charge(10n), "TooManyOpenDisputes"));
      await f.escrow.resolveDispute({ arbiter: f.arbiter, escrow, window: w0, toProvider: 10n });
      await charge(10n);
      expect(books(f, escrow).buckets).to.have.length(4);
    });

    it("when the meter charges again in a window with a dispute, then the charge joins that bucket and stays disputable", async () => {
      const { f, escrow, charge } = await setup();
      const w = currentWindow(f);
      await charge(100n);
      await f.escrow.disputeCharges({ client: f.client, escrow, window: w, amount: 100n, usageRef: usageRef() });
      await charge(500n);
      expect(books(f, escrow).buckets.map((b) => [b.window, b.amount, b.disputed])).to.deep.equal([[w, 600n, 100n]]);
      await f.escrow.disputeCharges({ client: f.client, escrow, window: w, amount: 500n, usageRef: usageRef(1) });
      await f.escrow.resolveDispute({ arbiter: f.arbiter, escrow, window: w, toProvider: 0n });
      const b = books(f, escrow);
      expect([b.pending, b.available, b.buckets.length]).to.deep.equal([0n, 1_000_000n, 0]);
    });
  });
});
