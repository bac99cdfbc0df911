import type pg from "pg";
import { notFound } from "../errors";
import { checkRange, limits } from "../limits";
import { checkSpace, parseVectorText, toVectorText, type EmbeddingSpaceRef } from "./vector-text";

export type { EmbeddingSpaceRef };

export interface EmbeddingInput {
  sampleId: string;
  datasetId: string;
  vector: ArrayLike<number>;
  /** The embedder's own measure of how well it saw the image, when it has one. */
  quality?: number | null;
}

export interface SearchFilter {
  /** Only samples of these datasets; all datasets of the space when omitted. */
  datasetIds?: readonly string[];
  /** Leave these samples out (e.g. the sample a "more like this" search starts from). */
  excludeSampleIds?: readonly string[];
}

export interface SearchOptions extends SearchFilter {
  k: number;
  /**
   * HNSW candidate list size; higher finds more true neighbours and costs time. Defaults to
   * max(40, 2k). Set per search with SET LOCAL: on PGlite every connection shares one session.
   */
  efSearch?: number;
}

export interface Neighbour {
  sampleId: string;
  datasetId: string;
  /** Cosine distance, 0 (same direction) to 2 (opposite). */
  distance: number;
}

/** Most rows one INSERT carries: 1,000 × 256 floats is about 3 MB of text. */
const INSERT_BATCH = 1000;

/**
 * Embeddings in the `Embedding` table, one row per (space, sample). The column is an untyped
 * `vector` so spaces of any dimension share the table; each space gets a partial HNSW index on
 * `embedding::vector(n)`, and searches repeat that expression so the planner can use it.
 */
export class VectorStore {
  constructor(private readonly pool: pg.Pool) {}

  /** Inserts or replaces the vectors of these samples in `space`, in batches; returns the count. */
  async upsert(space: EmbeddingSpaceRef, embeddings: readonly EmbeddingInput[]): Promise<number> {
    checkSpace(space);
    const texts = embeddings.map((e) => toVectorText(e.vector, space, `vector of sample ${e.sampleId}`));
    for (let start = 0; start < embeddings.length; start += INSERT_BATCH) {
      const batch = embeddings.slice(start, start + INSERT_BATCH);
      await this.pool.query(
        `INSERT INTO "Embedding" ("spaceId", "sampleId", "datasetId", "embedding", "quality")
         SELECT $1::uuid, s, d, v::vector, q
           FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::float8[]) AS t(s, d, v, q)
         ON CONFLICT ("spaceId", "sampleId")
         DO UPDATE SET "embedding" = EXCLUDED."embedding", "quality" = EXCLUDED."quality",
                       "datasetId" = EXCLUDED."datasetId", "createdAt" = now()`,
        [
          space.id,
          batch.map((e) => e.sampleId),
          batch.map((e) => e.datasetId),
          texts.slice(start, start + INSERT_BATCH),
          batch.map((e) => e.quality ?? null),
        ],
      );
    }
    return embeddings.length;
  }

  /**
   * Creates the space's HNSW index (cosine) unless it exists. Building is cheaper after the bulk
   * insert than row by row during it, so call this once a space's first version is embedded.
   */
  async ensureIndex(space: EmbeddingSpaceRef): Promise<string> {
    checkSpace(space);
    const name = indexName(space);
    await this.pool.query(
      `CREATE INDEX IF NOT EXISTS "${name}" ON "Embedding"
         USING hnsw (("embedding"::vector(${space.dimension})) vector_cosine_ops)
         WHERE "spaceId" = '${space.id}'`,
    );
    return name;
  }

  async dropIndex(space: EmbeddingSpaceRef): Promise<void> {
    checkSpace(space);
    await this.pool.query(`DROP INDEX IF EXISTS "${indexName(space)}"`);
  }

  /** Approximate k nearest neighbours through the space's HNSW index (exact scan if it has none). */
  search(space: EmbeddingSpaceRef, vector: ArrayLike<number>, options: SearchOptions): Promise<Neighbour[]> {
    return this.nearest(space, vector, options, "index");
  }

  /** The true k nearest neighbours by a full scan of the space: the baseline for recall. */
  exactSearch(
    space: EmbeddingSpaceRef,
    vector: ArrayLike<number>,
    options: SearchOptions,
  ): Promise<Neighbour[]> {
    return this.nearest(space, vector, options, "exact");
  }

  /** Neighbours of a stored sample's vector, the sample itself left out. */
  async searchBySample(
    space: EmbeddingSpaceRef,
    sampleId: string,
    options: SearchOptions,
  ): Promise<Neighbour[]> {
    const vector = await this.vectorOf(space, sampleId);
    if (!vector) throw notFound(`An embedding of sample ${sampleId} in space ${space.id}`);
    const excludeSampleIds = [...(options.excludeSampleIds ?? []), sampleId];
    return this.search(space, vector, { ...options, excludeSampleIds });
  }

  async vectorOf(space: EmbeddingSpaceRef, sampleId: string): Promise<number[] | null> {
    checkSpace(space);
    const { rows } = await this.pool.query<{ embedding: string }>(
      `SELECT "embedding"::text AS embedding FROM "Embedding" WHERE "spaceId" = $1 AND "sampleId" = $2`,
      [space.id, sampleId],
    );
    return rows[0] ? parseVectorText(rows[0].embedding) : null;
  }

  private async nearest(
    space: EmbeddingSpaceRef,
    vector: ArrayLike<number>,
    options: SearchOptions,
    mode: "index" | "exact",
  ): Promise<Neighbour[]> {
    checkSpace(space);
    const { k } = options;
    checkRange("k", k, 1, limits.similarK);
    const query = toVectorText(vector, space, "query vector");
    const params: unknown[] = [space.id, query, k];
    const where = [`"spaceId" = $1`];
    if (options.datasetIds) where.push(`"datasetId" = ANY($${params.push(options.datasetIds)}::uuid[])`);
    if (options.excludeSampleIds?.length) {
      where.push(`NOT ("sampleId" = ANY($${params.push(options.excludeSampleIds)}::uuid[]))`);
    }
    // The index is on `embedding::vector(n)`; the exact scan orders by the uncast column, which
    // matches no index expression, so the planner has to read every row of the space.
    const column = mode === "index" ? `"embedding"::vector(${space.dimension})` : `"embedding"`;
    const distance = `${column} <=> $2::vector(${space.dimension})`;
    const filtered = where.length > 1;
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      if (mode === "index") {
        const efSearch = Math.min(1000, options.efSearch ?? Math.max(40, 2 * k));
        await client.query(`SET LOCAL hnsw.ef_search = ${Math.max(k, Math.floor(efSearch))}`);
        // A filter drops candidates after the graph walk; iterative scans keep walking until k
        // rows pass it. Relaxed order may return rows slightly out of order: re-sorted below.
        if (filtered) await client.query(`SET LOCAL hnsw.iterative_scan = relaxed_order`);
      }
      const { rows } = await client.query<{ sampleId: string; datasetId: string; distance: number }>(
        `WITH nearest AS MATERIALIZED (
           SELECT "sampleId", "datasetId", ${distance} AS distance
             FROM "Embedding" WHERE ${where.join(" AND ")}
            ORDER BY ${distance} LIMIT $3)
         SELECT "sampleId", "datasetId", distance FROM nearest ORDER BY distance, "sampleId"`,
        params,
      );
      await client.query("COMMIT");
      return rows;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}

/** One index per space, named by its id (63-byte identifier limit: 32 hex digits fit). */
export function indexName(space: EmbeddingSpaceRef): string {
  return `Embedding_hnsw_${space.id.replace(/-/g, "").toLowerCase()}`;
}
