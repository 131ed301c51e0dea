// The PubSub endpoint: JSON-RPC over WebSocket for the subscription methods, with the WebSocket faults
// (latency on every message, dropped connections).
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import type { Faults } from "../faults.js";
import { INTERNAL_ERROR, INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR, RpcError } from "../rpc/errors.js";
import { toJson } from "../rpc/json.js";
import { SUBSCRIBE_METHODS, type Subscriber, SubscriptionHub, UNSUBSCRIBE_METHODS } from "./subscriptions.js";

/** Largest message a client may send (a subscription request is small). */
const MAX_MESSAGE_BYTES = 64 * 1024;

/** One client connection: its outgoing queue (in order, even with latency) and its subscriptions. */
class Connection implements Subscriber {
  /** Messages held back by the latency fault, with when each is due; sent strictly in order. */
  private readonly queue: Array<{ text: string; due: number }> = [];
  private timer: NodeJS.Timeout | undefined;
  closed = false;

  constructor(
    readonly socket: WebSocket,
    private readonly faults: Faults,
    private readonly onDrop: (connection: Connection) => void,
  ) {}

  send(message: unknown): void {
    if (this.closed) return;
    if (this.faults.wsDrop()) {
      this.drop();
      return;
    }
    const text = toJson(message);
    const delay = this.faults.latency();
    if (delay <= 0 && this.queue.length === 0) {
      this.socket.send(text);
      return;
    }
    this.queue.push({ text, due: Date.now() + delay });
    if (this.timer === undefined) this.flushLater();
  }

  private flushLater(): void {
    const head = this.queue[0];
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const now = Date.now();
      while (this.queue.length > 0 && this.queue[0].due <= now) {
        const { text } = this.queue.shift()!;
        if (!this.closed && this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
      }
      if (this.queue.length > 0 && !this.closed) this.flushLater();
    }, Math.max(0, head.due - Date.now()));
  }

  notify(method: string, subscription: number, result: unknown): void {
    this.send({ jsonrpc: "2.0", method, params: { result, subscription } });
  }

  /** Ends the connection abruptly (no close frame), as a crashed node or a broken network would. */
  drop(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.queue.length = 0;
    this.socket.terminate();
    this.onDrop(this);
  }
}

export interface PubSubServerOptions {
  readonly hub: SubscriptionHub;
  readonly faults: Faults;
  readonly logError?: (message: string, error: unknown) => void;
}

/** Serves subscriptions on upgraded HTTP connections (`handleUpgrade` from any HTTP server). */
export class PubSubServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  private readonly connections = new Set<Connection>();

  constructor(private readonly options: PubSubServerOptions) {
    this.wss.on("connection", (socket) => this.accept(socket));
  }

  /** For an HTTP server's "upgrade" event. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.wss.emit("connection", ws, request));
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Drops every open connection (clients see an abnormal closure and reconnect). */
  dropAll(): number {
    const all = [...this.connections];
    for (const connection of all) connection.drop();
    return all.length;
  }

  /** Closes every connection and stops accepting new ones. */
  async close(): Promise<void> {
    for (const connection of [...this.connections]) connection.drop();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const connection = new Connection(socket, this.options.faults, (c) => this.forget(c));
    this.connections.add(connection);
    socket.on("message", (data, isBinary) => this.receive(connection, isBinary ? null : data.toString()));
    socket.on("close", () => this.forget(connection));
    socket.on("error", () => connection.drop());
  }

  private forget(connection: Connection): void {
    connection.closed = true;
    if (!this.connections.delete(connection)) return;
    this.options.hub.dropSubscriber(connection);
  }

  private receive(connection: Connection, text: string | null): void {
    let request: unknown;
    try {
      if (text === null) throw new Error("binary message");
      request = JSON.parse(text);
    } catch {
      connection.send({ jsonrpc: "2.0", error: new RpcError(PARSE_ERROR, "Parse error").toJSON(), id: null });
      return;
    }
    const { jsonrpc, method, params, id } = (request ?? {}) as Record<string, unknown>;
    const validId = id === null || typeof id === "string" || typeof id === "number";
    if (typeof request !== "object" || Array.isArray(request) || jsonrpc !== "2.0" || typeof method !== "string" || !validId) {
      connection.send({ jsonrpc: "2.0", error: new RpcError(INVALID_REQUEST, "Invalid request").toJSON(), id: validId ? id : null });
      return;
    }
    const answer = (result: unknown) => connection.send({ jsonrpc: "2.0", result, id });
    const fail = (error: RpcError) => connection.send({ jsonrpc: "2.0", error: error.toJSON(), id });
    try {
      if (method in SUBSCRIBE_METHODS) {
        const { id: subscription, immediate } = this.options.hub.subscribe(method, params, connection);
        answer(subscription);
        immediate?.();
      } else if (method in UNSUBSCRIBE_METHODS) {
        if (this.options.hub.unsubscribe(method, params, connection)) answer(true);
        else fail(new RpcError(INVALID_PARAMS, "Invalid subscription id."));
      } else {
        fail(new RpcError(METHOD_NOT_FOUND, `Method not found: ${method}`, { method }));
      }
    } catch (error) {
      if (error instanceof RpcError) return fail(error);
      (this.options.logError ?? ((m, e) => console.error(`localnet: ${m}:`, e)))(`${method} failed`, error);
      fail(new RpcError(INTERNAL_ERROR, "Internal error"));
    }
  }
}
