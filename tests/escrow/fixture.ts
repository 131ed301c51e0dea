// A LiteSVM with the escrow program deployed through the upgradeable loader, its config initialized,
// and the parties of a typical escrow funded. Each test builds its own (a fresh chain per test).
import { Keypair, LAMPORTS_PER_SOL, type PublicKey } from "@solana/web3.js";
import { TestSvm } from "../harness/index.js";
import { EscrowClient, escrowClient, type Payee, SOL, type Funding } from "../../ts-client/src/index.js";

export interface EscrowFixture {
  readonly t: TestSvm;
  readonly escrow: EscrowClient;
  readonly admin: Keypair;
  readonly treasury: Keypair;
  readonly arbiter: Keypair;
  readonly client: Keypair;
  readonly provider: Keypair;
  readonly meter: Keypair;
  readonly suppliers: Keypair[];
}

export const FEE_BPS = 250;
export const HOUR = 3600n;

/** Fresh chain; `initialize` false leaves the config uncreated. */
export async function escrowFixture(options: { initialize?: boolean; suppliers?: number } = {}): Promise<EscrowFixture> {
  const t = TestSvm.create({ programs: ["escrow"] });
  t.warp({ unixTimestamp: 1_800_000_000n });
  const escrow = escrowClient(t.provider, t.programs.escrow);
  const admin = t.payer; // the fixture's payer is the upgrade authority of the deployed program
  const treasury = t.fundedKeypair();
  const arbiter = t.fundedKeypair();
  const client = t.fundedKeypair(1_000n * BigInt(LAMPORTS_PER_SOL));
  const provider = t.fundedKeypair();
  const meter = t.fundedKeypair();
  const suppliers = Array.from({ length: options.suppliers ?? 2 }, () => t.fundedKeypair());
  if (options.initialize ?? true) {
    await escrow.initializeConfig({ admin, treasury: treasury.publicKey, arbiter: arbiter.publicKey, feeBps: FEE_BPS });
    await escrow.openEarnings({ owner: treasury.publicKey });
    for (const s of suppliers) await escrow.openEarnings({ owner: s.publicKey });
  }
  return { t, escrow, admin, treasury, arbiter, client, provider, meter, suppliers };
}

/** Equal shares between the fixture's suppliers. */
export function payeesOf(f: EscrowFixture): Payee[] {
  const n = f.suppliers.length;
  const base = Math.floor(10_000 / n);
  return f.suppliers.map((s, i) => ({ owner: s.publicKey, shareBps: base + (i === 0 ? 10_000 - base * n : 0) }));
}

/** Opens an escrow from the fixture's client with sensible terms; returns its address. */
export async function openEscrow(
  f: EscrowFixture,
  overrides: { deposit?: bigint; funding?: Funding; clientToken?: PublicKey; expiresIn?: bigint; window?: bigint; maxPrice?: bigint } = {},
): Promise<PublicKey> {
  const now = f.t.clock().unixTimestamp;
  const { escrow } = await f.escrow.openEscrow({
    client: f.client,
    escrow: Keypair.generate(),
    provider: f.provider.publicKey,
    providerMeter: f.meter.publicKey,
    payees: payeesOf(f),
    maxPricePerUnit: overrides.maxPrice ?? 1_000_000n,
    expiresAt: now + (overrides.expiresIn ?? 30n * 24n * HOUR),
    challengeWindow: overrides.window ?? HOUR,
    deposit: overrides.deposit ?? 5n * BigInt(LAMPORTS_PER_SOL),
    funding: overrides.funding ?? SOL,
    clientToken: overrides.clientToken,
  });
  return escrow;
}
