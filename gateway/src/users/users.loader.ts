import DataLoader from "dataloader";
import type { PrismaClient, User as UserRow } from "../generated/prisma/client";

export function createUserLoaders(prisma: PrismaClient) {
  return {
    userById: new DataLoader<string, UserRow | null>(async (ids) => {
      const rows = await prisma.user.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
