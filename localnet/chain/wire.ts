// The wire format of a transaction (legacy and v0): signatures, message header, account keys, blockhash,
// compiled instructions and address-table lookups. Parsed by hand because every submitted transaction goes
// through here (web3.js's and kit's decoders cost tens of microseconds each); the checks are the ones a
// cluster's sanitize makes, so anything accepted here is well-formed for LiteSVM too.

/** A compiled instruction: indexes into the transaction's account keys (static, then loaded). */
export interface CompiledInstruction {
  readonly programIdIndex: number;
  readonly accounts: readonly number[];
  readonly data: Buffer;
}

export interface AddressTableLookup {
  readonly accountKey: Buffer;
  readonly writableIndexes: readonly number[];
  readonly readonlyIndexes: readonly number[];
}

export interface MessageHeader {
  readonly numRequiredSignatures: number;
  readonly numReadonlySignedAccounts: number;
  readonly numReadonlyUnsignedAccounts: number;
}

export interface WireMessage {
  readonly version: "legacy" | 0;
  readonly header: MessageHeader;
  /** 32 bytes each, views into the transaction bytes. */
  readonly staticKeys: readonly Buffer[];
  readonly recentBlockhash: Buffer;
  /** Offset of the blockhash in `bytes` (to replace it for simulations). */
  readonly blockhashOffset: number;
  readonly instructions: readonly CompiledInstruction[];
  readonly addressTableLookups: readonly AddressTableLookup[];
  readonly bytes: Buffer;
}

export interface WireTransaction {
  /** 64 bytes each, views into `bytes`. */
  readonly signatures: readonly Buffer[];
  readonly message: WireMessage;
  readonly bytes: Buffer;
}

/** A transaction or message that is not well-formed; the message says why. */
export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WireFormatError";
  }
}

/** Largest serialized transaction a cluster accepts (PACKET_DATA_SIZE). */
export const MAX_TRANSACTION_SIZE = 1232;
const VERSION_PREFIX = 0x80;

class Reader {
  offset = 0;
  constructor(private readonly bytes: Buffer) {}

  remaining(): number {
    return this.bytes.length - this.offset;
  }

  u8(what: string): number {
    if (this.offset >= this.bytes.length) throw new WireFormatError(`unexpected end of data reading ${what}`);
    return this.bytes[this.offset++];
  }

  /** compact-u16 (shortvec) length. */
  shortVec(what: string): number {
    let value = 0;
    for (let i = 0; i < 3; i++) {
      const byte = this.u8(what);
      value |= (byte & 0x7f) << (7 * i);
      if ((byte & 0x80) === 0) {
        if (i > 0 && byte === 0) throw new WireFormatError(`non-canonical length encoding of ${what}`);
        if (value > 0xffff) throw new WireFormatError(`${what} length overflows u16`);
        return value;
      }
    }
    throw new WireFormatError(`${what} length overflows u16`);
  }

  take(length: number, what: string): Buffer {
    if (this.remaining() < length) throw new WireFormatError(`unexpected end of data reading ${what}`);
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  indexes(what: string): number[] {
    const count = this.shortVec(what);
    const out = new Array<number>(count);
    for (let i = 0; i < count; i++) out[i] = this.u8(what);
    return out;
  }
}

/** Parses and sanitizes a signed transaction (signatures are not verified here). */
export function parseTransaction(bytes: Buffer): WireTransaction {
  if (bytes.length > MAX_TRANSACTION_SIZE) {
    throw new WireFormatError(`transaction too large: ${bytes.length} bytes (max: ${MAX_TRANSACTION_SIZE} bytes)`);
  }
  const reader = new Reader(bytes);
  const count = reader.shortVec("signatures");
  const signatures: Buffer[] = [];
  for (let i = 0; i < count; i++) signatures.push(reader.take(64, "signature"));
  const message = parseMessage(bytes.subarray(reader.offset));
  if (signatures.length !== message.header.numRequiredSignatures) {
    throw new WireFormatError(
      `${signatures.length} signatures for a message that requires ${message.header.numRequiredSignatures}`,
    );
  }
  return { signatures, message, bytes };
}

/** Parses and sanitizes a message (legacy or v0). */
export function parseMessage(bytes: Buffer): WireMessage {
  const reader = new Reader(bytes);
  let version: "legacy" | 0 = "legacy";
  const first = reader.u8("message header");
  let numRequiredSignatures = first;
  if (first & VERSION_PREFIX) {
    const v = first & ~VERSION_PREFIX;
    if (v !== 0) throw new WireFormatError(`unsupported transaction version ${v}`);
    version = 0;
    numRequiredSignatures = reader.u8("message header");
  }
  const header: MessageHeader = {
    numRequiredSignatures,
    numReadonlySignedAccounts: reader.u8("message header"),
    numReadonlyUnsignedAccounts: reader.u8("message header"),
  };
  const keyCount = reader.shortVec("account keys");
  const staticKeys: Buffer[] = [];
  for (let i = 0; i < keyCount; i++) staticKeys.push(reader.take(32, "account key"));
  const blockhashOffset = reader.offset;
  const recentBlockhash = reader.take(32, "recent blockhash");
  const instructionCount = reader.shortVec("instructions");
  const instructions: CompiledInstruction[] = [];
  for (let i = 0; i < instructionCount; i++) {
    const programIdIndex = reader.u8("program id index");
    const accounts = reader.indexes("instruction accounts");
    const data = reader.take(reader.shortVec("instruction data"), "instruction data");
    instructions.push({ programIdIndex, accounts, data });
  }
  const addressTableLookups: AddressTableLookup[] = [];
  if (version === 0) {
    const lookupCount = reader.shortVec("address table lookups");
    for (let i = 0; i < lookupCount; i++) {
      const accountKey = reader.take(32, "lookup table address");
      const writableIndexes = reader.indexes("lookup writable indexes");
      const readonlyIndexes = reader.indexes("lookup readonly indexes");
      if (writableIndexes.length + readonlyIndexes.length === 0) {
        throw new WireFormatError(`address table lookup ${i} loads no address`);
      }
      addressTableLookups.push({ accountKey, writableIndexes, readonlyIndexes });
    }
  }
  if (reader.remaining() !== 0) throw new WireFormatError(`${reader.remaining()} trailing bytes after the message`);
  const message: WireMessage = {
    version,
    header,
    staticKeys,
    recentBlockhash,
    blockhashOffset,
    instructions,
    addressTableLookups,
    bytes,
  };
  sanitize(message);
  return message;
}

function sanitize(message: WireMessage): void {
  const { header, staticKeys, instructions, addressTableLookups } = message;
  if (header.numRequiredSignatures === 0) throw new WireFormatError("a message needs at least one signer (the fee payer)");
  if (header.numRequiredSignatures + header.numReadonlyUnsignedAccounts > staticKeys.length) {
    throw new WireFormatError("message header counts more accounts than the message has");
  }
  if (header.numReadonlySignedAccounts >= header.numRequiredSignatures) {
    throw new WireFormatError("the fee payer must be a writable signer");
  }
  const loaded = addressTableLookups.reduce((n, l) => n + l.writableIndexes.length + l.readonlyIndexes.length, 0);
  const total = staticKeys.length + loaded;
  if (total > 256) throw new WireFormatError(`too many account keys: ${total}`);
  const seen = new Set<string>();
  for (const key of staticKeys) {
    const id = key.toString("latin1");
    if (seen.has(id)) throw new WireFormatError("account keys must be unique");
    seen.add(id);
  }
  for (const ix of instructions) {
    // Programs are static keys, never the fee payer.
    if (ix.programIdIndex === 0 || ix.programIdIndex >= staticKeys.length) {
      throw new WireFormatError(`invalid program id index ${ix.programIdIndex}`);
    }
    for (const a of ix.accounts) if (a >= total) throw new WireFormatError(`invalid account index ${a}`);
  }
}

/** Whether static key `index` is writable per the header (before reserved-key demotion). */
export function isStaticWritable(header: MessageHeader, keyCount: number, index: number): boolean {
  if (index < header.numRequiredSignatures) return index < header.numRequiredSignatures - header.numReadonlySignedAccounts;
  return index < keyCount - header.numReadonlyUnsignedAccounts;
}

/** The message with another recent blockhash (for simulations that replace it). */
export function withBlockhash(message: WireMessage, blockhash: Uint8Array): Buffer {
  const bytes = Buffer.from(message.bytes);
  bytes.set(blockhash, message.blockhashOffset);
  return bytes;
}

/** The number of static account keys of a transaction in wire format (without parsing it all). */
export function staticKeyCount(transaction: Buffer): number {
  const reader = new Reader(transaction);
  const signatures = reader.shortVec("signatures");
  reader.take(64 * signatures, "signatures");
  // Versioned messages start with the version byte; the header (3 bytes) follows.
  reader.take((transaction[reader.offset] & VERSION_PREFIX) !== 0 ? 4 : 3, "message header");
  return reader.shortVec("account keys");
}
