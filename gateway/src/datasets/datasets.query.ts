import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { ownedFilterConditions, searchTerms, visibleTo } from "../graphql/owned-list-sql";
import type { Viewer } from "../users/access";
import type { DatasetFilter } from "./datasets.types";

export interface DatasetListArgs {
  filter?: DatasetFilter | null;
  search?: string | null;
  offset: number;
  limit: number;
}

/** Name weighs most, then tags, then the description. */
const DOCUMENT = Prisma.sql`
  setweight(to_tsvector('simple', d.name), 'A') ||
  setweight(to_tsvector('simple', array_to_string(d.tags, ' ')), 'B') ||
  setweight(to_tsvector('simple', coalesce(d.description, '')), 'C')`;

/**
 * One statement returns a page of dataset ids, newest first, plus the total count; the datasets
 * themselves come from a loader, so listing costs a constant number of statements.
 */
export async function listDatasetIds(
  prisma: PrismaClient,
  viewer: Viewer | null,
  args: DatasetListArgs,
): Promise<{ ids: string[]; totalCount: number }> {
  const conditions = [visibleTo(viewer, "d"), ...ownedFilterConditions(args.filter, "d")];
  const terms = searchTerms(args.search);
  if (terms) {
    conditions.push(
      Prisma.sql`((${DOCUMENT}) @@ to_tsquery('simple', ${terms.tsquery}) OR d.name ILIKE ${terms.like})`,
    );
  }
  const where = Prisma.join(conditions, " AND ");
  const rows = await prisma.$queryRaw<Array<{ id: string; total: bigint }>>`
    SELECT d.id::text AS id, count(*) OVER () AS total
    FROM "Dataset" d
    WHERE ${where}
    ORDER BY d."createdAt" DESC, d.id
    LIMIT ${args.limit} OFFSET ${args.offset}`;
  // An empty page says nothing about the total when it starts past the end or asks for no rows.
  if (rows[0]) return { ids: rows.map((r) => r.id), totalCount: Number(rows[0].total) };
  if (args.offset === 0 && args.limit > 0) return { ids: [], totalCount: 0 };
  const [count] = await prisma.$queryRaw<Array<{ total: bigint }>>`
    SELECT count(*) AS total FROM "Dataset" d WHERE ${where}`;
  return { ids: [], totalCount: Number(count?.total ?? 0) };
}
