// open_earnings: a supplier's (or the treasury's) earnings account for one mint; anyone may pay its rent.
import { expect } from "chai";
import { Keypair, PublicKey } from "@solana/web3.js";
import { SOL_MINT } from "../../ts-client/src/index.js";
import { accountIndex, earnings, earningsRent, escrowFixture, sendRaw, tamper } from "./fixture.js";
import { expectError, expectSystemError, expectUnchanged, lastEvent, plain } from "./expect.js";

describe("open_earnings", () => {
  describe("given a supplier without earnings accounts", () => {
    for (const [what, mintOf] of [
      ["SOL", () => SOL_MINT],
      ["token", () => Keypair.generate().publicKey],
    ] as const) {
      it(`when someone else pays for its ${what} earnings, then the PDA belongs to the supplier with a zero balance`, async () => {
        const f = await escrowFixture();
        const supplier = Keypair.generate().publicKey;
        const mint = mintOf();
        const ix = await f.escrow.openEarningsIx({ payer: f.stranger.publicKey, owner: supplier, mint });
        await sendRaw(f, ix, [], f.stranger);
        const e = earnings(f, supplier, mint)!;
        expect([e.owner.toBase58(), e.mint.toBase58(), e.balance, e.totalEarned, e.totalWithdrawn, e.lamports]).to.deep.equal([
          supplier.toBase58(),
          mint.toBase58(),
          0n,
          0n,
          0n,
          earningsRent(f),
        ]);
        const [address, bump] = PublicKey.findProgramAddressSync([Buffer.from("earnings"), supplier.toBuffer(), mint.toBuffer()], f.escrow.programId);
        expect((await f.escrow.program.account.earnings.fetch(address)).bump).to.equal(bump);
        expect(plain(lastEvent(f, "earningsOpened"))).to.deep.equal({ earnings: address.toBase58(), owner: supplier.toBase58(), mint: mint.toBase58() });
      });
    }

    it("when someone already sent lamports to the earnings address, then it still opens", async () => {
      const f = await escrowFixture();
      const supplier = Keypair.generate().publicKey;
      f.t.airdrop(f.escrow.earnings(supplier), 3_000_000n);
      await f.escrow.openEarnings({ owner: supplier });
      expect(earnings(f, supplier)!.owner.toBase58()).to.equal(supplier.toBase58());
    });

    it("when the account passed is another owner's earnings address, then it fails with ConstraintSeeds", async () => {
      const f = await escrowFixture();
      const ix = await f.escrow.openEarningsIx({ owner: f.stranger.publicKey });
      const forged = tamper(ix, accountIndex(f, "open_earnings", "earnings"), { pubkey: f.escrow.earnings(f.provider.publicKey) });
      await expectUnchanged(f.t, [f.escrow.earnings(f.provider.publicKey), f.escrow.earnings(f.stranger.publicKey)], () =>
        expectError(f, sendRaw(f, forged), "ConstraintSeeds"),
      );
    });
  });

  describe("given an opened earnings account", () => {
    it("when anyone opens it again, then the System Program refuses and the balance is untouched", async () => {
      const f = await escrowFixture();
      const supplier = f.suppliers[0].publicKey;
      f.t.airdrop(f.escrow.earnings(supplier), 1n); // lamports above rent do not make it re-creatable
      await expectUnchanged(f.t, [f.escrow.earnings(supplier)], () => expectSystemError(f.escrow.openEarnings({ owner: supplier }), "AccountAlreadyInUse"));
    });
  });
});
