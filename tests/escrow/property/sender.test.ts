// The property runner's hand-written message compiler says what web3.js's says: same signers in the same
// order, and every instruction with the same program, accounts (with their flags) and data.
import { expect } from "chai";
import { Keypair, Message, PublicKey, Transaction, TransactionInstruction } from "@solana/web3.js";
import { compileLegacyMessage } from "./sender.js";
import { Rng } from "./random.js";

/** A message's instructions with every account resolved to its key and flags. */
function resolved(message: Message) {
  return message.instructions.map((ix) => ({
    programId: message.accountKeys[ix.programIdIndex].toBase58(),
    accounts: ix.accounts.map((i) => [message.accountKeys[i].toBase58(), message.isAccountSigner(i), message.isAccountWritable(i)]),
    data: ix.data,
  }));
}

describe("escrow property runner: message compiler", () => {
  it("given random instructions sharing keys, when compiled, then the message means what web3.js's does", () => {
    const rng = new Rng(7n);
    const keys = Array.from({ length: 8 }, () => Keypair.generate().publicKey);
    const programs = Array.from({ length: 3 }, () => Keypair.generate().publicKey);
    for (let round = 0; round < 200; round++) {
      const payer = rng.pick(keys);
      const instructions = Array.from(
        { length: rng.range(1, 4) },
        () =>
          new TransactionInstruction({
            programId: rng.pick(programs),
            keys: Array.from({ length: rng.range(0, 6) }, () => ({ pubkey: rng.pick(keys), isSigner: rng.chance(0.3), isWritable: rng.chance(0.5) })),
            data: Buffer.from(rng.bytes(rng.range(0, 40))),
          }),
      );
      const blockhash = new PublicKey(rng.bytes(32));
      const ours = compileLegacyMessage(payer, blockhash.toBytes(), instructions);
      const theirs = new Transaction({ feePayer: payer, recentBlockhash: blockhash.toBase58() }).add(...instructions).compileMessage();
      const decoded = Message.from(ours.bytes);
      expect(decoded.header).to.deep.equal(theirs.header);
      expect(decoded.recentBlockhash).to.equal(theirs.recentBlockhash);
      expect(decoded.accountKeys[0].toBase58()).to.equal(payer.toBase58(), "the fee payer comes first");
      expect(new Set(decoded.accountKeys.map((k) => k.toBase58()))).to.deep.equal(new Set(theirs.accountKeys.map((k) => k.toBase58())));
      expect(resolved(decoded)).to.deep.equal(resolved(theirs));
      const signers = theirs.accountKeys.slice(0, theirs.header.numRequiredSignatures).map((k) => k.toBase58());
      expect(ours.signerKeys.map((k) => k.toBase58()).sort()).to.deep.equal([...signers].sort());
      expect(ours.signerKeys.map((k) => k.toBase58())).to.deep.equal(decoded.accountKeys.slice(0, decoded.header.numRequiredSignatures).map((k) => k.toBase58()));
    }
  });
});
