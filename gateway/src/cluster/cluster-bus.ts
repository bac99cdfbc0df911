import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { isEmbeddedDatabase } from "../db/embedded-database";
import type { Logger } from "../logger";
import { ACK_TOPIC, parseEnvelope, type Ack, type Envelope } from "./cluster-envelope";

/** The one channel every Tessera process on a database listens on for news from the others. */
export const CLUSTER_CHANNEL = "tessera_cluster";
/** Listening connections name themselves so, which is how a publisher knows whom to wait for. */
const APPLICATION_PREFIX = "tessera-cluster:";
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_900;
/**
 * Keepalive on the listening connection, both ways. Ours (the client's) notices a database host
 * that went away. The server's, set for the session, notices a replica host that lost power: its
 * backend would otherwise stay in pg_stat_activity, and be waited for, until the operating
 * system's defaults give up (2 hours idle; about 15 minutes while notifications to it go unanswered,
 * which `tcp_user_timeout` cuts short).
 */
const KEEPALIVE_INITIAL_DELAY_MS = 10_000;
const SERVER_KEEPALIVE_SQL = `SELECT set_config('tcp_keepalives_idle', '10', false),
  set_config('tcp_keepalives_interval', '5', false), set_config('tcp_keepalives_count', '3', false),
  set_config('tcp_user_timeout', '30000', false)`;
/** Retries after failed attempts to listen double from `reconnectMs` up to this. */
const MAX_RETRY_DELAY_MS = 60_000;
/** A probe not heard in time may mean a loaded database: each retry waits longer, up to this many times. */
const MAX_PROBE_TIMEOUT_FACTOR = 8;
/** Messages not sent by Tessera are logged at most this often (whoever sends them could flood the log). */
const MALFORMED_WARNING_INTERVAL_MS = 60_000;

export type BusMode = "notify" | "local";

export interface PublishOptions {
  /**
   * Wait until every other process listening now has handled it (default true): what a mutation
   * changed is then seen by the very next request on any replica. False for news that is only
   * worth having while it is fresh (upload progress).
   */
  acknowledged?: boolean;
}

export interface ClusterBusOptions {
  /** How long a publisher waits for the other processes' acknowledgements before going on. */
  ackTimeoutMs?: number;
  /** How long the probe waits for its own notification before the attempt counts as failed. */
  probeTimeoutMs?: number;
  /** How long after losing its connection, or failing to listen, the listener tries again. */
  reconnectMs?: number;
}

type Handler = (data: unknown) => void;

/**
 * News between the gateway replicas and workers sharing one database, over PostgreSQL
 * LISTEN/NOTIFY: "the serving of model M changed", "token T was revoked", an upload's progress.
 * Each process keeps one listening connection (which also sends); a process never hears its own
 * messages back (it applied them already).
 *
 * Acknowledged messages (the default) make "changed on A, seen on B's next request" hold, not
 * merely be likely: the publisher notes which processes listen (their connections' application
 * names), notifies, and waits — at most `ackTimeoutMs` — until each of them has run its handlers
 * and answered. A process that lets one go unanswered is not waited for again until it answers
 * one. A mutation's response awaits the publishes it made itself (see `trackPublishes` and
 * settleClusterPlugin), never other requests'.
 *
 * On the embedded database (one gateway, and it does not pass notifications between connections)
 * the bus is "local": publishing costs nothing. On a PostgreSQL server a listener that cannot
 * listen, or loses its connection, is "local" until it listens again, and keeps trying (with
 * backoff); what was sent meanwhile is lost, and the caches' own TTLs bound how long it goes unseen.
 */
export class ClusterBus {
  readonly processId = randomUUID();
  #client: pg.Client | null = null;
  #mode: BusMode = "local";
  #stopped = false;
  #retry: NodeJS.Timeout | undefined;
  /** Attempts to listen that failed since it last listened: they set the backoff. */
  #failedAttempts = 0;
  readonly #handlers = new Map<string, Set<Handler>>();
  readonly #waiting = new Map<string, { pending: Set<string>; done: () => void }>();
  /** Listening processes that left an acknowledgement unanswered, and have not answered one since. */
  readonly #silent = new Set<string>();
  /** The publishes of the current request, where one tracks them. */
  readonly #requestPublishes = new AsyncLocalStorage<Set<Promise<void>>>();
  #malformedIgnored = 0;
  #malformedWarnedAt = -Infinity;

  private constructor(
    private readonly url: string | null,
    private readonly logger: Logger,
    private readonly options: ClusterBusOptions,
  ) {}

  /** A bus for one process alone (nothing to tell anyone). */
  static local(logger: Logger): ClusterBus {
    return new ClusterBus(null, logger, {});
  }

  static async start(url: string, logger: Logger, options: ClusterBusOptions = {}): Promise<ClusterBus> {
    const bus = new ClusterBus(url, logger, options);
    await bus.#connect();
    return bus;
  }

  get mode(): BusMode {
    return this.#mode;
  }

  /** Runs `handler` for every message on `topic` from another process; returns the unsubscribe. */
  subscribe(topic: string, handler: Handler): () => void {
    let handlers = this.#handlers.get(topic);
    if (!handlers) this.#handlers.set(topic, (handlers = new Set()));
    handlers.add(handler);
    return () => handlers.delete(handler);
  }

  /**
   * Tells every other process. Never rejects: a failure is logged and the receivers' caches fall
   * back on their TTLs. Resolves once acknowledged (or the wait timed out), or at once when
   * `acknowledged` is false.
   */
  publish(topic: string, data: unknown, options: PublishOptions = {}): Promise<void> {
    const client = this.#client;
    if (!client || this.#mode !== "notify") return Promise.resolve();
    const acknowledged = options.acknowledged ?? true;
    const envelope: Envelope = { from: this.processId, topic, data };
    if (acknowledged) envelope.id = randomUUID();
    const payload = JSON.stringify(envelope);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      // A programming error (messages carry ids and small snapshots), not a user's.
      throw new RangeError(`a cluster message on "${topic}" is ${Buffer.byteLength(payload)} bytes`);
    }
    const sent = acknowledged
      ? this.#sendAcknowledged(client, envelope.id!, payload)
      : this.#send(client, payload);
    const tracked = sent.catch((error) =>
      this.logger.warn({ err: error, topic }, "could not publish a cluster message"),
    );
    const publishes = this.#requestPublishes.getStore();
    if (publishes) {
      publishes.add(tracked);
      void tracked.finally(() => publishes.delete(tracked));
    }
    return tracked;
  }

  /**
   * Tracks the publishes made from here on in the current async context (one request's, when
   * called as its execution starts); the returned function resolves once each of them is
   * acknowledged or given up on. Publishes of other requests, or of no request, are not waited for.
   */
  trackPublishes(): () => Promise<void> {
    const publishes = new Set<Promise<void>>();
    // enterWith, not run: Apollo's plugin hooks cannot wrap execution. Called from a hook that
    // Apollo invokes in its own request's promise continuation, it reaches only that request.
    this.#requestPublishes.enterWith(publishes);
    return async () => {
      while (publishes.size > 0) await Promise.all([...publishes]);
    };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    for (const waiting of this.#waiting.values()) waiting.done();
    const client = this.#client;
    this.#client = null;
    this.#mode = "local";
    await client?.end().catch(() => {});
  }

  async #send(client: pg.Client, payload: string): Promise<void> {
    await client.query("SELECT pg_notify($1, $2)", [CLUSTER_CHANNEL, payload]);
  }

  async #sendAcknowledged(client: pg.Client, id: string, payload: string): Promise<void> {
    // Who listens before the message goes: a process that starts listening later has nothing
    // stale to drop (it listens before it caches anything), and is not waited for.
    const { rows } = await client.query<{ name: string }>(
      `SELECT application_name AS name FROM pg_stat_activity
       WHERE datname = current_database() AND application_name LIKE $1 AND pid <> pg_backend_pid()`,
      [`${APPLICATION_PREFIX}%`],
    );
    const listening = new Set(rows.map((row) => row.name.slice(APPLICATION_PREFIX.length)));
    for (const silent of this.#silent) if (!listening.has(silent)) this.#silent.delete(silent);
    // A silent one (a host gone without closing its connection stays listed until TCP gives up)
    // is sent the message but not waited for: else every mutation would wait the full timeout.
    const pending = new Set([...listening].filter((name) => !this.#silent.has(name)));
    pending.delete(this.processId);
    if (pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<void>((resolve) => {
      this.#waiting.set(id, { pending, done: resolve });
      timer = setTimeout(() => {
        for (const name of pending) this.#silent.add(name);
        this.logger.warn(
          { processes: [...pending] },
          "cluster processes did not acknowledge a message in time; not waited for until they answer one",
        );
        resolve();
      }, this.options.ackTimeoutMs ?? 2_000);
    });
    try {
      await this.#send(client, payload);
      await answered;
    } finally {
      clearTimeout(timer);
      this.#waiting.delete(id);
    }
  }

  #receive(client: pg.Client, payload: string): void {
    const envelope = parseEnvelope(payload);
    if (!envelope) return this.#ignoreMalformed(payload);
    if (envelope.from === this.processId) return;
    if (envelope.topic === ACK_TOPIC) return this.#acknowledged(envelope.from, envelope.data as Ack);
    for (const handler of this.#handlers.get(envelope.topic) ?? []) {
      try {
        handler(envelope.data);
      } catch (error) {
        this.logger.error({ err: error, topic: envelope.topic }, "a cluster message handler failed");
      }
    }
    if (envelope.id) {
      const ack: Envelope = {
        from: this.processId,
        topic: ACK_TOPIC,
        data: { to: envelope.from, id: envelope.id },
      };
      this.#send(client, JSON.stringify(ack)).catch(() => {});
    }
  }

  #acknowledged(from: string, { to, id }: Ack): void {
    if (to !== this.processId) return;
    this.#silent.delete(from);
    const waiting = this.#waiting.get(id);
    if (!waiting) return;
    waiting.pending.delete(from);
    if (waiting.pending.size === 0) waiting.done();
  }

  #ignoreMalformed(payload: string): void {
    this.#malformedIgnored += 1;
    const now = Date.now();
    if (now - this.#malformedWarnedAt < MALFORMED_WARNING_INTERVAL_MS) return;
    this.logger.warn(
      { ignored: this.#malformedIgnored, example: payload.slice(0, 200) },
      `ignored messages on ${CLUSTER_CHANNEL} that Tessera did not send (logged at most once a minute)`,
    );
    this.#malformedWarnedAt = now;
    this.#malformedIgnored = 0;
  }

  /** The connection went away: local until it is back. */
  #lost(client: pg.Client, error: unknown): void {
    if (this.#client !== client || this.#stopped) return;
    this.#client = null;
    this.#mode = "local";
    void client.end().catch(() => {});
    this.logger.warn(
      { err: error },
      "the cluster bus lost its connection; caches rely on their TTLs until it is back",
    );
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    clearTimeout(this.#retry);
    const delay = Math.min(
      (this.options.reconnectMs ?? 5_000) * 2 ** this.#failedAttempts,
      MAX_RETRY_DELAY_MS,
    );
    this.#retry = setTimeout(() => void this.#connect(), delay);
    this.#retry.unref();
  }

  async #connect(): Promise<void> {
    if (!this.url || this.#stopped) return;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: `${APPLICATION_PREFIX}${this.processId}`,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_INITIAL_DELAY_MS,
    });
    const probe = `probe:${randomUUID()}`;
    let heard!: () => void;
    const probed = new Promise<void>((resolve) => (heard = resolve));
    client.on("notification", (message) => {
      if (message.channel !== CLUSTER_CHANNEL || !message.payload) return;
      if (message.payload === probe) heard();
      else if (!message.payload.startsWith("probe:")) {
        // Thrown here, it would be thrown from pg's socket handler and end the process.
        try {
          this.#receive(client, message.payload);
        } catch (error) {
          this.logger.error({ err: error }, "a cluster message could not be handled");
        }
      }
    });
    client.on("error", (error) => this.#lost(client, error));
    client.on("end", () => this.#lost(client, new Error("the connection ended")));
    try {
      await client.connect();
      if (await isEmbeddedDatabase(client)) {
        // One gateway per embedded database, and it does not pass notifications on anyway.
        await client.end().catch(() => {});
        return;
      }
      await client.query(SERVER_KEEPALIVE_SQL);
      await client.query(`LISTEN ${CLUSTER_CHANNEL}`);
      await this.#probe(probe);
      const probeTimeoutMs =
        (this.options.probeTimeoutMs ?? 1_000) *
        Math.min(2 ** this.#failedAttempts, MAX_PROBE_TIMEOUT_FACTOR);
      if (!(await this.#heardWithin(probed, probeTimeoutMs))) {
        throw new Error(`its own notification did not come back within ${probeTimeoutMs} ms`);
      }
      if (this.#stopped) {
        await client.end().catch(() => {});
        return;
      }
      this.#client = client;
      this.#mode = "notify";
      this.#failedAttempts = 0;
      this.logger.info({ processId: this.processId }, "cluster bus listening");
    } catch (error) {
      await client.end().catch(() => {});
      if (this.#stopped) return;
      // A server passes notifications: it is slow or away for now (a loaded database while the
      // replicas migrate together, a restart), so this process is alone only until it listens.
      this.#scheduleRetry();
      this.#failedAttempts += 1;
      this.logger.warn(
        { err: error, failedAttempts: this.#failedAttempts },
        "the cluster bus could not listen; this process is alone until a retry succeeds",
      );
    }
  }

  /** From another connection, as other processes' messages come (some servers echo only one's own). */
  async #probe(probe: string): Promise<void> {
    const sender = new pg.Client({ connectionString: this.url!, application_name: "tessera-cluster-probe" });
    try {
      await sender.connect();
      await sender.query("SELECT pg_notify($1, $2)", [CLUSTER_CHANNEL, probe]);
    } finally {
      await sender.end().catch(() => {});
    }
  }

  async #heardWithin(probed: Promise<void>, timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const heard = await Promise.race([probed.then(() => true), timedOut]);
    clearTimeout(timer);
    return heard;
  }
}
