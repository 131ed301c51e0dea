// The node's pieces on their own: the wire parser, base58, JSON with exact u64s, the raw zstd frame, fees as the
// runtime charges them, the account history behind commitments and forks, ledger limits, and the command line.
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bs58 from "bs58";
import {
  ComputeBudgetProgram,
  Keypair,
  LAMPORTS_PER_SOL,
  SystemProgram,
  Transaction,
  TransactionMessage,
  VersionedTransaction,
} from "@solana/web3.js";
import { AccountHistory } from "../../localnet/chain/account-history.js";
import { base58Decode, base58Encode } from "../../localnet/chain/base58.js";
import type { AccountState } from "../../localnet/chain/native.js";
import { uiTokenAmount } from "../../localnet/chain/tokens.js";
import { WireFormatError, parseTransaction } from "../../localnet/chain/wire.js";
import { parseCliArgs } from "../../localnet/cli-options.js";
import { isLoopback, startLocalnet } from "../../localnet/index.js";
import { toJson } from "../../localnet/rpc/json.js";
import { zstdRawFrame } from "../../localnet/rpc/zstd.js";
import { LocalnetFixture } from "./fixture.js";

function account(lamports: bigint): AccountState {
  return { lamports, data: Buffer.alloc(0), owner: Buffer.alloc(32), executable: false, rentEpoch: 0n };
}

describe("localnet: pieces", () => {
  it("parses legacy and v0 transactions and refuses malformed ones with a reason", () => {
    const payer = Keypair.generate();
    const legacy = new Transaction({ feePayer: payer.publicKey, recentBlockhash: Keypair.generate().publicKey.toBase58() }).add(
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 1 }),
    );
    legacy.sign(payer);
    const parsed = parseTransaction(legacy.serialize());
    expect(parsed.message.version).to.equal("legacy");
    expect(parsed.message.staticKeys).to.have.length(3);
    expect(parsed.message.instructions[0].data.readUInt32LE(0)).to.equal(2);
    const v0 = new VersionedTransaction(
      new TransactionMessage({ payerKey: payer.publicKey, recentBlockhash: legacy.recentBlockhash!, instructions: legacy.instructions }).compileToV0Message(),
    );
    v0.sign([payer]);
    expect(parseTransaction(Buffer.from(v0.serialize())).message.version).to.equal(0);
    const wire = legacy.serialize();
    const refuse = (bytes: Buffer, reason: string) => expect(() => parseTransaction(bytes)).to.throw(WireFormatError, reason);
    refuse(wire.subarray(0, wire.length - 1), "unexpected end");
    refuse(Buffer.concat([wire, Buffer.of(0)]), "trailing bytes");
    refuse(Buffer.concat([Buffer.of(2), wire.subarray(1, 65), wire.subarray(1)]), "2 signatures for a message that requires 1");
    const v1 = Buffer.from(v0.serialize());
    v1[65] = 0x81;
    refuse(v1, "unsupported transaction version 1");
    refuse(Buffer.alloc(1300), "too large");
  });

  it("encodes and decodes base58 exactly as bs58 does", () => {
    // Keys and signatures, instruction data up to and past the scratch buffers (128 bytes), leading zeros.
    const lengths = [0, 1, 5, 31, 32, 33, 64, 93, 94, 100, 127, 128, 129, 200, 300];
    for (let i = 0; i < 3_000; i++) {
      const bytes = randomBytes(lengths[i % lengths.length]);
      if (i % 3 === 0) bytes.fill(0, 0, Math.min(bytes.length, [2, 40, 300][i % 9 === 0 ? 2 : i % 2]));
      const text = bs58.encode(bytes);
      expect(base58Encode(bytes)).to.equal(text);
      expect(Buffer.from(base58Decode(text)!)).to.deep.equal(bytes);
    }
    expect(base58Encode(new Uint8Array(32))).to.equal("11111111111111111111111111111111");
    for (const text of ["", "1", "11", "2", "z", "1z", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"]) {
      expect(Buffer.from(base58Decode(text)!)).to.deep.equal(Buffer.from(bs58.decode(text)));
    }
    // Outside the alphabet: 0, O, I, l, non-ASCII.
    for (const text of ["0", "abc0", "O1", "I", "l", "é", "abc\u0100", " 1"]) expect(base58Decode(text)).to.equal(undefined);
  });

  it("writes JSON as JSON.stringify does, with bigints as exact numbers", () => {
    const reference = (value: unknown) =>
      JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `@${v}@` : v)).replace(/"@(\d+)@"/g, "$1");
    const values: unknown[] = [
      { jsonrpc: "2.0", result: { slot: 5, value: [1, "two", null, true, { nested: [[]] }] }, id: 1 },
      { a: 18_446_744_073_709_551_615n, b: [1n, 2, 9_007_199_254_740_993n], c: { d: { e: 0n } } },
      { skipped: undefined, fn: () => 1, date: new Date(0), buffer: Buffer.from([1, 2]), text: 'quote " and \u0000' },
      [undefined, { toJSON: () => ({ inner: 7n }) }],
      "plain",
      42,
      null,
    ];
    for (const value of values) expect(toJson(value)).to.equal(reference(value));
    expect(toJson({ lamports: 500_000_000_000_000_000n })).to.equal('{"lamports":500000000000000000}');
  });

  it("frames base64+zstd data as raw zstd blocks", () => {
    const data = randomBytes(300_000);
    const frame = zstdRawFrame(data);
    expect(frame.readUInt32LE(0)).to.equal(0xfd2fb528);
    expect(frame.readBigUInt64LE(5)).to.equal(300_000n);
    // Three raw blocks (128 KiB max each) of 3-byte headers: the content follows unchanged.
    expect(frame.length).to.equal(13 + 300_000 + 3 * 3);
    const first = frame.readUIntLE(13, 3);
    expect(first & 1).to.equal(0);
    expect(first >> 3).to.equal(128 * 1024);
    expect(frame.subarray(16, 16 + 10)).to.deep.equal(data.subarray(0, 10));
    expect(zstdRawFrame(Buffer.alloc(0)).length).to.equal(16);
  });

  it("formats UI token amounts as a node does", () => {
    expect(uiTokenAmount(1_500_000n, 6)).to.deep.equal({ amount: "1500000", decimals: 6, uiAmount: 1.5, uiAmountString: "1.5" });
    expect(uiTokenAmount(0n, 9)).to.deep.include({ uiAmountString: "0", uiAmount: 0 });
    expect(uiTokenAmount(42n, 0)).to.deep.include({ uiAmountString: "42" });
    expect(uiTokenAmount(5n, 3).uiAmountString).to.equal("0.005");
  });

  it("gives accounts as they were at an unfinalized slot, and undoes slots", () => {
    const history = new AccountHistory();
    const key = Buffer.alloc(32, 1);
    let current: AccountState | null = account(30n);
    history.recordWrite(5, "a", key, null);
    history.recordWrite(5, "a", key, account(10n)); // only the first write of a slot counts
    history.recordWrite(7, "a", key, account(20n));
    expect(history.stateAt("a", 4, () => current)).to.equal(null);
    expect(history.stateAt("a", 5, () => current)!.lamports).to.equal(20n);
    expect(history.stateAt("a", 7, () => current)!.lamports).to.equal(30n);
    expect([...history.writtenAfter(5).keys()]).to.deep.equal(["a"]);
    const undone = history.undoFrom(6);
    expect(undone.map((u) => u.state?.lamports)).to.deep.equal([20n]);
    current = undone[0].state;
    history.forget(5);
    expect(history.size).to.equal(0);
    expect(history.stateAt("a", 1, () => current)!.lamports).to.equal(20n);
  });

  it("charges the fee it reports: signatures plus the prioritization fee, with or without a unit limit", async () => {
    const f = await LocalnetFixture.start({ programs: [], slotMs: 0 });
    try {
      const payer = Keypair.generate();
      f.localnet.chain.airdrop(payer.publicKey, 10n * BigInt(LAMPORTS_PER_SOL));
      f.localnet.advanceSlots(1);
      const cases = [
        { ixs: [], fee: 5_000 },
        { ixs: [ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 1_000 })], fee: 5_000 + 6 },
        { ixs: [ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 3 }), ComputeBudgetProgram.setComputeUnitLimit({ units: 1_000_001 })], fee: 5_000 + 4 },
      ];
      for (const { ixs, fee } of cases) {
        const second = Keypair.generate();
        const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: f.localnet.chain.latestBlockhash("confirmed").blockhash }).add(
          ...ixs,
          SystemProgram.transfer({ fromPubkey: second.publicKey, toPubkey: payer.publicKey, lamports: 0 }),
        );
        tx.sign(payer, second);
        const before = f.localnet.chain.account(payer.publicKey.toBuffer(), "processed")!.lamports;
        const result = f.localnet.chain.submit(tx.serialize());
        expect(result.status).to.equal("landed");
        if (result.status !== "landed") return;
        const charged = before - f.localnet.chain.account(payer.publicKey.toBuffer(), "processed")!.lamports;
        expect(result.record.meta.fee).to.equal(fee + 5_000); // two signatures
        expect(Number(charged)).to.equal(result.record.meta.fee);
      }
    } finally {
      await f.stop();
    }
  });

  it("cleans up the oldest final blocks beyond its ledger limits, as a node with a ledger limit", async () => {
    const f = await LocalnetFixture.start({ programs: [], slotMs: 0, finalityDepth: 0, ledgerLimits: { maxTransactions: 3, maxBlocks: 1_000 } });
    try {
      const signatures: string[] = [];
      for (let i = 0; i < 6; i++) {
        const result = f.localnet.chain.airdrop(Keypair.generate().publicKey, BigInt(LAMPORTS_PER_SOL));
        signatures.push(result.signature);
        f.localnet.advanceSlots(1);
      }
      const first = (await f.rpc("getFirstAvailableBlock")).result;
      expect(first).to.be.greaterThan(1);
      const cleaned = await f.rpc("getBlock", [1, { commitment: "confirmed" }]);
      expect(cleaned.error).to.deep.equal({ code: -32001, message: `Block 1 cleaned up, does not exist on node. First available block: ${first}` });
      expect((await f.rpc("getTransaction", [signatures[0], { commitment: "confirmed" }])).result).to.equal(null);
      expect((await f.rpc("getTransaction", [signatures[5], { commitment: "confirmed" }])).result).to.not.equal(null);
      expect(f.localnet.chain.ledger.size.transactions).to.be.at.most(3);
    } finally {
      await f.stop();
    }
  });

  it("listens on loopback only and checks its options", async () => {
    expect(isLoopback("127.0.0.1") && isLoopback("127.3.4.5") && isLoopback("::1") && isLoopback("localhost")).to.equal(true);
    expect(isLoopback("0.0.0.0") || isLoopback("10.0.0.1")).to.equal(false);
    for (const options of [{ host: "0.0.0.0" }, { rpcPort: 70_000 }, { slotMs: -1 }, { programs: ["nope"] }]) {
      let error: unknown;
      try {
        const localnet = await startLocalnet({ rpcPort: 0, ...options });
        await localnet.stop();
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(options)).to.be.instanceOf(Error);
    }
  });

  it("parses the command line into options", () => {
    const home = mkdtempSync(join(tmpdir(), "infergrid-home-"));
    try {
      expect(parseCliArgs(["--help"], home)).to.deep.equal({ help: true });
      const command = parseCliArgs(
        ["--rpc-port", "9000", "--slot-ms=100", "--no-ledger", "--programs", "escrow", "--latency-ms", "5-10", "--http-429-rate", "0.1", "--fork-every", "8"],
        home,
      );
      expect(command.help).to.equal(false);
      if (command.help) return;
      expect(command.options).to.deep.include({ rpcPort: 9000, slotMs: 100, dataDir: undefined, programs: ["escrow"] });
      expect(command.options.faults).to.deep.equal({ latencyMs: { min: 5, max: 10 }, http429Rate: 0.1, fork: { everySlots: 8, depth: 2 } });
      expect(parseCliArgs([], home)).to.deep.include({ help: false });
      expect((parseCliArgs([], home) as { options: { dataDir?: string } }).options.dataDir).to.equal(".localnet-ledger");
      expect(() => parseCliArgs(["--bogus", "1"], home)).to.throw("unknown option --bogus");
      expect(() => parseCliArgs(["--rpc-port"], home)).to.throw("needs a value");
      const wallet = join(home, "id.json");
      const keypair = Keypair.generate();
      writeFileSync(wallet, JSON.stringify([...keypair.secretKey]));
      const withWallet = parseCliArgs(["--upgrade-authority", wallet], home) as { options: { upgradeAuthority?: Keypair } };
      expect(withWallet.options.upgradeAuthority!.publicKey.toBase58()).to.equal(keypair.publicKey.toBase58());
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
