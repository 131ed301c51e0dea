// open_escrow: a client opens and funds an escrow for a provider, in SOL or a token through the mint's vault.
import { expect } from "chai";
import { Keypair, PublicKey, SystemProgram } from "@solana/web3.js";
import anchor from "@coral-xyz/anchor";
import { type OpenEscrowParams, type Payee, payeesHash, SOL, sortPayees } from "../../ts-client/src/index.js";
import {
  accountIndex,
  books,
  currency,
  type Currency,
  DAY,
  escrowFixture,
  type EscrowFixture,
  escrowRent,
  FEE_BPS,
  FUNDING_KINDS,
  HOUR,
  payeesOf,
  sendRaw,
  tamper,
  U64_MAX,
} from "./fixture.js";
import {
  expectError,
  expectInstructionError,
  expectSystemError,
  expectTokenError,
  expectUnchanged,
  lastEvent,
  plain,
} from "./expect.js";

const { BN } = anchor;

/** Sensible terms for an escrow of the fixture's client in `c`. */
function terms(f: EscrowFixture, c: Currency, overrides: Partial<OpenEscrowParams> = {}): OpenEscrowParams {
  return {
    client: f.client,
    escrow: Keypair.generate(),
    provider: f.provider.publicKey,
    providerMeter: f.meter.publicKey,
    payees: payeesOf(f),
    maxPricePerUnit: 1_000n,
    expiresAt: f.t.clock().unixTimestamp + 7n * DAY,
    challengeWindow: HOUR,
    deposit: 1_000_000n,
    funding: c.funding,
    clientToken: c.clientToken,
    ...overrides,
  };
}

/** The open_escrow instruction with a payee list exactly as given (the client sorts; an attacker need not). */
async function openWithRawPayees(f: EscrowFixture, escrow: Keypair, payees: Payee[]) {
  const ix = await f.escrow.program.methods
    .openEscrow(
      f.provider.publicKey,
      f.meter.publicKey,
      PublicKey.default,
      payees,
      new BN(1_000),
      new BN((f.t.clock().unixTimestamp + DAY).toString()),
      new BN(HOUR.toString()),
      new BN(1_000),
    )
    .accountsPartial({
      client: f.client.publicKey,
      escrow: escrow.publicKey,
      config: f.escrow.config(),
      systemProgram: SystemProgram.programId,
      mintVault: null,
      vault: null,
      mint: null,
      clientToken: null,
      tokenProgram: null,
    })
    .instruction();
  return sendRaw(f, ix, [f.client, escrow]);
}

describe("open_escrow", () => {
  for (const kind of FUNDING_KINDS) {
    describe(`given a ${kind} client and an unpaused config`, () => {
      it("when the client opens with a deposit, then the escrow holds the terms, the deposit and the config's fee", async () => {
        const f = await escrowFixture();
        const c = await currency(f, kind);
        const p = terms(f, c, { programMeter: f.stranger.publicKey });
        const clientBefore = c.balance(f.client.publicKey);
        const vaultBefore = c.vaultBalance();
        await f.escrow.openEscrow(p);
        const escrow = p.escrow.publicKey;

        const state = await f.escrow.fetchEscrow(escrow);
        expect(state.client.toBase58()).to.equal(f.client.publicKey.toBase58());
        expect(state.mint.toBase58()).to.equal(c.mint.toBase58());
        expect(state.provider.toBase58()).to.equal(f.provider.publicKey.toBase58());
        expect(state.providerMeter.toBase58()).to.equal(f.meter.publicKey.toBase58());
        expect(state.programMeter.toBase58()).to.equal(f.stranger.publicKey.toBase58());
        expect(Buffer.from(state.payeesHash)).to.deep.equal(payeesHash(sortPayees(p.payees)));
        expect(state.payeeCount).to.equal(p.payees.length);
        expect(state.feeBps).to.equal(FEE_BPS);
        const b = books(f, escrow);
        expect(b.openedAt).to.equal(f.t.clock().unixTimestamp);
        expect([b.expiresAt, b.challengeWindow, b.closingAt]).to.deep.equal([p.expiresAt, HOUR, 0n]);
        expect([b.deposited, b.available, b.pending, b.matured, b.chargeCount]).to.deep.equal([1_000_000n, 1_000_000n, 0n, 0n, 0n]);
        expect(b.buckets).to.deep.equal([]);

        const rent = escrowRent(f);
        if (kind === "sol") {
          expect(f.t.balance(escrow)).to.equal(rent + 1_000_000n, "SOL funds live in the escrow account, above rent");
          expect(c.balance(f.client.publicKey)).to.equal(clientBefore - rent - 1_000_000n);
        } else {
          expect(f.t.balance(escrow)).to.equal(rent, "token escrows hold only their rent");
          expect(c.vaultBalance()).to.equal(vaultBefore + 1_000_000n);
          expect(c.balance(f.client.publicKey)).to.equal(clientBefore - 1_000_000n);
        }

        const event = plain(lastEvent(f, "escrowOpened"));
        expect(event).to.deep.include({
          escrow: escrow.toBase58(),
          client: f.client.publicKey.toBase58(),
          mint: c.mint.toBase58(),
          provider: f.provider.publicKey.toBase58(),
          providerMeter: f.meter.publicKey.toBase58(),
          programMeter: f.stranger.publicKey.toBase58(),
          maxPricePerUnit: 1_000n,
          feeBps: FEE_BPS,
          expiresAt: p.expiresAt,
          challengeWindow: HOUR,
          deposited: 1_000_000n,
        });
        expect((event.payees as { owner: PublicKey; shareBps: number }[]).map((x) => [x.owner.toBase58(), x.shareBps])).to.deep.equal(
          sortPayees(p.payees).map((x) => [x.owner.toBase58(), x.shareBps]),
        );
      });

      it("when the client opens with no deposit, then the escrow exists with nothing available", async () => {
        const f = await escrowFixture();
        const c = await currency(f, kind);
        const p = terms(f, c, { deposit: 0n });
        await f.escrow.openEscrow(p);
        const b = books(f, p.escrow.publicKey);
        expect([b.deposited, b.available]).to.deep.equal([0n, 0n]);
        expect(f.t.balance(p.escrow.publicKey)).to.equal(escrowRent(f));
      });

      it("when the deposit exceeds what the client holds, then it fails in the transfer and no escrow exists", async () => {
        const f = await escrowFixture();
        const c = await currency(f, kind);
        const deposit = c.balance(f.client.publicKey) + 1n;
        const p = terms(f, c, { deposit });
        const failure =
          kind === "sol"
            ? () => expectSystemError(f.escrow.openEscrow(p), "ResultWithNegativeLamports")
            : () => expectTokenError(f.escrow.openEscrow(p), (c.funding as { tokenProgram: PublicKey }).tokenProgram, "InsufficientFunds");
        await expectUnchanged(f.t, [p.escrow.publicKey, f.client.publicKey, c.wallet(f.client.publicKey)], failure);
      });
    });
  }

  describe("given a paused protocol", () => {
    it("when a client opens an escrow, then it fails with Paused", async () => {
      const f = await escrowFixture();
      await f.escrow.updateConfig({ admin: f.admin, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: FEE_BPS, paused: true });
      const p = terms(f, await currency(f, "sol"));
      await expectUnchanged(f.t, [p.escrow.publicKey, f.client.publicKey], () => expectError(f, f.escrow.openEscrow(p), "Paused"));
    });
  });

  describe("given terms that cannot work", () => {
    const invalid: [string, (f: EscrowFixture) => Partial<OpenEscrowParams>, string][] = [
      ["an expiry equal to now", (f) => ({ expiresAt: f.t.clock().unixTimestamp }), "InvalidExpiry"],
      ["an expiry in the past", (f) => ({ expiresAt: f.t.clock().unixTimestamp - 1n }), "InvalidExpiry"],
      ["a challenge window under one minute", () => ({ challengeWindow: 59n }), "InvalidChallengeWindow"],
      ["a challenge window over thirty days", () => ({ challengeWindow: 30n * DAY + 1n }), "InvalidChallengeWindow"],
      ["a negative challenge window", () => ({ challengeWindow: -HOUR }), "InvalidChallengeWindow"],
      ["a zero maximum price", () => ({ maxPricePerUnit: 0n }), "InvalidPrice"],
      ["a zero provider meter", () => ({ providerMeter: PublicKey.default }), "InvalidMeter"],
      ["no payees", () => ({ payees: [] }), "InvalidPayees"],
      ["shares adding up to 9,999 bps", (f) => ({ payees: [{ owner: f.suppliers[0].publicKey, shareBps: 9_999 }] }), "InvalidPayees"],
      ["shares adding up to 10,001 bps", (f) => ({ payees: [{ owner: f.suppliers[0].publicKey, shareBps: 10_001 }] }), "InvalidPayees"],
      [
        "a payee with a zero share",
        (f) => ({ payees: [{ owner: f.suppliers[0].publicKey, shareBps: 0 }, { owner: f.suppliers[1].publicKey, shareBps: 10_000 }] }),
        "InvalidPayees",
      ],
      [
        "the same payee twice",
        (f) => ({ payees: [{ owner: f.suppliers[0].publicKey, shareBps: 5_000 }, { owner: f.suppliers[0].publicKey, shareBps: 5_000 }] }),
        "InvalidPayees",
      ],
    ];
    for (const [what, change, error] of invalid) {
      it(`when the client opens with ${what}, then it fails with ${error} and nothing is created`, async () => {
        const f = await escrowFixture();
        const p = terms(f, await currency(f, "sol"), change(f));
        await expectUnchanged(f.t, [p.escrow.publicKey, f.client.publicKey], () => expectError(f, f.escrow.openEscrow(p), error));
      });
    }

    it("when the payees are not sorted by owner, then it fails with InvalidPayees", async () => {
      const f = await escrowFixture();
      const sorted = sortPayees(payeesOf(f));
      const escrow = Keypair.generate();
      await expectError(f, openWithRawPayees(f, escrow, [...sorted].reverse()), "InvalidPayees");
      await openWithRawPayees(f, Keypair.generate(), sorted); // the same list in order is fine
    });

    it("when the expiry is one second ahead, or the window exactly one minute or thirty days, then it opens", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "sol");
      await f.escrow.openEscrow(terms(f, c, { expiresAt: f.t.clock().unixTimestamp + 1n, challengeWindow: 60n }));
      await f.escrow.openEscrow(terms(f, c, { challengeWindow: 30n * DAY }));
    });

    it("when the SOL deposit plus rent overflows u64, then it fails with ArithmeticOverflow", async () => {
      const f = await escrowFixture();
      const p = terms(f, await currency(f, "sol"), { deposit: U64_MAX });
      await expectUnchanged(f.t, [p.escrow.publicKey, f.client.publicKey], () =>
        expectInstructionError(f.t, f.escrow.openEscrow(p), "ArithmeticOverflow"),
      );
    });
  });

  describe("given a cluster of suppliers as payees", () => {
    it("when the client opens for one payee or for nineteen, then the payee count and hash record the list", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "sol");
      const one = terms(f, c, { payees: [{ owner: f.suppliers[0].publicKey, shareBps: 10_000 }] });
      await f.escrow.openEscrow(one);
      expect((await f.escrow.fetchEscrow(one.escrow.publicKey)).payeeCount).to.equal(1);
      const owners = Array.from({ length: 19 }, () => Keypair.generate().publicKey);
      const payees = owners.map((owner, i) => ({ owner, shareBps: i === 0 ? 10_000 - 18 * 526 : 526 }));
      const many = terms(f, c, { payees });
      await f.escrow.openEscrow(many);
      const state = await f.escrow.fetchEscrow(many.escrow.publicKey);
      expect(state.payeeCount).to.equal(19);
      expect(Buffer.from(state.payeesHash)).to.deep.equal(payeesHash(sortPayees(payees)));
    });
  });

  describe("given a token vault", () => {
    async function tokenSetup(kind: "token" | "token-2022" = "token") {
      const f = await escrowFixture();
      return { f, c: await currency(f, kind) };
    }

    it("when the client omits its token account, then it fails with FundingMismatch", async () => {
      const { f, c } = await tokenSetup();
      const p = terms(f, c);
      const ix = await f.escrow.openEscrowIx({ ...p, client: f.client.publicKey, escrow: p.escrow.publicKey });
      const absent = tamper(ix, accountIndex(f, "open_escrow", "client_token"), { pubkey: f.escrow.programId, isWritable: false });
      await expectUnchanged(f.t, [p.escrow.publicKey, c.clientToken!], () => expectError(f, sendRaw(f, absent, [f.client, p.escrow]), "FundingMismatch"));
    });

    it("when a SOL escrow is given a client token account, then it fails with FundingMismatch", async () => {
      const { f, c } = await tokenSetup();
      const p = terms(f, await currency(f, "sol"));
      const ix = await f.escrow.openEscrowIx({ ...p, client: f.client.publicKey, escrow: p.escrow.publicKey });
      const stray = tamper(ix, accountIndex(f, "open_escrow", "client_token"), { pubkey: c.clientToken!, isWritable: true });
      await expectUnchanged(f.t, [p.escrow.publicKey, c.clientToken!], () => expectError(f, sendRaw(f, stray, [f.client, p.escrow]), "FundingMismatch"));
    });

    it("when only some of the token accounts are given, then it fails with FundingMismatch", async () => {
      const { f, c } = await tokenSetup();
      const p = terms(f, c);
      const ix = await f.escrow.openEscrowIx({ ...p, client: f.client.publicKey, escrow: p.escrow.publicKey });
      const noVault = tamper(ix, accountIndex(f, "open_escrow", "vault"), { pubkey: f.escrow.programId, isWritable: false });
      await expectError(f, sendRaw(f, noVault, [f.client, p.escrow]), "FundingMismatch");
    });

    it("when the SOL mint (zero) is passed as the mint with token accounts, then it fails with FundingMismatch", async () => {
      const { f, c } = await tokenSetup();
      const p = terms(f, c);
      const ix = await f.escrow.openEscrowIx({ ...p, client: f.client.publicKey, escrow: p.escrow.publicKey });
      const zeroMint = tamper(ix, accountIndex(f, "open_escrow", "mint"), { pubkey: PublicKey.default });
      await expectError(f, sendRaw(f, zeroMint, [f.client, p.escrow]), "FundingMismatch");
    });

    it("when a SOL escrow is given token accounts, then it fails with FundingMismatch", async () => {
      const { f, c } = await tokenSetup();
      const p = terms(f, c);
      const sol = await f.escrow.openEscrowIx({ ...p, funding: SOL, client: f.client.publicKey, escrow: p.escrow.publicKey });
      const withVault = tamper(sol, accountIndex(f, "open_escrow", "vault"), { pubkey: f.escrow.vault(c.mint), isWritable: true });
      await expectError(f, sendRaw(f, withVault, [f.client, p.escrow]), "FundingMismatch");
    });

    it("when the mint vault of another mint is passed, then it fails with MintMismatch", async () => {
      const { f, c } = await tokenSetup();
      const other = await currency(f, "token");
      const p = terms(f, c);
      const ix = await f.escrow.openEscrowIx({ ...p, client: f.client.publicKey, escrow: p.escrow.publicKey });
      const wrong = tamper(ix, accountIndex(f, "open_escrow", "mint_vault"), { pubkey: f.escrow.mintVault(other.mint) });
      await expectError(f, sendRaw(f, wrong, [f.client, p.escrow]), "MintMismatch");
    });

    it("when the vault of another mint is passed, then it fails with VaultMismatch", async () => {
      const { f, c } = await tokenSetup();
      const other = await currency(f, "token");
      const p = terms(f, c);
      const ix = await f.escrow.openEscrowIx({ ...p, client: f.client.publicKey, escrow: p.escrow.publicKey });
      const wrong = tamper(ix, accountIndex(f, "open_escrow", "vault"), { pubkey: f.escrow.vault(other.mint) });
      await expectError(f, sendRaw(f, wrong, [f.client, p.escrow]), "VaultMismatch");
    });

    it("when the other token program is passed, then it fails with TokenProgramMismatch", async () => {
      const { f, c } = await tokenSetup("token-2022");
      const p = terms(f, c, { funding: { kind: "token", mint: c.mint, tokenProgram: anchor.utils.token.TOKEN_PROGRAM_ID } });
      await expectError(f, f.escrow.openEscrow(p), "TokenProgramMismatch");
    });

    it("when the mint has no vault yet, then it fails with AccountNotInitialized", async () => {
      const f = await escrowFixture();
      const mint = await f.t.createMint();
      const clientToken = await f.t.createTokenAccount({ mint, owner: f.client.publicKey });
      await f.t.mintTo(mint, clientToken, 1_000_000n);
      const p = terms(f, await currency(f, "sol"), {
        funding: { kind: "token", mint, tokenProgram: anchor.utils.token.TOKEN_PROGRAM_ID },
        clientToken,
      });
      await expectError(f, f.escrow.openEscrow(p), "AccountNotInitialized");
    });
  });

  describe("given an escrow keypair", () => {
    it("when the escrow account does not sign, then it fails with AccountNotSigner", async () => {
      const f = await escrowFixture();
      const p = terms(f, await currency(f, "sol"));
      const ix = await f.escrow.openEscrowIx({ ...p, client: f.client.publicKey, escrow: p.escrow.publicKey });
      const unsigned = tamper(ix, accountIndex(f, "open_escrow", "escrow"), { isSigner: false });
      await expectError(f, sendRaw(f, unsigned, [f.client]), "AccountNotSigner");
    });

    it("when the client does not sign, then it fails with AccountNotSigner", async () => {
      const f = await escrowFixture();
      const p = terms(f, await currency(f, "sol"));
      const ix = await f.escrow.openEscrowIx({ ...p, client: f.client.publicKey, escrow: p.escrow.publicKey });
      const unsigned = tamper(ix, accountIndex(f, "open_escrow", "client"), { isSigner: false });
      await expectUnchanged(f.t, [f.client.publicKey, p.escrow.publicKey], () => expectError(f, sendRaw(f, unsigned, [p.escrow]), "AccountNotSigner"));
    });

    it("when an escrow already lives at the address, then the System Program refuses to create it again", async () => {
      const f = await escrowFixture();
      const c = await currency(f, "sol");
      const p = terms(f, c);
      await f.escrow.openEscrow(p);
      const again = { ...terms(f, c), escrow: p.escrow };
      await expectUnchanged(f.t, [p.escrow.publicKey], () => expectSystemError(f.escrow.openEscrow(again), "AccountAlreadyInUse"));
    });
  });
});
