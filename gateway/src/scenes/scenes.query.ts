import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { checkLength, limits } from "../limits";
import type { Viewer } from "../users/access";
import type { SceneFilter } from "./scenes.types";

export interface SceneListArgs {
  filter?: SceneFilter | null;
  offset: number;
  limit: number;
}

/**
 * A page of scene ids the viewer may see (admins all, members their own and public ones,
 * anonymous public ones), newest first, with the total: one statement, as datasets list. Scenes'
 * flag is `public`, not `isPublic`, so owned-list-sql's helpers do not apply as they are.
 */
export async function listSceneIds(
  prisma: PrismaClient,
  viewer: Viewer | null,
  { filter, offset, limit }: SceneListArgs,
): Promise<{ ids: string[]; totalCount: number }> {
  const conditions: Prisma.Sql[] = [visibleScenes(viewer)];
  if (filter?.owner) {
    checkLength("filter.owner", filter.owner, limits.searchLength);
    conditions.push(Prisma.sql`s."ownerId" IN (SELECT id FROM "User" WHERE handle = ${filter.owner})`);
  }
  if (typeof filter?.public === "boolean") conditions.push(Prisma.sql`s."public" = ${filter.public}`);
  if (filter?.format) conditions.push(Prisma.sql`s."format" = ${filter.format}::"SceneFormat"`);
  const where = Prisma.join(conditions, " AND ");
  const rows = await prisma.$queryRaw<Array<{ id: string; total: bigint }>>`
    SELECT s.id::text AS id, count(*) OVER () AS total
    FROM "Scene" s
    WHERE ${where}
    ORDER BY s."createdAt" DESC, s.id
    LIMIT ${limit} OFFSET ${offset}`;
  if (rows[0]) return { ids: rows.map((r) => r.id), totalCount: Number(rows[0].total) };
  if (offset === 0 && limit > 0) return { ids: [], totalCount: 0 };
  const [count] = await prisma.$queryRaw<Array<{ total: bigint }>>`
    SELECT count(*) AS total FROM "Scene" s WHERE ${where}`;
  return { ids: [], totalCount: Number(count?.total ?? 0) };
}

function visibleScenes(viewer: Viewer | null): Prisma.Sql {
  if (viewer?.role === "ADMIN") return Prisma.sql`TRUE`;
  if (!viewer) return Prisma.sql`s."public"`;
  return Prisma.sql`(s."public" OR s."ownerId" = ${viewer.id}::uuid)`;
}
