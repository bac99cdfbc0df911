import type { PrismaClient } from "../../generated/prisma/client";
import { badInput } from "../../errors";
import { isUuid } from "../../graphql/ids";
import {
  builtinTierName,
  builtinTierVersion,
  FEATURE_EMBEDDER_SLUG,
  type BuiltinEmbedderVersion,
} from "../../inference/builtin-models";
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
 * it: "FEATURE/256" (the built-in embedder's version 1), "FEATURE/v2/256" (its version 2),
 * "ML/<modelVersionId>/512".
 */
export function spaceKey(method: EmbeddingMethod, dimension: number, modelVersionId: string | null): string {
  return modelVersionId ? `${method}/${modelVersionId}/${dimension}` : `${method}/${dimension}`;
}

/**
 * The key of a built-in embedder version's space: version 1 keeps the key it had before versions
 * existed, so its stored vectors stay where they are; every later version has its own.
 */
export function featureSpaceKey(version: BuiltinEmbedderVersion, dimension: number): string {
  return version === "1"
    ? spaceKey(EmbeddingMethod.FEATURE, dimension, null)
    : `FEATURE/v${version}/${dimension}`;
}

/** The built-in embedder version whose vectors a FEATURE space holds (from its key), else null. */
export function spaceEmbedderVersion(space: Pick<SpaceRow, "key" | "method">): BuiltinEmbedderVersion | null {
  if (space.method !== EmbeddingMethod.FEATURE) return null;
  return /^FEATURE\/v2\/\d+$/.test(space.key) ? "2" : "1";
}

/**
 * Embed's backbone fields for a FEATURE space: the built-in embedder's version that fills it
 * ("feature-embedder", "2"), or both empty for version 1. Null for ML and HYBRID spaces.
 */
export function builtinEmbedFields(
  space: Pick<SpaceRow, "key" | "method">,
): { backbone_model_name: string; backbone_model_version: string } | null {
  const version = spaceEmbedderVersion(space);
  if (!version) return null;
  const tier = builtinTierName(version);
  return { backbone_model_name: tier.name, backbone_model_version: tier.version };
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
    const builtin = await builtinEmbedderVersion(prisma, modelVersionId);
    return {
      key: featureSpaceKey(builtin.version, dimension),
      method,
      dimension,
      modelVersionId: builtin.version === "1" ? null : builtin.id,
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

/**
 * The built-in embedder version a FEATURE run uses when its options name none: new uploads and
 * new runs go to v2's space ("FEATURE/v2/256"). Versions embedded under v1 keep their vectors in
 * "FEATURE/256" and are read from there (readers resolve the space from the version's runs, e.g.
 * feedback/feature-vectors.ts' versionFeatureSpace); v1 stays selectable by its version id.
 */
const defaultRunVersion: BuiltinEmbedderVersion = "2";

/**
 * The system/feature-embedder version FEATURE embeddings use: the one `modelVersionId` names (v1
 * or v2; any other version is BAD_USER_INPUT), or `defaultRunVersion` when it names none.
 */
async function builtinEmbedderVersion(
  prisma: PrismaClient,
  modelVersionId: string | null,
): Promise<{ id: string; version: BuiltinEmbedderVersion }> {
  const rows = await prisma.modelVersion.findMany({
    where: { model: { slug: FEATURE_EMBEDDER_SLUG, owner: { isSystem: true } } },
    select: { id: true, customMetadata: true },
  });
  const builtins = rows.flatMap((row) => {
    const version = builtinTierVersion(row.customMetadata);
    return version ? [{ id: row.id, version }] : [];
  });
  if (!modelVersionId) {
    return builtins.find((row) => row.version === defaultRunVersion) ?? { id: "", version: "1" };
  }
  const chosen = builtins.find((row) => row.id === modelVersionId);
  if (chosen) return chosen;
  throw badInput(
    "FEATURE embeddings use the built-in embedder; embedding.modelVersionId may only name a version of system/feature-embedder (or be left out for v2)",
    { field: "embedding.modelVersionId" },
  );
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
