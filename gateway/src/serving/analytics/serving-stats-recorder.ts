import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import type { Logger } from "../../logger";
import type { ScoreRecorder } from "../scoring";
import { addOutcome, emptyMinute, type ServingMinute } from "./serving-minute";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

export interface ServingStatsRecorderOptions {
  /** How often this replica appends its minutes to ServingStat; default 5 s. */
  flushIntervalMs?: number;
  /** Rows older than this are deleted (the longest window is a week); default 8 days. */
  retentionMs?: number;
  now?: () => number;
}

/**
 * Aggregates every scoring in memory per version and minute, and appends the minutes to
 * ServingStat: every few seconds those that have ended, and everything on stop. Rows are summed
 * when read, so replicas never contend for a row; writing a minute once it ended keeps it to about
 * one row per version, minute and replica (a week of a busy version is ~10,000 rows, not 120,000 at
 * one per flush), at the cost of another replica's current minute showing only when it ends. A
 * read adds this replica's unwritten minutes (`pendingRows`) rather than writing them, so however
 * often analytics are read, they add no rows.
 */
export class ServingStatsRecorder implements ScoreRecorder {
  private pending = new Map<string, { versionId: string; minute: number; stats: ServingMinute }>();
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private lastPrune = 0;
  private readonly now: () => number;
  private readonly retentionMs: number;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
    private readonly options: ServingStatsRecorderOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.retentionMs = options.retentionMs ?? 8 * DAY_MS;
  }

  record(versionId: string, outcome: Parameters<ScoreRecorder["record"]>[1]): void {
    const minute = Math.floor(this.now() / MINUTE_MS) * MINUTE_MS;
    const key = `${versionId}@${minute}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { versionId, minute, stats: emptyMinute() };
      this.pending.set(key, entry);
    }
    addOutcome(entry.stats, outcome);
  }

  /** This replica's minutes of `versionId` from `fromMs` on that are not stored yet, shaped as rows. */
  pendingRows(versionId: string, fromMs: number): Array<ServingMinute & { minute: Date }> {
    return [...this.pending.values()]
      .filter((entry) => entry.versionId === versionId && entry.minute >= fromMs)
      .map((entry) => ({ ...entry.stats, minute: new Date(entry.minute) }));
  }

  /**
   * Runs `read` between two flushes, so a minute is either in what it reads from ServingStat or in
   * `pendingRows`, never in both and never in neither (a flush takes minutes out of memory before
   * its rows are stored).
   */
  between<T>(read: () => Promise<T>): Promise<T> {
    const run = this.flushing.then(read);
    this.flushing = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(false), this.options.flushIntervalMs ?? 5_000);
    // A timer must not keep a process alive that is otherwise done (tests, CLI tools).
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /**
   * Appends what was recorded so far (only the minutes that have ended unless `all`: on stop);
   * resolves once it is stored (or logged as lost).
   */
  flush(all = true): Promise<void> {
    this.flushing = this.flushing.then(() => this.write(all));
    return this.flushing;
  }

  private async write(all: boolean): Promise<void> {
    const current = Math.floor(this.now() / MINUTE_MS) * MINUTE_MS;
    const batch = [...this.pending.entries()].filter(([, entry]) => all || entry.minute < current);
    if (batch.length === 0) return this.prune();
    for (const [key] of batch) this.pending.delete(key);
    await this.append(batch.map(([, entry]) => entry));
    await this.prune();
  }

  private async append(batch: Array<{ versionId: string; minute: number; stats: ServingMinute }>) {
    try {
      // A version deleted since its requests were recorded has nothing to attach them to.
      const ids = [...new Set(batch.map((entry) => entry.versionId))];
      const existing = await this.prisma.modelVersion.findMany({
        where: { id: { in: ids } },
        select: { id: true },
      });
      const live = new Set(existing.map((version) => version.id));
      const data: Prisma.ServingStatCreateManyInput[] = batch
        .filter((entry) => live.has(entry.versionId))
        .map(({ versionId, minute, stats }) => ({
          modelVersionId: versionId,
          minute: new Date(minute),
          requests: stats.requests,
          errors: stats.errors,
          cacheHits: stats.cacheHits,
          cacheMisses: stats.cacheMisses,
          fallbacks: stats.fallbacks,
          degraded: stats.degraded,
          servedBy: stats.servedBy,
          latency: stats.latency,
          batchSizes: stats.batchSizes,
        }));
      if (data.length > 0) await this.prisma.servingStat.createMany({ data });
    } catch (error) {
      // Analytics are best effort: one failed write loses those seconds, never a request.
      this.logger.warn({ err: error, minutes: batch.length }, "could not store serving statistics");
    }
  }

  private async prune(): Promise<void> {
    const now = this.now();
    if (now - this.lastPrune < 60 * MINUTE_MS) return;
    this.lastPrune = now;
    await this.prisma.servingStat
      .deleteMany({ where: { minute: { lt: new Date(now - this.retentionMs) } } })
      .catch((error: unknown) => this.logger.warn({ err: error }, "could not prune serving statistics"));
  }
}
