import type { PrismaClient } from "../../generated/prisma/client";
import { badInput } from "../../errors";
import { isUuid } from "../../graphql/ids";
import { EmbeddingMethod } from "../../inference/inference.types";
import { assertCanSee, type Viewer } from "../../users/access";
import { MAX_INDEXED_DIMENSION } from "../../vectors/vector-text";
import type { EmbeddingOptionsInput } from "./embeddings.types";

export const DEFAULT_EMBEDDING_DIMENSION = 256;

/** A checked request to embed into one space: what a run needs, nothing stored yet. */
export interface EmbeddingSpec {
  key: string;
  method: EmbeddingMethod;
  dimension: number;
  modelVersionId: string | null;
  qualityThreshold: number | null;
}

/** An embedding space row as the vector store and the tier need it. */
export interface SpaceRow {
  id: string;
  key: string;
  method: EmbeddingMethod;
  dimension: number;
  modelVersionId: string | null;
}

/**
 * A space is (method, model version, dimension); its key spells that triple so one lookup finds
 * it: "FEATURE/256", "ML/<modelVersionId>/512".
 */
export function spaceKey(method: EmbeddingMethod, dimension: number, modelVersionId: string | null): string {
  return modelVersionId ? `${method}/${modelVersionId}/${dimension}` : `${method}/${dimension}`;
}

/** Validates the options before anything is stored: ML and HYBRID need an ONNX backbone the viewer can see. */
export async function checkEmbeddingOptions(
  prisma: PrismaClient,
  viewer: Viewer | null,
  options: EmbeddingOptionsInput | null | undefined,
): Promise<EmbeddingSpec> {
  const method = options?.method ?? EmbeddingMethod.FEATURE;
  const dimension = options?.dimension ?? DEFAULT_EMBEDDING_DIMENSION;
  if (!Number.isInteger(dimension) || dimension < 1 || dimension > MAX_INDEXED_DIMENSION) {
    throw badInput(
      `embedding.dimension must be an integer from 1 to ${MAX_INDEXED_DIMENSION}; got ${dimension}`,
      {
        field: "embedding.dimension",
      },
    );
  }
  const threshold = options?.qualityThreshold ?? null;
  if (threshold !== null && !(threshold >= -1 && threshold <= 1)) {
    throw badInput(
      `embedding.qualityThreshold must be from -1 to 1 (a cosine similarity); got ${threshold}`,
      {
        field: "embedding.qualityThreshold",
      },
    );
  }
  const modelVersionId = options?.modelVersionId ?? null;
  if (method === EmbeddingMethod.FEATURE) {
    if (modelVersionId) {
      throw badInput("FEATURE embeddings use the built-in embedder; leave embedding.modelVersionId out", {
        field: "embedding.modelVersionId",
      });
    }
    return {
      key: spaceKey(method, dimension, null),
      method,
      dimension,
      modelVersionId: null,
      qualityThreshold: threshold,
    };
  }
  if (!modelVersionId) {
    throw badInput(`${method} embeddings need embedding.modelVersionId: an ONNX backbone version`, {
      field: "embedding.modelVersionId",
    });
  }
  const row = isUuid(modelVersionId)
    ? await prisma.modelVersion.findUnique({ where: { id: modelVersionId }, include: { model: true } })
    : null;
  const version = assertCanSee(viewer, row, `Model version ${modelVersionId}`, (v) => v.model);
  if (version.model.framework !== "ONNX") {
    throw badInput(
      `${method} embeddings need an ONNX backbone; model version ${modelVersionId} is ${version.model.framework}`,
      { field: "embedding.modelVersionId" },
    );
  }
  return {
    key: spaceKey(method, dimension, modelVersionId),
    method,
    dimension,
    modelVersionId,
    qualityThreshold: threshold,
  };
}

/** The space of this spec, created on first use (concurrent callers get the same row). */
export async function upsertSpace(prisma: PrismaClient, spec: EmbeddingSpec): Promise<SpaceRow> {
  const row = await prisma.embeddingSpace.upsert({
    where: { key: spec.key },
    create: {
      key: spec.key,
      method: spec.method,
      dimension: spec.dimension,
      modelVersionId: spec.modelVersionId,
    },
    update: {},
  });
  return toSpaceRow(row);
}

export function toSpaceRow(row: {
  id: string;
  key: string;
  method: string;
  dimension: number;
  modelVersionId: string | null;
}): SpaceRow {
  return {
    id: row.id,
    key: row.key,
    method: row.method as EmbeddingMethod,
    dimension: row.dimension,
    modelVersionId: row.modelVersionId,
  };
}
