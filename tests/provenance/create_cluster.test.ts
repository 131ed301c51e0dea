// create_cluster: a coordinator creates an empty cluster (forming).
import { expect } from "chai";
import { Keypair } from "@solana/web3.js";
import { label, readLabel } from "../../ts-client/src/index.js";
import { expectError, expectSystemError, hex, lastEvent } from "./expect.js";
import { provenanceFixture, START } from "./fixture.js";

describe("provenance: create_cluster", () => {
  it("Given a coordinator, When it creates a cluster, Then the cluster is forming, empty, and the event names it", async () => {
    const f = await provenanceFixture();
    const cluster = Keypair.generate();
    await f.provenance.createCluster({ authority: f.coordinator, cluster, name: "job-7 llama-70b" });
    expect(lastEvent(f, "clusterCreated")).to.deep.equal({
      cluster: cluster.publicKey.toBase58(),
      authority: f.coordinator.publicKey.toBase58(),
      name: hex(Buffer.from(label("job-7 llama-70b", 32))),
      createdAt: START,
    });
    const state = await f.provenance.fetchCluster(cluster.publicKey);
    expect(state.status).to.deep.equal({ forming: {} });
    expect([state.memberCount, state.version, state.payeeCount, readLabel(state.name)]).to.deep.equal([0, 0, 0, "job-7 llama-70b"]);
    expect(Buffer.from(state.payeesHash)).to.deep.equal(Buffer.alloc(32));
  });

  it("Given an empty or unprintable name, When creating, Then it is refused", async () => {
    const f = await provenanceFixture();
    const cluster = Keypair.generate();
    const ix = await f.provenance.createClusterIx({ authority: f.coordinator.publicKey, cluster: cluster.publicKey, name: "x" });
    const empty = Buffer.from(ix.data);
    empty[8] = 0;
    await expectError(f, f.t.send({ ...ix, data: empty }, { signers: [f.coordinator, cluster] }), "InvalidLabel");
    const tab = Buffer.from(ix.data);
    tab[9] = 0x09;
    await expectError(f, f.t.send({ ...ix, data: tab }, { signers: [f.coordinator, cluster] }), "InvalidLabel");
  });

  it("Given an existing cluster, When its address is created again, Then the System Program refuses (no reinitialization)", async () => {
    const f = await provenanceFixture();
    const cluster = Keypair.generate();
    await f.provenance.createCluster({ authority: f.coordinator, cluster, name: "a" });
    await expectSystemError(f.provenance.createCluster({ authority: f.stranger, cluster, name: "b" }), "AccountAlreadyInUse");
    expect((await f.provenance.fetchCluster(cluster.publicKey)).authority.toBase58()).to.equal(f.coordinator.publicKey.toBase58());
  });
});
