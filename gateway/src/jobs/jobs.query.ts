import { Prisma, type Job as JobRow, type PrismaClient } from "../generated/prisma/client";
import { ownedFilterConditions } from "../graphql/owned-list-sql";
import { checkCount, limits } from "../limits";
import type { Viewer } from "../users/access";
import { jobKindByGraphQLName } from "./job-kinds";
import type { JobFilter } from "./jobs.types";

export interface JobListArgs {
  filter?: JobFilter | null;
  offset: number;
  limit: number;
}

/**
 * One statement returns a page of jobs, newest first, plus the total, whatever their kinds: the
 * list costs a constant number of statements (owners come from the users loader).
 */
export async function listJobs(
  prisma: PrismaClient,
  viewer: Viewer,
  args: JobListArgs,
): Promise<{ rows: JobRow[]; totalCount: number }> {
  const where = Prisma.join([visibleTo(viewer), ...filterConditions(args.filter)], " AND ");
  const rows = await prisma.$queryRaw<Array<JobRow & { listTotal: bigint }>>`
    SELECT j.*, count(*) OVER () AS "listTotal" FROM "Job" j
    WHERE ${where}
    ORDER BY j."createdAt" DESC, j.id
    LIMIT ${args.limit} OFFSET ${args.offset}`;
  if (rows[0] || (args.offset === 0 && args.limit > 0)) {
    return {
      rows: rows.map(({ listTotal: _total, ...row }) => row),
      totalCount: Number(rows[0]?.listTotal ?? 0),
    };
  }
  const [count] = await prisma.$queryRaw<
    Array<{ total: bigint }>
  >`SELECT count(*) AS total FROM "Job" j WHERE ${where}`;
  return { rows: [], totalCount: Number(count?.total ?? 0) };
}

/** Admins see every job, everyone else their own. */
function visibleTo(viewer: Viewer): Prisma.Sql {
  return viewer.role === "ADMIN" ? Prisma.sql`TRUE` : Prisma.sql`j."ownerId" = ${viewer.id}::uuid`;
}

function filterConditions(filter: JobFilter | null | undefined): Prisma.Sql[] {
  if (!filter) return [];
  const conditions: Prisma.Sql[] = [];
  if (filter.kind?.length) {
    checkCount("filter.kind", filter.kind, limits.filterValues);
    const names = filter.kind.map((kind) => jobKindByGraphQLName.get(kind)?.kind.name ?? kind);
    conditions.push(Prisma.sql`j.kind IN (${Prisma.join(names)})`);
  }
  if (filter.status?.length) {
    checkCount("filter.status", filter.status, limits.filterValues);
    conditions.push(Prisma.sql`j.status::text IN (${Prisma.join(filter.status)})`);
  }
  conditions.push(...ownedFilterConditions({ owner: filter.owner }, "j"));
  return conditions;
}
