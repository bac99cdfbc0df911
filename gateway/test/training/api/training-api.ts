import { expect } from "vitest";
import type { GraphQLBody, TestGateway } from "../../support/gateway";
import { generateTextureDataset, zipDatasetFiles, type DatasetFile } from "../../support/texture-dataset";

/** The GraphQL documents and fixtures the training API tests share. */

/** Without a training worker in the gateway, jobs stay as the API leaves them. */
export const NO_TRAINING_WORKER = { TESSERA_TRAINING_WORKERS: "0" };

export const JOB_FIELDS = `
  id status progress currentEpoch totalEpochs cancelRequested targetModelSlug labels error attempts
  createdAt startedAt finishedAt
  owner { handle }
  datasetVersion { id }
  baseModelVersion { id }
  options {
    learningRate epochs batchSize validationSplit useTransferLearning freezeBaseModel
    trainableLayersCount hiddenUnits dropout weightDecay optimizer momentum
    lrSchedule lrStepSize lrGamma lrPlateauPatience lrPlateauFactor
    enableEarlyStopping patience minDelta monitor enableDataAugmentation augmentedCopies
    classWeighting classWeights { label weight } seed featureOutput
    enableHyperparameterTuning hpSpace { name min max logScale integer steps values choices }
    strategy maxTrials pruneTrials
  }`;

export const START_TRAINING = `
  mutation ($input: TrainingInput!) { startTraining(input: $input) { ${JOB_FIELDS} } }`;

export const CANCEL_TRAINING = `
  mutation ($id: ID!) { cancelTraining(id: $id) { id status cancelRequested error finishedAt } }`;

export interface Job {
  id: string;
  status: string;
  progress: number;
  currentEpoch: number;
  totalEpochs: number;
  cancelRequested: boolean;
  targetModelSlug: string;
  labels: string[];
  error: string | null;
  options: Record<string, unknown>;
  owner: { handle: string };
  datasetVersion: { id: string } | null;
  baseModelVersion: { id: string } | null;
  finishedAt: string | null;
}

export function startTraining(
  gateway: TestGateway,
  input: Record<string, unknown>,
  token?: string | null,
): Promise<GraphQLBody<{ startTraining: Job }>> {
  return gateway.gql<{ startTraining: Job }>(START_TRAINING, { input }, token);
}

export async function startedJob(
  gateway: TestGateway,
  input: Record<string, unknown>,
  token?: string,
): Promise<Job> {
  const body = await startTraining(gateway, input, token);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!.startTraining;
}

/** What a refused startTraining must leave as it was: training rows, their Job rows and events, queued runs. */
export async function trainingFootprint(gateway: TestGateway) {
  const [jobs, platformJobs, events, queued] = await Promise.all([
    gateway.prisma.trainingJob.count(),
    gateway.prisma.job.count({ where: { kind: "train-model" } }),
    gateway.prisma.jobEvent.count({ where: { job: { kind: "train-model" } } }),
    gateway.prisma.$queryRaw<
      Array<{ n: number }>
    >`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'train-model'`,
  ]);
  return { jobs, platformJobs, events, queued: queued[0]?.n ?? 0 };
}

/** The queue's record of a job: its state and payload. */
export async function queuedJob(gateway: TestGateway, id: string) {
  const [row] = await gateway.prisma.$queryRaw<Array<{ state: string; data: unknown }>>`
    SELECT state::text AS state, data FROM pgboss.job WHERE id = ${id}::uuid`;
  return row ?? null;
}

/** Uploads a small texture dataset (no embeddings) and returns its version's id. */
export async function uploadTextures(
  gateway: TestGateway,
  name: string,
  token: string,
  options: { classes?: number; imagesPerClass?: number; keep?: (file: DatasetFile) => boolean } = {},
): Promise<{ datasetId: string; versionId: string; classNames: string[] }> {
  const data = await generateTextureDataset({
    classes: options.classes ?? 3,
    imagesPerClass: options.imagesPerClass ?? 3,
    minSide: 16,
    maxSide: 24,
    seed: 5,
  });
  const files = options.keep ? data.files.filter(options.keep) : data.files;
  const classNames = [...new Set(files.map((f) => f.path.split("/")[0]!))];
  const uploaded = await gateway.upload<{
    uploadDataset: { dataset: { id: string }; version: { id: string } };
  }>(
    `mutation ($input: DatasetInput!, $archive: Upload!) {
      uploadDataset(input: $input, archive: $archive, generateEmbeddings: false) { dataset { id } version { id } }
    }`,
    { input: { name } },
    [
      {
        variable: "archive",
        filename: "dataset.zip",
        content: await zipDatasetFiles(files),
        contentType: "application/zip",
      },
    ],
    token,
  );
  expect(uploaded.errors, JSON.stringify(uploaded.errors)).toBeUndefined();
  const { dataset, version } = uploaded.data!.uploadDataset;
  return { datasetId: dataset.id, versionId: version.id, classNames };
}

/** The built-in embedder's registry version (system/feature-embedder). */
export async function featureEmbedderVersionId(gateway: TestGateway): Promise<string> {
  const body = await gateway.gql<{ model: { latestVersion: { id: string } } }>(
    `{ model(owner: "system", slug: "feature-embedder") { latestVersion { id } } }`,
  );
  expect(body.errors).toBeUndefined();
  return body.data!.model.latestVersion.id;
}

export interface TensorRow {
  name: string;
  dataType: string;
  shape: number[];
  dimensions: string[];
}

/**
 * A model version stored straight in the database, as the registry would keep one: for base
 * models whose kind (framework, validity, outputs) no upload in these tests produces cheaply.
 */
export async function storedModelVersion(
  gateway: TestGateway,
  ownerHandle: string,
  slug: string,
  fields: {
    framework?: string;
    validation?: string;
    invalidReason?: string;
    outputs?: TensorRow[] | null;
    isPublic?: boolean;
  },
): Promise<string> {
  const owner = await gateway.prisma.user.findUniqueOrThrow({ where: { handle: ownerHandle } });
  const model = await gateway.prisma.model.create({
    data: {
      ownerId: owner.id,
      slug,
      name: slug,
      framework: (fields.framework ?? "ONNX") as "ONNX",
      isPublic: fields.isPublic ?? false,
    },
  });
  const version = await gateway.prisma.modelVersion.create({
    data: {
      modelId: model.id,
      version: "v1",
      ordinal: 1,
      createdById: owner.id,
      sizeBytes: 1n,
      validation: (fields.validation ?? "VALID") as "VALID",
      invalidReason: fields.invalidReason ?? null,
      ...(fields.outputs ? { outputs: fields.outputs as object[] } : {}),
    },
  });
  return version.id;
}

export const tensor = (name: string, dataType: string, dimensions: Array<string | number>): TensorRow => ({
  name,
  dataType,
  shape: dimensions.map((d) => (typeof d === "number" ? d : -1)),
  dimensions: dimensions.map(String),
});

export function expectError(body: GraphQLBody<unknown>, code: string, message: string | RegExp): void {
  expect(body.errors, `expected ${code}, got data ${JSON.stringify(body.data)}`).toHaveLength(1);
  const [error] = body.errors!;
  expect(error!.extensions?.code, error!.message).toBe(code);
  if (typeof message === "string") expect(error!.message).toBe(message);
  else expect(error!.message).toMatch(message);
}
