import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/logger";
import type { PolicyEvaluator } from "../../../src/feedback/retraining/policy-evaluator";
import { RetrainingScheduler } from "../../../src/feedback/retraining/retraining-scheduler";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { featureEmbedderVersionId } from "../../training/api/training-api";
import {
  CREATE_POLICY,
  EVALUATE,
  FAST_TEMPLATE,
  POLICY,
  recordCorrections,
  trainedVersion,
  uploadSwappedTextures,
  waitForRun,
  type Evaluation,
  type Run,
} from "./retraining-support";

const IMAGES_PER_CLASS = 8;

/**
 * The loop through the API: a champion trained on a dataset with two classes swapped, users'
 * corrections of its predictions, a policy that fires on them, a challenger trained on the
 * corrected version that wins on the same held-out set and takes the alias; then a policy whose
 * margin no challenger can meet, which trains and refuses to promote.
 */
describe("retraining policies", () => {
  let gateway: TestGateway;
  let datasetId: string;
  let modelId: string;
  let championId: string;
  let baseId: string;
  let correctionCount: number;

  const policyInput = (overrides: Record<string, unknown> = {}) => ({
    modelId,
    datasetId,
    name: "swapped-classes",
    trainingTemplate: { baseModelVersionId: baseId, ...FAST_TEMPLATE },
    triggers: { feedbackCount: correctionCount, drift: { method: "MMD", minEffect: 0.05 } },
    cooldown: 0,
    promote: { alias: "production", mustBeatChampionBy: 0 },
    ...overrides,
  });

  beforeAll(async () => {
    gateway = await startTestGateway();
    const uploaded = await uploadSwappedTextures(gateway, "swapped", IMAGES_PER_CLASS);
    datasetId = uploaded.datasetId;
    baseId = await featureEmbedderVersionId(gateway);
    championId = await trainedVersion(gateway, uploaded.versionId, "textures");
    const champion = await gateway.prisma.modelVersion.findUniqueOrThrow({ where: { id: championId } });
    modelId = champion.modelId;
    const aliased = await gateway.gql(
      `mutation ($modelId: ID!, $versionId: ID!) { setModelAlias(modelId: $modelId, alias: "production", versionId: $versionId) { id } }`,
      { modelId, versionId: championId },
    );
    expect(aliased.errors).toBeUndefined();
    // The champion classified every image; a person gave each its right label, which corrects
    // the swapped classes and confirms the third.
    const members = await gateway.prisma.versionSample.findMany({
      where: { versionId: uploaded.versionId },
      include: { sample: true, class: true },
    });
    correctionCount = members.length;
    await recordCorrections(
      gateway,
      championId,
      members.map((member) => ({
        sampleId: member.sampleId,
        sha256: member.sample.sha256,
        correctLabel: uploaded.truth.get(member.sample.originalPath)!,
      })),
    );
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

  it("answers a dry run with why it would fire, and fires nothing", async () => {
    const created = await gateway.gql<{ createRetrainingPolicy: { id: string } }>(CREATE_POLICY, {
      input: policyInput(),
    });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createRetrainingPolicy.id;
    const body = await gateway.gql<{ evaluateRetrainingPolicy: Evaluation }>(EVALUATE, { id, dryRun: true });
    expect(body.errors).toBeUndefined();
    // The predictions were of the training images themselves: no drift, and the sentence says why.
    expect(body.data!.evaluateRetrainingPolicy).toMatchObject({
      fired: false,
      dryRun: true,
      run: null,
      reasons: [
        `would fire, because ${correctionCount} corrections ≥ ${correctionCount}`,
        `${correctionCount} corrections ≥ ${correctionCount}`,
        expect.stringMatching(/^no drift: MMD² \S+ \(p \S+ ≥ 0\.01, effect \S+ < 0\.05\)$/),
      ],
      metrics: {
        feedbackCount: { count: correctionCount, threshold: correctionCount },
        drift: { method: "MMD", recent: correctionCount, reference: correctionCount, permutations: 499 },
      },
    });
    // Prediction embeddings are filled on first use, the training samples' stored in their space.
    expect(await gateway.prisma.prediction.count({ where: { embeddingKey: "FEATURE/256" } })).toBe(
      correctionCount,
    );
    expect(await gateway.prisma.embedding.count()).toBe(correctionCount);
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
    expect(evaluation.reasons[0]).toBe(`fired, because ${correctionCount} corrections ≥ ${correctionCount}`);
    expect(await waitForRun(gateway, evaluation.run!.id)).toBe("SUCCEEDED");

    const body = await gateway.gql<{ retrainingPolicy: { runs: Run[]; lastFiredAt: string } }>(POLICY, {
      id: policy!.id,
    });
    const [run] = body.data!.retrainingPolicy.runs;
    expect(run).toMatchObject({ id: evaluation.run!.id, status: "SUCCEEDED", promoted: true });
    expect(run!.champion!.id).toBe(championId);
    expect(run!.decision!.champion!.accuracy).toBeLessThan(run!.decision!.challenger.accuracy);
    expect(run!.decision!.heldOut).toEqual({ source: "validation draw", count: 6 });
    expect(run!.decision!.reason).toMatch(/^promoted: challenger accuracy .* ≥ champion .* \+ margin 0$/);
    const alias = await gateway.prisma.modelAlias.findFirstOrThrow({
      where: { modelId, alias: "production" },
    });
    expect(alias.versionId).toBe(run!.challenger!.id);

    // The training job is the run's child, on the new version: the corrected labels, nothing else.
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
      correctionCount,
    );

    // Its corrections are used: evaluated again, the policy has nothing to fire on.
    const again = await gateway.gql<{ evaluateRetrainingPolicy: Evaluation }>(EVALUATE, {
      id: policy!.id,
      dryRun: false,
    });
    expect(again.data!.evaluateRetrainingPolicy.reasons[0]).toBe("did not fire: no trigger holds");
  });

  it("trains but keeps the alias when the challenger does not beat the champion by the margin", async () => {
    const promoted = await gateway.prisma.modelAlias.findFirstOrThrow({
      where: { modelId, alias: "production" },
    });
    const created = await gateway.gql<{ createRetrainingPolicy: { id: string } }>(CREATE_POLICY, {
      input: policyInput({
        name: "demanding",
        triggers: { feedbackCount: 1 },
        promote: { alias: "production", mustBeatChampionBy: 0.5 },
      }),
    });
    const id = created.data!.createRetrainingPolicy.id;
    // One more person confirms a label the corrected version already has.
    const sample = await gateway.prisma.sample.findFirstOrThrow({
      where: { datasetId, originalPath: { startsWith: "blue" } },
    });
    await recordCorrections(gateway, promoted.versionId, [
      { sampleId: sample.id, sha256: sample.sha256, correctLabel: "blue-dots" },
    ]);
    const fired = await gateway.gql<{ evaluateRetrainingPolicy: Evaluation }>(EVALUATE, {
      id,
      dryRun: false,
    });
    expect(fired.data!.evaluateRetrainingPolicy.fired).toBe(true);
    expect(await waitForRun(gateway, fired.data!.evaluateRetrainingPolicy.run!.id)).toBe("SUCCEEDED");
    const body = await gateway.gql<{ retrainingPolicy: { runs: Run[] } }>(POLICY, { id });
    const [run] = body.data!.retrainingPolicy.runs;
    expect(run!.promoted).toBe(false);
    expect(run!.champion!.id).toBe(promoted.versionId);
    expect(run!.decision!.reason).toMatch(
      /^not promoted: challenger accuracy .* < champion .* \+ margin 0\.5$/,
    );
    // Nothing changed in the data: the run trained on the latest version as it was.
    expect(run!.datasetVersion!.id).toBe(
      (await gateway.prisma.datasetVersion.findFirstOrThrow({ where: { datasetId, number: 2 } })).id,
    );
    const alias = await gateway.prisma.modelAlias.findFirstOrThrow({
      where: { modelId, alias: "production" },
    });
    expect(alias.versionId).toBe(promoted.versionId);
  });

  it("lets only its owner see, change and delete a policy", async () => {
    const policy = await gateway.prisma.retrainingPolicy.findFirstOrThrow({ where: { name: "demanding" } });
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
    const evaluated: string[] = [];
    const evaluator = {
      evaluate: async (id: string) => void evaluated.push(id),
    } as unknown as PolicyEvaluator;
    const logger = createLogger({ level: "silent" });
    const replicas = [1, 2].map(() => new RetrainingScheduler(gateway.prisma, evaluator, 60_000, logger));
    await gateway.prisma.retrainingPolicy.updateMany({ data: { lastEvaluatedAt: null } });
    await Promise.all(replicas.map((replica) => replica.tick()));
    expect(evaluated.sort()).toEqual(
      (await gateway.prisma.retrainingPolicy.findMany({ orderBy: { id: "asc" } })).map((p) => p.id),
    );
    expect(await replicas[0]!.tick()).toEqual([]);
  });
});
