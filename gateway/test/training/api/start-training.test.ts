import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTinyCnn } from "@tessera/onnx/fixtures";
import { TrainingEventView } from "../../../src/training/training-event-view";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { uploadModel } from "../../registry/operations";
import {
  expectError,
  featureEmbedderVersionId,
  NO_TRAINING_WORKER,
  queuedJob,
  startedJob,
  startTraining,
  storedModelVersion,
  tensor,
  trainingFootprint,
  uploadTextures,
} from "./training-api";

const SEARCHABLE =
  "learningRate, batchSize, dropout, trainableLayersCount, hiddenUnits, weightDecay, momentum, optimizer";
const FEATURES_RULE = "a float output of rank 2 [batch, features] or rank 4 [batch, channels, height, width]";

describe("startTraining", () => {
  let gateway: TestGateway;
  let ada: string;
  let bob: string;
  const ids: Record<string, string> = {};
  let valid: Record<string, unknown>;

  beforeAll(async () => {
    gateway = await startTestGateway({ env: NO_TRAINING_WORKER });
    ada = await gateway.createMember("ada");
    bob = await gateway.createMember("bob");
    ids.textures = (await uploadTextures(gateway, "textures", ada)).versionId;
    ids.oneClass = (await uploadTextures(gateway, "one-class", ada, { classes: 1 })).versionId;
    // blue-dots keeps only blue-dots-000.jpg.
    const keep = (file: { path: string }) =>
      !file.path.startsWith("blue-dots/") || file.path.endsWith("-000.jpg");
    ids.thin = (await uploadTextures(gateway, "thin", ada, { keep })).versionId;
    ids.bobs = (await uploadTextures(gateway, "bobs-textures", bob)).versionId;
    ids.embedder = await featureEmbedderVersionId(gateway);
    ids.cnn = (
      await uploadModel(
        gateway,
        { slug: "tiny-cnn" },
        { "model.onnx": Buffer.from(buildTinyCnn().toBytes()) },
        ada,
      )
    ).id;
    ids.torch = await storedModelVersion(gateway, "ada", "torch-base", { framework: "PYTORCH" });
    ids.broken = await storedModelVersion(gateway, "ada", "broken-onnx", {
      validation: "INVALID",
      invalidReason: "Protobuf parsing failed",
    });
    ids.segmenter = await storedModelVersion(gateway, "ada", "segmenter", {
      outputs: [tensor("mask", "INT64", ["batch", 1, 8, 8]), tensor("tokens", "FLOAT32", ["batch", 7, 16])],
    });
    ids.bobsModel = await storedModelVersion(gateway, "bob", "bobs-backbone", {
      outputs: [tensor("features", "FLOAT32", ["batch", 64])],
    });
    valid = {
      datasetVersionId: ids.textures,
      baseModelVersionId: ids.embedder,
      targetModelSlug: "classifier",
    };
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
  });

  it("stores the job QUEUED with every default filled in, its first event and its queued run", async () => {
    const job = await startedJob(gateway, valid, ada);
    expect(job).toMatchObject({
      status: "QUEUED",
      progress: 0,
      currentEpoch: 0,
      totalEpochs: 20,
      cancelRequested: false,
      targetModelSlug: "classifier",
      labels: ["blue-dots", "green-checkerboard", "red-stripes"],
      error: null,
      owner: { handle: "ada" },
      datasetVersion: { id: ids.textures },
      baseModelVersion: { id: ids.embedder },
    });
    expect(job.options).toEqual({
      learningRate: 0.001,
      epochs: 20,
      batchSize: 32,
      validationSplit: 0.2,
      useTransferLearning: true,
      freezeBaseModel: true,
      trainableLayersCount: 1,
      hiddenUnits: 128,
      dropout: 0.2,
      weightDecay: 0,
      optimizer: "ADAM",
      momentum: 0.9,
      lrSchedule: "CONSTANT",
      lrStepSize: 10,
      lrGamma: 0.1,
      lrPlateauPatience: 3,
      lrPlateauFactor: 0.5,
      enableEarlyStopping: true,
      patience: 5,
      minDelta: 0,
      monitor: "VAL_LOSS",
      enableDataAugmentation: false,
      augmentedCopies: 2,
      classWeighting: "NONE",
      classWeights: [],
      seed: 42,
      featureOutput: null,
      enableHyperparameterTuning: false,
      hpSpace: [],
      strategy: "BAYESIAN",
      maxTrials: 10,
      pruneTrials: true,
    });
    const row = await gateway.prisma.trainingJob.findUniqueOrThrow({
      where: { id: job.id },
      include: { job: true },
    });
    expect(row.options).toMatchObject({
      monitor: "val_loss",
      optimizer: "ADAM",
      classWeights: {},
      hpSpace: [],
    });
    expect(row.job).toMatchObject({
      kind: "train-model",
      payload: { trainingJobId: job.id },
      ownerId: row.ownerId,
      status: "QUEUED",
      attempts: 0,
      maxAttempts: 5,
      cancelRequested: false,
    });
    expect(row.job.queueJobId).not.toBeNull();
    expect(await queuedJob(gateway, row.job.queueJobId!)).toEqual({
      state: "created",
      data: { jobId: job.id },
    });
    const events = await gateway.prisma.jobEvent.findMany({ where: { jobId: job.id } });
    expect(events.map(({ seq, type, payload }) => ({ seq, type, payload }))).toEqual([
      { seq: 1, type: "state", payload: { status: "QUEUED", attempt: 0, error: null } },
    ]);
    // What trainingProgress makes of it: the QUEUED progress event it always began with.
    const view = new TrainingEventView(20);
    expect(events.map((event) => view.toTraining({ ...event, jobId: job.id }))).toEqual([
      {
        jobId: job.id,
        seq: 1,
        createdAt: events[0]!.createdAt,
        type: "progress",
        payload: {
          status: "QUEUED",
          phase: "QUEUED",
          trial: 0,
          epoch: 0,
          totalEpochs: 20,
          step: 0,
          totalSteps: 0,
          progress: 0,
        },
      },
    ]);
  });

  it("keeps what was given, searches the default space when tuning without hpSpace, and accepts an own `handle/slug`", async () => {
    const job = await startedJob(
      gateway,
      {
        ...valid,
        baseModelVersionId: ids.cnn,
        featureOutput: "logits",
        targetModelSlug: "ada/tuned",
        epochs: 7,
        optimizer: "SGD",
        monitor: "VAL_ACCURACY",
        classWeighting: "BALANCED",
        classWeights: [{ label: "red-stripes", weight: 2.5 }],
        enableHyperparameterTuning: true,
        strategy: "GRID",
        maxTrials: 4,
      },
      ada,
    );
    expect(job).toMatchObject({ targetModelSlug: "tuned", totalEpochs: 7 });
    expect(job.options).toMatchObject({
      epochs: 7,
      optimizer: "SGD",
      monitor: "VAL_ACCURACY",
      featureOutput: "logits",
      classWeighting: "BALANCED",
      classWeights: [{ label: "red-stripes", weight: 2.5 }],
      strategy: "GRID",
      maxTrials: 4,
      hpSpace: [
        {
          name: "learningRate",
          min: 0.0001,
          max: 0.01,
          logScale: true,
          integer: false,
          steps: 3,
          values: null,
          choices: null,
        },
        {
          name: "dropout",
          min: 0,
          max: 0.5,
          logScale: false,
          integer: false,
          steps: 3,
          values: null,
          choices: null,
        },
        {
          name: "hiddenUnits",
          min: null,
          max: null,
          logScale: null,
          integer: null,
          steps: null,
          values: [64, 128, 256],
          choices: null,
        },
      ],
    });
  });

  /** [what, change to a valid input, code, message]; the caller is ada unless the input says `anonymous`. */
  const refusals: Array<[string, () => Record<string, unknown>, string, string | RegExp]> = [
    [
      "an unknown dataset version",
      () => ({ datasetVersionId: randomUUID() }),
      "NOT_FOUND",
      /^Dataset version .+ not found$/,
    ],
    [
      "another user's private dataset",
      () => ({ datasetVersionId: ids.bobs }),
      "NOT_FOUND",
      /^Dataset version [0-9a-f-]{36} not found$/,
    ],
    [
      "a dataset with one class",
      () => ({ datasetVersionId: ids.oneClass }),
      "BAD_USER_INPUT",
      'Dataset version 1 of "one-class" has 1 class with samples ("red-stripes"); training a classifier needs at least 2 classes',
    ],
    [
      "a class with one sample",
      () => ({ datasetVersionId: ids.thin }),
      "BAD_USER_INPUT",
      'Dataset version 1 of "thin": every class needs at least 2 samples outside the test split (for training and validation); "blue-dots" has 1',
    ],
    [
      "an unknown base model version",
      () => ({ baseModelVersionId: randomUUID() }),
      "NOT_FOUND",
      /^Model version .+ not found$/,
    ],
    [
      "another user's private base model",
      () => ({ baseModelVersionId: ids.bobsModel }),
      "NOT_FOUND",
      /^Model version [0-9a-f-]{36} not found$/,
    ],
    [
      "a base model that is not ONNX",
      () => ({ baseModelVersionId: ids.torch }),
      "BAD_USER_INPUT",
      'Base model version v1 of "torch-base" is a PYTORCH model; training needs an ONNX base model or the built-in embedder (system/feature-embedder)',
    ],
    [
      "an invalid ONNX base model",
      () => ({ baseModelVersionId: ids.broken }),
      "BAD_USER_INPUT",
      'Base model version v1 of "broken-onnx" cannot be used: its ONNX file is invalid (Protobuf parsing failed)',
    ],
    [
      "a base model without an output usable as features",
      () => ({ baseModelVersionId: ids.segmenter }),
      "BAD_USER_INPUT",
      `Base model version v1 of "segmenter" has no output that can serve as features (${FEATURES_RULE}); its outputs are "mask" INT64 [batch, 1, 8, 8], "tokens" FLOAT32 [batch, 7, 16]`,
    ],
    [
      "an unknown featureOutput",
      () => ({ baseModelVersionId: ids.cnn, featureOutput: "pool" }),
      "BAD_USER_INPUT",
      'featureOutput "pool" is not an output of base model version v1 of "tiny-cnn"; its outputs are "logits" FLOAT32 [batch, 3]',
    ],
    [
      "a featureOutput of rank 3",
      () => ({ baseModelVersionId: ids.segmenter, featureOutput: "tokens" }),
      "BAD_USER_INPUT",
      `featureOutput "tokens" FLOAT32 [batch, 7, 16] of base model version v1 of "segmenter" cannot serve as features: expected ${FEATURES_RULE}`,
    ],
    [
      "a featureOutput for the built-in embedder",
      () => ({ featureOutput: "features" }),
      "BAD_USER_INPUT",
      'featureOutput "features" applies only to ONNX base models; the built-in feature embedder has a single output',
    ],
    [
      "learningRate 0",
      () => ({ learningRate: 0 }),
      "BAD_USER_INPUT",
      "learningRate must be greater than 0, got 0",
    ],
    [
      "a negative learningRate",
      () => ({ learningRate: -0.01 }),
      "BAD_USER_INPUT",
      "learningRate must be greater than 0, got -0.01",
    ],
    [
      "epochs 0",
      () => ({ epochs: 0 }),
      "BAD_USER_INPUT",
      "epochs must be from 1 to 1000 (the server's limit, TESSERA_MAX_EPOCHS), got 0",
    ],
    [
      "epochs over the limit",
      () => ({ epochs: 1001 }),
      "BAD_USER_INPUT",
      "epochs must be from 1 to 1000 (the server's limit, TESSERA_MAX_EPOCHS), got 1001",
    ],
    [
      "validationSplit 0",
      () => ({ validationSplit: 0 }),
      "BAD_USER_INPUT",
      "validationSplit must be greater than 0 and less than 1, got 0",
    ],
    [
      "validationSplit 1",
      () => ({ validationSplit: 1 }),
      "BAD_USER_INPUT",
      "validationSplit must be greater than 0 and less than 1, got 1",
    ],
    ["batchSize 0", () => ({ batchSize: 0 }), "BAD_USER_INPUT", "batchSize must be from 1 to 1024, got 0"],
    [
      "batchSize over the limit",
      () => ({ batchSize: 1025 }),
      "BAD_USER_INPUT",
      "batchSize must be from 1 to 1024, got 1025",
    ],
    [
      "hiddenUnits over the limit",
      () => ({ hiddenUnits: 4097 }),
      "BAD_USER_INPUT",
      "hiddenUnits must be from 1 to 4096, got 4097",
    ],
    [
      "augmentedCopies over the limit",
      () => ({ augmentedCopies: 17 }),
      "BAD_USER_INPUT",
      "augmentedCopies must be from 1 to 16, got 17",
    ],
    [
      "lrStepSize over the epoch limit",
      () => ({ lrStepSize: 1001 }),
      "BAD_USER_INPUT",
      "lrStepSize must be from 1 to 1000 (the server's limit, TESSERA_MAX_EPOCHS), got 1001",
    ],
    [
      "lrPlateauPatience over the epoch limit",
      () => ({ lrPlateauPatience: 1001 }),
      "BAD_USER_INPUT",
      "lrPlateauPatience must be from 1 to 1000 (the server's limit, TESSERA_MAX_EPOCHS), got 1001",
    ],
    [
      "patience over the epoch limit",
      () => ({ patience: 1001 }),
      "BAD_USER_INPUT",
      "patience must be from 1 to 1000 (the server's limit, TESSERA_MAX_EPOCHS), got 1001",
    ],
    [
      "an hpSpace dimension of 101 values",
      () => ({
        enableHyperparameterTuning: true,
        hpSpace: [{ name: "hiddenUnits", values: Array.from({ length: 101 }, (_, index) => index + 1) }],
      }),
      "BAD_USER_INPUT",
      "hpSpace[0] (hiddenUnits): values must have at most 100 entries, got 101",
    ],
    [
      "more class weights than classes",
      () => ({ classWeights: Array.from({ length: 4 }, () => ({ label: "red-stripes", weight: 2 })) }),
      "BAD_USER_INPUT",
      "classWeights must have at most 3 entries, got 4",
    ],
    [
      "a featureOutput name over 256 characters",
      () => ({ baseModelVersionId: ids.cnn, featureOutput: "f".repeat(257) }),
      "BAD_USER_INPUT",
      "featureOutput must be at most 256 characters long, got 257",
    ],
    [
      "dropout 1",
      () => ({ dropout: 1 }),
      "BAD_USER_INPUT",
      "dropout must be at least 0 and less than 1, got 1",
    ],
    [
      "trainableLayersCount 9",
      () => ({ trainableLayersCount: 9 }),
      "BAD_USER_INPUT",
      "trainableLayersCount must be from 0 to 8, got 9",
    ],
    [
      "patience 0",
      () => ({ patience: 0 }),
      "BAD_USER_INPUT",
      "patience must be from 1 to 1000 (the server's limit, TESSERA_MAX_EPOCHS), got 0",
    ],
    [
      "freezeBaseModel false",
      () => ({ freezeBaseModel: false }),
      "BAD_USER_INPUT",
      "freezeBaseModel: false is not supported: the inference tier trains heads on frozen base models only (the base's weights never change); leave it true",
    ],
    [
      "useTransferLearning false",
      () => ({ useTransferLearning: false }),
      "BAD_USER_INPUT",
      "useTransferLearning: false (training from scratch) is not supported: training fits a head on the features of a frozen base model; leave it true",
    ],
    [
      "an hpSpace with an unknown parameter",
      () => ({ enableHyperparameterTuning: true, hpSpace: [{ name: "layers", min: 1, max: 3 }] }),
      "BAD_USER_INPUT",
      `hpSpace[0]: unknown parameter "layers"; known parameters are ${SEARCHABLE}`,
    ],
    [
      "an hpSpace with an empty range",
      () => ({ enableHyperparameterTuning: true, hpSpace: [{ name: "learningRate", min: 0.1, max: 0.01 }] }),
      "BAD_USER_INPUT",
      "hpSpace[0] (learningRate): empty range: min 0.1 is greater than max 0.01",
    ],
    [
      "an hpSpace without tuning",
      () => ({ hpSpace: [{ name: "dropout", min: 0, max: 0.5 }] }),
      "BAD_USER_INPUT",
      "hpSpace is given but enableHyperparameterTuning is false; set it to true to search",
    ],
    [
      "maxTrials 0",
      () => ({ maxTrials: 0 }),
      "BAD_USER_INPUT",
      "maxTrials must be from 1 to 100 (the server's limit, TESSERA_MAX_TRIALS), got 0",
    ],
    [
      "maxTrials over the limit",
      () => ({ maxTrials: 101 }),
      "BAD_USER_INPUT",
      "maxTrials must be from 1 to 100 (the server's limit, TESSERA_MAX_TRIALS), got 101",
    ],
    [
      "a class weight for an unknown class",
      () => ({ classWeights: [{ label: "purple", weight: 2 }] }),
      "BAD_USER_INPUT",
      'classWeights[0]: "purple" is not a class of the dataset version; its classes are "blue-dots", "green-checkerboard", "red-stripes"',
    ],
    [
      "a class weight of 0",
      () => ({ classWeights: [{ label: "red-stripes", weight: 0 }] }),
      "BAD_USER_INPUT",
      "classWeights[0].weight must be greater than 0, got 0",
    ],
    [
      "an invalid targetModelSlug",
      () => ({ targetModelSlug: "Bad Slug" }),
      "BAD_USER_INPUT",
      /^targetModelSlug: Slug "Bad Slug" is invalid/,
    ],
    [
      "another user's model as target",
      () => ({ targetModelSlug: "bob/classifier" }),
      "FORBIDDEN",
      'targetModelSlug "bob/classifier" names a model of bob; a job registers its result under your own models, so give a slug of yours (like "classifier")',
    ],
    [
      "a target model holding other than ONNX versions",
      () => ({ targetModelSlug: "torch-base" }),
      "BAD_USER_INPUT",
      'Your model "torch-base" holds PYTORCH versions; a trained model is ONNX, so choose a new slug or an ONNX model of yours',
    ],
    ["a caller who is not signed in", () => ({ anonymous: true }), "UNAUTHENTICATED", /^Sign in/],
  ];

  it.each(refusals)("refuses %s, storing and queueing nothing", async (_case, change, code, message) => {
    const before = await trainingFootprint(gateway);
    const { anonymous, ...changed } = change();
    expectError(
      await startTraining(gateway, { ...valid, ...changed }, anonymous ? null : ada),
      code,
      message,
    );
    expect(await trainingFootprint(gateway)).toEqual(before);
  });

  it("refuses a dataset and a base model version deleted after they were chosen", async () => {
    const doomed = await uploadTextures(gateway, "doomed", ada);
    const base = await storedModelVersion(gateway, "ada", "doomed-backbone", {
      outputs: [tensor("features", "FLOAT32", ["batch", 32])],
    });
    const deleted = await gateway.gql(
      `mutation ($dataset: ID!, $version: ID!) { deleteDataset(id: $dataset) deleteModelVersion(id: $version) }`,
      { dataset: doomed.datasetId, version: base },
      ada,
    );
    expect(deleted.errors).toBeUndefined();
    const before = await trainingFootprint(gateway);
    expectError(
      await startTraining(gateway, { ...valid, datasetVersionId: doomed.versionId }, ada),
      "NOT_FOUND",
      `Dataset version ${doomed.versionId} not found`,
    );
    expectError(
      await startTraining(gateway, { ...valid, baseModelVersionId: base }, ada),
      "NOT_FOUND",
      `Model version ${base} not found`,
    );
    expect(await trainingFootprint(gateway)).toEqual(before);
  });
});
