// Compute units of every escrow instruction, each run once in LiteSVM in a realistic state
// (SOL and token escrows, a 4-payee split for settle).
import { Keypair, LAMPORTS_PER_SOL } from "@solana/web3.js";
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import type { EscrowClient, Funding, Payee } from "../../../ts-client/src/index.js";
import { escrowFixture, HOUR } from "../../../tests/escrow/fixture.js";
import type { CuRow, CuScenario } from "./types.js";

export const escrowCuScenario: CuScenario = async () => {
  const rows: CuRow[] = [];
  const f = await escrowFixture({ initialize: false, suppliers: 4 });
  const { t, escrow } = f;
  const measure = async (instruction: string, caseName: string, run: () => Promise<unknown>) => {
    await run();
    rows.push({ program: "escrow", instruction, case: caseName, cu: Number(t.lastResult!.computeUnitsConsumed) });
  };
  const payees: Payee[] = f.suppliers.map((s) => ({ owner: s.publicKey, shareBps: 2_500 }));

  await measure("initialize_config", "first and only", () =>
    escrow.initializeConfig({ admin: f.admin, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: 250 }),
  );
  await measure("update_config", "fee, treasury, arbiter", () =>
    escrow.updateConfig({ admin: f.admin, treasury: f.treasury.publicKey, arbiter: f.arbiter.publicKey, feeBps: 250, paused: false }),
  );
  const nextAdmin = t.fundedKeypair();
  await measure("propose_admin", "nominate", () => escrow.proposeAdmin({ admin: f.admin, newAdmin: nextAdmin.publicKey }));
  await measure("accept_admin", "nominee accepts", () => escrow.acceptAdmin({ newAdmin: nextAdmin }));

  // token side: a mint, its vault, a funded client token account
  const mint = await t.createMint({ decimals: 6, programId: TOKEN_PROGRAM_ID });
  const clientToken = await t.createTokenAccount({ mint, owner: f.client.publicKey });
  await t.mintTo(mint, clientToken, 1_000_000_000_000n);
  const token: Funding = { kind: "token", mint, tokenProgram: TOKEN_PROGRAM_ID };
  await measure("create_mint_vault", "SPL Token mint", () => escrow.createMintVault({ mint, tokenProgram: TOKEN_PROGRAM_ID }));
  await measure("open_earnings", "SOL", () => escrow.openEarnings({ owner: f.treasury.publicKey }));
  for (const s of f.suppliers) await escrow.openEarnings({ owner: s.publicKey });
  await escrow.openEarnings({ owner: f.treasury.publicKey, mint });
  for (const s of f.suppliers) await escrow.openEarnings({ owner: s.publicKey, mint });

  const open = (funding: Funding, deposit: bigint, window = HOUR) =>
    escrow.openEscrow({
      client: f.client,
      escrow: Keypair.generate(),
      provider: f.provider.publicKey,
      providerMeter: f.meter.publicKey,
      payees,
      maxPricePerUnit: 1_000_000n,
      expiresAt: t.clock().unixTimestamp + 30n * 24n * HOUR,
      challengeWindow: window,
      deposit,
      funding,
      clientToken: funding.kind === "token" ? clientToken : undefined,
    });
  let solEscrow = (await open({ kind: "sol" }, 5n * BigInt(LAMPORTS_PER_SOL))).escrow;
  rows.push({ program: "escrow", instruction: "open_escrow", case: "SOL deposit, 4 payees", cu: cu(t) });
  const tokenEscrow = (await open(token, 500_000_000n)).escrow;
  rows.push({ program: "escrow", instruction: "open_escrow", case: "token deposit (TransferChecked), 4 payees", cu: cu(t) });

  await measure("fund_escrow", "SOL", () => escrow.fundEscrow({ client: f.client, escrow: solEscrow, amount: 1_000n, funding: { kind: "sol" } }));
  await measure("fund_escrow", "token", () => escrow.fundEscrow({ client: f.client, escrow: tokenEscrow, amount: 1_000n, funding: token, clientToken }));
  const usage = (n: number) => Buffer.alloc(32, n);
  await measure("charge", "first charge of a window", () => escrow.charge({ meter: f.meter, escrow: solEscrow, units: 100n, amount: 1_000_000n, usageRef: usage(1) }));
  await measure("charge", "same window (bucket exists)", () => escrow.charge({ meter: f.meter, escrow: solEscrow, units: 100n, amount: 1_000_000n, usageRef: usage(2) }));
  await escrow.charge({ meter: f.meter, escrow: tokenEscrow, units: 100n, amount: 1_000_000n, usageRef: usage(3) });
  const window = t.clock().unixTimestamp / HOUR;
  await measure("dispute_charges", "part of a bucket", () => escrow.disputeCharges({ client: f.client, escrow: solEscrow, window, amount: 500_000n, usageRef: usage(2) }));
  await measure("resolve_dispute", "split", () => escrow.resolveDispute({ arbiter: f.arbiter, escrow: solEscrow, window, toProvider: 250_000n }));
  await measure("approve_charges", "early approval", () => escrow.approveCharges({ client: f.client, escrow: solEscrow, window }));
  await measure("settle", "SOL, 4 payees", () => escrow.settle({ escrow: solEscrow, payees, treasury: f.treasury.publicKey }));
  t.advance({ seconds: 3n * HOUR });
  await measure("settle", "token, 4 payees (matures on the way)", () => escrow.settle({ escrow: tokenEscrow, payees, treasury: f.treasury.publicKey, mint }));
  const supplier = f.suppliers[0]!;
  await measure("withdraw_earnings", "SOL", () =>
    escrow.withdrawEarnings({ owner: supplier, destination: supplier.publicKey, amount: 1_000n, funding: { kind: "sol" } }),
  );
  const supplierToken = await t.createTokenAccount({ mint, owner: supplier.publicKey });
  await measure("withdraw_earnings", "token (TransferChecked)", () =>
    escrow.withdrawEarnings({ owner: supplier, destination: supplierToken, amount: 1_000n, funding: token }),
  );
  await measure("request_close", "notice", () => escrow.requestClose({ client: f.client, escrow: solEscrow }));
  t.advance({ seconds: 2n * HOUR });
  await measure("refund", "SOL", () => escrow.refund({ client: f.client, escrow: solEscrow, funding: { kind: "sol" } }));
  await escrow.requestClose({ client: f.client, escrow: tokenEscrow });
  t.advance({ seconds: 2n * HOUR });
  await measure("refund", "token (TransferChecked)", () => escrow.refund({ client: f.client, escrow: tokenEscrow, funding: token, clientToken }));
  await measure("close_escrow", "empty SOL escrow", () => escrow.closeEscrow({ client: f.client, escrow: solEscrow }));
  solEscrow = tokenEscrow;
  return rows;
};

function cu(t: { lastResult: { computeUnitsConsumed: bigint } | null }): number {
  return Number(t.lastResult!.computeUnitsConsumed);
}

export type { EscrowClient };
