import type pg from "pg";
import { Prisma } from "../generated/prisma/client";
import { queryRows } from "../db/sql-rows";
import { badInput } from "../errors";
import { ownedFilterConditions, searchTerms, visibleTo } from "../graphql/owned-list-sql";
import type { Viewer } from "../users/access";
import { FreshSingleFlight } from "../single-flight";
import type { ModelFilter } from "./models.inputs";
import { ModelOrder } from "./model-order";

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

/** A page of the models a viewer can see; only what the GraphQL query selects is ever read. */
export interface ModelListPage {
  offset: number;
  /** The page's model ids in order, and whether more follow. */
  page(): Promise<ModelIdPage>;
  totalCount(): Promise<number>;
}

interface ModelIdPage {
  ids: string[];
  hasNextPage: boolean;
}

/**
 * The `models` list as SQL. The page and the total are separate statements, each read only when
 * asked for: a count reads no rows and sorts nothing, and a page stops after `limit + 1` rows
 * (the extra one says whether more follow) instead of counting everything it skips. Identical
 * statements that run at the same time (every dashboard asking for the same total) are shared,
 * never with a statement that started before the request.
 */
export class ModelListQueries {
  private readonly pages = new FreshSingleFlight<ModelIdPage>();
  private readonly counts = new FreshSingleFlight<number>();

  /** Through `pg`, not Prisma: its raw queries add about 1 ms of CPU per statement here. */
  constructor(private readonly pool: pg.Pool) {}

  /** Checks the arguments now (BAD_USER_INPUT); reads nothing until a field asks. */
  list(viewer: Viewer | null, args: ModelListArgs): ModelListPage {
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
    const where = Prisma.join(conditions, " AND ");
    const pageSql = Prisma.sql`
      SELECT m.id::text AS id, ${rank} AS rank
      FROM "Model" m
      WHERE ${where}
      ORDER BY ${orderSql}
      LIMIT ${args.limit + 1} OFFSET ${args.offset}`;
    const countSql = Prisma.sql`SELECT count(*) AS total FROM "Model" m WHERE ${where}`;
    let page: Promise<ModelIdPage> | undefined;
    let totalCount: Promise<number> | undefined;
    return {
      offset: args.offset,
      page: () =>
        (page ??= this.pages.run(statementKey(pageSql), async () => {
          const rows = await queryRows<{ id: string }>(this.pool, pageSql);
          return { ids: rows.slice(0, args.limit).map((r) => r.id), hasNextPage: rows.length > args.limit };
        })),
      totalCount: () =>
        (totalCount ??= this.counts.run(statementKey(countSql), async () => {
          // count(*) is a bigint, which pg hands over as text.
          const [row] = await queryRows<{ total: string }>(this.pool, countSql);
          return Number(row?.total ?? 0);
        })),
    };
  }
}

/** Equal for statements that would return the same rows: the text and every parameter. */
function statementKey(sql: Prisma.Sql): string {
  return JSON.stringify([sql.sql, sql.values], (_, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
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
