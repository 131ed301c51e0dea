// Disputes of a recorded inference or batch go through the escrow's dispute flow: the record's event gives
// the escrow's bucket (window), the amount and the usage reference (leaf hash or batch hash) to contest; the
// arbiter resolves; what matures settles to the node's owner or the cluster's payees by share.
import { expect } from "chai";
import { Keypair } from "@solana/web3.js";
import { InferenceBatch, toBigInt, verifyInferenceInclusion } from "../../ts-client/src/index.js";
import { hex } from "./expect.js";
import { FEE_BPS, formCluster, HOUR, inference, lastEvents, openEarnings, openEscrowFor, openNodeEscrow, provenanceFixture, registerNode } from "./fixture.js";

describe("provenance: disputes of records through the escrow", () => {
  it("Given a recorded inference, When the client disputes it and the arbiter refunds it, Then only the undisputed inference settles to the node's owner", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const escrow = await openNodeEscrow(f, node);
    await openEarnings(f, [{ owner: f.owner.publicKey, shareBps: 10_000 }]);
    await f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(1n, { fee: 4_000n }), modelName: "m" });
    const contested = lastEvents(f)[0].data;
    await f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(2n, { fee: 6_000n }), modelName: "m" });

    const dispute = f.provenance.disputeOfInference(contested);
    expect(dispute).to.deep.include({ amount: 4_000n, window: f.t.clock().unixTimestamp / HOUR });
    await f.escrow.disputeCharges({ client: f.client, ...dispute });
    const [disputed] = f.escrow.parseEvents(f.t.lastResult!.logs);
    expect(disputed.name).to.equal("chargesDisputed");
    expect(hex(Buffer.from(disputed.data.usageRef as number[]))).to.equal(hex(dispute.usageRef));
    await f.escrow.resolveDispute({ arbiter: f.arbiter, escrow, window: dispute.window, toProvider: 0n });

    f.t.advance({ seconds: 2n * HOUR });
    await f.escrow.settle({ escrow, payees: await f.provenance.nodePayees(node), treasury: f.treasury.publicKey });
    const fee = (6_000n * BigInt(FEE_BPS)) / 10_000n;
    expect(toBigInt((await f.escrow.fetchEarnings(f.owner.publicKey)).balance)).to.equal(6_000n - fee);
    const state = await f.escrow.fetchEscrow(escrow);
    expect([toBigInt(state.pending), toBigInt(state.settled)]).to.deep.equal([0n, 6_000n - fee]);
  });

  it("Given a cluster's batch with a wrong output, When the client proves the leaf on chain and disputes the batch, Then the arbiter's split settles to the cluster's payees by share", async () => {
    const f = await provenanceFixture();
    const c = await formCluster(f, { size: 16, ownerCount: 4 });
    const payees = await f.provenance.clusterPayees(c.cluster);
    await openEarnings(f, payees);
    const escrow = await openEscrowFor(f, c.cluster, payees);
    const batchLog = Keypair.generate();
    await f.provenance.openBatchLog({ payer: c.workers[2], node: c.nodes[2], batchLog, capacity: 4 });
    const records = Array.from({ length: 1_000 }, (_, i) => inference(BigInt(i + 1), { fee: 40n, units: 1n }));
    const batch = InferenceBatch.fromRecords(c.nodes[2], escrow, records);
    await f.provenance.recordBatch({ nodeAuthority: c.workers[2], node: c.nodes[2], batchLog: batchLog.publicKey, target: { escrow, cluster: c.cluster }, batch });
    const recorded = lastEvents(f)[0].data;

    // the client checks leaf 417 (it got a different output) and proves on chain that the node committed to it
    const leaf = { node: c.nodes[2], escrow, record: records[417] };
    const proof = batch.proof(417);
    expect(verifyInferenceInclusion(leaf, proof, batch.summary)).to.equal(true);
    await f.provenance.verifyInclusion({ batchLog: batchLog.publicKey, slot: recorded.slot as number, batch: batch.summary, leaf, proof });
    // then disputes the whole batch by its hash
    const dispute = f.provenance.disputeOfBatch(recorded);
    expect(dispute.amount).to.equal(40_000n);
    expect(dispute.usageRef).to.deep.equal(batch.hash);
    await f.escrow.disputeCharges({ client: f.client, ...dispute });
    await f.escrow.resolveDispute({ arbiter: f.arbiter, escrow, window: dispute.window, toProvider: 30_000n });

    await f.escrow.settle({ escrow, payees, treasury: f.treasury.publicKey });
    const fee = (30_000n * BigInt(FEE_BPS)) / 10_000n;
    const toPayees = 30_000n - fee;
    let paid = 0n;
    for (const [i, p] of payees.entries()) {
      const expected = i === payees.length - 1 ? toPayees - paid : (toPayees * BigInt(p.shareBps)) / 10_000n;
      paid += expected;
      expect(toBigInt((await f.escrow.fetchEarnings(p.owner)).balance), `payee ${i}`).to.equal(expected);
    }
    const state = await f.escrow.fetchEscrow(escrow);
    expect([toBigInt(state.pending), toBigInt(state.settled), toBigInt(state.fees)]).to.deep.equal([0n, toPayees, fee]);
  });
});
