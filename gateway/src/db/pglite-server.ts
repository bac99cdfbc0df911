import { createServer, type AddressInfo, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from "@electric-sql/pglite-socket";
import { admitClient, passwordCheck } from "./pg-password-auth";

/**
 * PGlite is one Postgres backend; this serves it to many wire-protocol connections by giving one
 * connection the backend at a time, for a whole session step: from its first message until the
 * backend answers ReadyForQuery "idle". So an extended-protocol cycle (Parse … Sync) and an explicit
 * transaction (BEGIN … COMMIT) never interleave with another connection's messages.
 *
 * pglite-socket's own queue only keeps a connection's messages together while an explicit
 * transaction is open, so two pooled connections sending large queries (split over several TCP
 * packets) overwrite each other's unnamed statement ("bind message supplies 2 parameters, but
 * prepared statement \"\" requires 1"). We keep its per-connection framing (PGLiteSocketHandler)
 * and replace only the scheduling.
 *
 * All connections share one session: advisory locks, SET and temporary tables are visible to all.
 */
export interface PGliteServer {
  port: number;
  close(): Promise<void>;
}

// 'X': the client is leaving. PGlite ignores it and sends no reply, so it must not take the
// backend; the socket closing right after ends what the connection left open.
const TERMINATE = 0x58;
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);
// ReadyForQuery is 'Z', length 5, then the transaction status: 'I' idle, 'T' in a transaction, 'E' failed one.
const READY_FOR_QUERY = [0x5a, 0, 0, 0, 5];
const READY_FOR_QUERY_LENGTH = READY_FOR_QUERY.length + 1;
const IDLE = 0x49;
// What a WebAssembly trap throws (an abort, an out-of-bounds access); Node's types leave it out.
const WasmTrap = (globalThis as unknown as { WebAssembly: { RuntimeError: ErrorConstructor } }).WebAssembly
  .RuntimeError;
// PGlite has one role; clients sign in as it.
export const SUPERUSER = "postgres";
/**
 * Clients still in the password handshake. They do not count against `maxConnections`; past this
 * many, a new client pushes out the one that has waited longest. Anyone on the machine can open
 * sockets without the password, so they must never be able to fill the slots the gateway's own
 * pools need: a real client finishes its handshake within milliseconds on loopback, well before
 * this many newer sockets arrive, while sockets left idle in the handshake are the oldest and go
 * first. So the handshake's own deadline (10 s, pg-password-auth.ts) need not be short.
 */
const MAX_PENDING_HANDSHAKES = 16;

interface Pending {
  connection: number;
  message: Uint8Array | "release";
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: Error) => void;
}

class SessionScheduler {
  #pending: Pending[] = [];
  /** The connection that holds the backend, or null when the backend is idle. */
  #owner: number | null = null;
  /** The last response did not end with ReadyForQuery: the owner is in the middle of a cycle. */
  #midCycle = false;
  #draining = false;

  constructor(
    private readonly db: PGlite,
    private readonly onTrap: (error: Error) => void,
  ) {}

  enqueue(connection: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ connection, message, onData, resolve, reject });
      void this.#drain();
    });
  }

  clearQueueForHandler(connection: number): void {
    const mine = this.#pending.filter((item) => item.connection === connection);
    this.#pending = this.#pending.filter((item) => item.connection !== connection);
    for (const item of mine) item.reject(new Error("Connection closed"));
  }

  /** Called when a connection goes away: end whatever it left open so the others can go on. */
  clearTransactionIfNeeded(connection: number): Promise<void> {
    if (this.#owner !== connection) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#pending.push({
        connection,
        message: "release",
        onData: () => {},
        resolve: () => resolve(),
        reject,
      });
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (;;) {
        const index =
          this.#owner === null ? 0 : this.#pending.findIndex((item) => item.connection === this.#owner);
        const item = index < 0 ? undefined : this.#pending.splice(index, 1)[0];
        if (!item) return;
        await (item.message === "release" ? this.#release(item) : this.#run(item, item.message));
      }
    } finally {
      this.#draining = false;
    }
  }

  async #run(item: Pending, message: Uint8Array): Promise<void> {
    if (message[0] === TERMINATE) return item.resolve(0);
    this.#owner = item.connection;
    let bytes = 0;
    let tail: Uint8Array = new Uint8Array(0);
    try {
      await this.db.runExclusive(() =>
        this.db.execProtocolRawStream(message, {
          onRawData: (data) => {
            bytes += data.length;
            tail = lastBytes(tail, data);
            item.onData(data);
          },
        }),
      );
    } catch (error) {
      this.#trapped(error);
      return item.reject(error as Error);
    }
    const ready =
      tail.length === READY_FOR_QUERY_LENGTH && READY_FOR_QUERY.every((byte, i) => tail[i] === byte);
    this.#midCycle = !ready;
    if (ready && tail[READY_FOR_QUERY.length] === IDLE) this.#owner = null;
    item.resolve(bytes);
  }

  async #release(item: Pending): Promise<void> {
    try {
      if (this.#midCycle) await this.db.runExclusive(() => this.db.execProtocolRaw(SYNC));
      if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
      item.resolve(0);
    } catch (error) {
      this.#trapped(error);
      item.reject(error as Error);
    } finally {
      this.#owner = null;
      this.#midCycle = false;
    }
  }

  #trapped(error: unknown): void {
    if (error instanceof WasmTrap) this.onTrap(error);
  }
}

function lastBytes(previous: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length >= READY_FOR_QUERY_LENGTH) return data.slice(data.length - READY_FOR_QUERY_LENGTH);
  const joined = new Uint8Array(previous.length + data.length);
  joined.set(previous);
  joined.set(data, previous.length);
  return joined.slice(Math.max(0, joined.length - READY_FOR_QUERY_LENGTH));
}

/**
 * Serves `db` on 127.0.0.1 (never another interface) on a free port, to clients that sign in as
 * user `postgres` with `password`; at most `maxConnections` signed-in clients at a time. `onTrap`
 * hears of a statement that trapped in PGlite's WebAssembly (an abort): the statement's client
 * gets an error like any other, but PGlite's memory can no longer be trusted.
 */
export async function servePGlite(
  db: PGlite,
  options: { maxConnections: number; password: string; onTrap?: (error: Error) => void },
): Promise<PGliteServer> {
  const scheduler = new SessionScheduler(db, options.onTrap ?? (() => {}));
  // The handler is typed against pglite-socket's own (unexported) queue class; ours has the same methods.
  const queryQueue = scheduler as unknown as PGLiteSocketHandlerOptions["queryQueue"];
  const check = passwordCheck(SUPERUSER, options.password);
  /** In the order they connected: the first is the one that has waited longest. */
  const handshaking = new Set<Socket>();
  const signedIn = new Set<Socket>();
  const handlers = new Set<PGLiteSocketHandler>();

  const server = createServer((socket: Socket) => {
    if (signedIn.size >= options.maxConnections) {
      socket.end();
      return;
    }
    if (handshaking.size >= MAX_PENDING_HANDSHAKES) {
      const longestWaiting = handshaking.values().next().value!;
      handshaking.delete(longestWaiting);
      longestWaiting.destroy();
    }
    handshaking.add(socket);
    socket.once("close", () => {
      handshaking.delete(socket);
      signedIn.delete(socket);
    });
    // A client that resets the connection mid-handshake must not take the process down; the
    // handler adds its own error listener once it takes the socket over.
    socket.on("error", () => socket.destroy());
    void admitClient(socket, check).then((pending) => {
      handshaking.delete(socket);
      if (!pending || socket.destroyed) return;
      // Several clients may have finished their handshakes since the count was checked.
      if (signedIn.size >= options.maxConnections) {
        socket.destroy();
        return;
      }
      signedIn.add(socket);
      const handler = new PGLiteSocketHandler({ queryQueue, closeOnDetach: true });
      handlers.add(handler);
      const forget = () => handlers.delete(handler);
      handler.addEventListener("close", forget);
      handler.addEventListener("error", forget);
      // PGlite answers the startup message itself (AuthenticationOk onwards), so it is handed on.
      socket.unshift(pending);
      void handler.attach(socket).then(() => socket.resume());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });

  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...handlers].map((handler) => handler.detach(true)));
      handlers.clear();
      for (const socket of [...handshaking, ...signedIn]) socket.destroy();
      await closed;
    },
  };
}
