import { Prisma } from "../generated/prisma/client";
import { checkCount, checkLength, limits } from "../limits";
import type { Viewer } from "../users/access";

/**
 * SQL pieces shared by the lists of owned, optionally public objects (models, datasets). `table`
 * is the alias the list's query gives the table, e.g. `m`.
 */

/** The rows the viewer may see: admins all, members their own and public ones, anonymous public ones. */
export function visibleTo(viewer: Viewer | null, table: string): Prisma.Sql {
  const t = Prisma.raw(table);
  if (viewer?.role === "ADMIN") return Prisma.sql`TRUE`;
  if (!viewer) return Prisma.sql`${t}."isPublic"`;
  return Prisma.sql`(${t}."isPublic" OR ${t}."ownerId" = ${viewer.id}::uuid)`;
}

export interface OwnedFilter {
  tags?: string[] | null;
  /** Owner's handle. */
  owner?: string | null;
  isPublic?: boolean | null;
}

/** All-of tags, owner handle and public flag. */
export function ownedFilterConditions(filter: OwnedFilter | null | undefined, table: string): Prisma.Sql[] {
  if (!filter) return [];
  const t = Prisma.raw(table);
  const conditions: Prisma.Sql[] = [];
  checkCount("filter.tags", filter.tags ?? [], limits.tags);
  filter.tags?.forEach((tag, index) => checkLength(`filter.tags[${index}]`, tag, limits.tagLength));
  if (filter.owner) checkLength("filter.owner", filter.owner, limits.searchLength);
  if (filter.tags?.length) conditions.push(Prisma.sql`${t}.tags @> ${filter.tags}::text[]`);
  if (filter.owner) {
    conditions.push(Prisma.sql`${t}."ownerId" IN (SELECT id FROM "User" WHERE handle = ${filter.owner})`);
  }
  if (typeof filter.isPublic === "boolean") conditions.push(Prisma.sql`${t}."isPublic" = ${filter.isPublic}`);
  return conditions;
}

/** For the descriptions of `search` arguments. */
export const searchLimitNote = `at most ${limits.searchLength} characters`;

/** Words become prefix matches (`res` finds "resnet"); punctuation never reaches to_tsquery. */
export function searchTerms(search: string | null | undefined) {
  const raw = search?.trim();
  if (!raw) return null;
  checkLength("search", raw, limits.searchLength);
  const words = raw.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  // "" is the empty tsquery (it matches nothing); "''" would be a syntax error.
  const tsquery = words.length ? words.map((w) => `${w}:*`).join(" & ") : "";
  const like = `%${raw.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return { raw, tsquery, like };
}
