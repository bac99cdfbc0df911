import DataLoader from "dataloader";
import type { PrismaClient } from "../generated/prisma/client";
import { byKey, groupBy } from "../graphql/loader-results";
import { toModel, toModelFile, toModelVersion } from "./model-rows";
import type { Model, ModelAlias, ModelFile, ModelVersion } from "./models.types";

/** One batched statement per relation per request, whatever the size of the page. */
export function createModelLoaders(prisma: PrismaClient) {
  return {
    modelById: new DataLoader<string, Model | null>(async (ids) => {
      const rows = await prisma.model.findMany({ where: { id: { in: [...ids] } } });
      return byKey(ids, rows.map(toModel), (m) => m.id);
    }),
    versionById: new DataLoader<string, ModelVersion | null>(async (ids) => {
      const rows = await prisma.modelVersion.findMany({ where: { id: { in: [...ids] } } });
      return byKey(ids, rows.map(toModelVersion), (v) => v.id);
    }),
    versionsByModelId: new DataLoader<string, ModelVersion[]>(async (modelIds) => {
      const rows = await prisma.modelVersion.findMany({
        where: { modelId: { in: [...modelIds] } },
        orderBy: { ordinal: "desc" },
      });
      return groupBy(modelIds, rows.map(toModelVersion), (v) => v.modelId);
    }),
    filesByVersionId: new DataLoader<string, ModelFile[]>(async (versionIds) => {
      const rows = await prisma.modelFile.findMany({
        where: { versionId: { in: [...versionIds] } },
        orderBy: { path: "asc" },
      });
      return groupBy(versionIds, rows.map(toModelFile), (f) => f.versionId);
    }),
    aliasesByModelId: new DataLoader<string, Array<ModelAlias & { modelId: string }>>(async (modelIds) => {
      const rows = await prisma.modelAlias.findMany({
        where: { modelId: { in: [...modelIds] } },
        orderBy: { alias: "asc" },
      });
      return groupBy(modelIds, rows, (a) => a.modelId);
    }),
    aliasesByVersionId: new DataLoader<string, string[]>(async (versionIds) => {
      const rows = await prisma.modelAlias.findMany({
        where: { versionId: { in: [...versionIds] } },
        orderBy: { alias: "asc" },
      });
      return groupBy(versionIds, rows, (a) => a.versionId).map((group) => group.map((a) => a.alias));
    }),
  };
}

export type ModelLoaders = ReturnType<typeof createModelLoaders>;
