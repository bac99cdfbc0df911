import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { isUuid } from "../graphql/ids";
import { ownedFilterConditions } from "../graphql/owned-list-sql";
import type { Viewer } from "../users/access";
import { jobsVisibleTo } from "./training-access";
import type { TrainingJobFilter } from "./training.inputs";

export interface TrainingJobListArgs {
  filter?: TrainingJobFilter | null;
  offset: number;
  limit: number;
}

/**
 * One statement returns a page of job ids, newest first, plus the total; the jobs themselves come
 * from a loader, so a list costs a constant number of statements.
 */
export async function listTrainingJobIds(
  prisma: PrismaClient,
  viewer: Viewer | null,
  args: TrainingJobListArgs,
): Promise<{ ids: string[]; totalCount: number }> {
  const conditions = [jobsVisibleTo(viewer), ...filterConditions(args.filter)];
  const where = Prisma.join(conditions, " AND ");
  const rows = await prisma.$queryRaw<Array<{ id: string; total: bigint }>>`
    SELECT j.id::text AS id, count(*) OVER () AS total
    FROM "TrainingJob" j
    WHERE ${where}
    ORDER BY j."createdAt" DESC, j.id
    LIMIT ${args.limit} OFFSET ${args.offset}`;
  // An empty page says nothing about the total when it starts past the end or asks for no rows.
  if (rows[0] || (args.offset === 0 && args.limit > 0)) {
    return { ids: rows.map((r) => r.id), totalCount: Number(rows[0]?.total ?? 0) };
  }
  const [count] = await prisma.$queryRaw<Array<{ total: bigint }>>`
    SELECT count(*) AS total FROM "TrainingJob" j WHERE ${where}`;
  return { ids: [], totalCount: Number(count?.total ?? 0) };
}

function filterConditions(filter: TrainingJobFilter | null | undefined): Prisma.Sql[] {
  if (!filter) return [];
  const conditions: Prisma.Sql[] = [];
  // An id that is not a UUID names nothing: the list is empty, not an error.
  const byId = (column: string, id: string) =>
    isUuid(id) ? Prisma.sql`j.${Prisma.raw(`"${column}"`)} = ${id}::uuid` : Prisma.sql`FALSE`;
  if (filter.status?.length) {
    conditions.push(
      Prisma.sql`j.id IN (SELECT id FROM "Job" WHERE kind = 'train-model' AND status::text IN (${Prisma.join(filter.status)}))`,
    );
  }
  if (filter.datasetVersionId) conditions.push(byId("datasetVersionId", filter.datasetVersionId));
  if (filter.baseModelVersionId) conditions.push(byId("baseModelVersionId", filter.baseModelVersionId));
  if (filter.targetModelSlug) conditions.push(Prisma.sql`j."targetModelSlug" = ${filter.targetModelSlug}`);
  conditions.push(...ownedFilterConditions({ owner: filter.owner }, "j"));
  return conditions;
}
