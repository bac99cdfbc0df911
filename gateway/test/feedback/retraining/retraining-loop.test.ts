import "reflect-metadata";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "../../../src/generated/prisma/client";
import { createLogger } from "../../../src/logger";
import type { PolicyEvaluator } from "../../../src/feedback/retraining/policy-evaluator";
import { ALIAS_MOVED, promoteIfUnmoved } from "../../../src/feedback/retraining/promotion-commit";
import type { PromotionDecision } from "../../../src/feedback/retraining/promotion-decision";
import { retrainJobHandler, type RetrainJobDeps } from "../../../src/feedback/retraining/retrain-job";
import { RetrainingScheduler } from "../../../src/feedback/retraining/retraining-scheduler";
import { countCorrections } from "../../../src/feedback/retraining/usable-corrections";
import { LocalBlobStore } from "../../../src/storage/local-blob-store";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { featureEmbedderVersionId } from "../../training/api/training-api";
import {
  CREATE_POLICY,
  EVALUATE,
  FAST_TEMPLATE,
  POLICY,
  recordFeedback,
  trainedVersion,
  uploadSwappedTextures,
  waitForRun,
  type Evaluation,
  type Run,
} from "./retraining-support";

const IMAGES_PER_CLASS = 14;

/**
 * The loop through the API: a champion trained on a dataset with two classes swapped, people's
 * feedback on its predictions (trusted corrections, confirmations, and some a run must not or
 * cannot use), a policy that fires on them, a challenger trained on the corrected version that
 * wins on the same held-out set and takes the alias. Then what guards the loop: an alias moved
 * meanwhile, an owner who lost access, the bounds on evaluations and policies, the scheduler.
 */
describe("retraining policies", () => {
  let gateway: TestGateway;
  let datasetId: string;
  let modelId: string;
  let championId: string;
  let baseId: string;
  let adminId: string;
  /** Usable corrections: the swapped classes' images, plus one bad label and one bad image. */
  let counted: number;
  let skippedIds: { label: string; image: string };
  let untrustedId: string;
  let drawable: number;

  const policyInput = (overrides: Record<string, unknown> = {}) => ({
    modelId,
    datasetId,
    name: "swapped-classes",
    trainingTemplate: { baseModelVersionId: baseId, ...FAST_TEMPLATE },
    triggers: { feedbackCount: counted, drift: { method: "MMD", minEffect: 0.05 } },
    cooldown: 0,
    promote: { alias: "production", mustBeatChampionBy: 0 },
    ...overrides,
  });
  /** A policy row as the service stores it, for the tests that only need rows. */
  const policyRow = (data: Partial<Prisma.RetrainingPolicyUncheckedCreateInput> = {}) => ({
    ownerId: adminId,
    modelId,
    datasetId,
    trainingTemplate: {},
    triggers: { feedbackCount: 1 },
    cooldownSeconds: 0,
    promoteAlias: "production",
    mustBeatChampionBy: 0,
    ...data,
  });

  beforeAll(async () => {
    gateway = await startTestGateway();
    const uploaded = await uploadSwappedTextures(gateway, "swapped", IMAGES_PER_CLASS);
    datasetId = uploaded.datasetId;
    baseId = await featureEmbedderVersionId(gateway);
    championId = await trainedVersion(gateway, uploaded.versionId, "textures");
    const champion = await gateway.prisma.modelVersion.findUniqueOrThrow({ where: { id: championId } });
    modelId = champion.modelId;
    adminId = (await gateway.prisma.model.findUniqueOrThrow({ where: { id: modelId } })).ownerId;
    const aliased = await gateway.gql(
      `mutation ($modelId: ID!, $versionId: ID!) { setModelAlias(modelId: $modelId, alias: "production", versionId: $versionId) { id } }`,
      { modelId, versionId: championId },
    );
    expect(aliased.errors).toBeUndefined();
    // The champion classified every image as the class it was filed under; a person gave each its
    // right label, which corrects the swapped classes and confirms the third.
    const members = await gateway.prisma.versionSample.findMany({
      where: { versionId: uploaded.versionId },
      include: { sample: true, class: true },
      orderBy: { sampleId: "asc" },
    });
    const entries = members.map((member) => ({
      sampleId: member.sampleId,
      sha256: member.sample.sha256,
      predicted: member.class.name,
      correctLabel: uploaded.truth.get(member.sample.originalPath)!,
    }));
    await recordFeedback(gateway, championId, entries);
    const third = entries.find((entry) => entry.predicted === entry.correctLabel)!;
    const swapped = entries.find((entry) => entry.predicted !== entry.correctLabel)!;
    // A member who may only call the model "corrects" a swapped image into the third class.
    await gateway.createMember("retraining-corrector");
    const corrector = await gateway.prisma.user.findUniqueOrThrow({
      where: { handle: "retraining-corrector" },
    });
    const [untrusted] = await recordFeedback(gateway, championId, [
      { ...swapped, correctLabel: third.correctLabel, authorId: corrector.id },
    ]);
    untrustedId = untrusted!;
    // The owner's own: no image kept (nothing to train on), a label no class may have, an upload
    // that is no image at all.
    const store = new LocalBlobStore(path.join(gateway.dataDir, "blobs"));
    const text = await store.put(Readable.from([Buffer.from("not an image")]));
    await gateway.prisma.blob.create({ data: { sha256: text.sha256, sizeBytes: text.sizeBytes } });
    const [, label, image] = await recordFeedback(gateway, championId, [
      { sampleId: null, sha256: null, predicted: swapped.predicted, correctLabel: swapped.correctLabel },
      { ...third, correctLabel: "_unlabeled" },
      {
        sampleId: null,
        sha256: text.sha256,
        predicted: swapped.predicted,
        correctLabel: swapped.correctLabel,
      },
    ]);
    skippedIds = { label: label!, image: image! };
    counted = entries.filter((entry) => entry.predicted !== entry.correctLabel).length + 2;
    drawable = entries.length + 3;
  });

  afterAll(() => gateway?.stop());

  it("refuses a policy it could never run, with typed errors, and stores none", async () => {
    const member = await gateway.createMember("retraining-member");
    const cases: Array<[Record<string, unknown>, string, string | null, RegExp]> = [
      [
        { triggers: { schedule: "61 * * * *" } },
        "BAD_USER_INPUT",
        null,
        /triggers\.schedule "61 \* \* \* \*" is not a cron expression/,
      ],
      [{ triggers: {} }, "BAD_USER_INPUT", null, /at least one trigger/],
      [
        { trainingTemplate: { baseModelVersionId: baseId, epochs: 0 } },
        "BAD_USER_INPUT",
        null,
        /^trainingTemplate: epochs must be/,
      ],
      [
        { triggers: { drift: { method: "MMD", minEffect: 0, pValue: 0.01 } } },
        "BAD_USER_INPUT",
        null,
        /minEffect must be above 0/,
      ],
      [{ promote: { alias: "Not An Alias" } }, "BAD_USER_INPUT", null, /Alias "Not An Alias" is invalid/],
      [{}, "NOT_FOUND", member, /^Model .* not found$/],
    ];
    for (const [overrides, code, token, message] of cases) {
      const body = await gateway.gql(CREATE_POLICY, { input: policyInput(overrides) }, token ?? undefined);
      expect(body.errors?.[0]?.extensions?.code, JSON.stringify(body)).toBe(code);
      expect(body.errors?.[0]?.message).toMatch(message);
    }
    // Public: the member sees the model but may not change it.
    await gateway.prisma.model.update({ where: { id: modelId }, data: { isPublic: true } });
    const forbidden = await gateway.gql(CREATE_POLICY, { input: policyInput() }, member);
    await gateway.prisma.model.update({ where: { id: modelId }, data: { isPublic: false } });
    expect(forbidden.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await gateway.prisma.retrainingPolicy.count()).toBe(0);
  });

  it("counts only trusted corrections of images the owner may use, never another's private sample", async () => {
    // An admin corrects a prediction of a sample in a member's private dataset.
    const corrector = await gateway.prisma.user.findUniqueOrThrow({
      where: { handle: "retraining-corrector" },
    });
    const {
      id: _id,
      datasetId: _dataset,
      createdAt: _at,
      ...sample
    } = await gateway.prisma.sample.findFirstOrThrow({
      where: { datasetId },
    });
    const hidden = await gateway.prisma.dataset.create({ data: { ownerId: corrector.id, name: "private" } });
    const theirs = await gateway.prisma.sample.create({ data: { ...sample, datasetId: hidden.id } });
    const [privateId] = await recordFeedback(gateway, championId, [
      { sampleId: theirs.id, sha256: theirs.sha256, predicted: "a", correctLabel: "b" },
    ]);
    const admin = { id: adminId, handle: "admin", role: "ADMIN" as const };
    expect(await countCorrections(gateway.prisma, modelId, admin)).toBe(counted + 1);
    // The same owner without the admin role may not see that dataset: the correction is out.
    expect(await countCorrections(gateway.prisma, modelId, { ...admin, role: "MEMBER" })).toBe(counted);
    const { predictionId } = await gateway.prisma.feedback.findUniqueOrThrow({ where: { id: privateId! } });
    await gateway.prisma.prediction.delete({ where: { id: predictionId } });
    await gateway.prisma.dataset.delete({ where: { id: hidden.id } });
  });

  it("answers a dry run with why it would fire, and fires nothing", async () => {
    const created = await gateway.gql<{ createRetrainingPolicy: { id: string } }>(CREATE_POLICY, {
      input: policyInput(),
    });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createRetrainingPolicy.id;
    const body = await gateway.gql<{ evaluateRetrainingPolicy: Evaluation }>(EVALUATE, { id, dryRun: true });
    expect(body.errors).toBeUndefined();
    // Confirmations, the member's correction and the one without an image do not count. The
    // predictions were of the training images themselves: no drift, and the sentence says why.
    expect(body.data!.evaluateRetrainingPolicy).toMatchObject({
      fired: false,
      dryRun: true,
      run: null,
      reasons: [
        `would fire, because ${counted} corrections ≥ ${counted}`,
        `${counted} corrections ≥ ${counted}`,
        expect.stringMatching(/^no drift: MMD² \S+ \(p \S+ ≥ 0\.01, effect \S+ < 0\.05\)$/),
      ],
      metrics: {
        feedbackCount: { count: counted, threshold: counted },
        drift: { method: "MMD", recent: drawable - 1, reference: 3 * IMAGES_PER_CLASS, permutations: 499 },
      },
    });
    // Prediction embeddings are filled on first use (the text upload has none), the training
    // samples' stored in their space.
    expect(await gateway.prisma.prediction.count({ where: { embeddingKey: "FEATURE/v2/256" } })).toBe(
      drawable - 1,
    );
    expect(await gateway.prisma.embedding.count()).toBe(3 * IMAGES_PER_CLASS);
    expect(await gateway.prisma.retrainingRun.count()).toBe(0);
    expect(await gateway.prisma.policyEvaluation.count({ where: { policyId: id, dryRun: true } })).toBe(1);
  });

  it("fires on the corrections, trains on the corrected version and promotes the better challenger", async () => {
    const [policy] = await gateway.prisma.retrainingPolicy.findMany();
    const fired = await gateway.gql<{ evaluateRetrainingPolicy: Evaluation }>(EVALUATE, {
      id: policy!.id,
      dryRun: false,
    });
    const evaluation = fired.data!.evaluateRetrainingPolicy;
    expect(evaluation.fired).toBe(true);
    expect(evaluation.reasons[0]).toBe(`fired, because ${counted} corrections ≥ ${counted}`);
    expect(await waitForRun(gateway, evaluation.run!.id)).toBe("SUCCEEDED");

    const body = await gateway.gql<{ retrainingPolicy: { runs: Run[] } }>(POLICY, { id: policy!.id });
    const [run] = body.data!.retrainingPolicy.runs;
    expect(run).toMatchObject({ id: evaluation.run!.id, status: "SUCCEEDED", promoted: true });
    expect(run!.champion!.id).toBe(championId);
    const { decision } = run!;
    expect(decision!.champion!.accuracy).toBeLessThan(decision!.challenger.accuracy);
    expect(decision!.heldOut).toEqual({ source: "validation draw", count: 21, minimum: 20 });
    expect(decision!.reason).toMatch(/^promoted: challenger accuracy \S+ > champion \S+ \+ margin 0$/);
    // The bad label and the bad image are left out, with why, once and for all.
    const swappedCount = counted - 2;
    expect(decision!.corrections).toEqual({
      taken: 3 * IMAGES_PER_CLASS,
      relabelled: swappedCount,
      added: 0,
      unchanged: 3 * IMAGES_PER_CLASS - swappedCount,
      skipped: [
        {
          feedbackId: skippedIds.label,
          reason: expect.stringMatching(/^"_unlabeled" is the unlabeled pool's folder/),
        },
        { feedbackId: skippedIds.image, reason: expect.stringMatching(/cannot be a dataset image/) },
      ],
      capped: false,
    });
    const alias = await gateway.prisma.modelAlias.findFirstOrThrow({
      where: { modelId, alias: "production" },
    });
    expect(alias.versionId).toBe(run!.challenger!.id);

    // The training job is the run's child, on the new version: the corrected labels, nothing else
    // (the member's feedback is not among them).
    const trainingJob = await gateway.prisma.job.findUniqueOrThrow({ where: { id: run!.trainingJob!.id } });
    expect(trainingJob.parentId).toBe(run!.id);
    const version = await gateway.prisma.datasetVersion.findUniqueOrThrow({
      where: { id: run!.datasetVersion!.id },
    });
    expect(version.number).toBe(2);
    expect(version.imageCount).toBe(3 * IMAGES_PER_CLASS);
    // Each image is filed as <class it was put under>/<class it shows>-NNN.jpg.
    const members = await gateway.prisma.versionSample.findMany({
      where: { versionId: version.id },
      include: { sample: true, class: true },
    });
    const shows = (path: string) => path.split("/")[1]!.replace(/-\d+\.\w+$/, "");
    expect(members.filter((m) => m.class.name !== shows(m.sample.originalPath))).toEqual([]);
    expect(await gateway.prisma.feedback.count({ where: { usedInVersionId: version.id } })).toBe(
      3 * IMAGES_PER_CLASS,
    );
    expect(
      (await gateway.prisma.feedback.findUniqueOrThrow({ where: { id: untrustedId } })).usedInVersionId,
    ).toBeNull();

    // Evaluated again: its corrections are used or left out, and drift waits for new predictions.
    const again = await gateway.gql<{ evaluateRetrainingPolicy: Evaluation }>(EVALUATE, {
      id: policy!.id,
      dryRun: false,
    });
    expect(again.data!.evaluateRetrainingPolicy.reasons).toEqual([
      "did not fire: no trigger holds",
      `0 corrections < ${counted}`,
      "drift: waiting for 200 more predictions (0 of 200 since the last test)",
    ]);
  });

  it("never moves an alias that moved during the run", async () => {
    const current = await gateway.prisma.modelAlias.findFirstOrThrow({
      where: { modelId, alias: "production" },
    });
    const scored = (versionId: string, accuracy: number) => ({
      versionId,
      version: "v",
      accuracy,
      correct: 0,
    });
    const decision: PromotionDecision = {
      heldOut: { source: "test split", count: 30, minimum: 20 },
      champion: scored(championId, 0.3),
      challenger: scored(championId, 0.9),
      margin: 0,
      required: 0.3,
      promoted: true,
      reason: "promoted",
    };
    const promote = (alias: string, champion: string | null) =>
      gateway.prisma.$transaction((tx) =>
        promoteIfUnmoved(tx, { modelId, promoteAlias: alias }, decision, champion),
      );
    // The duel was against the first champion; the alias has named the challenger since.
    expect(await promote("production", championId)).toMatchObject({ promoted: false, reason: ALIAS_MOVED });
    expect((await gateway.prisma.modelAlias.findFirstOrThrow({ where: { id: current.id } })).versionId).toBe(
      current.versionId,
    );
    // No champion: set when still absent, not when someone set it meanwhile.
    expect((await promote("staging", null)).promoted).toBe(true);
    expect(await promote("staging", null)).toMatchObject({ promoted: false, reason: ALIAS_MOVED });
    await gateway.prisma.modelAlias.deleteMany({ where: { modelId, alias: "staging" } });
  });

  it("disables a policy whose owner lost the model, at evaluation and at a run's start", async () => {
    const outsider = await gateway.prisma.user.findUniqueOrThrow({
      where: { handle: "retraining-corrector" },
    });
    const policy = await gateway.prisma.retrainingPolicy.create({
      data: policyRow({ ownerId: outsider.id, name: "lost" }),
    });
    const refusal = 'its owner may no longer change model "textures"';
    const evaluated = await gateway.gql<{ evaluateRetrainingPolicy: Evaluation }>(EVALUATE, {
      id: policy.id,
      dryRun: false,
    });
    expect(evaluated.data!.evaluateRetrainingPolicy).toMatchObject({
      fired: false,
      reasons: [`disabled: ${refusal}`],
    });
    expect(
      (await gateway.prisma.retrainingPolicy.findUniqueOrThrow({ where: { id: policy.id } })).enabled,
    ).toBe(false);
    // A run queued before the loss fails FORBIDDEN when it starts, and says so in the timeline.
    await gateway.prisma.retrainingPolicy.update({ where: { id: policy.id }, data: { enabled: true } });
    const job = await gateway.prisma.job.create({
      data: { kind: "retrain-model", payload: {}, ownerId: outsider.id, maxAttempts: 1, status: "CANCELLED" },
    });
    await gateway.prisma.retrainingRun.create({ data: { id: job.id, policyId: policy.id } });
    const handler = retrainJobHandler({ prisma: gateway.prisma } as RetrainJobDeps);
    const context = { jobId: job.id, payload: { retrainingRunId: job.id } };
    await expect(handler(context as Parameters<typeof handler>[0])).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: `The policy was disabled: ${refusal}`,
    });
    const latest = await gateway.prisma.policyEvaluation.findFirstOrThrow({
      where: { policyId: policy.id },
      orderBy: { at: "desc" },
    });
    expect(latest).toMatchObject({
      reasons: [`disabled: ${refusal}`],
      metrics: { disabled: { runId: job.id } },
    });
    expect(
      (await gateway.prisma.retrainingPolicy.findUniqueOrThrow({ where: { id: policy.id } })).enabled,
    ).toBe(false);
  });

  it("keeps a policy's newest 500 evaluations, and every one that fired", async () => {
    const policy = await gateway.prisma.retrainingPolicy.findFirstOrThrow({ where: { name: "lost" } });
    const hourAgo = Date.now() - 3_600_000;
    await gateway.prisma.policyEvaluation.createMany({
      data: [
        { policyId: policy.id, fired: true, reasons: ["fired"], metrics: {}, at: new Date(hourAgo - 1000) },
        ...Array.from({ length: 505 }, (_, index) => ({
          policyId: policy.id,
          fired: false,
          reasons: ["did not fire"],
          metrics: {},
          at: new Date(hourAgo + index),
        })),
      ],
    });
    const body = await gateway.gql(EVALUATE, { id: policy.id, dryRun: true });
    expect(body.errors).toBeUndefined();
    expect(await gateway.prisma.policyEvaluation.count({ where: { policyId: policy.id } })).toBe(501);
    expect(await gateway.prisma.policyEvaluation.count({ where: { policyId: policy.id, fired: true } })).toBe(
      1,
    );
  });

  it("lets no more than 20 policies watch a model, however many are created at once", async () => {
    const existing = await gateway.prisma.retrainingPolicy.count({ where: { modelId } });
    await gateway.prisma.retrainingPolicy.createMany({
      data: Array.from({ length: 19 - existing }, (_, index) => policyRow({ name: `filler-${index}` })),
    });
    const answers = await Promise.all(
      [1, 2, 3].map((index) =>
        gateway.gql(CREATE_POLICY, { input: policyInput({ name: `racing-${index}` }) }),
      ),
    );
    expect(answers.filter((answer) => !answer.errors)).toHaveLength(1);
    for (const refused of answers.filter((answer) => answer.errors)) {
      expect(refused.errors![0]!.extensions?.code).toBe("BAD_USER_INPUT");
      expect(refused.errors![0]!.message).toMatch(/already has 20 retraining policies/);
    }
    expect(await gateway.prisma.retrainingPolicy.count({ where: { modelId } })).toBe(20);
    await gateway.prisma.retrainingPolicy.deleteMany({
      where: { OR: [{ name: { startsWith: "filler-" } }, { name: { startsWith: "racing-" } }] },
    });
  });

  it("lets only its owner see, change and delete a policy", async () => {
    const policy = await gateway.prisma.retrainingPolicy.findFirstOrThrow({
      where: { name: "swapped-classes" },
    });
    const member = await gateway.createMember("retraining-outsider");
    const seen = await gateway.gql<{ retrainingPolicy: null }>(POLICY, { id: policy.id }, member);
    expect(seen.data!.retrainingPolicy).toBeNull();
    const UPDATE = `mutation ($id: ID!, $patch: RetrainingPolicyPatch!) {
      updateRetrainingPolicy(id: $id, patch: $patch) { enabled cooldown triggers { feedbackCount schedule nextScheduledAt } } }`;
    const patch = { enabled: false, cooldown: 60, triggers: { schedule: "0 3 * * *" } };
    const refused = await gateway.gql(UPDATE, { id: policy.id, patch }, member);
    expect(refused.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const updated = await gateway.gql<{ updateRetrainingPolicy: Record<string, unknown> }>(UPDATE, {
      id: policy.id,
      patch,
    });
    expect(updated.data!.updateRetrainingPolicy).toEqual({
      enabled: false,
      cooldown: 60,
      triggers: {
        feedbackCount: null,
        schedule: "0 3 * * *",
        nextScheduledAt: expect.stringMatching(/T03:00:00\.000Z$/),
      },
    });
    const DELETE = `mutation ($id: ID!) { deleteRetrainingPolicy(id: $id) }`;
    expect((await gateway.gql(DELETE, { id: policy.id }, member)).errors?.[0]?.extensions?.code).toBe(
      "NOT_FOUND",
    );
    const runIds = (await gateway.prisma.retrainingRun.findMany({ where: { policyId: policy.id } })).map(
      (run) => run.id,
    );
    expect((await gateway.gql<{ deleteRetrainingPolicy: boolean }>(DELETE, { id: policy.id })).data).toEqual({
      deleteRetrainingPolicy: true,
    });
    expect(await gateway.prisma.retrainingRun.count({ where: { id: { in: runIds } } })).toBe(0);
    expect(await gateway.prisma.policyEvaluation.count({ where: { policyId: policy.id } })).toBe(0);
  });

  it("evaluates each enabled policy once per interval however many schedulers tick", async () => {
    await gateway.prisma.retrainingPolicy.createMany({
      data: [1, 2, 3].map((index) => policyRow({ name: `ticking-${index}` })),
    });
    await gateway.prisma.retrainingPolicy.updateMany({ data: { lastEvaluatedAt: null } });
    const enabled = await gateway.prisma.retrainingPolicy.findMany({
      where: { enabled: true },
      orderBy: { id: "asc" },
    });
    // The first replica's evaluations hold until the second replica's tick has run to the end.
    const claimed: [string[], string[]] = [[], []];
    let evaluating!: () => void;
    const firstEvaluating = new Promise<void>((resolve) => (evaluating = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const evaluator = (replica: 0 | 1) =>
      ({
        evaluate: async (id: string) => {
          claimed[replica].push(id);
          if (replica === 0) {
            evaluating();
            await released;
          }
        },
      }) as unknown as PolicyEvaluator;
    const logger = createLogger({ level: "silent" });
    const [first, second] = ([0, 1] as const).map(
      (replica) => new RetrainingScheduler(gateway.prisma, evaluator(replica), 60_000, logger),
    );
    const firstTick = first!.tick();
    await firstEvaluating;
    await second!.tick();
    release();
    await firstTick;
    expect(claimed[0].filter((id) => claimed[1].includes(id))).toEqual([]);
    expect([...claimed[0], ...claimed[1]].sort()).toEqual(enabled.map((policy) => policy.id));
    expect(await first!.tick()).toEqual([]);
  });
});
