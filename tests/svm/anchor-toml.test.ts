import { expect } from "chai";
import { AnchorTomlError, parseAnchorTomlPrograms } from "../../svm/anchor-toml.js";
import { ANCHOR_TOML, workspacePrograms } from "../../svm/workspace.js";

const ESCROW = "8v3ExDa1Z3yUC6NCdZAiMq626oELcFUX9u9dAvoZFKyR";
const PROVENANCE = "D1EZJpc2zDKu6T8ZncGQp57KXQkgueZhbcDNkTGNnAPF";
const REWARDS = "D7cv135XrVyh9xXYisexUVHMpe63ZeKi6HMFKvXJLHky";

/** Everything the reader must get past: comments, all string forms, multi-line arrays, inline tables. */
const FIXTURE = `
# Anchor workspace
[toolchain]
package_manager = "npm"   # trailing comment

[features]
resolution = true
seeds = false

[workspace]
members = [
  "programs/escrow", # an array spanning lines
  'programs/[provenance]',
]
notes = """
[programs.localnet]
escrow = "not a key: this is inside a multi-line string"
"""

[ programs . localnet ]
escrow = "${ESCROW}"
"provenance" = '${PROVENANCE}'

[programs.devnet]
escrow = "${REWARDS}"

[[test.genesis]]
address = "${REWARDS}"
program = "x.so"

[scripts]
test = "npm test"
`;

function names(text: string, cluster?: string): [string, string][] {
  return parseAnchorTomlPrograms(text, cluster).map((p) => [p.name, p.programId.toBase58()]);
}

describe("Anchor.toml [programs.<cluster>]", () => {
  it("reads the localnet programs and ignores everything else", () => {
    expect(names(FIXTURE)).to.deep.equal([
      ["escrow", ESCROW],
      ["provenance", PROVENANCE],
    ]);
  });

  it("reads the cluster asked for", () => {
    expect(names(FIXTURE, "devnet")).to.deep.equal([["escrow", REWARDS]]);
    expect(names(FIXTURE, "mainnet")).to.deep.equal([]);
  });

  it("accepts dotted keys and inline tables for the same table", () => {
    const text = `programs.localnet.escrow = "${ESCROW}"\n[programs]\nlocalnet = { rewards = "${REWARDS}", "provenance" = "${PROVENANCE}" }\n`;
    expect(names(text)).to.deep.equal([
      ["escrow", ESCROW],
      ["rewards", REWARDS],
      ["provenance", PROVENANCE],
    ]);
  });

  it("decodes escapes in basic strings and keeps literal strings as written", () => {
    const text = `[programs.localnet]\n"esc\\u0072ow" = "${ESCROW}"\n'raw\\n' = "${REWARDS}"\n`;
    expect(names(text)).to.deep.equal([
      ["escrow", ESCROW],
      ["raw\\n", REWARDS],
    ]);
  });

  it("refuses an invalid program id, a non-string id and a duplicate, saying where", () => {
    expect(() => parseAnchorTomlPrograms(`[programs.localnet]\nescrow = "0OIl"\n`)).to.throw(AnchorTomlError, /line 2: program "escrow" has an invalid program id/);
    expect(() => parseAnchorTomlPrograms(`\n[programs.localnet]\nescrow = 42\n`)).to.throw(AnchorTomlError, /line 3: program "escrow" must be a single-line string/);
    expect(() => parseAnchorTomlPrograms(`[programs.localnet]\na = "${ESCROW}"\na = "${ESCROW}"\n`)).to.throw(/declared twice/);
  });

  it("refuses text it cannot tokenize instead of guessing", () => {
    expect(() => parseAnchorTomlPrograms(`[programs.localnet\nescrow = "${ESCROW}"\n`)).to.throw(AnchorTomlError, /line 1/);
    expect(() => parseAnchorTomlPrograms(`[programs.localnet]\nescrow = "${ESCROW}\n`)).to.throw(/unterminated string/);
    expect(() => parseAnchorTomlPrograms(`[programs.localnet]\nescrow = "${ESCROW}" extra\n`)).to.throw(/after value/);
  });

  it("reads the repository's Anchor.toml", () => {
    const programs = workspacePrograms(ANCHOR_TOML);
    expect(programs.length, "programs in [programs.localnet]").to.be.greaterThan(0);
    expect(new Set(programs.map((p) => p.name)).size).to.equal(programs.length);
  });
});
