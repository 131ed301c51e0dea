// The JSON-RPC 2.0 endpoint over HTTP: single calls and batches, the error codes of a Solana node for
// malformed input, GET /health, CORS for browsers, and the HTTP and JSON-RPC faults.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { Faults } from "../faults.js";
import type { RpcContext } from "./context.js";
import {
  INTERNAL_ERROR,
  INVALID_REQUEST,
  METHOD_NOT_FOUND,
  NODE_UNHEALTHY,
  PARSE_ERROR,
  RpcError,
} from "./errors.js";
import { toJson } from "./json.js";
import { RPC_METHODS } from "./methods/index.js";

/** Largest request body a node accepts (Agave's MAX_REQUEST_BODY_SIZE). */
export const MAX_REQUEST_BODY_SIZE = 50 * 1024;
/** One second more than web3.js keeps idle sockets, so the node never closes a socket the client reuses. */
const KEEP_ALIVE_TIMEOUT_MS = 20_000;

export interface RpcServerOptions {
  readonly context: RpcContext;
  readonly faults: Faults;
  readonly maxBodyBytes?: number;
  /** Where unexpected errors are reported (default console.error). */
  readonly logError?: (message: string, error: unknown) => void;
}

type JsonRpcId = string | number | null;
interface JsonRpcResponse {
  readonly jsonrpc: "2.0";
  readonly id: JsonRpcId;
  readonly result?: unknown;
  readonly error?: unknown;
}

/** Any origin may call the node (explorers, wallets in a browser); the preflight answer says how. */
const CORS_ORIGIN = { "access-control-allow-origin": "*" };
const CORS_PREFLIGHT = {
  ...CORS_ORIGIN,
  "access-control-allow-methods": "POST, GET, OPTIONS",
  "access-control-allow-headers": "content-type, solana-client",
  "access-control-max-age": "86400",
};

function errorResponse(id: JsonRpcId, error: RpcError): JsonRpcResponse {
  return { jsonrpc: "2.0", error: error.toJSON(), id };
}

function validId(id: unknown): id is JsonRpcId {
  return id === null || typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
}

/** Answers JSON-RPC request bodies; the part of the server that knows nothing of HTTP. */
export class RpcDispatcher {
  constructor(private readonly options: RpcServerOptions) {}

  /** Method names of a parsed body (for fault scoping); empty when it is not a request. */
  methodsOf(body: unknown): string[] {
    const calls = Array.isArray(body) ? body : [body];
    return calls.flatMap((c) => (c && typeof c === "object" && typeof (c as { method?: unknown }).method === "string" ? [(c as { method: string }).method] : []));
  }

  /** The response to a request body (its text), or null when it held only notifications. */
  answer(body: unknown): unknown {
    if (Array.isArray(body)) {
      if (body.length === 0) return errorResponse(null, new RpcError(INVALID_REQUEST, "Invalid request"));
      const responses = body.map((call) => this.call(call)).filter((r): r is JsonRpcResponse => r !== null);
      return responses.length > 0 ? responses : null;
    }
    return this.call(body);
  }

  private call(request: unknown): JsonRpcResponse | null {
    if (request === null || typeof request !== "object" || Array.isArray(request)) {
      return errorResponse(null, new RpcError(INVALID_REQUEST, "Invalid request"));
    }
    const { jsonrpc, method, params, id } = request as Record<string, unknown>;
    const hasId = "id" in request;
    if (jsonrpc !== "2.0" || typeof method !== "string" || (hasId && !validId(id))) {
      return errorResponse(validId(id) ? id : null, new RpcError(INVALID_REQUEST, "Invalid request"));
    }
    const responseId = hasId ? (id as JsonRpcId) : null;
    const respond = (response: JsonRpcResponse): JsonRpcResponse | null => (hasId ? response : null);
    const handler = RPC_METHODS.get(method);
    if (handler === undefined) {
      return respond(errorResponse(responseId, new RpcError(METHOD_NOT_FOUND, `Method not found: ${method}`, { method })));
    }
    if (this.options.faults.applies(method) && this.options.faults.rpcError()) {
      return respond(errorResponse(responseId, new RpcError(NODE_UNHEALTHY, "Node is unhealthy", { numSlotsBehind: null })));
    }
    try {
      return respond({ jsonrpc: "2.0", result: handler(params, this.options.context), id: responseId });
    } catch (error) {
      if (error instanceof RpcError) return respond(errorResponse(responseId, error));
      (this.options.logError ?? defaultLogError)(`${method} failed`, error);
      return respond(errorResponse(responseId, new RpcError(INTERNAL_ERROR, "Internal error")));
    }
  }
}

function defaultLogError(message: string, error: unknown): void {
  console.error(`localnet: ${message}:`, error);
}

/** What the request handlers share. */
interface Endpoint {
  readonly dispatcher: RpcDispatcher;
  readonly faults: Faults;
  readonly maxBody: number;
}

/** An HTTP server answering JSON-RPC at any path (POST) and GET /health. Not listening yet. */
export function createRpcServer(options: RpcServerOptions): Server {
  const endpoint: Endpoint = {
    dispatcher: new RpcDispatcher(options),
    faults: options.faults,
    maxBody: options.maxBodyBytes ?? MAX_REQUEST_BODY_SIZE,
  };
  const server = createServer((req, res) => handle(req, res, endpoint));
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  return server;
}

const CORS_ORIGIN_LIST = Object.entries(CORS_ORIGIN).flat();
const CORS_PREFLIGHT_LIST = Object.entries(CORS_PREFLIGHT).flat();

/** Writes the response, after the latency fault if any. */
function reply(req: IncomingMessage, res: ServerResponse, faults: Faults, status: number, body: string, contentType = "application/json"): void {
  const write = () => {
    if (res.destroyed) return;
    // `writeHead` headers as a flat list: no object per response.
    const headers = req.method === "OPTIONS" ? [...CORS_PREFLIGHT_LIST] : [...CORS_ORIGIN_LIST];
    headers.push("content-type", contentType, "content-length", String(Buffer.byteLength(body)));
    res.writeHead(status, headers);
    res.end(body);
  };
  const delay = faults.latency();
  if (delay > 0) setTimeout(write, delay);
  else write();
}

/**
 * A POST request whose body is being read. It hangs off the request (REQUEST), so that the request's listeners
 * are module functions rather than closures. Once V8 judges the allocation site of Node's listener tables
 * long-lived (allocation-site pretenuring), it allocates them in the old generation, and a closure stored in one
 * keeps its request, response and everything they reference alive through every minor GC until the next full
 * one. That happened when requests were held across turns of the event loop (a queue of sends behind reads,
 * since dropped): ~2 MB promoted per scavenge and 3-8 ms pauses instead of ~1 ms.
 */
interface PostRequest {
  readonly res: ServerResponse;
  readonly endpoint: Endpoint;
  readonly chunks: Buffer[];
  size: number;
  tooLarge: boolean;
}
const REQUEST = Symbol("localnet.postRequest");
type Incoming = IncomingMessage & { [REQUEST]?: PostRequest };

function handle(req: Incoming, res: ServerResponse, endpoint: Endpoint): void {
  const { faults } = endpoint;
  if (req.method === "OPTIONS") return reply(req, res, faults, 200, "", "text/plain");
  if (req.method === "GET") {
    if ((req.url ?? "/").split("?")[0] === "/health") return reply(req, res, faults, 200, "ok", "text/plain");
    return reply(req, res, faults, 404, "Not Found", "text/plain");
  }
  if (req.method !== "POST") return reply(req, res, faults, 405, "Method Not Allowed", "text/plain");
  req[REQUEST] = { res, endpoint, chunks: [], size: 0, tooLarge: false };
  req.on("data", onRequestData);
  req.on("error", onRequestError);
  req.on("end", onRequestEnd);
}

function onRequestData(this: Incoming, chunk: Buffer): void {
  const post = this[REQUEST]!;
  if (post.tooLarge) return;
  post.size += chunk.length;
  if (post.size > post.endpoint.maxBody) {
    post.tooLarge = true;
    reply(this, post.res, post.endpoint.faults, 413, "Payload Too Large", "text/plain");
    return;
  }
  post.chunks.push(chunk);
}

function onRequestError(this: Incoming): void {
  this[REQUEST]?.res.destroy();
}

function onRequestEnd(this: Incoming): void {
  const post = this[REQUEST]!;
  if (post.tooLarge) return;
  const { res, endpoint, chunks } = post;
  const { dispatcher, faults } = endpoint;
  let body: unknown;
  try {
    body = JSON.parse((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString("utf8"));
  } catch {
    return reply(this, res, faults, 200, toJson(errorResponse(null, new RpcError(PARSE_ERROR, "Parse error"))));
  }
  if (faults.httpFailures) {
    const methods = dispatcher.methodsOf(body);
    if (methods.length === 0 || methods.some((m) => faults.applies(m))) {
      const failure = faults.httpFailure();
      if (failure === 429) return reply(this, res, faults, 429, "Too many requests for a specific RPC call", "text/plain");
      if (failure === 500) return reply(this, res, faults, 500, "Internal Server Error", "text/plain");
    }
  }
  const answer = dispatcher.answer(body);
  reply(this, res, faults, 200, answer === null ? "" : toJson(answer));
}
