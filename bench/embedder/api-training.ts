import { zipDatasetFiles, type DatasetFile } from "../../gateway/test/support/texture-dataset";
import type { TestGateway } from "../../gateway/test/support/gateway";
import type { LabelledImages } from "../training/texture-classes";

/** The GraphQL a user runs to train a head: upload a dataset, start a job, read its evaluation. */

export interface EmbedderVersionIds {
  v1: string;
  v2: string;
}

/** The registry's system/feature-embedder v1 and v2, as a user picks them as a base. */
export async function embedderVersionIds(gateway: TestGateway): Promise<EmbedderVersionIds> {
  const body = await gateway.gql<{ model: { versions: Array<{ id: string; version: string }> } }>(
    '{ model(owner: "system", slug: "feature-embedder") { versions { id version } } }',
  );
  const versions = dataOf(body).model.versions;
  const find = (name: string) => {
    const found = versions.find((version) => version.version === name);
    if (!found) throw new Error(`system/feature-embedder has no ${name}: ${JSON.stringify(versions)}`);
    return found.id;
  };
  return { v1: find("v1"), v2: find("v2") };
}

/** Uploads the images as a ZIP of class folders (no embeddings run); the dataset version's id. */
export async function uploadLabelledImages(
  gateway: TestGateway,
  name: string,
  data: LabelledImages,
): Promise<string> {
  const files: DatasetFile[] = data.images.map((bytes, index) => {
    const className = data.classNames[data.labels[index]!]!;
    const extension = bytes[0] === 0x89 ? "png" : "jpg";
    return { path: `${className}/${String(index).padStart(5, "0")}.${extension}`, bytes };
  });
  const body = await gateway.upload<{ uploadDataset: { version: { id: string } } }>(
    `mutation ($input: DatasetInput!, $archive: Upload!) {
      uploadDataset(input: $input, archive: $archive, generateEmbeddings: false) { version { id } }
    }`,
    { input: { name } },
    [
      {
        variable: "archive",
        filename: `${name}.zip`,
        content: await zipDatasetFiles(files),
        contentType: "application/zip",
      },
    ],
  );
  return dataOf(body).uploadDataset.version.id;
}

export interface TrainedHead {
  accuracy: number;
  correct: number;
  validation: number;
  seconds: number;
}

/**
 * Trains a head through startTraining on `baseId` with the gateway's defaults (seeded, so the
 * same dataset version gets the same split whatever the base), waits for the job, and reads the
 * validation accuracy of its evaluation.
 */
export async function trainHead(
  gateway: TestGateway,
  datasetVersionId: string,
  baseId: string,
  targetModelSlug: string,
  epochs: number,
): Promise<TrainedHead> {
  const started = performance.now();
  const body = await gateway.gql<{ startTraining: { id: string } }>(
    "mutation ($input: TrainingInput!) { startTraining(input: $input) { id } }",
    { input: { datasetVersionId, baseModelVersionId: baseId, targetModelSlug, epochs } },
  );
  const jobId = dataOf(body).startTraining.id;
  for (;;) {
    const state = await gateway.gql<{
      trainingJob: {
        status: string;
        error: string | null;
        splitCounts: { validation: number };
        evaluation: { accuracy: number } | null;
      };
    }>(
      `query ($id: ID!) { trainingJob(id: $id) { status error splitCounts { validation } evaluation { accuracy } } }`,
      { id: jobId },
    );
    const job = dataOf(state).trainingJob;
    if (job.status === "FAILED" || job.status === "CANCELLED")
      throw new Error(`training on ${baseId} ended ${job.status}: ${job.error}`);
    if (job.status === "SUCCEEDED" && job.evaluation) {
      const validation = job.splitCounts.validation;
      return {
        accuracy: job.evaluation.accuracy,
        correct: Math.round(job.evaluation.accuracy * validation),
        validation,
        seconds: (performance.now() - started) / 1000,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function dataOf<T>(body: { data?: T | null; errors?: ReadonlyArray<{ message: string }> }): T {
  if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}
