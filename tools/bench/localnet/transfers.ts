// Signed SOL transfers made fast enough to load a node: one message per payer compiled by web3.js, then
// only the lamports (the last 8 bytes of a one-instruction transfer message) change, signed with node:crypto.
import { Keypair, PublicKey, SystemProgram, Transaction } from "@solana/web3.js";
import { ed25519Signer } from "../../../svm/ed25519.js";

/** Makes distinct signed transfers from `payer` to `recipient` with `blockhash`, in wire format. */
export function transferFactory(payer: Keypair, recipient: PublicKey, blockhash: string): (lamports: bigint) => Buffer {
  const message = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash })
    .add(SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: recipient, lamports: 1n }))
    .compileMessage()
    .serialize();
  if (message.readBigUInt64LE(message.length - 8) !== 1n) throw new Error("unexpected transfer message layout");
  const sign = ed25519Signer(payer);
  return (lamports) => {
    const bytes = Buffer.from(message);
    bytes.writeBigUInt64LE(lamports, bytes.length - 8);
    // Wire format: one signature (shortvec 1), the signature, the message.
    return Buffer.concat([Buffer.of(1), sign(bytes), bytes]);
  };
}
