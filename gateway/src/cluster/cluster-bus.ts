import { randomUUID } from "node:crypto";
import pg from "pg";
import type { Logger } from "../logger";

/** The one channel every Tessera process on a database listens on for news from the others. */
export const CLUSTER_CHANNEL = "tessera_cluster";
/** Listening connections name themselves so, which is how a publisher knows whom to wait for. */
const APPLICATION_PREFIX = "tessera-cluster:";
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_900;
const ACK_TOPIC = "ack";

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
  /** How long the start-up probe waits for its own notification before settling on "local". */
  probeTimeoutMs?: number;
  /** How long after losing its connection the listener tries again. */
  reconnectMs?: number;
}

interface Envelope {
  /** The publishing process. */
  from: string;
  topic: string;
  data: unknown;
  /** Set when the publisher waits for acknowledgements: they name it. */
  id?: string;
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
 * and answered. `settled()` waits for every such publish still going; a mutation's response
 * awaits it (see settleClusterPlugin).
 *
 * Where notifications do not pass between connections (the embedded database, where one gateway
 * runs) the bus is "local": publishing costs nothing. A listener that loses its connection is
 * "local" until it listens again; what was sent meanwhile is lost, and the caches' own TTLs bound
 * how long it goes unseen.
 */
export class ClusterBus {
  readonly processId = randomUUID();
  #client: pg.Client | null = null;
  #mode: BusMode = "local";
  #stopped = false;
  #retry: NodeJS.Timeout | undefined;
  #everConnected = false;
  readonly #handlers = new Map<string, Set<Handler>>();
  readonly #waiting = new Map<string, { pending: Set<string>; done: () => void }>();
  readonly #inFlight = new Set<Promise<void>>();

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
    this.#inFlight.add(tracked);
    void tracked.finally(() => this.#inFlight.delete(tracked));
    return tracked;
  }

  /** Resolves once every publish started so far is acknowledged (or given up on). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
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
    const pending = new Set(rows.map((row) => row.name.slice(APPLICATION_PREFIX.length)));
    pending.delete(this.processId);
    if (pending.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<void>((resolve) => {
      this.#waiting.set(id, { pending, done: resolve });
      timer = setTimeout(() => {
        this.logger.warn(
          { processes: [...pending] },
          "cluster processes did not acknowledge a message in time",
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
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch {
      return;
    }
    if (envelope.from === this.processId) return;
    if (envelope.topic === ACK_TOPIC) {
      const { to, id } = envelope.data as { to: string; id: string };
      if (to !== this.processId) return;
      const waiting = this.#waiting.get(id);
      if (!waiting) return;
      waiting.pending.delete(envelope.from);
      if (waiting.pending.size === 0) waiting.done();
      return;
    }
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
    this.#retry = setTimeout(() => void this.#connect(), this.options.reconnectMs ?? 5_000);
    this.#retry.unref();
  }

  async #connect(): Promise<void> {
    if (!this.url || this.#stopped) return;
    const client = new pg.Client({
      connectionString: this.url,
      application_name: `${APPLICATION_PREFIX}${this.processId}`,
    });
    const probe = `probe:${randomUUID()}`;
    let heard!: () => void;
    const probed = new Promise<void>((resolve) => (heard = resolve));
    client.on("notification", (message) => {
      if (message.channel !== CLUSTER_CHANNEL || !message.payload) return;
      if (message.payload === probe) heard();
      else if (!message.payload.startsWith("probe:")) this.#receive(client, message.payload);
    });
    client.on("error", (error) => this.#lost(client, error));
    client.on("end", () => this.#lost(client, new Error("the connection ended")));
    try {
      await client.connect();
      const { rows } = await client.query<{ version: string }>("SELECT version()");
      if (rows[0]?.version.includes("PGlite")) {
        // One gateway per embedded database, and it does not pass notifications on anyway.
        await client.end().catch(() => {});
        return;
      }
      await client.query(`LISTEN ${CLUSTER_CHANNEL}`);
      await this.#probe(probe);
      if (!(await this.#heardWithin(probed))) {
        await client.end().catch(() => {});
        this.logger.info("cluster bus: notifications do not pass between connections; one process alone");
        return;
      }
      if (this.#stopped) {
        await client.end().catch(() => {});
        return;
      }
      this.#client = client;
      this.#mode = "notify";
      this.#everConnected = true;
      this.logger.info({ processId: this.processId }, "cluster bus listening");
    } catch (error) {
      await client.end().catch(() => {});
      this.logger.warn({ err: error }, "the cluster bus could not listen");
      // It listened before: the database is away for now, so try again later.
      if (this.#everConnected && !this.#stopped) this.#scheduleRetry();
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

  async #heardWithin(probed: Promise<void>): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>(
      (resolve) => (timer = setTimeout(() => resolve(false), this.options.probeTimeoutMs ?? 1_000)),
    );
    const heard = await Promise.race([probed.then(() => true), timedOut]);
    clearTimeout(timer);
    return heard;
  }
}
