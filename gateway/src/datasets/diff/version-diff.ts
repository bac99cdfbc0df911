import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import type { ClassDiff, VersionDiff } from "../datasets.types";

interface DiffRow {
  name: string | null;
  added: number;
  removed: number;
  before: number;
  after: number;
  relabelled: number;
  unchanged: number;
}

/**
 * Compares the labelled samples of `versionId` with those of `againstId` by content, in one
 * statement. Each version becomes a multiset of (sha256, class name) cells: re-uploads make new
 * sample rows for the same bytes, so sample ids say nothing about what changed. Per image (sha256),
 * copies under the same class match first (unchanged); what is left on both sides pairs up across
 * classes (relabelled); the rest is added or removed. Per class name the cells alone decide
 * (added = copies more here than there, removed = fewer), so each class row satisfies
 * `after - before = added - removed` and the class rows' added sum to added + relabelled.
 */
export async function compareVersions(
  db: PrismaClient | Prisma.TransactionClient,
  versionId: string,
  againstId: string,
): Promise<VersionDiff> {
  const rows = await db.$queryRaw<DiffRow[]>`
    WITH this AS (
      SELECT s.sha256, c.name, count(*)::int AS n
      FROM "VersionSample" vs
      JOIN "Sample" s ON s.id = vs."sampleId"
      JOIN "DatasetClass" c ON c.id = vs."classId"
      WHERE vs."versionId" = ${versionId}::uuid
      GROUP BY s.sha256, c.name
    ), other AS (
      SELECT s.sha256, c.name, count(*)::int AS n
      FROM "VersionSample" vs
      JOIN "Sample" s ON s.id = vs."sampleId"
      JOIN "DatasetClass" c ON c.id = vs."classId"
      WHERE vs."versionId" = ${againstId}::uuid
      GROUP BY s.sha256, c.name
    ), cells AS (
      SELECT coalesce(t.sha256, o.sha256) AS sha256, coalesce(t.name, o.name) AS name,
             coalesce(t.n, 0) AS a, coalesce(o.n, 0) AS b
      FROM this t FULL OUTER JOIN other o ON o.sha256 = t.sha256 AND o.name = t.name
    ), images AS (
      SELECT sum(least(a, b)) AS unchanged, sum(greatest(a - b, 0)) AS extra, sum(greatest(b - a, 0)) AS missing
      FROM cells GROUP BY sha256
    )
    SELECT name, added::int, removed::int, before::int, after::int, 0 AS relabelled, 0 AS unchanged
    FROM (
      SELECT name, sum(greatest(a - b, 0)) AS added, sum(greatest(b - a, 0)) AS removed,
             sum(b) AS before, sum(a) AS after
      FROM cells GROUP BY name
    ) classes
    UNION ALL
    SELECT NULL, coalesce(sum(extra - least(extra, missing)), 0)::int, coalesce(sum(missing - least(extra, missing)), 0)::int,
           0, 0, coalesce(sum(least(extra, missing)), 0)::int, coalesce(sum(unchanged), 0)::int
    FROM images
    ORDER BY name NULLS FIRST`;
  const [totals, ...classRows] = rows;
  const classes: ClassDiff[] = classRows.map(({ name, added, removed, before, after }) => ({
    name: name!,
    added,
    removed,
    before,
    after,
  }));
  return {
    added: totals?.added ?? 0,
    removed: totals?.removed ?? 0,
    relabelled: totals?.relabelled ?? 0,
    unchanged: totals?.unchanged ?? 0,
    classes,
  };
}
