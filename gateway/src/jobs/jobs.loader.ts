import DataLoader from "dataloader";
import type { Job as JobRow, PrismaClient } from "../generated/prisma/client";

/** One batched statement per request for the jobs a page refers to (e.g. `Job.parent`). */
export function createJobLoaders(prisma: PrismaClient) {
  return {
    jobById: new DataLoader<string, JobRow | null>(async (ids) => {
      const rows = await prisma.job.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
