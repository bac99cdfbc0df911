import { randomUUID } from "node:crypto";
import pg from "pg";
import { isEmbeddedDatabase } from "../db/embedded-database";
import type { Logger } from "../logger";
import { JOB_EVENTS_CHANNEL } from "./job-event-log";

export type WakeUpMode = "notify" | "poll";

export interface JobNotifierOptions {
  /** How long the start-up probe waits for its own NOTIFY before settling on polling. */
  probeTimeoutMs?: number;
  /** How long after losing its connection the listener tries again. */
  reconnectMs?: number;
  /** Told whenever wake-ups switch between notifications and polling. */
  onModeChange?: (mode: WakeUpMode) => void;
}

/**
 * Wakes a process's job-event followers when any process appends: one connection LISTENs on the
 * job-events channel and passes each notified job id on. Whether notifications arrive at all is
 * checked at start by notifying ourselves: a real PostgreSQL delivers them; the embedded
 * database's socket server does not pass them between connections, and there the followers
 * keep polling (JobEventLog's interval). `mode` says which one this process runs on. A listener
 * that loses its connection (a restart, a failover) falls back to polling and tries again.
 */
export class JobNotifier {
  #client: pg.Client | null = null;
  #mode: WakeUpMode = "poll";
  #stopped = false;
  #retry: NodeJS.Timeout | undefined;

  private constructor(
    private readonly url: string,
    private readonly onJob: (jobId: string) => void,
    private readonly logger: Logger,
    private readonly options: JobNotifierOptions,
  ) {}

  static async start(
    url: string,
    onJob: (jobId: string) => void,
    logger: Logger,
    options: JobNotifierOptions = {},
  ): Promise<JobNotifier> {
    const notifier = new JobNotifier(url, onJob, logger, options);
    await notifier.#connect();
    return notifier;
  }

  get mode(): WakeUpMode {
    return this.#mode;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => {});
  }

  #setMode(mode: WakeUpMode): void {
    if (mode === this.#mode) return;
    this.#mode = mode;
    this.options.onModeChange?.(mode);
  }

  /** The connection went away: poll meanwhile, listen again later (once the database answers). */
  #lost(client: pg.Client, error: unknown): void {
    if (this.#client !== client || this.#stopped) return;
    this.#client = null;
    void client.end().catch(() => {});
    this.logger.warn({ err: error }, "the job-events listener lost its connection; polling until it is back");
    this.#setMode("poll");
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => void this.#connect(), this.options.reconnectMs ?? 5_000);
    this.#retry.unref();
  }

  async #connect(): Promise<void> {
    const probeTimeoutMs = this.options.probeTimeoutMs ?? 250;
    const client = new pg.Client({ connectionString: this.url, application_name: "tessera-job-events" });
    const probe = `probe:${randomUUID()}`;
    let heard!: () => void;
    const probed = new Promise<void>((resolve) => (heard = resolve));
    client.on("notification", (message) => {
      if (message.channel !== JOB_EVENTS_CHANNEL || !message.payload) return;
      if (message.payload === probe) heard();
      else if (!message.payload.startsWith("probe:")) this.onJob(message.payload);
    });
    client.on("error", (error) => this.#lost(client, error));
    client.on("end", () => this.#lost(client, new Error("the connection ended")));
    try {
      await client.connect();
      if (await isEmbeddedDatabase(client)) {
        // Known not to deliver (see above): no need to wait for the probe to time out.
        await client.end().catch(() => {});
        this.logger.info({ mode: this.#mode }, "job event wake-ups (the embedded database polls)");
        return;
      }
      await client.query(`LISTEN ${JOB_EVENTS_CHANNEL}`);
      // From another connection, as appends in other processes come: the embedded database hands a
      // connection its own notifications but no one else's.
      const sender = new pg.Client({
        connectionString: this.url,
        application_name: "tessera-job-events-probe",
      });
      try {
        await sender.connect();
        await sender.query("SELECT pg_notify($1, $2)", [JOB_EVENTS_CHANNEL, probe]);
      } finally {
        await sender.end().catch(() => {});
      }
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>(
        (resolve) => (timer = setTimeout(() => resolve(false), probeTimeoutMs)),
      );
      const delivered = await Promise.race([probed.then(() => true), timedOut]);
      clearTimeout(timer);
      if (this.#stopped) {
        await client.end().catch(() => {});
        return;
      }
      if (delivered) {
        this.#client = client;
        this.#setMode("notify");
      } else {
        await client.end().catch(() => {});
      }
    } catch (error) {
      this.logger.warn({ err: error }, "could not listen for job events; polling");
      await client.end().catch(() => {});
      // Listening worked before: the database is away for now, so try again later.
      if (this.#retry && !this.#stopped) {
        this.#retry = setTimeout(() => void this.#connect(), this.options.reconnectMs ?? 5_000);
        this.#retry.unref();
      }
    }
    this.logger.info({ mode: this.#mode }, "job event wake-ups");
  }
}
