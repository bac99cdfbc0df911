import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TrainingEventView } from "../../../src/training/training-event-view";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import {
  CANCEL_TRAINING,
  expectError,
  featureEmbedderVersionId,
  NO_TRAINING_WORKER,
  queuedJob,
  startedJob,
  storedModelVersion,
  uploadTextures,
} from "./training-api";

const evaluation = (split: string, confusionMatrix: number[]) => ({
  split,
  count: 6,
  accuracy: 5 / 6,
  loss: 0.4,
  perClass: [
    { label: "blue-dots", precision: 1, recall: 0.5, f1: 2 / 3, support: 2 },
    { label: "green-checkerboard", precision: 2 / 3, recall: 1, f1: 0.8, support: 2 },
    { label: "red-stripes", precision: 1, recall: 1, f1: 1, support: 2 },
  ],
  confusionMatrix,
  calibrationError: 0.07,
});

describe("training jobs", () => {
  let gateway: TestGateway;
  let ada: string;
  let bob: string;
  let textures: string;
  let embedder: string;
  const start = (token: string, extra: Record<string, unknown> = {}) =>
    startedJob(
      gateway,
      { datasetVersionId: textures, baseModelVersionId: embedder, targetModelSlug: "classifier", ...extra },
      token,
    );
  const cancel = (id: string, token: string | null) => gateway.gql(CANCEL_TRAINING, { id }, token);
  const find = async (id: string, token: string | null) =>
    (
      await gateway.gql<{ trainingJob: { id: string } | null }>(
        `query ($id: ID!) { trainingJob(id: $id) { id } }`,
        { id },
        token,
      )
    ).data?.trainingJob ?? null;

  beforeAll(async () => {
    gateway = await startTestGateway({ env: NO_TRAINING_WORKER });
    ada = await gateway.createMember("ada");
    bob = await gateway.createMember("bob");
    textures = (await uploadTextures(gateway, "textures", ada)).versionId;
    embedder = await featureEmbedderVersionId(gateway);
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
  });

  it("cancels a QUEUED job at once: its queued run, its status and a failed event", async () => {
    const job = await start(ada);
    const body = await cancel(job.id, ada);
    expect(body.errors).toBeUndefined();
    expect(body.data!.cancelTraining).toMatchObject({
      id: job.id,
      status: "CANCELLED",
      cancelRequested: false,
      error: "Cancelled by ada before it started",
    });
    expect(body.data!.cancelTraining).toHaveProperty("finishedAt", expect.any(String));
    const row = await gateway.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect((await queuedJob(gateway, row.queueJobId!))?.state).toBe("cancelled");
    const events = await gateway.prisma.jobEvent.findMany({
      where: { jobId: job.id },
      orderBy: { seq: "asc" },
    });
    const reason = "Cancelled by ada before it started";
    expect(events.map((e) => [e.seq, e.type, e.payload])).toEqual([
      [1, "state", { status: "QUEUED", attempt: 0, error: null }],
      [2, "state", { status: "CANCELLED", attempt: 0, error: { code: "CANCELLED", message: reason } }],
    ]);
    // What trainingProgress streams of them.
    const view = new TrainingEventView(job.totalEpochs);
    expect(events.map((e) => view.toTraining(e)).map((e) => [e?.seq, e?.type, e?.payload])).toEqual([
      [1, "progress", expect.objectContaining({ status: "QUEUED" })],
      [2, "failed", { status: "CANCELLED", reason }],
    ]);
    expectError(
      await cancel(job.id, ada),
      "CONFLICT",
      `Training job ${job.id} already cancelled; only QUEUED or RUNNING jobs can be cancelled`,
    );
  });

  it("asks a RUNNING job to stop and leaves the stopping to its worker; a finished one is a CONFLICT", async () => {
    const job = await start(ada);
    await gateway.prisma.job.update({
      where: { id: job.id },
      data: { status: "RUNNING", startedAt: new Date() },
    });
    const body = await cancel(job.id, ada);
    expect(body.errors).toBeUndefined();
    expect(body.data!.cancelTraining).toMatchObject({
      status: "RUNNING",
      cancelRequested: true,
      finishedAt: null,
    });
    expect(await gateway.prisma.jobEvent.count({ where: { jobId: job.id } })).toBe(1);
    await gateway.prisma.job.update({ where: { id: job.id }, data: { status: "SUCCEEDED" } });
    expectError(
      await cancel(job.id, ada),
      "CONFLICT",
      `Training job ${job.id} already succeeded; only QUEUED or RUNNING jobs can be cancelled`,
    );
  });

  it("hides a private job from other members and anonymous callers; admins see and cancel it", async () => {
    const job = await start(ada);
    expect(await find(job.id, ada)).toEqual({ id: job.id });
    expect(await find(job.id, bob)).toBeNull();
    expect(await find(job.id, null)).toBeNull();
    expect(await find(job.id, gateway.adminToken)).toEqual({ id: job.id });
    expect(await find("not-a-uuid", ada)).toBeNull();
    expectError(await cancel(job.id, bob), "NOT_FOUND", `Training job ${job.id} not found`);
    expectError(await cancel(job.id, null), "UNAUTHENTICATED", /^Sign in/);
    const byAdmin = await cancel(job.id, gateway.adminToken);
    expect(byAdmin.data?.cancelTraining).toMatchObject({
      status: "CANCELLED",
      error: "Cancelled by admin before it started",
    });
  });

  it("shows a job whose result is a public model to everyone, with the version's lineage; only its owner cancels it", async () => {
    const job = await start(ada, { targetModelSlug: "public-classifier", learningRate: 0.01 });
    const versionId = await storedModelVersion(gateway, "ada", "public-classifier", { isPublic: true });
    await gateway.prisma.modelVersion.update({
      where: { id: versionId },
      data: {
        trainingJobId: job.id,
        trainedFromId: embedder,
        trainedOnId: textures,
        hyperparameters: { learningRate: 0.01, dropout: 0.2 },
      },
    });
    expect(await find(job.id, bob)).toEqual({ id: job.id });
    expect(await find(job.id, null)).toEqual({ id: job.id });
    expectError(
      await cancel(job.id, bob),
      "FORBIDDEN",
      `Training job ${job.id} belongs to another user; only its owner or an admin can cancel it`,
    );
    const lineage = `query ($id: ID!) {
      modelVersion(id: $id) {
        trainingJob { id resultModelVersion { id } options { learningRate } }
        trainedFrom { id } trainedOn { id } hyperparameters
      }
    }`;
    const asAda = await gateway.gql(lineage, { id: versionId }, ada);
    expect(asAda.errors).toBeUndefined();
    expect(asAda.data).toEqual({
      modelVersion: {
        trainingJob: { id: job.id, resultModelVersion: { id: versionId }, options: { learningRate: 0.01 } },
        trainedFrom: { id: embedder },
        trainedOn: { id: textures },
        hyperparameters: { learningRate: 0.01, dropout: 0.2 },
      },
    });
    // Bob may see the public model but not ada's private dataset.
    const asBob = await gateway.gql<{ modelVersion: { trainedOn: unknown; trainingJob: unknown } }>(
      lineage,
      { id: versionId },
      bob,
    );
    expect(asBob.data?.modelVersion).toMatchObject({ trainingJob: { id: job.id }, trainedOn: null });
    const uploaded = await gateway.gql(
      `query ($id: ID!) { modelVersion(id: $id) { trainingJob { id } trainedFrom { id } trainedOn { id } hyperparameters } }`,
      { id: embedder },
    );
    expect(uploaded.data).toEqual({
      modelVersion: { trainingJob: null, trainedFrom: null, trainedOn: null, hyperparameters: null },
    });
  });

  it("shows the stored metric history, trials best first, the evaluation as matrix rows and the split counts", async () => {
    const job = await start(ada, { monitor: "VAL_LOSS" });
    const jobId = job.id;
    await gateway.prisma.job.update({ where: { id: jobId }, data: { status: "SUCCEEDED" } });
    await gateway.prisma.trainingJob.update({
      where: { id: jobId },
      data: {
        splitCounts: { train: 6, validation: 3, test: 0, validationFrom: "drawn" },
        evaluation: { validation: evaluation("validation", [1, 1, 0, 0, 2, 0, 0, 0, 2]), test: null },
      },
    });
    await gateway.prisma.trainingMetric.createMany({
      data: [1, 2].flatMap((trial) =>
        [1, 2].flatMap((epoch) => [
          { jobId, trial, epoch, name: "loss", value: trial + 1 / epoch },
          { jobId, trial, epoch, name: "val_loss", value: trial + 2 / epoch },
        ]),
      ),
    });
    await gateway.prisma.trainingTrial.createMany({
      data: [
        {
          jobId,
          number: 1,
          params: { learningRate: 0.01, optimizer: "SGD" },
          status: "SUCCEEDED",
          objective: 0.5,
          epochsRun: 2,
          bestEpoch: 2,
          metrics: { val_loss: 0.5 },
        },
        {
          jobId,
          number: 2,
          params: { learningRate: 0.001, optimizer: "ADAM" },
          status: "SUCCEEDED",
          objective: 0.3,
          epochsRun: 2,
          bestEpoch: 1,
          metrics: { val_loss: 0.35 },
        },
        {
          jobId,
          number: 3,
          params: { learningRate: 0.1, optimizer: "ADAM" },
          status: "FAILED",
          error: "loss turned NaN at epoch 1",
        },
      ],
    });
    const body = await gateway.gql(
      `query ($id: ID!) {
        trainingJob(id: $id) {
          splitCounts { train validation test validationFrom }
          all: metrics { trial epoch name value }
          valLoss: metrics(name: "val_loss", trial: 2) { epoch value }
          trials { number status objective bestEpoch epochsRun error params { name value choice } metrics { name value } }
          evaluation { split count accuracy loss labels perClass { label precision recall f1 support } confusionMatrix calibrationError }
          testEvaluation { split }
        }
      }`,
      { id: jobId },
      ada,
    );
    expect(body.errors).toBeUndefined();
    const found = (body.data as { trainingJob: Record<string, unknown> }).trainingJob;
    expect(found.splitCounts).toEqual({ train: 6, validation: 3, test: 0, validationFrom: "drawn" });
    expect(found.all).toHaveLength(8);
    expect((found.all as unknown[])[0]).toEqual({ trial: 1, epoch: 1, name: "loss", value: 2 });
    expect(found.valLoss).toEqual([
      { epoch: 1, value: 4 },
      { epoch: 2, value: 3 },
    ]);
    expect(found.trials).toEqual([
      {
        number: 2,
        status: "SUCCEEDED",
        objective: 0.3,
        bestEpoch: 1,
        epochsRun: 2,
        error: null,
        params: [
          { name: "learningRate", value: 0.001, choice: null },
          { name: "optimizer", value: null, choice: "ADAM" },
        ],
        metrics: [{ name: "val_loss", value: 0.35 }],
      },
      expect.objectContaining({ number: 1, objective: 0.5 }),
      expect.objectContaining({
        number: 3,
        status: "FAILED",
        objective: null,
        error: "loss turned NaN at epoch 1",
      }),
    ]);
    expect(found.evaluation).toEqual({
      ...evaluation("validation", []),
      labels: ["blue-dots", "green-checkerboard", "red-stripes"],
      confusionMatrix: [
        [1, 1, 0],
        [0, 2, 0],
        [0, 0, 2],
      ],
    });
    expect(found.testEvaluation).toBeNull();
  });

  it("lists the jobs a viewer may see, newest first, filtered and paged in a constant number of statements", async () => {
    const bobsJobs = [];
    const bobsTextures = (await uploadTextures(gateway, "bobs-textures", bob)).versionId;
    for (const slug of ["bob-a", "bob-b", "bob-c"]) {
      bobsJobs.push(await start(bob, { datasetVersionId: bobsTextures, targetModelSlug: slug }));
    }
    const list = async (token: string, args: Record<string, unknown>) => {
      const body = await gateway.gql<{
        trainingJobs: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string };
          edges: Array<{ node: { id: string; targetModelSlug: string } }>;
        };
      }>(
        `query ($filter: TrainingJobFilter, $first: Int, $after: String) {
          trainingJobs(filter: $filter, first: $first, after: $after) {
            totalCount pageInfo { hasNextPage endCursor }
            edges { node { id targetModelSlug status owner { handle } datasetVersion { id } baseModelVersion { id } trials { number } metrics { value } resultModelVersion { id } } }
          }
        }`,
        args,
        token,
      );
      expect(body.errors).toBeUndefined();
      return body.data!.trainingJobs;
    };
    // Bob sees his jobs and ada's job whose result is public, not her private ones.
    const visible = await list(bob, {});
    expect(visible.edges.map((e) => e.node.targetModelSlug)).toEqual([
      "bob-c",
      "bob-b",
      "bob-a",
      "public-classifier",
    ]);
    const page = await list(bob, { first: 2, filter: { owner: "bob" } });
    expect(page).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const rest = await list(bob, { first: 2, after: page.pageInfo.endCursor, filter: { owner: "bob" } });
    expect(rest.edges.map((e) => e.node.targetModelSlug)).toEqual(["bob-a"]);
    expect((await list(bob, { filter: { targetModelSlug: "bob-b" } })).edges.map((e) => e.node.id)).toEqual([
      bobsJobs[1]!.id,
    ]);
    expect((await list(bob, { filter: { owner: "ada" } })).edges.map((e) => e.node.targetModelSlug)).toEqual([
      "public-classifier",
    ]);
    expect((await list(gateway.adminToken, { filter: { datasetVersionId: bobsTextures } })).totalCount).toBe(
      3,
    );
    await cancel(bobsJobs[0]!.id, bob);
    expect(
      (await list(bob, { filter: { status: ["CANCELLED"], owner: "bob" } })).edges.map((e) => e.node.id),
    ).toEqual([bobsJobs[0]!.id]);
    expect((await list(gateway.adminToken, { filter: { baseModelVersionId: "nope" } })).totalCount).toBe(0);

    // Bob's jobs are alike (no result, a dataset he sees): only the page size differs.
    const statementsFor = async (first: number) => {
      gateway.sqlStatements.length = 0;
      await list(gateway.adminToken, { first, filter: { owner: "bob" } });
      return gateway.sqlStatements.filter((sql) => !/^(BEGIN|COMMIT)/i.test(sql)).length;
    };
    expect(await statementsFor(1)).toBe(await statementsFor(3));
  });
});
