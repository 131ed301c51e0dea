// The JSON-RPC envelope over HTTP: batches, notifications, and every malformed input answered with the
// error a Solana node gives (-32700, -32600, -32601 naming the method, -32602), never a crash.
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { Keypair } from "@solana/web3.js";
import { LocalnetFixture } from "./fixture.js";

describe("localnet: JSON-RPC protocol", () => {
  let f: LocalnetFixture;
  before(async () => {
    f = await LocalnetFixture.start({ programs: [] });
  });
  after(async () => {
    await f.stop();
  });

  it("answers a batch in order, and nothing for notifications", async () => {
    const answer = await f.post([
      { jsonrpc: "2.0", id: 1, method: "getHealth" },
      { jsonrpc: "2.0", method: "getHealth" },
      { jsonrpc: "2.0", id: "two", method: "getGenesisHash" },
      { jsonrpc: "2.0", id: 3, method: "nope" },
    ]);
    expect(answer.body).to.deep.equal([
      { jsonrpc: "2.0", result: "ok", id: 1 },
      { jsonrpc: "2.0", result: f.localnet.genesisHash, id: "two" },
      { jsonrpc: "2.0", error: { code: -32601, message: "Method not found: nope", data: { method: "nope" } }, id: 3 },
    ]);
    const silent = await f.post({ jsonrpc: "2.0", method: "getHealth" });
    expect(silent).to.deep.include({ status: 200, text: "" });
  });

  it("answers -32700 to what is not JSON and -32600 to what is not a request", async () => {
    expect((await f.post("{not json")).body).to.deep.equal({ jsonrpc: "2.0", error: { code: -32700, message: "Parse error" }, id: null });
    const invalid = { code: -32600, message: "Invalid request" };
    expect((await f.post([])).body).to.deep.equal({ jsonrpc: "2.0", error: invalid, id: null });
    expect((await f.post("42")).body).to.deep.equal({ jsonrpc: "2.0", error: invalid, id: null });
    expect((await f.post({ id: 1, method: "getHealth" })).body).to.deep.equal({ jsonrpc: "2.0", error: invalid, id: 1 });
    expect((await f.post({ jsonrpc: "1.0", id: 2, method: "getHealth" })).body.error).to.deep.equal(invalid);
    expect((await f.post({ jsonrpc: "2.0", id: 3, method: 7 })).body.error).to.deep.equal(invalid);
    expect((await f.post({ jsonrpc: "2.0", id: { x: 1 }, method: "getHealth" })).body).to.deep.equal({ jsonrpc: "2.0", error: invalid, id: null });
    expect((await f.post([1, "x"])).body).to.deep.equal([
      { jsonrpc: "2.0", error: invalid, id: null },
      { jsonrpc: "2.0", error: invalid, id: null },
    ]);
  });

  it("answers -32602 to wrong params, saying what is wrong", async () => {
    const cases: Array<[string, unknown[] | undefined, string]> = [
      ["getBalance", undefined, "expected at least 1 parameter"],
      ["getBalance", ["not-base58-0OIl"], "Invalid param: Invalid"],
      ["getBalance", ["abc"], "Invalid param: WrongSize"],
      ["getBalance", [Keypair.generate().publicKey.toBase58(), { commitment: "soon" }], "unknown commitment"],
      ["getAccountInfo", [Keypair.generate().publicKey.toBase58(), { encoding: "hex" }], "unknown variant `hex`"],
      ["getAccountInfo", [Keypair.generate().publicKey.toBase58(), { encoding: "jsonParsed", dataSlice: { offset: 0, length: 1 } }], "Sliced account data"],
      ["getMultipleAccounts", [Array.from({ length: 101 }, () => Keypair.generate().publicKey.toBase58())], "Too many inputs provided; max 100"],
      ["getProgramAccounts", [Keypair.generate().publicKey.toBase58(), { filters: [{}, {}, {}, {}, {}] }], "Too many filters provided; max 4"],
      ["getProgramAccounts", [Keypair.generate().publicKey.toBase58(), { filters: [{ memcmp: { offset: -1, bytes: "1" } }] }], "memcmp.offset"],
      ["getSignatureStatuses", [["x"]], "Invalid param"],
      ["getSignaturesForAddress", [Keypair.generate().publicKey.toBase58(), { limit: 1001 }], "Invalid limit; max 1000"],
      ["getTransaction", [Keypair.generate().publicKey.toBase58()], "Invalid param: WrongSize"],
      ["sendTransaction", ["%%%", { encoding: "base64" }], "invalid base64 encoding"],
      ["sendTransaction", ["AQID", { encoding: "base64" }], "failed to deserialize"],
      ["sendTransaction", ["A".repeat(2_000), { encoding: "base64" }], "too large"],
      ["getFeeForMessage", ["AAAA"], "invalid message"],
      ["getTokenAccountBalance", [Keypair.generate().publicKey.toBase58(), { commitment: "processed" }], "could not find account"],
      ["getTokenAccountsByOwner", [Keypair.generate().publicKey.toBase58(), { programId: Keypair.generate().publicKey.toBase58() }], "unrecognized Token program id"],
      ["getVersion", [1], "invalid length 1, expected at most 0"],
      ["getSlot", "nope" as unknown as unknown[], "params must be an array"],
    ];
    for (const [method, params, message] of cases) {
      const answer = await f.rpc(method, params);
      expect(answer.error?.code, `${method} ${JSON.stringify(params)?.slice(0, 80)}`).to.equal(-32602);
      expect(answer.error.message, method).to.contain(message);
    }
  });

  it("serves GET /health, CORS preflight, and refuses other verbs and oversized bodies", async () => {
    const health = await fetch(`${f.localnet.rpcUrl}/health`);
    expect(health.status).to.equal(200);
    expect(await health.text()).to.equal("ok");
    const preflight = await fetch(f.localnet.rpcUrl, { method: "OPTIONS" });
    expect(preflight.headers.get("access-control-allow-origin")).to.equal("*");
    expect((await fetch(f.localnet.rpcUrl, { method: "PUT" })).status).to.equal(405);
    const huge = await f.post({ jsonrpc: "2.0", id: 1, method: "getHealth", params: ["x".repeat(60 * 1024)] });
    expect(huge.status).to.equal(413);
    const upgrade = await fetch(f.localnet.wsUrl.replace("ws:", "http:"));
    expect(upgrade.status).to.equal(426);
  });

  it("survives random bytes and random requests, then still answers", async () => {
    const methods = ["getBalance", "getAccountInfo", "sendTransaction", "getBlock", "getTransaction", "simulateTransaction", "getProgramAccounts", "getSignaturesForAddress"];
    const junk = (): unknown => {
      const pick = Math.floor(Math.random() * 6);
      return [null, 42, "x", randomBytes(40).toString("base64"), { a: [1, { b: null }] }, [[[]]]][pick];
    };
    for (let i = 0; i < 200; i++) {
      const body =
        i % 4 === 0
          ? randomBytes(64).toString("latin1")
          : { jsonrpc: "2.0", id: i, method: methods[i % methods.length], params: [junk(), junk(), junk()].slice(0, i % 4) };
      const answer = await f.post(body);
      expect(answer.status).to.equal(200);
      expect(answer.body?.error?.code ?? answer.body?.result).to.not.equal(-32603);
    }
    expect((await f.rpc("getHealth")).result).to.equal("ok");
  });
});
