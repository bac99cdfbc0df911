import type { Prisma, PrismaClient, RetrainingPolicy as PolicyRow } from "../../generated/prisma/client";
import type { TrainingLimits } from "../../config";
import { AppError, ErrorCode, badInput, forbidden } from "../../errors";
import { isUuid } from "../../graphql/ids";
import { limits } from "../../limits";
import { checkBaseModel } from "../../training/training-base-model";
import { trainingLabels } from "../../training/training-dataset";
import { resolveTrainingOptions } from "../../training/training-options";
import { checkTargetModel } from "../../training/training-target";
import { assertCanChange, assertCanSee, canSee, requireViewer, type Viewer } from "../../users/access";
import type { PolicyEvaluator } from "./policy-evaluator";
import {
  checkCooldown,
  checkPolicyName,
  checkPromotion,
  checkTriggers,
  nextScheduledAt,
  readTriggers,
} from "./policy-settings";
import { toPolicyEvaluation, toRetrainingPolicy } from "./retraining-rows";
import type { RetrainingPolicyInput, RetrainingPolicyPatch, TrainingTemplate } from "./retraining.inputs";
import type { PolicyEvaluation, RetrainingPolicy } from "./retraining.types";

/** Policies are private to their owner (and admins), whatever model they watch. */
const asOwned = (policy: Pick<PolicyRow, "ownerId">) => ({ ownerId: policy.ownerId, isPublic: false });

/**
 * Creating, changing, finding and evaluating retraining policies. Everything a run will need is
 * checked at creation, so a bad policy fails here rather than at its first firing: the model is
 * the caller's own ONNX model, the dataset one they may change, the training template passes
 * startTraining's checks on the dataset's latest version, and every trigger is within its bound.
 */
export class RetrainingPoliciesService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly trainingLimits: TrainingLimits,
    private readonly evaluator: PolicyEvaluator,
  ) {}

  async create(viewer: Viewer | null, input: RetrainingPolicyInput): Promise<RetrainingPolicy> {
    const user = requireViewer(viewer);
    const model = await this.ownModel(user, input.modelId);
    const datasetRow = isUuid(input.datasetId)
      ? await this.prisma.dataset.findUnique({ where: { id: input.datasetId } })
      : null;
    const dataset = assertCanChange(user, datasetRow, `Dataset ${input.datasetId}`);
    const name = checkPolicyName(input.name);
    const triggers = checkTriggers(input.triggers);
    const cooldown = checkCooldown(input.cooldown);
    const promote = checkPromotion(input.promote);
    const template = await this.checkTemplate(user, dataset.id, model.slug, input.trainingTemplate);
    // Count and create under the model's advisory lock, so that creations at once cannot both
    // see room for one more and pass the bound together.
    const row = await this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`retraining-policies:${model.id}`}, 0))::text`;
      const existing = await tx.retrainingPolicy.count({ where: { modelId: model.id } });
      if (existing >= limits.retraining.policiesPerModel) {
        throw badInput(
          `Model "${model.slug}" already has ${existing} retraining policies, the most one model may have; change or delete one`,
          { field: "modelId" },
        );
      }
      return tx.retrainingPolicy.create({
        data: {
          ownerId: user.id,
          modelId: model.id,
          datasetId: dataset.id,
          name,
          trainingTemplate: template as Prisma.InputJsonValue,
          triggers: triggers as unknown as Prisma.InputJsonValue,
          cooldownSeconds: cooldown,
          promoteAlias: promote.alias,
          mustBeatChampionBy: promote.mustBeatChampionBy,
          nextScheduledAt: nextScheduledAt(triggers.schedule, new Date()),
        },
      });
    });
    return toRetrainingPolicy(row);
  }

  async update(viewer: Viewer | null, id: string, patch: RetrainingPolicyPatch): Promise<RetrainingPolicy> {
    const policy = await this.changeable(viewer, id);
    const triggers = patch.triggers ? checkTriggers(patch.triggers) : null;
    const data: Prisma.RetrainingPolicyUpdateInput = {
      ...(patch.name !== undefined && { name: checkPolicyName(patch.name) }),
      ...(patch.enabled !== null && patch.enabled !== undefined && { enabled: patch.enabled }),
      ...(patch.cooldown !== null &&
        patch.cooldown !== undefined && { cooldownSeconds: checkCooldown(patch.cooldown) }),
      ...(patch.promote && promotionData(checkPromotion(patch.promote))),
      ...(triggers && {
        triggers: triggers as unknown as Prisma.InputJsonValue,
        // A changed schedule counts from now, not from the old one's last due time.
        nextScheduledAt:
          triggers.schedule === readTriggers(policy.triggers).schedule
            ? policy.nextScheduledAt
            : nextScheduledAt(triggers.schedule, new Date()),
      }),
    };
    return toRetrainingPolicy(await this.prisma.retrainingPolicy.update({ where: { id: policy.id }, data }));
  }

  /** Deletes the policy with its evaluations and runs; a run still going is cancelled with its training job. */
  async delete(viewer: Viewer | null, id: string): Promise<boolean> {
    const policy = await this.changeable(viewer, id);
    await this.prisma.$transaction(async (tx) => {
      await tx.job.updateMany({
        where: {
          status: { in: ["QUEUED", "RUNNING"] },
          OR: [
            { retrainingRun: { policyId: policy.id } },
            { parent: { retrainingRun: { policyId: policy.id } } },
          ],
        },
        data: { cancelRequested: true },
      });
      await tx.retrainingPolicy.delete({ where: { id: policy.id } });
    });
    return true;
  }

  async find(viewer: Viewer | null, id: string): Promise<RetrainingPolicy | null> {
    const row = await this.row(id);
    return row && canSee(viewer, asOwned(row)) ? toRetrainingPolicy(row) : null;
  }

  /** The viewer's policies (all of them for an admin), of one model when given; newest first. */
  async list(viewer: Viewer | null, modelId: string | null | undefined): Promise<RetrainingPolicy[]> {
    const user = requireViewer(viewer);
    if (modelId) {
      const model = isUuid(modelId) ? await this.prisma.model.findUnique({ where: { id: modelId } }) : null;
      assertCanSee(user, model, `Model ${modelId}`);
    }
    const rows = await this.prisma.retrainingPolicy.findMany({
      where: {
        ...(user.role === "ADMIN" ? {} : { ownerId: user.id }),
        ...(modelId ? { modelId } : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limits.pageSize,
    });
    return rows.map(toRetrainingPolicy);
  }

  /** Evaluates the triggers now; a dry run stores the evaluation and fires nothing. */
  async evaluate(viewer: Viewer | null, id: string, dryRun: boolean): Promise<PolicyEvaluation> {
    const policy = await this.changeable(viewer, id);
    return toPolicyEvaluation(await this.evaluator.evaluate(policy.id, { dryRun }));
  }

  /** The model must be the caller's own: a run registers its challenger under its owner's models. */
  private async ownModel(user: Viewer, modelId: string) {
    const row = isUuid(modelId) ? await this.prisma.model.findUnique({ where: { id: modelId } }) : null;
    const model = assertCanChange(user, row, `Model ${modelId}`);
    if (model.ownerId !== user.id) {
      throw forbidden(
        `Model "${model.slug}" belongs to another user; a retraining run registers its challenger under its owner's models, so only the owner can create a policy for it`,
      );
    }
    return model;
  }

  /** startTraining's checks on the dataset's latest version: a template that cannot train fails now. */
  private async checkTemplate(
    user: Viewer,
    datasetId: string,
    modelSlug: string,
    given: object,
  ): Promise<TrainingTemplate> {
    const template = withoutNulls(given) as TrainingTemplate;
    const latest = await this.prisma.datasetVersion.findFirst({
      where: { datasetId },
      orderBy: { number: "desc" },
      select: { id: true },
    });
    if (!latest)
      throw badInput(`Dataset ${datasetId} has no version yet: upload one first`, { field: "datasetId" });
    try {
      const labels = await trainingLabels(this.prisma, user, latest.id);
      const options = resolveTrainingOptions(template, this.trainingLimits, labels);
      await checkBaseModel(this.prisma, user, template.baseModelVersionId, options.featureOutput);
      await checkTargetModel(this.prisma, user, modelSlug);
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.BAD_USER_INPUT) {
        throw badInput(`trainingTemplate: ${error.message}`, { field: `trainingTemplate.${fieldOf(error)}` });
      }
      throw error;
    }
    return template;
  }

  private async changeable(viewer: Viewer | null, id: string): Promise<PolicyRow> {
    const row = await this.row(id);
    // Only the owner and admins see a policy, so one the viewer sees is one they may change.
    return assertCanSee(requireViewer(viewer), row, `Retraining policy ${id}`, asOwned);
  }

  private row(id: string): Promise<PolicyRow | null> {
    return isUuid(id) ? this.prisma.retrainingPolicy.findUnique({ where: { id } }) : Promise.resolve(null);
  }
}

const promotionData = (promote: { alias: string; mustBeatChampionBy: number }) => ({
  promoteAlias: promote.alias,
  mustBeatChampionBy: promote.mustBeatChampionBy,
});

/** The input object as JSON with absent (null) fields left out. */
function withoutNulls(value: object): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(value, (_key, field: unknown) => (field === null ? undefined : field)),
  ) as Record<string, unknown>;
}

function fieldOf(error: AppError): string {
  const field = (error.details as { field?: unknown } | undefined)?.field;
  return typeof field === "string" ? field : "options";
}
