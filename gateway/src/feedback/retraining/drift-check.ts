import { mix32 } from "@tessera/seeded-random";
import type { PrismaClient, RetrainingPolicy as PolicyRow } from "../../generated/prisma/client";
import { testForDriftInWorker } from "../drift/drift-in-worker";
import { describeDrift, type DriftSettings } from "../drift/drift-test";
import { sampleMatrix } from "../drift/sample-matrix";
import {
  drawablePredictions,
  recentPredictionVectors,
  referenceVectors,
  type DriftEmbeddingDeps,
} from "./drift-embeddings";
import { versionFeatureSpace } from "../feature-vectors";
import type { TriggerCheck } from "./evaluation-verdict";
import type { DriftTriggerSettings } from "./policy-settings";
import { MIN_MEASURED } from "./trigger-checks";

/**
 * The drift trigger: the model's last `window` predictions against as many samples of the
 * champion's training version (the version its promote alias names was trained on; the policy's
 * dataset's latest version when the champion was not trained here or there is none yet), both as
 * FEATURE embeddings. Fewer than MIN_MEASURED vectors on either side answer "not enough data".
 * The test's seed comes from the policy's id, so the same data always gets the same p-value.
 * After a test, the next waits for `window` new predictions (see predictionsAwaited).
 */
export async function driftCheck(
  deps: DriftEmbeddingDeps,
  policy: PolicyRow,
  settings: DriftTriggerSettings,
  signal?: AbortSignal,
): Promise<TriggerCheck> {
  const base = { method: settings.method, pValueThreshold: settings.pValue, minEffect: settings.minEffect };
  const referenceVersionId = await trainingVersionOf(deps.prisma, policy);
  // Both sides in the space the training version was embedded in (v1's for a version embedded
  // before v2 became the default), so its stored vectors are read rather than recomputed.
  const space = await versionFeatureSpace(deps.prisma, referenceVersionId);
  const waiting = await predictionsAwaited(deps.prisma, policy, space.key, settings.window);
  if (waiting) {
    return {
      trigger: "drift",
      met: false,
      reason: `drift: waiting for ${waiting.awaited} more predictions (${waiting.arrived} of ${settings.window} since the last test)`,
      metrics: {
        ...base,
        waitingFor: waiting.awaited,
        arrived: waiting.arrived,
        lastTestedThrough: waiting.since,
      },
    };
  }
  const recent = await recentPredictionVectors(deps, space, policy.modelId, settings.window, signal);
  const reference = referenceVersionId
    ? await referenceVectors(deps, space, referenceVersionId, settings.window, signal)
    : [];
  if (recent.vectors.length < MIN_MEASURED || reference.length < MIN_MEASURED) {
    const short =
      recent.vectors.length < MIN_MEASURED
        ? `${recent.vectors.length} recent predictions with an image`
        : `${reference.length} training samples with an image`;
    return {
      trigger: "drift",
      met: false,
      reason: `drift: not enough data (${short}; needs ${MIN_MEASURED})`,
      metrics: { ...base, recent: recent.vectors.length, reference: reference.length, referenceVersionId },
    };
  }
  const seeded: DriftSettings = { ...settings, seed: policySeed(policy.id) };
  const measured = await testForDriftInWorker(
    sampleMatrix(recent.vectors),
    sampleMatrix(reference),
    seeded,
    signal,
  );
  return {
    trigger: "drift",
    met: measured.drifted,
    reason: describeDrift(measured, seeded),
    metrics: {
      ...base,
      statistic: measured.statistic,
      pValue: measured.pValue,
      effect: measured.effect,
      drifted: measured.drifted,
      recent: measured.recent,
      reference: measured.reference,
      referenceVersionId,
      testedThrough: recent.newestAt?.toISOString() ?? null,
      ...measured.details,
    },
  };
}

/**
 * Predictions still awaited before drift is tested again; null to test now. Each test reads the
 * latest `window` predictions, and testing again on mostly the same ones repeats one answer while
 * every repeat is another chance of a false alarm at the policy's p-value. So after a (non-dry)
 * evaluation tested drift, the next test waits for `window` predictions made after the newest it
 * read. A drift found while the policy could not fire (its cooldown, a run going) still stands:
 * it is tested again at once, so the policy fires once it may.
 */
async function predictionsAwaited(
  prisma: PrismaClient,
  policy: PolicyRow,
  spaceKey: string,
  window: number,
): Promise<{ awaited: number; arrived: number; since: string } | null> {
  const [last] = await prisma.$queryRaw<
    Array<{ testedThrough: string; drifted: boolean | null; fired: boolean }>
  >`
    SELECT metrics #>> '{drift,testedThrough}' AS "testedThrough",
           (metrics #>> '{drift,drifted}')::boolean AS drifted, fired
    FROM "PolicyEvaluation"
    WHERE "policyId" = ${policy.id}::uuid AND NOT "dryRun"
      AND jsonb_typeof(metrics #> '{drift,testedThrough}') = 'string'
    ORDER BY at DESC, id DESC
    LIMIT 1`;
  if (!last || (last.drifted && !last.fired)) return null;
  const arrived = await prisma.prediction.count({
    where: {
      ...drawablePredictions(policy.modelId, spaceKey),
      createdAt: { gt: new Date(last.testedThrough) },
    },
    take: window,
  });
  return arrived >= window ? null : { awaited: window - arrived, arrived, since: last.testedThrough };
}

async function trainingVersionOf(prisma: PrismaClient, policy: PolicyRow): Promise<string | null> {
  const alias = await prisma.modelAlias.findUnique({
    where: { modelId_alias: { modelId: policy.modelId, alias: policy.promoteAlias } },
    select: { version: { select: { trainedOnId: true } } },
  });
  if (alias?.version.trainedOnId) return alias.version.trainedOnId;
  const latest = await prisma.datasetVersion.findFirst({
    where: { datasetId: policy.datasetId },
    orderBy: { number: "desc" },
    select: { id: true },
  });
  return latest?.id ?? null;
}

function policySeed(policyId: string): number {
  return mix32(Number.parseInt(policyId.replace(/-/g, "").slice(0, 8), 16));
}
