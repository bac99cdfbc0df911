import type pg from "pg";
import {
  Prisma,
  type Model as ModelRow,
  type ModelFile as ModelFileRow,
  type ModelVersion as ModelVersionRow,
} from "../generated/prisma/client";
import { queryRows } from "../db/sql-rows";
import { uuidList } from "../graphql/loader-results";
import type { ModelLoaders } from "./models.loader";
import { toModel, toModelFile, toModelVersion } from "./model-rows";
import type { Model, ModelVersion } from "./models.types";

/** What a page of models needs beside the model rows (see listSelection in model-list-selection.ts). */
export interface TreeDepth {
  versions: boolean;
  files: boolean;
}

/*
 * The columns the row mappers (model-rows.ts) read. BigInt columns travel as text so that a size
 * above 2^53 converts exactly as Prisma's BigInt does; timestamps arrive as ISO strings with
 * their offset.
 */
const FILE_COLUMNS = Prisma.sql`f.id, f."versionId", f.path, f."sizeBytes"::text AS "sizeBytes", f.sha256,
  f."contentType", f."fileType", f."isPrimary"`;

const VERSION_COLUMNS = Prisma.sql`v.id, v."modelId", v.version, v.ordinal, v.inputs, v.outputs,
  v."inputShape", v."outputShape", v.opset, v."numParameters"::text AS "numParameters",
  v."sizeBytes"::text AS "sizeBytes", v.labels, v."trainingAccuracy", v."validationAccuracy",
  v."testAccuracy", v."trainingLoss", v."metricsExtra", v."pythonVersion", v.dependencies,
  v."hardwareRequirements", v."customMetadata", v."isActive", v."isProductionReady", v.validation,
  v."invalidReason", v."createdAt", v."updatedAt"`;

const MODEL_COLUMNS = Prisma.sql`m.id, m."ownerId", m.slug, m.name, m.description, m.framework,
  m."modelType", m.algorithm, m.tags, m."isPublic", m."createdAt", m."updatedAt"`;

type JsonRow = Record<string, unknown>;

/**
 * A page of models with their versions (newest first) and, when asked, each version's files (by
 * path), as ONE statement returning one JSON value, sent through `pg` rather than Prisma: one
 * statement per relation through Prisma's row mapping cost 4 times the CPU of this (on the
 * embedded database every statement and every row costs time on the gateway's own thread, and
 * Prisma adds about 1 ms of its own per statement). The rows are mapped by the same functions the DataLoaders
 * use and primed into this request's loaders, so every field resolver below the page answers
 * from them exactly as before.
 */
export async function loadModelTree(
  pool: pg.Pool,
  loaders: ModelLoaders,
  ids: readonly string[],
  depth: TreeDepth,
): Promise<Array<Model | null>> {
  if (ids.length === 0) return [];
  const files = depth.files
    ? Prisma.sql`, coalesce((SELECT json_agg(f ORDER BY f.path) FROM (SELECT ${FILE_COLUMNS}
        FROM "ModelFile" f WHERE f."versionId" = v.id) f), '[]'::json) AS files`
    : Prisma.empty;
  const versions = depth.versions
    ? Prisma.sql`, coalesce((SELECT json_agg(v ORDER BY v.ordinal DESC) FROM (SELECT ${VERSION_COLUMNS} ${files}
        FROM "ModelVersion" v WHERE v."modelId" = m.id) v), '[]'::json) AS versions`
    : Prisma.empty;
  const statement = Prisma.sql`
    SELECT json_agg(t) AS tree FROM (
      SELECT ${MODEL_COLUMNS} ${versions} FROM "Model" m WHERE m.id IN (${uuidList(ids)})
    ) t`;
  const rows = await queryRows<{ tree: JsonRow[] | null }>(pool, statement);
  const found = new Map<string, Model>();
  for (const modelRow of rows[0]?.tree ?? []) {
    const model = toModel(modelFromJson(modelRow));
    found.set(model.id, model);
    loaders.modelById.prime(model.id, model);
    if (!depth.versions) continue;
    const versions: ModelVersion[] = [];
    for (const versionRow of modelRow.versions as JsonRow[]) {
      const version = toModelVersion(versionFromJson(versionRow));
      versions.push(version);
      loaders.versionById.prime(version.id, version);
      if (!depth.files) continue;
      const files = (versionRow.files as JsonRow[]).map((file) => toModelFile(fileFromJson(file)));
      loaders.filesByVersionId.prime(version.id, files);
    }
    loaders.versionsByModelId.prime(model.id, versions);
  }
  return ids.map((id) => found.get(id) ?? null);
}

/*
 * JSON rows → the shapes Prisma reads, for the same mappers (model-rows.ts). Prisma reads a NULL
 * scalar list as [] where JSON keeps the null, and JSON renders a non-finite float8 as a string
 * ("NaN", "Infinity") where Prisma gives the number.
 */
const date = (value: unknown) => new Date(value as string);
const list = (value: unknown) => (value ?? []) as string[];
const float = (value: unknown) => (typeof value === "string" ? Number(value) : value) as number | null;
const bigint = (value: unknown) => (value === null ? null : BigInt(value as string));

function modelFromJson(row: JsonRow): ModelRow {
  return {
    ...row,
    tags: list(row.tags),
    createdAt: date(row.createdAt),
    updatedAt: date(row.updatedAt),
  } as ModelRow;
}

function versionFromJson(row: JsonRow): ModelVersionRow {
  return {
    ...row,
    labels: list(row.labels),
    dependencies: list(row.dependencies),
    sizeBytes: bigint(row.sizeBytes),
    numParameters: bigint(row.numParameters),
    trainingAccuracy: float(row.trainingAccuracy),
    validationAccuracy: float(row.validationAccuracy),
    testAccuracy: float(row.testAccuracy),
    trainingLoss: float(row.trainingLoss),
    createdAt: date(row.createdAt),
    updatedAt: date(row.updatedAt),
  } as ModelVersionRow;
}

function fileFromJson(row: JsonRow): ModelFileRow {
  return { ...row, sizeBytes: bigint(row.sizeBytes) } as ModelFileRow;
}
