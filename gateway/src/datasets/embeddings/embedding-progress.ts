import { createPubSub } from "@graphql-yoga/subscription";
import type { EmbeddingStatus } from "./embeddings.types";

/**
 * Progress events of embedding runs, by dataset version. In-process: with several gateway
 * replicas, a run's worker and a subscriber may be in different processes, so the event target
 * would have to be shared (Postgres LISTEN/NOTIFY or Redis behind createPubSub's eventTarget).
 */
export class EmbeddingProgress {
  private readonly pubSub = createPubSub<{
    "embedding-progress": [versionId: string, status: EmbeddingStatus];
  }>();

  publish(status: EmbeddingStatus): void {
    this.pubSub.publish("embedding-progress", status.datasetVersionId, status);
  }

  /**
   * The version's events from now on, preceded by its current statuses: listening starts before
   * `current` is read, so an event published in between is delivered, not lost.
   */
  async *follow(
    versionId: string,
    current: () => Promise<EmbeddingStatus[]>,
  ): AsyncGenerator<EmbeddingStatus> {
    const events = this.pubSub.subscribe("embedding-progress", versionId)[Symbol.asyncIterator]();
    const first = events.next();
    try {
      yield* await current();
      for (let next = await first; !next.done; next = await events.next()) yield next.value;
    } finally {
      await events.return?.();
    }
  }
}
