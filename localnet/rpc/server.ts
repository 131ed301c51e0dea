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

/** An HTTP server answering JSON-RPC at any path (POST) and GET /health. Not listening yet. */
export function createRpcServer(options: RpcServerOptions): Server {
  const dispatcher = new RpcDispatcher(options);
  const maxBody = options.maxBodyBytes ?? MAX_REQUEST_BODY_SIZE;
  const server = createServer((req, res) => handle(req, res, dispatcher, options.faults, maxBody));
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  return server;
}

function handle(req: IncomingMessage, res: ServerResponse, dispatcher: RpcDispatcher, faults: Faults, maxBody: number): void {
  const send = (status: number, body: string, contentType = "application/json"): void => {
    const write = () => {
      if (res.destroyed) return;
      const cors = req.method === "OPTIONS" ? CORS_PREFLIGHT : CORS_ORIGIN;
      res.writeHead(status, { ...cors, "content-type": contentType, "content-length": Buffer.byteLength(body) });
      res.end(body);
    };
    const delay = faults.latency();
    if (delay > 0) setTimeout(write, delay);
    else write();
  };
  if (req.method === "OPTIONS") return send(200, "", "text/plain");
  if (req.method === "GET") {
    if ((req.url ?? "/").split("?")[0] === "/health") return send(200, "ok", "text/plain");
    return send(404, "Not Found", "text/plain");
  }
  if (req.method !== "POST") return send(405, "Method Not Allowed", "text/plain");
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on("data", (chunk: Buffer) => {
    if (tooLarge) return;
    size += chunk.length;
    if (size > maxBody) {
      tooLarge = true;
      send(413, "Payload Too Large", "text/plain");
      return;
    }
    chunks.push(chunk);
  });
  req.on("error", () => res.destroy());
  req.on("end", () => {
    if (tooLarge) return;
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(200, toJson(errorResponse(null, new RpcError(PARSE_ERROR, "Parse error"))));
    }
    const methods = dispatcher.methodsOf(body);
    if (methods.length === 0 || methods.some((m) => faults.applies(m))) {
      const failure = faults.httpFailure();
      if (failure === 429) return send(429, "Too many requests for a specific RPC call", "text/plain");
      if (failure === 500) return send(500, "Internal Server Error", "text/plain");
    }
    const answer = dispatcher.answer(body);
    send(200, answer === null ? "" : toJson(answer));
  });
}
