// resolve_dispute: the config's arbiter splits a disputed amount between provider and client.
import { expect } from "chai";
import {
  accountIndex,
  books,
  charge,
  currentWindow,
  escrowFixture,
  FEE_BPS,
  HOUR,
  openEscrow,
  sendRaw,
  tamper,
  usageRef,
} from "./fixture.js";
import { expectError, expectUnchanged, lastEvent, plain } from "./expect.js";

async function setup(disputed = 400n) {
  const f = await escrowFixture();
  const escrow = await openEscrow(f, { deposit: 10_000n, expiresIn: 4n * HOUR });
  const window = currentWindow(f);
  await charge(f, escrow, 1_000n);
  if (disputed > 0n) await f.escrow.disputeCharges({ client: f.client, escrow, window, amount: disputed, usageRef: usageRef() });
  const resolve = (toProvider: bigint, arbiter = f.arbiter, w = window) => f.escrow.resolveDispute({ arbiter, escrow, window: w, toProvider });
  return { f, escrow, window, resolve };
}

describe("resolve_dispute", () => {
  describe("given a disputed bucket", () => {
    it("when the arbiter splits it, then the provider's part matures and the client's part is available again", async () => {
      const { f, escrow, window, resolve } = await setup();
      await resolve(150n);
      const b = books(f, escrow);
      expect([b.pending, b.matured, b.available]).to.deep.equal([600n, 150n, 9_250n]);
      expect(b.buckets.map((x) => [x.window, x.amount, x.disputed])).to.deep.equal([[window, 600n, 0n]], "the undisputed rest stays pending");
      expect(plain(lastEvent(f, "disputeResolved"))).to.deep.equal({
        escrow: escrow.toBase58(),
        arbiter: f.arbiter.publicKey.toBase58(),
        window,
        toProvider: 150n,
        toClient: 250n,
        pending: 600n,
        matured: 150n,
        available: 9_250n,
      });
    });

    it("when the arbiter gives everything to the provider, then the whole disputed amount matures", async () => {
      const { f, escrow, resolve } = await setup();
      await resolve(400n);
      const b = books(f, escrow);
      expect([b.pending, b.matured, b.available]).to.deep.equal([600n, 400n, 9_000n]);
    });

    it("when the arbiter gives everything back to the client of a fully disputed bucket, then the slot frees", async () => {
      const { f, escrow, resolve } = await setup(1_000n);
      await resolve(0n);
      const b = books(f, escrow);
      expect([b.pending, b.matured, b.available, b.buckets.length]).to.deep.equal([0n, 0n, 10_000n, 0]);
    });

    it("when the arbiter awards more than was disputed, then it fails with InvalidDisputeAmount", async () => {
      const { f, escrow, resolve } = await setup();
      await expectUnchanged(f.t, [escrow], () => expectError(f, resolve(401n), "InvalidDisputeAmount"));
    });

    it("when the escrow has ended, then the client's part can be refunded after the resolution", async () => {
      const { f, escrow, resolve } = await setup(1_000n);
      f.t.warp({ unixTimestamp: books(f, escrow).expiresAt });
      await f.escrow.refund({ client: f.client, escrow, funding: { kind: "sol" } });
      expect(books(f, escrow).refunded).to.equal(9_000n);
      await resolve(100n);
      await f.escrow.refund({ client: f.client, escrow, funding: { kind: "sol" } });
      const b = books(f, escrow);
      expect([b.refunded, b.matured, b.pending, b.available]).to.deep.equal([9_900n, 100n, 0n, 0n]);
    });

    it("when the protocol is paused, then the arbiter still resolves", async () => {
      const { f, escrow, resolve } = await setup();
      await f.escrow.updateConfig({ admin: f.admin, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: FEE_BPS, paused: true });
      await resolve(0n);
      expect(books(f, escrow).pending).to.equal(600n);
    });
  });

  describe("given buckets without a dispute", () => {
    it("when the arbiter resolves an undisputed bucket, then it fails with NoDispute", async () => {
      const { f, escrow, resolve } = await setup(0n);
      await expectUnchanged(f.t, [escrow], () => expectError(f, resolve(0n), "NoDispute"));
    });

    it("when the arbiter resolves the same dispute twice, then the second fails with NoDispute", async () => {
      const { f, resolve } = await setup();
      await resolve(1n);
      await expectError(f, resolve(1n), "NoDispute");
    });

    it("when the arbiter names a window without a bucket, then it fails with UnknownBucket", async () => {
      const { f, escrow, window, resolve } = await setup();
      await expectUnchanged(f.t, [escrow], () => expectError(f, resolve(0n, f.arbiter, window + 5n), "UnknownBucket"));
    });
  });

  describe("given someone other than the config's arbiter", () => {
    for (const who of ["admin", "client", "provider", "stranger"] as const) {
      it(`when the ${who} resolves, then it fails with NotArbiter`, async () => {
        const { f, escrow, resolve } = await setup();
        await expectUnchanged(f.t, [escrow], () => expectError(f, resolve(400n, f[who]), "NotArbiter"));
      });
    }

    it("when the admin replaced the arbiter, then the former arbiter fails with NotArbiter and the new one resolves", async () => {
      const { f, resolve } = await setup();
      await f.escrow.updateConfig({ admin: f.admin, treasury: f.treasury.publicKey, arbiter: f.stranger.publicKey, feeBps: FEE_BPS, paused: false });
      await expectError(f, resolve(400n), "NotArbiter");
      await resolve(400n, f.stranger);
    });

    it("when the arbiter's key is given without its signature, then it fails with AccountNotSigner", async () => {
      const { f, escrow, window } = await setup();
      const ix = await f.escrow.resolveDisputeIx({ arbiter: f.arbiter.publicKey, escrow, window, toProvider: 0n });
      const unsigned = tamper(ix, accountIndex(f, "resolve_dispute", "arbiter"), { isSigner: false });
      await expectUnchanged(f.t, [escrow], () => expectError(f, sendRaw(f, unsigned), "AccountNotSigner"));
    });
  });
});
