// add_cluster_members: the cluster's authority adds active nodes with provisional shares; each addition is an
// event, and any change sends the cluster back to forming until it is activated again.
import { expect } from "chai";
import { AddressLookupTableAccount, AddressLookupTableProgram, Keypair, MessageV0, PublicKey, VersionedTransaction } from "@solana/web3.js";
import { expectError, expectUnchanged, plain } from "./expect.js";
import { formCluster, lastEvents, type ProvenanceFixture, provenanceFixture, registerNode, START } from "./fixture.js";

async function emptyCluster(f: ProvenanceFixture): Promise<PublicKey> {
  const cluster = Keypair.generate();
  await f.provenance.createCluster({ authority: f.coordinator, cluster, name: "c" });
  return cluster.publicKey;
}

describe("provenance: add_cluster_members", () => {
  it("Given nodes, When the authority adds them, Then each joins in address order with its owner and share, one event each", async () => {
    const f = await provenanceFixture();
    const cluster = await emptyCluster(f);
    const owners = [f.t.fundedKeypair(), f.t.fundedKeypair()];
    const nodes = [await registerNode(f, { owner: owners[0] }), await registerNode(f, { owner: owners[1] }), await registerNode(f, { owner: owners[0] })];
    await f.provenance.addClusterMembers({ authority: f.coordinator, cluster, members: nodes.map((node, i) => ({ node, shareBps: 100 * (i + 1) })) });
    const events = lastEvents(f).map((e) => ({ name: e.name, ...(plain(e.data) as object) }));
    expect(events).to.deep.equal(
      nodes.map((node, i) => ({
        name: "clusterMemberAdded",
        cluster: cluster.toBase58(),
        node: node.toBase58(),
        owner: owners[i % 2 === 0 ? 0 : 1].publicKey.toBase58(),
        shareBps: 100 * (i + 1),
        memberCount: i + 1,
        version: i + 1,
        updatedAt: START,
      })),
    );
    const state = await f.provenance.fetchCluster(cluster);
    const sorted = [...nodes].sort((a, b) => Buffer.compare(a.toBuffer(), b.toBuffer()));
    expect(state.members.slice(0, 3).map((m) => m.node.toBase58())).to.deep.equal(sorted.map((n) => n.toBase58()));
    expect(state.memberCount).to.equal(3);
  });

  it("Given an active cluster, When a node is added, Then the cluster is forming again and its payee list is cleared", async () => {
    const f = await provenanceFixture();
    const c = await formCluster(f);
    const extra = await registerNode(f);
    await f.provenance.addClusterMembers({ authority: f.coordinator, cluster: c.cluster, members: [{ node: extra, shareBps: 1 }] });
    const state = await f.provenance.fetchCluster(c.cluster);
    expect(state.status).to.deep.equal({ forming: {} });
    expect([state.memberCount, state.payeeCount]).to.deep.equal([17, 0]);
    expect(Buffer.from(state.payeesHash)).to.deep.equal(Buffer.alloc(32));
  });

  it("Given a member, a paused node, or a share count that differs from the nodes, When added, Then it is refused and nothing changes", async () => {
    const f = await provenanceFixture();
    const cluster = await emptyCluster(f);
    const node = await registerNode(f);
    await f.provenance.addClusterMembers({ authority: f.coordinator, cluster, members: [{ node, shareBps: 1 }] });
    await expectUnchanged(f.t, [cluster], () => expectError(f, f.provenance.addClusterMembers({ authority: f.coordinator, cluster, members: [{ node, shareBps: 1 }] }), "AlreadyMember"));
    const paused = await registerNode(f);
    await f.provenance.setNodeStatus({ owner: f.owner, node: paused, status: "paused" });
    await expectError(f, f.provenance.addClusterMembers({ authority: f.coordinator, cluster, members: [{ node: paused, shareBps: 1 }] }), "NodeNotActive");
    const other = await registerNode(f);
    const ix = await f.provenance.addClusterMembersIx({ authority: f.coordinator.publicKey, cluster, members: [{ node: other, shareBps: 1 }] });
    ix.keys.push({ pubkey: (await registerNode(f)), isSigner: false, isWritable: false });
    await expectError(f, f.t.send(ix, { signers: [f.coordinator] }), "SharesMismatch");
    await expectError(f, f.provenance.addClusterMembers({ authority: f.coordinator, cluster, members: [] }), "SharesMismatch");
  });

  it("Given a cluster of 64, When a 65th member is added, Then it is refused", async () => {
    const f = await provenanceFixture();
    const c = await formCluster(f, { size: 64, ownerCount: 8, activate: false });
    const extra = await registerNode(f);
    await expectError(f, f.provenance.addClusterMembers({ authority: f.coordinator, cluster: c.cluster, members: [{ node: extra, shareBps: 1 }] }), "ClusterFull");
  });

  it("Given 33 nodes at once (through an address lookup table), When added, Then it is refused", async () => {
    const f = await provenanceFixture();
    const cluster = await emptyCluster(f);
    const nodes: PublicKey[] = [];
    for (let i = 0; i < 33; i++) nodes.push(await registerNode(f));
    const ix = await f.provenance.addClusterMembersIx({ authority: f.coordinator.publicKey, cluster, members: nodes.map((node) => ({ node, shareBps: 1 })) });
    // a lookup table holding the nodes, written as the Address Lookup Table program stores it
    const table = Keypair.generate().publicKey;
    const meta = Buffer.alloc(56);
    meta.writeUInt32LE(1, 0); // ProgramState::LookupTable
    meta.writeBigUInt64LE((1n << 64n) - 1n, 4); // never deactivated
    const data = Buffer.concat([meta, ...nodes.map((n) => n.toBuffer())]);
    f.t.setAccount(table, { lamports: 1_000_000_000n, owner: AddressLookupTableProgram.programId, data });
    f.t.advance({ slots: 1n });
    const lookup = new AddressLookupTableAccount({ key: table, state: AddressLookupTableAccount.deserialize(data) });
    const message = MessageV0.compile({ payerKey: f.t.payer.publicKey, instructions: [ix], recentBlockhash: f.t.svm.latestBlockhash(), addressLookupTableAccounts: [lookup] });
    const tx = new VersionedTransaction(message);
    tx.sign([f.t.payer, f.coordinator]);
    await expectError(f, async () => f.t.provider.sendSigned(tx), "TooManyNodes");
  });

  it("Given someone other than the authority, When adding, Then it is refused", async () => {
    const f = await provenanceFixture();
    const cluster = await emptyCluster(f);
    const node = await registerNode(f);
    await expectError(f, f.provenance.addClusterMembers({ authority: f.stranger, cluster, members: [{ node, shareBps: 1 }] }), "NotClusterAuthority");
  });
});
