import type { Logger } from "../logger";
import { SingleFlight } from "../single-flight";
import type { DeploymentConfig } from "./deployments.types";

/**
 * How long a READY target is answered from memory before it is looked up again (in the
 * background). Every change this gateway makes clears it at once; another replica's change is seen
 * within about this time (and a tier that lost the model answers NOT_FOUND, which reloads it).
 */
export const TARGET_CACHE_MS = 2_000;

/** What a request needs to run on a READY deployment. */
export interface ServingTarget {
  deploymentId: string;
  tierModelName: string;
  tierModelVersion: string;
  config: DeploymentConfig;
  labels: string[];
}

/** A READY target with what decides who may use it, checked again for every viewer. */
export interface VisibleTarget {
  target: ServingTarget;
  model: { ownerId: string; isPublic: boolean };
}

/**
 * The READY serving target of each model version, in memory, so that a classification costs no
 * SQL. Under load every request wants the same few entries at once, so:
 *
 * - one lookup per version at a time, shared by every request that waits for it (single flight);
 * - an entry older than `ttlMs` is still answered while one lookup refreshes it in the background
 *   (stale while revalidating), so an expiry never makes every request wait on the database;
 * - `invalidate()` drops everything, lookups in flight included, and a lookup that started before
 *   it is never stored: a change this gateway made is seen by the next request. Another replica's
 *   change is seen after at most `ttlMs` plus one lookup.
 *
 * Only READY targets are kept; anything else (not deployed, loading, gone) goes back to the caller.
 */
export class ServingTargets {
  private readonly entries = new Map<string, { value: VisibleTarget; fetchedAt: number }>();
  private readonly lookups = new SingleFlight<VisibleTarget | null>();
  private generation = 0;

  constructor(
    private readonly lookup: (versionId: string) => Promise<VisibleTarget | null>,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {}

  /** The version's READY target, from memory when there is one; null when it has none. */
  async get(versionId: string): Promise<VisibleTarget | null> {
    const entry = this.entries.get(versionId);
    if (!entry) return this.refresh(versionId);
    // Logged once by the lookup itself, however many requests found the entry old.
    if (performance.now() - entry.fetchedAt >= this.ttlMs) this.refresh(versionId).catch(() => {});
    return entry.value;
  }

  /** What any model serves, or who may see it, changed: the one place to hook cross-replica news. */
  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
    this.lookups.forget();
  }

  private refresh(versionId: string): Promise<VisibleTarget | null> {
    const generation = this.generation;
    return this.lookups.run(versionId, async () => {
      let value: VisibleTarget | null = null;
      try {
        value = await this.lookup(versionId);
        return value;
      } catch (error) {
        this.logger.warn({ err: error, versionId }, "could not look up a serving target");
        throw error;
      } finally {
        // A lookup that started before a change is not kept; a failed one leaves no old entry.
        if (this.generation === generation) {
          if (value) this.entries.set(versionId, { value, fetchedAt: performance.now() });
          else this.entries.delete(versionId);
        }
      }
    });
  }
}
