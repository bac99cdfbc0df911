import type { PrismaClient } from "../../generated/prisma/client";
import { SingleFlight } from "../../single-flight";
import { activeAdjustmentOf, type ActiveAdjustment } from "./adjusted-predictions";

/**
 * How long a version's adjustment is answered from memory. A refit is seen at once (invalidate),
 * on other processes too through the cluster bus; within this time where the bus is down.
 */
const ADJUSTMENT_CACHE_MS = 5_000;

/**
 * The active adjustment of each model version, in memory, so that a classification does not pay
 * a statement for it: under load one lookup per version per ADJUSTMENT_CACHE_MS, shared by every
 * request that finds the entry old (single flight).
 */
export class ActiveAdjustments {
  private readonly entries = new Map<string, { value: ActiveAdjustment | null; fetchedAt: number }>();
  private readonly lookups = new SingleFlight<ActiveAdjustment | null>();
  private generation = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly ttlMs = ADJUSTMENT_CACHE_MS,
  ) {}

  async get(versionId: string): Promise<ActiveAdjustment | null> {
    const entry = this.entries.get(versionId);
    if (entry && performance.now() - entry.fetchedAt < this.ttlMs) return entry.value;
    const generation = this.generation;
    return this.lookups.run(versionId, async () => {
      const row = await this.prisma.feedbackAdjustment.findUnique({ where: { modelVersionId: versionId } });
      const value = activeAdjustmentOf(row);
      // A lookup that started before a refit is not kept.
      if (generation === this.generation)
        this.entries.set(versionId, { value, fetchedAt: performance.now() });
      return value;
    });
  }

  /** A refit of the version was stored: the next request reads it. */
  invalidate(versionId: string): void {
    this.entries.delete(versionId);
    this.generation += 1;
    this.lookups.forget();
  }
}
