import type pg from "pg";
import type { Prisma } from "../generated/prisma/client";

/**
 * The rows of a statement built with Prisma.sql, run through a plain `pg` pool: Prisma's raw
 * queries add about 1 ms of CPU per statement here, and a Prisma.Sql's `text` already has pg's
 * $1, $2, … placeholders for its `values`.
 */
export async function queryRows<Row extends pg.QueryResultRow>(
  pool: pg.Pool,
  statement: Prisma.Sql,
): Promise<Row[]> {
  const { rows } = await pool.query<Row>(statement.text, statement.values);
  return rows;
}
