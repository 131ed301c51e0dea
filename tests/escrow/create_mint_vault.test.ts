// create_mint_vault: the program's token account for a mint, shared by every escrow and earnings account of it;
// mints whose extensions would break the accounting are refused.
import { expect } from "chai";
import { Keypair, PublicKey } from "@solana/web3.js";
import { AccountState, TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import type { MintExtension } from "../harness/index.js";
import {
  accountIndex,
  books,
  CLIENT_TOKENS,
  currency,
  escrowFixture,
  type EscrowFixture,
  HOUR,
  openEscrow,
  sendRaw,
  tamper,
} from "./fixture.js";
import { expectError, expectSystemError, expectUnchanged, lastEvent, plain } from "./expect.js";

function vaultAccounts(f: EscrowFixture, mint: PublicKey) {
  return [f.escrow.mintVault(mint), f.escrow.vault(mint)];
}

describe("create_mint_vault", () => {
  for (const [name, tokenProgram] of [["Token", TOKEN_PROGRAM_ID], ["Token-2022", TOKEN_2022_PROGRAM_ID]] as const) {
    describe(`given a ${name} mint`, () => {
      it("when anyone creates its vault, then the vault token account is owned by the mint-vault PDA and the state records it", async () => {
        const f = await escrowFixture();
        const mint = await f.t.createMint({ programId: tokenProgram, decimals: 9 });
        const ix = await f.escrow.createMintVaultIx({ payer: f.stranger.publicKey, mint, tokenProgram });
        await sendRaw(f, ix, [], f.stranger);

        const state = await f.escrow.fetchMintVault(mint);
        const [mintVault, bump] = PublicKey.findProgramAddressSync([Buffer.from("mint_vault"), mint.toBuffer()], f.escrow.programId);
        expect([state.mint.toBase58(), state.tokenProgram.toBase58(), state.vault.toBase58()]).to.deep.equal([
          mint.toBase58(),
          tokenProgram.toBase58(),
          f.escrow.vault(mint).toBase58(),
        ]);
        expect([state.decimals, state.bump]).to.deep.equal([9, bump]);
        const vault = f.t.tokenAccount(f.escrow.vault(mint));
        expect([vault.mint.toBase58(), vault.owner.toBase58(), vault.amount]).to.deep.equal([mint.toBase58(), mintVault.toBase58(), 0n]);
        expect(vault.delegate).to.equal(null);
        expect(vault.closeAuthority).to.equal(null);
        expect(f.t.account(f.escrow.vault(mint))!.owner.toBase58()).to.equal(tokenProgram.toBase58());
        expect(plain(lastEvent(f, "mintVaultCreated"))).to.deep.equal({
          mintVault: mintVault.toBase58(),
          mint: mint.toBase58(),
          tokenProgram: tokenProgram.toBase58(),
          vault: f.escrow.vault(mint).toBase58(),
          decimals: 9,
        });
      });

      it("when the vault exists already, then creating it again fails in the System Program and changes nothing", async () => {
        const f = await escrowFixture();
        const mint = await f.t.createMint({ programId: tokenProgram });
        await f.escrow.createMintVault({ mint, tokenProgram });
        await expectUnchanged(f.t, vaultAccounts(f, mint), () => expectSystemError(f.escrow.createMintVault({ mint, tokenProgram }), "AccountAlreadyInUse"));
      });

      it("when the mint's other token program is passed, then it fails with TokenProgramMismatch", async () => {
        const f = await escrowFixture();
        const mint = await f.t.createMint({ programId: tokenProgram });
        const other = tokenProgram.equals(TOKEN_PROGRAM_ID) ? TOKEN_2022_PROGRAM_ID : TOKEN_PROGRAM_ID;
        await expectUnchanged(f.t, vaultAccounts(f, mint), () => expectError(f, f.escrow.createMintVault({ mint, tokenProgram: other }), "TokenProgramMismatch"));
      });
    });
  }

  describe("given Token-2022 mints with extensions", () => {
    const refused: [string, (f: EscrowFixture) => MintExtension][] = [
      ["a transfer fee", () => ({ type: "transferFee", feeBasisPoints: 50, maxFee: 1_000n })],
      ["a transfer hook", (f) => ({ type: "transferHook", hookProgramId: f.escrow.programId, authority: f.admin.publicKey })],
      ["non-transferability", () => ({ type: "nonTransferable" })],
      ["a permanent delegate", (f) => ({ type: "permanentDelegate", delegate: f.stranger.publicKey })],
      ["a pause", (f) => ({ type: "pausable", authority: f.admin.publicKey })],
      ["a default frozen account state", () => ({ type: "defaultAccountState", state: AccountState.Frozen })],
      ["a default initialized account state", () => ({ type: "defaultAccountState", state: AccountState.Initialized })],
      // closable at zero supply, then re-creatable at the same address with, say, a permanent delegate
      ["a mint close authority", (f) => ({ type: "mintCloseAuthority", closeAuthority: f.admin.publicKey })],
    ];
    for (const [what, extension] of refused) {
      it(`when the mint has ${what}, then the vault is refused with UnsupportedMint`, async () => {
        const f = await escrowFixture();
        const mint = await f.t.createMint({ extensions: [extension(f)] });
        await expectUnchanged(f.t, vaultAccounts(f, mint), () =>
          expectError(f, f.escrow.createMintVault({ mint, tokenProgram: TOKEN_2022_PROGRAM_ID }), "UnsupportedMint"),
        );
      });
    }

    it("when an allowed extension comes with a refused one, then the vault is refused with UnsupportedMint", async () => {
      const f = await escrowFixture();
      const mint = await f.t.createMint({
        extensions: [{ type: "interestBearing", rateBasisPoints: 500, rateAuthority: f.admin.publicKey }, { type: "transferFee", feeBasisPoints: 1, maxFee: 1n }],
      });
      await expectError(f, f.escrow.createMintVault({ mint, tokenProgram: TOKEN_2022_PROGRAM_ID }), "UnsupportedMint");
    });

    const allowed: [string, (f: EscrowFixture) => MintExtension[]][] = [
      ["an interest-bearing rate", (f) => [{ type: "interestBearing", rateBasisPoints: 500, rateAuthority: f.admin.publicKey }]],
      ["a negative interest-bearing rate", (f) => [{ type: "interestBearing", rateBasisPoints: -100, rateAuthority: f.admin.publicKey }]],
    ];
    for (const [what, extensions] of allowed) {
      it(`when the mint has ${what}, then the vault is created and an escrow funds and refunds exactly through it`, async () => {
        const f = await escrowFixture();
        const c = await currency(f, "token-2022", extensions(f));
        const escrow = await openEscrow(f, { currency: c, deposit: 1_000n, expiresIn: HOUR });
        expect(c.vaultBalance()).to.equal(1_000n);
        f.t.advance({ seconds: HOUR });
        await f.escrow.refund({ client: f.client, escrow, funding: c.funding, clientToken: c.clientToken });
        expect([c.vaultBalance(), c.balance(f.client.publicKey), books(f, escrow).refunded]).to.deep.equal([0n, CLIENT_TOKENS, 1_000n]);
      });
    }
  });

  describe("given accounts that are not a usable mint", () => {
    it("when a token account is passed as the mint, then it fails with AccountDidNotDeserialize", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "token");
      const notMint = c.clientToken!;
      await expectError(f, f.escrow.createMintVault({ mint: notMint, tokenProgram: TOKEN_PROGRAM_ID }), "AccountDidNotDeserialize");
    });

    it("when a system account is passed as the mint, then it fails with TokenProgramMismatch", async () => {
      const f = await escrowFixture();
      await expectError(f, f.escrow.createMintVault({ mint: f.stranger.publicKey, tokenProgram: TOKEN_PROGRAM_ID }), "TokenProgramMismatch");
    });

    it("when a program other than a token program is passed as the token program, then it fails with InvalidProgramId", async () => {
      const f = await escrowFixture();
      const mint = await f.t.createMint();
      await expectError(f, f.escrow.createMintVault({ mint, tokenProgram: f.escrow.programId }), "InvalidProgramId");
    });

    it("when the vault address is not the vault PDA, then it fails with ConstraintSeeds", async () => {
      const f = await escrowFixture();
      const mint = await f.t.createMint();
      const elsewhere = Keypair.generate();
      const ix = await f.escrow.createMintVaultIx({ mint, tokenProgram: TOKEN_PROGRAM_ID });
      const forged = tamper(ix, accountIndex(f, "create_mint_vault", "vault"), { pubkey: elsewhere.publicKey, isSigner: true });
      await expectError(f, sendRaw(f, forged, [elsewhere]), "ConstraintSeeds");
    });

    it("when someone already sent lamports to the vault and mint-vault addresses, then the vault is still created", async () => {
      const f = await escrowFixture();
      const mint = await f.t.createMint();
      for (const address of vaultAccounts(f, mint)) f.t.airdrop(address, 10_000_000n);
      await f.escrow.createMintVault({ mint, tokenProgram: TOKEN_PROGRAM_ID });
      expect(f.t.tokenAccount(f.escrow.vault(mint)).owner.toBase58()).to.equal(f.escrow.mintVault(mint).toBase58());
      expect((await f.escrow.fetchMintVault(mint)).mint.toBase58()).to.equal(mint.toBase58());
    });
  });
});
