import { expect } from "chai";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Keypair, SystemProgram, Transaction } from "@solana/web3.js";
import { FailedTransactionMetadata, LiteSVM } from "litesvm";
import { lamports } from "@solana/kit";
import { clusterTransactionError, instructionErrorNames, transactionErrorNames } from "../../svm/transaction-error.js";
import { toAddress, toKitTransaction } from "../../svm/transactions.js";

/** Variant names of a `const enum` in litesvm's generated typings, in declaration (= numeric) order. */
function litesvmEnum(name: string): string[] {
  const typings = readFileSync(createRequire(import.meta.url).resolve("litesvm/dist/internal.d.ts"), "utf8");
  const body = new RegExp(`export declare const enum ${name} \\{([^}]*)\\}`).exec(typings);
  if (!body) throw new Error(`${name} not found in litesvm's typings`);
  return [...body[1].matchAll(/^\s*(\w+) = (\d+)/gm)].map((m, i) => {
    expect(Number(m[2]), `${name}.${m[1]}`).to.equal(i);
    return m[1];
  });
}

describe("LiteSVM transaction errors in cluster form", () => {
  it("name every variant litesvm can report, in its numbering", () => {
    expect(transactionErrorNames).to.deep.equal(litesvmEnum("TransactionErrorFieldless"));
    expect(instructionErrorNames).to.deep.equal(litesvmEnum("InstructionErrorFieldless"));
  });

  it("match litesvm's own description and the RPC's JSON and wording", () => {
    const svm = new LiteSVM();
    const payer = Keypair.generate();
    svm.airdrop(toAddress(payer.publicKey), lamports(1_000_000_000n));
    const transfer = (amount: number, blockhash: string = svm.latestBlockhash()) => {
      const tx = new Transaction({ feePayer: payer.publicKey, recentBlockhash: blockhash }).add(
        SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: amount }),
      );
      tx.sign(payer);
      const outcome = svm.sendTransaction(toKitTransaction(tx));
      if (!(outcome instanceof FailedTransactionMetadata)) throw new Error("expected a failure");
      return { debug: outcome.toString(), converted: clusterTransactionError(outcome.err()) };
    };

    const custom = transfer(5_000_000_000);
    expect(custom.debug).to.contain("err: InstructionError(0, Custom(1))");
    expect(custom.converted).to.deep.equal({
      err: { InstructionError: [0, { Custom: 1 }] },
      message: "Error processing Instruction 0: custom program error: 0x1",
    });

    const expired = transfer(1, Keypair.generate().publicKey.toBase58());
    expect(expired.debug).to.contain("err: BlockhashNotFound");
    expect(expired.converted).to.deep.equal({ err: "BlockhashNotFound", message: "Blockhash not found" });

    const rent = transfer(1);
    expect(rent.debug).to.contain("err: InsufficientFundsForRent { account_index: 1 }");
    expect(rent.converted).to.deep.equal({
      err: { InsufficientFundsForRent: { account_index: 1 } },
      message: "Transaction results in an account (1) with insufficient funds for rent",
    });
  });
});
