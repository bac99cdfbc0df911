import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { badInput } from "../errors";
import { ownedFilterConditions, searchTerms, visibleTo } from "../graphql/owned-list-sql";
import type { Viewer } from "../users/access";
import type { ModelFilter } from "./models.inputs";
import { ModelOrder } from "./models.types";

export interface ModelListArgs {
  filter?: ModelFilter | null;
  search?: string | null;
  orderBy?: ModelOrder | null;
  offset: number;
  limit: number;
}

const ORDER_SQL: Record<Exclude<ModelOrder, ModelOrder.RELEVANCE>, Prisma.Sql> = {
  CREATED_DESC: Prisma.sql`m."createdAt" DESC, m.id`,
  CREATED_ASC: Prisma.sql`m."createdAt" ASC, m.id`,
  UPDATED_DESC: Prisma.sql`m."updatedAt" DESC, m.id`,
  NAME_ASC: Prisma.sql`lower(m.name) ASC, m.id`,
  NAME_DESC: Prisma.sql`lower(m.name) DESC, m.id`,
};

/** Name weighs most, then tags and algorithm, then the description. */
const DOCUMENT = Prisma.sql`
  setweight(to_tsvector('simple', m.name || ' ' || m.slug), 'A') ||
  setweight(to_tsvector('simple', array_to_string(m.tags, ' ') || ' ' || coalesce(m.algorithm, '')), 'B') ||
  setweight(to_tsvector('simple', coalesce(m.description, '')), 'C')`;

/**
 * One statement returns a page of model ids in order plus the total count; the models themselves
 * come from a loader, so listing costs a constant number of statements.
 */
export async function listModelIds(
  prisma: PrismaClient,
  viewer: Viewer | null,
  args: ModelListArgs,
): Promise<{ ids: string[]; totalCount: number }> {
  const conditions = [visibleTo(viewer, "m"), ...filterConditions(args.filter)];
  const terms = searchTerms(args.search);
  let rank = Prisma.sql`0`;
  if (terms) {
    const query = Prisma.sql`to_tsquery('simple', ${terms.tsquery})`;
    conditions.push(
      Prisma.sql`((${DOCUMENT}) @@ ${query} OR m.name ILIKE ${terms.like} OR m.slug ILIKE ${terms.like})`,
    );
    rank = Prisma.sql`ts_rank((${DOCUMENT}), ${query}) + CASE WHEN lower(m.name) = lower(${terms.raw}) THEN 1 ELSE 0 END`;
  }
  const order = args.orderBy ?? (terms ? ModelOrder.RELEVANCE : ModelOrder.CREATED_DESC);
  if (order === ModelOrder.RELEVANCE && !terms)
    throw badInput("orderBy RELEVANCE needs a search", { field: "orderBy" });
  const orderSql =
    order === ModelOrder.RELEVANCE ? Prisma.sql`rank DESC, m."createdAt" DESC, m.id` : ORDER_SQL[order];
  const rows = await prisma.$queryRaw<Array<{ id: string; total: bigint }>>`
    SELECT m.id::text AS id, count(*) OVER () AS total, ${rank} AS rank
    FROM "Model" m
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${orderSql}
    LIMIT ${args.limit} OFFSET ${args.offset}`;
  // An empty page says nothing about the total when it starts past the end or asks for no rows.
  const totalCount = rows[0]
    ? Number(rows[0].total)
    : args.offset > 0 || args.limit === 0
      ? await countModels(prisma, conditions)
      : 0;
  return { ids: rows.map((r) => r.id), totalCount };
}

async function countModels(prisma: PrismaClient, conditions: Prisma.Sql[]): Promise<number> {
  const [row] = await prisma.$queryRaw<Array<{ total: bigint }>>`
    SELECT count(*) AS total FROM "Model" m WHERE ${Prisma.join(conditions, " AND ")}`;
  return Number(row?.total ?? 0);
}

function filterConditions(filter: ModelFilter | null | undefined): Prisma.Sql[] {
  if (!filter) return [];
  const conditions: Prisma.Sql[] = [];
  if (filter.framework?.length) {
    conditions.push(Prisma.sql`m.framework::text IN (${Prisma.join(filter.framework)})`);
  }
  if (filter.modelType?.length) {
    conditions.push(Prisma.sql`m."modelType"::text IN (${Prisma.join(filter.modelType)})`);
  }
  conditions.push(...ownedFilterConditions(filter, "m"));
  if (typeof filter.isProductionReady === "boolean") {
    const exists = Prisma.sql`EXISTS (SELECT 1 FROM "ModelVersion" v WHERE v."modelId" = m.id AND v."isProductionReady")`;
    conditions.push(filter.isProductionReady ? exists : Prisma.sql`NOT ${exists}`);
  }
  return conditions;
}
