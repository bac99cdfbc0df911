import type pg from "pg";
import type { SpaceRow } from "./embedding-spaces";

/**
 * Embedding quality of a sample in a space: the cosine similarity between its vector and the
 * centroid of the OTHER samples of its class in this version (leave-one-out, so a sample does not
 * vouch for itself), from -1 to 1. A typical sample sits close to its class and scores high; an
 * atypical, corrupt or mislabelled-looking one points elsewhere and scores low. A class of one
 * sample has no centroid to compare with: its quality stays NULL and it is never flagged.
 *
 * Stored on the (space, sample) row, so with a sample in several versions the last run's labels
 * decide. Computed in one statement with pgvector's vector sum: sum − v is the rest of the class.
 */
export async function scoreVersion(pool: pg.Pool, space: SpaceRow, versionId: string): Promise<void> {
  const column = `e."embedding"::vector(${space.dimension})`;
  await pool.query(
    `WITH members AS (
       SELECT e."sampleId", vs."classId", ${column} AS v
         FROM "VersionSample" vs
         JOIN "Embedding" e ON e."sampleId" = vs."sampleId" AND e."spaceId" = $1
        WHERE vs."versionId" = $2),
     classes AS (SELECT "classId", sum(v) AS total, count(*) AS n FROM members GROUP BY "classId"),
     scored AS (
       SELECT m."sampleId",
              CASE WHEN c.n > 1 AND vector_norm(c.total - m.v) > 0 AND vector_norm(m.v) > 0
                   THEN 1 - ((c.total - m.v) <=> m.v) END AS quality
         FROM members m JOIN classes c ON c."classId" = m."classId")
     UPDATE "Embedding" e SET quality = scored.quality
       FROM scored WHERE e."spaceId" = $1 AND e."sampleId" = scored."sampleId"`,
    [space.id, versionId],
  );
}
