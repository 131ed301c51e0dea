// Every PubSub subscription through web3.js's listeners (accountSubscribe, programSubscribe, logsSubscribe,
// signatureSubscribe, slotSubscribe, rootSubscribe), their unsubscribes, and the protocol on a raw socket.
import { expect } from "chai";
import {
  type Commitment,
  Keypair,
  LAMPORTS_PER_SOL,
  type PublicKey,
  SystemProgram,
  Transaction,
  type Connection,
} from "@solana/web3.js";
import bs58 from "bs58";
import { LocalnetFixture, firstEvent, waitFor } from "./fixture.js";

describe("localnet: WebSocket subscriptions", () => {
  let f: LocalnetFixture;
  before(async () => {
    f = await LocalnetFixture.start({ programs: [] });
  });
  after(async () => {
    await f.stop();
  });

  async function transfer(connection: Connection, payer: Keypair, to: PublicKey, lamports = LAMPORTS_PER_SOL): Promise<string> {
    return connection.sendTransaction(new Transaction().add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports })), [payer]);
  }

  /** Lets a subscription request reach the node before the event it waits for. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  it("accountSubscribe notifies at processed, confirmed and finalized, each with its slot", async () => {
    const connection = f.connection();
    const payer = await f.funded(10);
    const to = Keypair.generate().publicKey;
    const levels: Commitment[] = ["processed", "confirmed", "finalized"];
    const seen = levels.map((commitment) =>
      firstEvent<{ lamports: number; slot: number }>((deliver) => {
        connection.onAccountChange(to, (account, context) => deliver({ lamports: account.lamports, slot: context.slot }), { commitment });
      }, `${commitment} account notification`),
    );
    await settle();
    const signature = await transfer(connection, payer, to);
    const [processed, confirmed, finalized] = await Promise.all(seen);
    const { slot } = (await connection.getTransaction(signature, { maxSupportedTransactionVersion: 0 }))!;
    for (const event of [processed, confirmed, finalized]) expect(event).to.deep.equal({ lamports: LAMPORTS_PER_SOL, slot });
  });

  it("programSubscribe notifies accounts of the program that pass the filters", async () => {
    const connection = f.connection();
    const payer = await f.funded(10);
    const owner = Keypair.generate().publicKey;
    const small = Keypair.generate();
    const large = Keypair.generate();
    const created = firstEvent<{ pubkey: string; size: number }>((deliver) => {
      connection.onProgramAccountChange(owner, (info) => deliver({ pubkey: info.accountId.toBase58(), size: info.accountInfo.data.length }), {
        commitment: "confirmed",
        filters: [{ dataSize: 64 }],
      });
    }, "program notification");
    await settle();
    const tx = new Transaction().add(
      SystemProgram.createAccount({ fromPubkey: payer.publicKey, newAccountPubkey: small.publicKey, lamports: LAMPORTS_PER_SOL, space: 8, programId: owner }),
      SystemProgram.createAccount({ fromPubkey: payer.publicKey, newAccountPubkey: large.publicKey, lamports: LAMPORTS_PER_SOL, space: 64, programId: owner }),
    );
    await connection.sendTransaction(tx, [payer, small, large]);
    expect(await created).to.deep.equal({ pubkey: large.publicKey.toBase58(), size: 64 });
  });

  it("logsSubscribe delivers every transaction's logs ('all') and those mentioning an address", async () => {
    const connection = f.connection();
    const payer = await f.funded(10);
    const to = Keypair.generate().publicKey;
    const mentioned = firstEvent<{ signature: string; logs: string[] }>((deliver) => {
      connection.onLogs(to, (logs) => deliver({ signature: logs.signature, logs: logs.logs }), "confirmed");
    }, "logs mentioning the address");
    const all: string[] = [];
    const subscription = connection.onLogs("all", (logs) => all.push(logs.signature), "processed");
    await settle();
    const signature = await transfer(connection, payer, to);
    const event = await mentioned;
    expect(event.signature).to.equal(signature);
    expect(event.logs).to.deep.equal(["Program 11111111111111111111111111111111 invoke [1]", "Program 11111111111111111111111111111111 success"]);
    await waitFor(() => all.includes(signature), 5_000, "the 'all' logs notification");
    await connection.removeOnLogsListener(subscription);
  });

  it("signatureSubscribe reports the result at the commitment, failures included, and reception when asked", async () => {
    const connection = f.connection();
    const payer = await f.funded(1);
    const tx = new Transaction().add(
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 5 * LAMPORTS_PER_SOL }),
    );
    tx.recentBlockhash = (await connection.getLatestBlockhash()).blockhash;
    tx.sign(payer);
    const id = bs58.encode(tx.signature!);
    const status = firstEvent<unknown>((deliver) => connection.onSignature(id, (result) => deliver(result.err), "confirmed"), "signature notification");
    // web3.js ends a subscription at its first notification, so reception is watched on a raw socket.
    const socket = await f.socket();
    const sub = await socket.request("signatureSubscribe", [id, { commitment: "finalized", enableReceivedNotification: true }]);
    await settle();
    await connection.sendRawTransaction(tx.serialize(), { skipPreflight: true });
    expect(await status).to.deep.equal({ InstructionError: [0, { Custom: 1 }] });
    const received = await socket.next((m) => m.params?.subscription === sub.result);
    expect(received.params.result.value).to.equal("receivedSignature");
    const final = await socket.next((m) => m.params?.subscription === sub.result);
    expect(final.params.result.value).to.deep.equal({ err: { InstructionError: [0, { Custom: 1 }] } });
    // The subscription ended with its notification.
    expect((await socket.request("signatureUnsubscribe", [sub.result])).error.code).to.equal(-32602);
    // Subscribing to a signature that already reached the commitment answers at once.
    const late = firstEvent<unknown>((deliver) => connection.onSignature(id, (result) => deliver(result.err), "confirmed"), "late signature notification");
    expect(await late).to.deep.equal({ InstructionError: [0, { Custom: 1 }] });
  });

  it("slotSubscribe follows the clock and rootSubscribe the finalized slot", async () => {
    const connection = f.connection();
    const slots: Array<{ slot: number; parent: number; root: number }> = [];
    const slotListener = connection.onSlotChange((info) => slots.push(info));
    const roots: number[] = [];
    const rootListener = connection.onRootChange((root) => roots.push(root));
    await waitFor(() => slots.length >= 3 && roots.length >= 2, 5_000, "slot and root notifications");
    for (let i = 1; i < slots.length; i++) expect(slots[i].slot).to.be.greaterThan(slots[i - 1].slot);
    expect(slots[0].parent).to.equal(slots[0].slot - 1);
    expect(slots[0].root).to.be.at.most(slots[0].parent - 2);
    expect(roots[1]).to.be.greaterThan(roots[0]);
    await connection.removeSlotChangeListener(slotListener);
    await connection.removeRootChangeListener(rootListener);
  });

  it("answers subscribe with an id, unsubscribe with true, and refuses unknown ids and methods", async () => {
    const socket = await f.socket();
    const payer = await f.funded(10);
    const sub = await socket.request("accountSubscribe", [payer.publicKey.toBase58(), { commitment: "processed", encoding: "base64" }]);
    expect(sub.result).to.be.a("number");
    const connection = f.connection();
    await transfer(connection, payer, Keypair.generate().publicKey);
    const notification = await socket.next((m) => m.method === "accountNotification");
    expect(notification.params.subscription).to.equal(sub.result);
    expect(notification.params.result.value).to.deep.include({ owner: SystemProgram.programId.toBase58(), executable: false, space: 0 });
    expect(notification.params.result.context.slot).to.be.a("number");
    expect((await socket.request("accountUnsubscribe", [sub.result])).result).to.equal(true);
    expect((await socket.request("accountUnsubscribe", [sub.result])).error).to.deep.equal({ code: -32602, message: "Invalid subscription id." });
    const slot = await socket.request("slotSubscribe");
    expect((await socket.request("logsUnsubscribe", [slot.result])).error.code).to.equal(-32602);
    expect((await socket.request("slotUnsubscribe", [slot.result])).result).to.equal(true);
    for (const method of ["programUnsubscribe", "signatureUnsubscribe", "rootUnsubscribe"]) {
      expect((await socket.request(method, [123_456])).error.code).to.equal(-32602);
    }
    expect((await socket.request("blockSubscribe", ["all"])).error).to.deep.include({ code: -32601, message: "Method not found: blockSubscribe" });
    expect((await socket.request("logsSubscribe", [{ mentions: ["a", "b"] }])).error).to.deep.equal({
      code: -32602,
      message: "Invalid Request: Only 1 address supported",
    });
    expect((await socket.request("accountSubscribe", ["not-a-key"])).error.code).to.equal(-32602);
    socket.sendRaw("{nope");
    expect((await socket.next((m) => m.error?.code === -32700)).id).to.equal(null);
    socket.sendRaw(JSON.stringify({ id: 9, method: "slotSubscribe" }));
    expect((await socket.next((m) => m.id === 9)).error.code).to.equal(-32600);
  });
});
