import DataLoader from "dataloader";
import type { PrismaClient } from "../generated/prisma/client";
import type { RequestContext } from "../graphql/context";
import { toStep, type ReconstructionStepEvent } from "./reconstruction-job-events";
import { toArtifact } from "./reconstruction-rows";
import type { ReconstructionArtifact } from "./reconstructions.types";

/** A request's loaders of this module, made on first use and gone with the request's context. */
const perRequest = new WeakMap<RequestContext, ReturnType<typeof createReconstructionLoaders>>();

export function reconstructionLoaders(ctx: RequestContext) {
  let loaders = perRequest.get(ctx);
  if (!loaders) {
    loaders = createReconstructionLoaders(ctx.prisma);
    perRequest.set(ctx, loaders);
  }
  return loaders;
}

function createReconstructionLoaders(prisma: PrismaClient) {
  return {
    /** Every artifact of each reconstruction, in the order they were made (one query per batch). */
    artifactsByReconstructionId: new DataLoader<string, ReconstructionArtifact[]>(async (ids) => {
      const rows = await prisma.reconstructionArtifact.findMany({
        where: { reconstructionId: { in: [...ids] } },
        orderBy: [{ createdAt: "asc" }, { kind: "asc" }, { frame: "asc" }, { step: "asc" }],
      });
      const byId = new Map<string, ReconstructionArtifact[]>(ids.map((id) => [id, []]));
      for (const row of rows) byId.get(row.reconstructionId)!.push(toArtifact(row));
      return ids.map((id) => byId.get(id)!);
    }),
    /**
     * Each reconstruction's loss and PSNR curve (one query per batch): the last event of each step
     * (a resumed run repeats the steps after its checkpoint; its own events replace the failed
     * attempt's), in step order.
     */
    stepsByReconstructionId: new DataLoader<string, ReconstructionStepEvent[]>(async (ids) => {
      const rows = await prisma.jobEvent.findMany({
        where: { jobId: { in: [...ids] }, type: "step" },
        orderBy: [{ jobId: "asc" }, { seq: "asc" }],
      });
      const byId = new Map<string, Map<number, ReconstructionStepEvent>>(ids.map((id) => [id, new Map()]));
      for (const row of rows) {
        const event = toStep(row);
        byId.get(row.jobId)!.set(event.step, event);
      }
      return ids.map((id) => [...byId.get(id)!.values()].sort((a, b) => a.step - b.step || a.seq - b.seq));
    }),
    sceneById: new DataLoader<string, Awaited<ReturnType<typeof prisma.scene.findUnique>>>(async (ids) => {
      const rows = await prisma.scene.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
