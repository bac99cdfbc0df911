import { readFile } from "node:fs/promises";
import type { PrismaClient, Prisma } from "../generated/prisma/client";
import { AppError, badInput, conflict, ErrorCode, notFound, serviceUnavailable } from "../errors";
import type { Logger } from "../logger";
import type { FileBackedBlobStore } from "../storage/file-backed";
import type { TierClient } from "../tier/tier-client";
import { assertCanChange, canSee, requireViewer, type Viewer } from "../users/access";
import { isUuid } from "../graphql/ids";
import type { TensorSpec } from "../models/models.types";
import { resolveDeploymentConfig, tritonModelConfig } from "./deployment-config";
import type { Deployment, DeploymentConfig, DeploymentConfigInput } from "./deployments.types";
import { validAlias } from "../models/model-validation";

const deploymentInclude = {
  modelVersion: { include: { model: { include: { owner: true } }, files: true } },
} satisfies Prisma.DeploymentInclude;
type DeploymentRow = Prisma.DeploymentGetPayload<{ include: typeof deploymentInclude }>;

/** The name a KServe client uses: unique because handles cannot contain dots. */
export const tierModelName = (ownerHandle: string, slug: string) => `${ownerHandle}.${slug}`;

export interface ServingTarget {
  deploymentId: string;
  tierModelName: string;
  tierModelVersion: string;
  config: DeploymentConfig;
  labels: string[];
}

const READY_POLL_MS = 100;
/**
 * How long a READY target is reused without asking the database. Every change this gateway makes
 * clears it; another replica's change is seen within this time (and a tier that lost the model
 * answers NOT_FOUND, which reloads it).
 */
const TARGET_CACHE_MS = 2_000;

/**
 * Holds which model versions the tiers should serve (rows) and makes every tier match: on deploy
 * and undeploy, on first use, and whenever a tier comes (back) up.
 *
 * One version of a model is served at a time (Triton's default version policy, "latest 1"):
 * deploying another version swaps it in without downtime. The replaced deployment is UNLOADING
 * until the new version is READY, and READY again if the new one fails to load (the tier keeps
 * serving it).
 */
export class DeploymentsService {
  private readonly syncing = new Map<string, Promise<void>>();
  private readonly targets = new Map<
    string,
    { target: ServingTarget; model: { ownerId: string; isPublic: boolean }; expires: number }
  >();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: FileBackedBlobStore,
    private readonly tier: TierClient,
    private readonly logger: Logger,
    private readonly deadlineMs: number,
  ) {
    tier.onTierUp((address) => void this.reloadTier(address));
  }

  async deploy(
    viewer: Viewer | null,
    versionId: string,
    input?: DeploymentConfigInput | null,
  ): Promise<Deployment> {
    const user = requireViewer(viewer);
    let version = await this.visibleVersion(user, versionId);
    const alias = input?.alias ? validAlias(input.alias) : null;
    if (alias) {
      const target = await this.prisma.modelAlias.findUnique({
        where: { modelId_alias: { modelId: version.modelId, alias } },
      });
      if (!target) throw notFound(`Alias "${alias}" of model "${version.model.slug}"`);
      version = await this.visibleVersion(user, target.versionId);
    }
    assertDeployable(version);
    const config = resolveDeploymentConfig(input, {
      modelType: version.model.modelType,
      inputs: version.inputs as TensorSpec[] | null,
    });
    const row = await this.replaceDeployment(version.modelId, version.id, {
      config: config as object,
      alias,
      createdById: user.id,
    });
    await this.syncModel(version.modelId);
    return toDeployment(await this.row(row.id));
  }

  /** The new deployment is LOADING; the model's other deployments step aside until it is READY. */
  private async replaceDeployment(
    modelId: string,
    versionId: string,
    fields: { config: object; alias: string | null; createdById: string },
  ) {
    const [, row] = await this.prisma.$transaction([
      this.prisma.deployment.updateMany({
        where: { modelVersion: { modelId }, modelVersionId: { not: versionId } },
        data: { state: "UNLOADING" },
      }),
      this.prisma.deployment.upsert({
        where: { modelVersionId: versionId },
        create: { modelVersionId: versionId, ...fields, state: "LOADING" },
        update: { ...fields, state: "LOADING", reason: null },
      }),
    ]);
    return row;
  }

  async undeploy(viewer: Viewer | null, versionId: string): Promise<boolean> {
    const user = requireViewer(viewer);
    const deployment = isUuid(versionId)
      ? await this.prisma.deployment.findUnique({
          where: { modelVersionId: versionId },
          include: deploymentInclude,
        })
      : null;
    if (!deployment) throw notFound(`Deployment of model version ${versionId}`);
    if (deployment.createdById !== user.id)
      assertCanChange(user, deployment.modelVersion.model, `Model version ${versionId}`);
    await this.prisma.deployment.update({ where: { id: deployment.id }, data: { state: "UNLOADING" } });
    await this.syncModel(deployment.modelVersion.modelId);
    await this.prisma.deployment.deleteMany({ where: { id: deployment.id, state: "UNLOADING" } });
    return true;
  }

  async list(viewer: Viewer | null): Promise<Deployment[]> {
    const rows = await this.prisma.deployment.findMany({
      include: deploymentInclude,
      orderBy: { createdAt: "desc" },
    });
    return rows.filter((r) => canSee(viewer, r.modelVersion.model)).map(toDeployment);
  }

  /** The deployment a request should run on; a version not deployed yet is deployed with defaults. */
  async servingTarget(
    viewer: Viewer | null,
    versionId: string,
    signal?: AbortSignal,
  ): Promise<ServingTarget> {
    const user = requireViewer(viewer);
    const cached = this.targets.get(versionId);
    if (cached && cached.expires > Date.now() && canSee(user, cached.model)) return cached.target;
    const version = await this.visibleVersion(user, versionId);
    let row = version.deployment ? await this.row(version.deployment.id) : null;
    if (!row || row.state === "UNLOADING") {
      const sibling = await this.prisma.deployment.findFirst({
        where: { modelVersion: { modelId: version.modelId }, state: { not: "UNLOADING" } },
        include: { modelVersion: true },
      });
      if (sibling) {
        throw conflict(
          `Model "${version.model.slug}" is serving ${sibling.modelVersion.version}; one version of a model is served at a time, so deploy ${version.version} explicitly to switch`,
        );
      }
      row = await this.row((await this.deploy(user, versionId)).id);
    }
    const deadline = Date.now() + this.deadlineMs;
    while (row.state === "LOADING" && Date.now() < deadline && !signal?.aborted) {
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
      row = await this.row(row.id);
    }
    if (row.state === "FAILED") {
      throw badInput(
        `Model version ${row.modelVersion.version} could not be loaded by the inference tier: ${row.reason}`,
      );
    }
    if (row.state !== "READY")
      throw serviceUnavailable(
        `Model version ${row.modelVersion.version} is still ${row.state.toLowerCase()}; try again shortly`,
      );
    const deployment = toDeployment(row);
    const target = {
      deploymentId: row.id,
      tierModelName: deployment.tierModelName,
      tierModelVersion: deployment.tierModelVersion,
      config: deployment.config,
      labels: row.modelVersion.labels,
    };
    this.targets.set(versionId, { target, model: version.model, expires: Date.now() + TARGET_CACHE_MS });
    return target;
  }

  /** An alias moved: the deployment that follows it now serves the alias's new version. */
  async followAlias(modelId: string, alias: string, versionId: string): Promise<void> {
    const following = await this.prisma.deployment.findFirst({ where: { alias, modelVersion: { modelId } } });
    if (!following || following.modelVersionId === versionId) return;
    await this.replaceDeployment(modelId, versionId, {
      config: following.config as object,
      alias,
      createdById: following.createdById,
    });
    await this.syncModel(modelId);
  }

  /** Versions (or the whole model) were deleted: their deployment rows went with them. */
  async versionsDeleted(model: { id: string; ownerId: string; slug: string }): Promise<void> {
    this.targets.clear();
    const remaining = await this.prisma.deployment.count({ where: { modelVersion: { modelId: model.id } } });
    if (remaining > 0) return this.syncModel(model.id);
    const owner = await this.prisma.user.findUniqueOrThrow({ where: { id: model.ownerId } });
    const name = tierModelName(owner.handle, model.slug);
    await Promise.all(this.tier.addresses().map((tier) => this.unload(name, tier)));
  }

  /** A tier that answered NOT_FOUND for a model we deploy has lost it (restarted): load it again. */
  async reloadTier(address: string): Promise<void> {
    const models = await this.prisma.deployment.findMany({
      where: { state: { in: ["READY", "LOADING"] } },
      select: { modelVersion: { select: { modelId: true } } },
      distinct: ["modelVersionId"],
    });
    for (const modelId of new Set(models.map((m) => m.modelVersion.modelId))) {
      await this.syncModel(modelId, address).catch((error) =>
        this.logger.error({ err: error, tier: address, modelId }, "could not reload a deployment on a tier"),
      );
    }
  }

  /** Serialised per model: the last state written wins, never an interleaving of two. */
  private syncModel(modelId: string, onlyTier?: string): Promise<void> {
    const key = `${modelId}@${onlyTier ?? "*"}`;
    const previous = this.syncing.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.pushToTiers(modelId, onlyTier));
    this.syncing.set(
      key,
      next.catch(() => {}),
    );
    return next;
  }

  private async pushToTiers(modelId: string, onlyTier?: string): Promise<void> {
    this.targets.clear();
    const rows = await this.prisma.deployment.findMany({
      where: { modelVersion: { modelId }, state: { notIn: ["UNLOADING", "FAILED"] } },
      include: deploymentInclude,
      orderBy: { updatedAt: "asc" },
    });
    const model = await this.prisma.model.findUniqueOrThrow({
      where: { id: modelId },
      include: { owner: true },
    });
    const name = tierModelName(model.owner.handle, model.slug);
    const tiers = onlyTier ? [onlyTier] : this.tier.addresses();
    if (rows.length === 0) {
      await Promise.all(tiers.map((tier) => this.unload(name, tier)));
      return;
    }
    const request = await this.loadRequest(name, rows);
    const results = await Promise.allSettled(
      tiers.map((tier) =>
        this.tier.kserve("RepositoryModelLoad", request, { tier, deadlineMs: this.deadlineMs }),
      ),
    );
    const failure = results.find(
      (r): r is PromiseRejectedResult => r.status === "rejected" && !isUnavailable(r.reason),
    );
    const loadedSomewhere = results.some((r) => r.status === "fulfilled");
    const loading = rows.filter((r) => r.state === "LOADING").map((r) => r.id);
    const replaced = { modelVersion: { modelId }, state: "UNLOADING" as const };
    if (failure) {
      const reason = failure.reason instanceof Error ? failure.reason.message : String(failure.reason);
      await this.prisma.$transaction([
        this.prisma.deployment.updateMany({
          where: { id: { in: loading } },
          data: { state: "FAILED", reason },
        }),
        // A failed load leaves the tier serving what it served before.
        this.prisma.deployment.updateMany({ where: replaced, data: { state: "READY" } }),
      ]);
      this.logger.warn({ model: name, reason }, "a deployment failed to load");
    } else if (loadedSomewhere) {
      await this.prisma.$transaction([
        this.prisma.deployment.updateMany({
          where: { id: { in: loading } },
          data: { state: "READY", reason: null },
        }),
        this.prisma.deployment.deleteMany({ where: replaced }),
      ]);
    } else if (!onlyTier) {
      const reason = "no inference tier is reachable; it loads when one comes up";
      await this.prisma.deployment.updateMany({ where: { id: { in: loading } }, data: { reason } });
    }
  }

  private async loadRequest(name: string, rows: DeploymentRow[]) {
    const latest = rows.at(-1)!;
    const versions = rows.map((r) => r.modelVersion.ordinal).sort((a, b) => a - b);
    const config = tritonModelConfig(
      name,
      versions,
      latest.config as unknown as DeploymentConfig,
      latest.modelVersion.labels,
    );
    const parameters: Record<string, { string_param?: string; bytes_param?: Buffer }> = {
      config: { string_param: JSON.stringify(config) },
    };
    for (const row of rows) {
      const primary = row.modelVersion.files.find((f) => f.isPrimary)!;
      parameters[`file:${row.modelVersion.ordinal}/model.onnx`] = {
        bytes_param: await readFile(this.store.pathOf(primary.sha256)),
      };
    }
    return { model_name: name, parameters };
  }

  private async unload(name: string, tier: string) {
    await this.tier.kserve("RepositoryModelUnload", { model_name: name }, { tier }).catch((error) => {
      if (!(error instanceof AppError && error.code === ErrorCode.NOT_FOUND) && !isUnavailable(error))
        throw error;
    });
  }

  private row(id: string) {
    return this.prisma.deployment.findUniqueOrThrow({ where: { id }, include: deploymentInclude });
  }

  private async visibleVersion(viewer: Viewer, versionId: string) {
    const version = isUuid(versionId)
      ? await this.prisma.modelVersion.findUnique({
          where: { id: versionId },
          include: { model: { include: { owner: true } }, files: true, deployment: true },
        })
      : null;
    if (!version || !canSee(viewer, version.model)) throw notFound(`Model version ${versionId}`);
    return version;
  }
}

function isUnavailable(error: unknown): boolean {
  return error instanceof AppError && error.code === ErrorCode.SERVICE_UNAVAILABLE;
}

function assertDeployable(version: {
  version: string;
  validation: string;
  invalidReason: string | null;
  files: Array<{ path: string; isPrimary: boolean }>;
}) {
  const primary = version.files.find((f) => f.isPrimary);
  if (!primary?.path.toLowerCase().endsWith(".onnx")) {
    throw badInput(
      `Version ${version.version} has no ONNX primary file (${primary?.path ?? "none"}); only ONNX models can be deployed`,
    );
  }
  if (version.validation === "INVALID") {
    throw badInput(`Version ${version.version} cannot be deployed: ${version.invalidReason}`);
  }
}

function toDeployment(row: DeploymentRow): Deployment {
  return {
    id: row.id,
    modelVersionId: row.modelVersionId,
    state: row.state as Deployment["state"],
    reason: row.reason,
    config: row.config as unknown as DeploymentConfig,
    alias: row.alias,
    tierModelName: tierModelName(row.modelVersion.model.owner.handle, row.modelVersion.model.slug),
    tierModelVersion: String(row.modelVersion.ordinal),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
