import type { Logger } from "../logger";
import { SingleFlight } from "../single-flight";
import type { DeploymentConfig } from "./deployments.types";

/**
 * How long a READY target is answered from memory before it is looked up again. Every change this
 * gateway makes clears the model's targets at once, and so does another replica's, told over the
 * cluster bus (cluster/cluster-relays.ts); while the bus is down, another replica's change is seen
 * within at most twice this time (see ServingTargets). A tier that lost the model answers
 * NOT_FOUND, which reloads it.
 */
export const TARGET_CACHE_MS = 2_000;

/**
 * Up to this many TTLs old, an entry is still answered while one lookup refreshes it; older, the
 * request waits for the lookup. It bounds how long a change made on another replica (a model made
 * private, an undeploy) can go unseen when the refresh is slow or keeps failing.
 */
const MAX_STALE_TTLS = 2;

/**
 * Who answers a READY deployment: a tier (ONNX versions), or the gateway itself, blending other
 * versions (ENSEMBLE) or calling an HTTP endpoint (REMOTE).
 */
export type ServingKind = "TIER" | "ENSEMBLE" | "REMOTE";

/** The kind of a version's model framework. */
export function servingKindOf(framework: string): ServingKind {
  return framework === "ENSEMBLE" || framework === "REMOTE" ? framework : "TIER";
}

/** What a request needs to run on a READY deployment. */
export interface ServingTarget {
  kind: ServingKind;
  /** The version's model: what `invalidateServingTargets(modelId)` names (the prediction cache keys on it). */
  modelId?: string;
  deploymentId: string;
  tierModelName: string;
  tierModelVersion: string;
  config: DeploymentConfig;
  labels: string[];
}

/** A READY target with what decides who may use it, checked again for every viewer. */
export interface VisibleTarget {
  target: ServingTarget;
  model: { id: string; ownerId: string; isPublic: boolean };
}

/**
 * The READY serving target of each model version, in memory, so that a classification costs no
 * SQL. Under load every request wants the same few entries at once, so:
 *
 * - one lookup per version at a time, shared by every request that waits for it (single flight);
 * - an entry older than `ttlMs` is still answered while one lookup refreshes it in the background
 *   (stale while revalidating), so an expiry never makes every request wait on the database; past
 *   `MAX_STALE_TTLS` × `ttlMs` requests wait for that one lookup instead, so nothing is served
 *   from a lookup older than that;
 * - `invalidate(modelId)` drops that model's entries, and no lookup that started before it is
 *   stored or joined: a change this gateway made is seen by the next request.
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

  /** The version's READY target, from memory when there is one fresh enough; null when it has none. */
  async get(versionId: string): Promise<VisibleTarget | null> {
    const entry = this.entries.get(versionId);
    const age = entry ? performance.now() - entry.fetchedAt : Infinity;
    if (age < this.ttlMs) return entry!.value;
    if (age >= this.ttlMs * MAX_STALE_TTLS) return this.refresh(versionId);
    // Logged once by the lookup itself, however many requests found the entry old.
    this.refresh(versionId).catch(() => {});
    return entry!.value;
  }

  /** What a model serves, or who may see it, changed: its versions are looked up again. */
  invalidate(modelId: string): void {
    for (const [versionId, entry] of this.entries) {
      if (entry.value.model.id === modelId) this.entries.delete(versionId);
    }
    // Which model a running lookup belongs to is known only once it answers, so every running
    // lookup is left to finish unstored: at most one extra lookup per version in flight, where
    // clearing every entry would send every version's next request to the database.
    this.generation += 1;
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
