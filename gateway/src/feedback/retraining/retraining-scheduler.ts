import type { PrismaClient } from "../../generated/prisma/client";
import type { Logger } from "../../logger";
import type { PolicyEvaluator } from "./policy-evaluator";

/** Policies one tick evaluates at most; the rest are the most overdue at the next tick. */
const POLICIES_PER_TICK = 50;

/**
 * Evaluates every enabled policy once per interval (TESSERA_RETRAINING_INTERVAL_SECONDS), in
 * every process that runs workers. Replicas share the work without evaluating a policy twice: a
 * tick claims the policies it evaluates by stamping lastEvaluatedAt in one UPDATE over rows
 * locked with SKIP LOCKED, so two ticks at once take different policies, and a policy stamped
 * less than an interval ago is not due. An evaluation the process dies in is simply skipped until
 * the next interval; firing itself is one transaction (PolicyEvaluator). No Job rows: a tick is
 * short and periodic, and a row per policy per tick would bury the Jobs page.
 */
export class RetrainingScheduler {
  #timer: NodeJS.Timeout | null = null;
  #ticking: Promise<string[]> | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly evaluator: PolicyEvaluator,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.#timer || this.intervalMs <= 0) return;
    this.#timer = setInterval(() => void this.tick(), this.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#ticking?.catch(() => {});
  }

  /** Claims the due policies and evaluates each (may fire); the ids evaluated. A tick still running is joined. */
  tick(): Promise<string[]> {
    this.#ticking ??= this.#tick().finally(() => (this.#ticking = null));
    return this.#ticking;
  }

  async #tick(): Promise<string[]> {
    // A second less than the interval: a tick a moment early still finds what the last one stamped due.
    const dueBeforeMs = Math.max(0, this.intervalMs - 1000);
    const claimed = await this.prisma.$queryRaw<Array<{ id: string }>>`
      UPDATE "RetrainingPolicy" SET "lastEvaluatedAt" = now()
      WHERE id IN (
        SELECT id FROM "RetrainingPolicy"
        WHERE enabled
          AND ("lastEvaluatedAt" IS NULL OR "lastEvaluatedAt" <= now() - ${dueBeforeMs} * interval '1 millisecond')
        ORDER BY "lastEvaluatedAt" ASC NULLS FIRST
        LIMIT ${POLICIES_PER_TICK}
        FOR UPDATE SKIP LOCKED)
      RETURNING id::text`;
    const evaluated: string[] = [];
    for (const { id } of claimed) {
      try {
        await this.evaluator.evaluate(id, { dryRun: false, scheduled: true });
        evaluated.push(id);
      } catch (error) {
        this.logger.warn({ err: error, policyId: id }, "a scheduled policy evaluation failed");
      }
    }
    return evaluated;
  }
}
