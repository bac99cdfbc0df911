import { expect } from "vitest";
import type { TestGateway } from "../../support/gateway";
import { generateTextureDataset, zipDatasetFiles } from "../../support/texture-dataset";
import { finished, waitForJob } from "../../training/worker/worker-support";
import { featureEmbedderVersionId, startedJob } from "../../training/api/training-api";

/**
 * The fastest training the worker tests use: a few epochs of a small head. Half of each class is
 * held out, so 14 images a class give a duel the 21 held-out samples it needs to decide.
 */
export const FAST_TEMPLATE = { epochs: 4, batchSize: 4, learningRate: 0.05, validationSplit: 0.5 };

export const POLICY_FIELDS = `
  id name enabled cooldown createdAt lastFiredAt
  triggers { feedbackCount schedule meanUncertaintyAbove nextScheduledAt drift { method pValue minEffect window } }
  promote { alias mustBeatChampionBy }
  model { id } dataset { id }
  evaluations { id fired dryRun reasons metrics run { id } }
  runs { id status promoted decision error { code message } datasetVersion { id } trainingJob { id }
         champion { id } challenger { id } }`;

export const CREATE_POLICY = `mutation ($input: RetrainingPolicyInput!) {
  createRetrainingPolicy(input: $input) { ${POLICY_FIELDS} } }`;

export const EVALUATE = `mutation ($id: ID!, $dryRun: Boolean) {
  evaluateRetrainingPolicy(id: $id, dryRun: $dryRun) { id fired dryRun reasons metrics run { id } } }`;

export const POLICY = `query ($id: ID!) { retrainingPolicy(id: $id) { ${POLICY_FIELDS} } }`;

export interface Evaluation {
  id: string;
  fired: boolean;
  dryRun: boolean;
  reasons: string[];
  metrics: Record<string, unknown>;
  run: { id: string } | null;
}

export interface Run {
  id: string;
  status: string;
  promoted: boolean | null;
  decision: {
    promoted: boolean;
    reason: string;
    margin: number;
    heldOut: { source: string; count: number; minimum: number };
    champion: { versionId: string; accuracy: number } | null;
    challenger: { versionId: string; accuracy: number };
    corrections: {
      taken: number;
      relabelled: number;
      added: number;
      unchanged: number;
      skipped: Array<{ feedbackId: string; reason: string }>;
      capped: boolean;
    };
  } | null;
  error: { code: string; message: string } | null;
  datasetVersion: { id: string } | null;
  trainingJob: { id: string } | null;
  champion: { id: string } | null;
  challenger: { id: string } | null;
}

/**
 * A dataset whose first two classes were labelled the wrong way round: every red-stripes image is
 * filed under green-checkerboard and the other way round, as a careless upload might. `truth`
 * maps each archive path to the class its image really shows.
 */
export async function uploadSwappedTextures(gateway: TestGateway, name: string, imagesPerClass: number) {
  const data = await generateTextureDataset({
    classes: 3,
    imagesPerClass,
    minSide: 16,
    maxSide: 24,
    seed: 5,
  });
  const [first, second] = data.classNames as [string, string];
  const swap = (className: string) =>
    className === first ? second : className === second ? first : className;
  const truth = new Map<string, string>();
  const files = data.files.map((file) => {
    const [className, rest] = file.path.split("/") as [string, string];
    const path = `${swap(className)}/${rest}`;
    truth.set(path, className);
    return { path, bytes: file.bytes };
  });
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
  );
  expect(uploaded.errors, JSON.stringify(uploaded.errors)).toBeUndefined();
  const { dataset, version } = uploaded.data!.uploadDataset;
  return { datasetId: dataset.id, versionId: version.id, truth, swapped: [first, second] };
}

/** Trains `slug` on the version with FAST_TEMPLATE and returns the registered version's id. */
export async function trainedVersion(gateway: TestGateway, versionId: string, slug: string): Promise<string> {
  const job = await startedJob(gateway, {
    datasetVersionId: versionId,
    baseModelVersionId: await featureEmbedderVersionId(gateway),
    targetModelSlug: slug,
    ...FAST_TEMPLATE,
  });
  const done = await waitForJob(gateway, job.id, finished);
  expect(done.status, done.error ?? "").toBe("SUCCEEDED");
  const version = await gateway.prisma.modelVersion.findFirstOrThrow({ where: { trainingJobId: job.id } });
  return version.id;
}

export interface LoggedFeedback {
  /** The dataset sample classified; null for an upload. */
  sampleId: string | null;
  /** The image the prediction kept; null when its deployment kept none. */
  sha256: string | null;
  /** The model's top label. */
  predicted: string;
  correctLabel: string;
  /** Who gave the feedback (and made the prediction); the admin by default. */
  authorId?: string;
}

/**
 * A served prediction of `modelVersionId` for each entry, with the feedback a person gave, written
 * as the prediction log and recordFeedback store them: the top label scores 0.8, and the feedback
 * is a correction (isCorrect false) unless it names that label. The feedback ids, in order.
 */
export async function recordFeedback(
  gateway: TestGateway,
  modelVersionId: string,
  entries: readonly LoggedFeedback[],
): Promise<string[]> {
  const admin = await gateway.prisma.user.findFirstOrThrow({ where: { role: "ADMIN", isSystem: false } });
  const version = await gateway.prisma.modelVersion.findUniqueOrThrow({ where: { id: modelVersionId } });
  const ids: string[] = [];
  for (const entry of entries) {
    const authorId = entry.authorId ?? admin.id;
    const prediction = await gateway.prisma.prediction.create({
      data: {
        modelVersionId,
        requestedById: authorId,
        sampleId: entry.sampleId,
        imageSha256: entry.sha256,
        labels: version.labels,
        scores: version.labels.map((label) =>
          label === entry.predicted ? 0.8 : 0.2 / (version.labels.length - 1),
        ),
        latencyMs: 1,
      },
    });
    const feedback = await gateway.prisma.feedback.create({
      data: {
        predictionId: prediction.id,
        correctLabel: entry.correctLabel,
        isCorrect: entry.correctLabel === entry.predicted,
        createdById: authorId,
      },
    });
    ids.push(feedback.id);
  }
  return ids;
}

/** Polls the run's Job until it has finished. */
export async function waitForRun(gateway: TestGateway, runId: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await gateway.prisma.job.findUniqueOrThrow({ where: { id: runId } });
    if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.status)) return job.status;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${job.status} (${job.phase})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
