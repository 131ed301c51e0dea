// The fault controls, each seen through a real client: added latency, HTTP 429 and 500, JSON-RPC errors,
// dropped WebSocket connections (web3.js reconnects and resubscribes), scoping to methods, and forks.
import { expect } from "chai";
import { Keypair, LAMPORTS_PER_SOL, SystemProgram, Transaction } from "@solana/web3.js";
import { Faults } from "../../localnet/faults.js";
import { LocalnetFixture, waitFor } from "./fixture.js";

describe("localnet: fault controls", () => {
  let f: LocalnetFixture;
  before(async () => {
    f = await LocalnetFixture.start({ programs: [] });
  });
  afterEach(() => {
    f.localnet.faults.configure({});
  });
  after(async () => {
    await f.stop();
  });

  it("are all off by default", () => {
    expect(f.localnet.faults.current).to.deep.equal({});
  });

  it("adds latency to every HTTP answer", async () => {
    const connection = f.connection();
    f.localnet.faults.configure({ latencyMs: { min: 120, max: 150 } });
    const started = Date.now();
    await connection.getSlot();
    expect(Date.now() - started).to.be.at.least(115);
    f.localnet.faults.configure({});
    const fast = Date.now();
    await connection.getSlot();
    expect(Date.now() - fast).to.be.below(100);
  });

  it("adds latency to WebSocket messages, keeping their order", async () => {
    f.localnet.faults.configure({ latencyMs: { min: 0, max: 60 } });
    const socket = await f.socket();
    const started = Date.now();
    const sub = await socket.request("slotSubscribe");
    expect(sub.result).to.be.a("number");
    const slots: number[] = [];
    while (slots.length < 5) slots.push((await socket.next((m) => m.method === "slotNotification")).params.result.slot);
    expect([...slots].sort((a, b) => a - b)).to.deep.equal(slots);
    expect(Date.now() - started).to.be.at.least(25);
  });

  it("answers HTTP 429: web3.js retries with backoff, or fails when told not to retry", async () => {
    f.localnet.faults.configure({ http429Rate: 1, methods: ["getBalance"] });
    const strict = f.connection("confirmed", { disableRetryOnRateLimit: true });
    let error: unknown;
    try {
      await strict.getBalance(Keypair.generate().publicKey);
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain("429 Too Many Requests");
    expect(await strict.getSlot()).to.be.a("number"); // other methods are untouched
    f.localnet.faults.configure({ http429Rate: 0.5, seed: 7 });
    const patient = f.connection();
    for (let i = 0; i < 3; i++) expect(await patient.getBalance(Keypair.generate().publicKey)).to.equal(0);
  });

  it("answers HTTP 500", async () => {
    f.localnet.faults.configure({ http500Rate: 1 });
    let error: unknown;
    try {
      await f.connection().getSlot();
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain("500 Internal Server Error");
    const raw = await f.post({ jsonrpc: "2.0", id: 1, method: "getSlot" });
    expect(raw.status).to.equal(500);
  });

  it("answers JSON-RPC errors (-32005) at the configured rate, reproducibly with a seed", async () => {
    const outcomes = async () => {
      f.localnet.faults.configure({ rpcErrorRate: 0.5, seed: 42 });
      const codes: Array<number | "ok"> = [];
      for (let i = 0; i < 40; i++) {
        const answer = await f.rpc("getHealth");
        codes.push(answer.error ? answer.error.code : "ok");
      }
      return codes;
    };
    const first = await outcomes();
    expect(first).to.include(-32005).and.to.include("ok");
    expect(first.filter((c) => c === -32005).length).to.be.within(10, 30);
    expect(await outcomes()).to.deep.equal(first);
    const answer = await f.rpc("getHealth");
    if (answer.error) expect(answer.error).to.deep.equal({ code: -32005, message: "Node is unhealthy", data: { numSlotsBehind: null } });
    f.localnet.faults.configure({ rpcErrorRate: 1 });
    let error: unknown;
    try {
      await f.connection().getLatestBlockhash();
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain("Node is unhealthy");
  });

  it("drops WebSocket connections; web3.js reconnects and its subscriptions resume", async () => {
    const connection = f.connection();
    const slots: number[] = [];
    connection.onSlotChange((info) => slots.push(info.slot));
    await waitFor(() => slots.length > 0, 5_000, "a first slot notification");
    expect(f.localnet.dropWebSocketConnections()).to.be.at.least(1);
    const afterDrop = slots.length;
    await waitFor(() => slots.length > afterDrop + 2, 5_000, "slot notifications after reconnecting");
    // At a rate: every message drops its connection; the client keeps reconnecting and gets nothing.
    const socket = await f.socket();
    f.localnet.faults.configure({ wsDropRate: 1 });
    const closed = new Promise<number>((resolve) => socket.ws.once("close", (code) => resolve(code)));
    socket.sendRaw(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "slotSubscribe" }));
    expect(await closed).to.equal(1006);
  });

  it("forks automatically: clients on finalized blockhashes resend what a fork dropped and finish", async () => {
    const payer = await f.funded(10);
    await f.finalized(f.localnet.chain.slot("confirmed"));
    f.localnet.faults.configure({ fork: { everySlots: 4, depth: 1 } });
    let forks = 0;
    const stopWatching = f.localnet.chain.addListener({ onFork: () => forks++ });
    // A finalized blockhash: a fork can drop a confirmed block, and with it the blockhashes it made.
    const connection = f.connection("finalized");
    const to = Keypair.generate().publicKey;
    for (let i = 0; i < 3; i++) {
      const tx = new Transaction().add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL }));
      const { blockhash } = await connection.getLatestBlockhash();
      tx.recentBlockhash = blockhash;
      tx.sign(payer);
      const wire = tx.serialize();
      // Resend until final, as a client of a cluster with forks does (bounded).
      const signature = await connection.sendRawTransaction(wire);
      await waitFor(
        async () => {
          const status = (await connection.getSignatureStatus(signature)).value;
          if (status === null) await connection.sendRawTransaction(wire, { skipPreflight: true });
          return status?.confirmationStatus === "finalized";
        },
        10_000,
        "the transfer to be final",
      );
    }
    stopWatching();
    expect(await connection.getBalance(to)).to.equal(3 * LAMPORTS_PER_SOL);
    expect(forks).to.be.at.least(1);
  });

  it("refuses rates outside [0, 1] and nonsense latency", () => {
    expect(() => new Faults({ http429Rate: 1.5 })).to.throw("http429Rate");
    expect(() => new Faults({ http429Rate: 0.6, http500Rate: 0.6 })).to.throw("must not exceed 1");
    expect(() => new Faults({ latencyMs: { min: 10, max: 5 } })).to.throw("latencyMs");
    expect(() => new Faults({ fork: { everySlots: 0, depth: 1 } })).to.throw("everySlots");
  });
});
