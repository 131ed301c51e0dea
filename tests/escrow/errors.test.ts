// errors: every named error of the escrow program (errors.rs, through the IDL) is triggered from outside and
// asserted by name somewhere in these tests.
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import escrowIdl from "../../ts-client/src/generated/escrow.json" with { type: "json" };

const here = fileURLToPath(new URL(".", import.meta.url));

/** The error names the tests assert: string literals passed to `expectError` (or a table feeding it). */
function assertedNames(): Set<string> {
  const sources = readdirSync(here)
    .filter((file) => file.endsWith(".test.ts") && file !== "errors.test.ts")
    .map((file) => readFileSync(join(here, file), "utf8"));
  const names = new Set<string>();
  for (const source of sources) for (const match of source.matchAll(/"([A-Z][A-Za-z]+)"/g)) names.add(match[1]);
  return names;
}

describe("errors", () => {
  it("given the IDL's errors, then their codes start at 6000 and are unique, each with a message", () => {
    const codes = escrowIdl.errors.map((e) => e.code);
    expect(Math.min(...codes)).to.equal(6000);
    expect(new Set(codes).size).to.equal(codes.length);
    expect(escrowIdl.errors.every((e) => e.msg.length > 0)).to.equal(true);
  });

  it("given the escrow tests, then every error of the program is asserted by name in at least one of them", () => {
    const asserted = assertedNames();
    const missing = escrowIdl.errors.map((e) => e.name).filter((name) => !asserted.has(name));
    expect(missing, "errors no test triggers").to.deep.equal([]);
  });
});
