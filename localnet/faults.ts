// Fault injection for tests of clients against an unreliable node; everything is off unless configured.
// Rates are probabilities in [0, 1] drawn from a seedable generator, so a failing run can be replayed.

export interface FaultOptions {
  /** Delay before every HTTP response and every WebSocket message: a fixed ms, or uniform in [min, max]. */
  readonly latencyMs?: number | { readonly min: number; readonly max: number };
  /** Share of HTTP requests answered 429 Too Many Requests, unprocessed. */
  readonly http429Rate?: number;
  /** Share of HTTP requests answered 500 Internal Server Error, unprocessed. */
  readonly http500Rate?: number;
  /** Share of JSON-RPC calls answered with error -32005 (node unhealthy), unprocessed. */
  readonly rpcErrorRate?: number;
  /** Share of WebSocket messages whose connection is dropped instead (closed without a close frame). */
  readonly wsDropRate?: number;
  /** Automatic forks: every `everySlots` slots, drop the newest `depth` unfinalized blocks. */
  readonly fork?: { readonly everySlots: number; readonly depth: number };
  /** Restrict the HTTP and JSON-RPC faults to these methods (default: all). */
  readonly methods?: readonly string[];
  /** Seed of the random source (default: from the clock). */
  readonly seed?: number;
}

function checkRate(name: string, value: number | undefined): void {
  if (value !== undefined && !(value >= 0 && value <= 1)) throw new Error(`${name} must be within [0, 1], got ${value}`);
}

/** Validates fault options; throws on nonsense (negative latency, rates outside [0, 1], ...). */
export function checkFaultOptions(options: FaultOptions): void {
  checkRate("http429Rate", options.http429Rate);
  checkRate("http500Rate", options.http500Rate);
  checkRate("rpcErrorRate", options.rpcErrorRate);
  checkRate("wsDropRate", options.wsDropRate);
  if ((options.http429Rate ?? 0) + (options.http500Rate ?? 0) > 1) throw new Error("http429Rate + http500Rate must not exceed 1");
  const latency = options.latencyMs;
  if (latency !== undefined) {
    const [min, max] = typeof latency === "number" ? [latency, latency] : [latency.min, latency.max];
    if (!(min >= 0 && max >= min)) throw new Error(`latencyMs must be >= 0 (and min <= max), got ${JSON.stringify(latency)}`);
  }
  if (options.fork !== undefined) {
    const { everySlots, depth } = options.fork;
    if (!Number.isInteger(everySlots) || everySlots < 1) throw new Error(`fork.everySlots must be a positive integer, got ${everySlots}`);
    if (!Number.isInteger(depth) || depth < 0) throw new Error(`fork.depth must be a non-negative integer, got ${depth}`);
  }
}

/** mulberry32: a small, fast, seedable generator of floats in [0, 1). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The node's faults, reconfigurable while it runs. */
export class Faults {
  private options: FaultOptions = {};
  private random: () => number = generator(Date.now());
  private methods: ReadonlySet<string> | undefined;

  constructor(options: FaultOptions = {}) {
    this.configure(options);
  }

  /** Replaces the fault configuration (omitted faults are off). */
  configure(options: FaultOptions): void {
    checkFaultOptions(options);
    this.options = { ...options };
    this.methods = options.methods ? new Set(options.methods) : undefined;
    this.random = generator(options.seed ?? Date.now());
  }

  get current(): FaultOptions {
    return this.options;
  }

  /** Whether `httpFailure` may answer anything but null. */
  get httpFailures(): boolean {
    return (this.options.http429Rate ?? 0) + (this.options.http500Rate ?? 0) > 0;
  }

  /** Whether the HTTP and JSON-RPC faults apply to a call of `method`. */
  applies(method: string): boolean {
    return this.methods === undefined || this.methods.has(method);
  }

  private hit(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.random() < rate;
  }

  /** The HTTP status to answer instead of processing the request (429 or 500), or null. */
  httpFailure(): 429 | 500 | null {
    const { http429Rate = 0, http500Rate = 0 } = this.options;
    if (http429Rate + http500Rate <= 0) return null;
    const r = this.random();
    if (r < http429Rate) return 429;
    if (r < http429Rate + http500Rate) return 500;
    return null;
  }

  rpcError(): boolean {
    return this.hit(this.options.rpcErrorRate);
  }

  wsDrop(): boolean {
    return this.hit(this.options.wsDropRate);
  }

  /** Milliseconds to wait before answering (0 without latency). */
  latency(): number {
    const latency = this.options.latencyMs;
    if (latency === undefined) return 0;
    if (typeof latency === "number") return latency;
    return latency.min + this.random() * (latency.max - latency.min);
  }

  /** The automatic fork due at `slot`, if any: how many blocks to drop. */
  forkAt(slot: number): number | null {
    const fork = this.options.fork;
    return fork !== undefined && slot % fork.everySlots === 0 ? fork.depth : null;
  }
}
