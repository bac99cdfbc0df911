import { readFile } from "node:fs/promises";
import type { DeploymentLimits } from "../config";
import type { PrismaClient, Prisma } from "../generated/prisma/client";
import { AppError, badInput, conflict, ErrorCode, notFound, serviceUnavailable } from "../errors";
import type { Logger } from "../logger";
import type { FileBackedBlobStore } from "../storage/file-backed";
import type { TierClient, UnaryMethod } from "../tier/tier-client";
import { placeDeployment, type Placement } from "../tier/placement";
import { assertCanChange, assertCanSee, canSee, requireViewer, type Viewer } from "../users/access";
import { isUuid } from "../graphql/ids";
import type { TensorSpec } from "../models/models.types";
import { resolveDeploymentConfig, tritonModelConfig } from "./deployment-config";
import {
  HostedOn,
  InferenceTask,
  type Deployment,
  type DeploymentConfig,
  type DeploymentConfigInput,
} from "./deployments.types";
import { validAlias } from "../models/model-validation";
import { SingleFlight } from "../single-flight";
import {
  ServingTargets,
  servingKindOf,
  TARGET_CACHE_MS,
  type ServingTarget,
  type VisibleTarget,
} from "./serving-targets";

const deploymentInclude = {
  modelVersion: { include: { model: { include: { owner: true } }, files: true } },
} satisfies Prisma.DeploymentInclude;
type DeploymentRow = Prisma.DeploymentGetPayload<{ include: typeof deploymentInclude }>;
const versionInclude = {
  model: { include: { owner: true } },
  files: true,
  deployment: true,
} satisfies Prisma.ModelVersionInclude;
type VersionRow = Prisma.ModelVersionGetPayload<{ include: typeof versionInclude }>;

interface ReadyTargetRow {
  deploymentId: string;
  framework: string;
  modelId: string;
  config: DeploymentConfig;
  ordinal: number;
  labels: string[];
  ownerId: string;
  isPublic: boolean;
  slug: string;
  handle: string;
}

/** The name a KServe client uses: unique because handles cannot contain dots. */
export const tierModelName = (ownerHandle: string, slug: string) => `${ownerHandle}.${slug}`;

const READY_POLL_MS = 100;

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
  private readonly targets: ServingTargets;
  /** First deploys on use, one per version at a time, however many requests ask together. */
  private readonly firstDeploys = new SingleFlight<string>();
  private readonly servingChangedListeners: Array<(modelId: string) => void> = [];
  /** Deployments moving off a tier that just went down (set at once, before the first query). */
  private moving: Promise<void> | null = null;
  /** How many moves have started: a call that failed while one ran may succeed after it. */
  private moves = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: FileBackedBlobStore,
    private readonly tier: TierClient,
    private readonly logger: Logger,
    private readonly deadlineMs: number,
    private readonly deploymentLimits: DeploymentLimits,
  ) {
    this.targets = new ServingTargets((versionId) => this.readyTarget(versionId), TARGET_CACHE_MS, logger);
    // Also while the gateway stops: a tier stopping with it must not leave a rejection behind.
    const failed = (error: unknown) =>
      this.logger.error({ err: error }, "could not move deployments after a tier changed");
    tier.onTierUp(
      (address) =>
        void this.reloadTier(address)
          .then(() => this.rebalance())
          .catch(failed),
    );
    tier.onTierDown(() => {
      this.moves += 1;
      const moving = this.rebalance().catch(failed);
      this.moving = moving;
      void moving.finally(() => {
        if (this.moving === moving) this.moving = null;
      });
    });
  }

  /**
   * The tiers a deployment of the model named `tierModel` is on. The key is the model, not the
   * version: a new version swaps in on the tiers that serve the old one, without downtime.
   */
  placement(tierModel: string, replicas: number | null | undefined): Placement {
    return placeDeployment(
      tierModel,
      this.tier.addresses(),
      (address) => this.tier.isUp(address),
      replicas ?? null,
    );
  }

  /**
   * A tier went down or came back: deployments on a number of tiers move to where placement now
   * puts them (loaded where missing, unloaded where no longer placed). Every gateway replica
   * computes the same placement, so their syncs agree.
   */
  private async rebalance(): Promise<void> {
    const rows = await this.prisma.deployment.findMany({
      where: { state: { in: ["READY", "LOADING"] } },
      select: { config: true, modelVersion: { select: { modelId: true } } },
    });
    const placed = rows.filter((row) => replicasOf(row.config) !== null);
    for (const modelId of new Set(placed.map((row) => row.modelVersion.modelId))) {
      await this.syncModel(modelId, undefined, { skipHolding: true }).catch((error) =>
        this.logger.error({ err: error, modelId }, "could not move a deployment to its tiers"),
      );
    }
  }

  /**
   * Deploys a version, or redeploys it with another config: this changes what the model serves to
   * everyone, so only the model's owner or an admin may (FORBIDDEN for other viewers of a public one).
   */
  async deploy(
    viewer: Viewer | null,
    versionId: string,
    input?: DeploymentConfigInput | null,
  ): Promise<Deployment> {
    const user = requireViewer(viewer);
    let version = await this.changeableVersion(user, versionId);
    const alias = input?.alias ? validAlias(input.alias) : null;
    if (alias) {
      const target = await this.prisma.modelAlias.findUnique({
        where: { modelId_alias: { modelId: version.modelId, alias } },
      });
      if (!target) throw notFound(`Alias "${alias}" of model "${version.model.slug}"`);
      // A version of the same model: the same owner.
      version = await this.visibleVersion(user, target.versionId);
    }
    return this.deployVersion(version, input, alias, user.id);
  }

  private async deployVersion(
    version: VersionRow,
    input: DeploymentConfigInput | null | undefined,
    alias: string | null,
    createdById: string,
  ): Promise<Deployment> {
    const gatewayRun = servingKindOf(version.model.framework) !== "TIER";
    if (!gatewayRun) assertDeployable(version);
    const config = gatewayRun
      ? gatewayDeploymentConfig(input)
      : resolveDeploymentConfig(
          input,
          { modelType: version.model.modelType, inputs: version.inputs as TensorSpec[] | null },
          this.deploymentLimits,
        );
    const row = await this.replaceDeployment(version.modelId, version.id, {
      config: config as object,
      alias,
      createdById,
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
    this.invalidateServingTargets(modelId);
    return row;
  }

  /**
   * Only the model's owner or an admin: who created the deployment does not matter (a member's
   * first use of a public version creates one, and must not make it theirs to take down).
   */
  async undeploy(viewer: Viewer | null, versionId: string): Promise<boolean> {
    const version = await this.changeableVersion(requireViewer(viewer), versionId);
    const deployment = version.deployment;
    if (!deployment) throw notFound(`Deployment of model version ${versionId}`);
    await this.prisma.deployment.update({ where: { id: deployment.id }, data: { state: "UNLOADING" } });
    this.invalidateServingTargets(version.modelId);
    await this.syncModel(version.modelId);
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
    const ready = isUuid(versionId) ? await this.targets.get(versionId) : null;
    if (!ready) return this.targetOnFirstUse(user, versionId, signal);
    // The entry is shared by every viewer of the version: each one is checked.
    assertCanSee(user, ready.model, `Model version ${versionId}`);
    return ready.target;
  }

  /**
   * Anyone who can see a version may have it served on first use, but only with the default
   * config (choosing one is `deploy`, for the owner), and never in place of the version its model
   * already serves.
   */
  private async targetOnFirstUse(user: Viewer, versionId: string, signal?: AbortSignal) {
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
      row = await this.row(await this.deployOnce(version, user.id));
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
    return {
      kind: servingKindOf(row.modelVersion.model.framework),
      modelId: row.modelVersion.modelId,
      deploymentId: row.id,
      tierModelName: deployment.tierModelName,
      tierModelVersion: deployment.tierModelVersion,
      config: deployment.config,
      labels: row.modelVersion.labels,
    };
  }

  /** The id of the version's deployment, made with defaults by the first of the requests that ask. */
  private deployOnce(version: VersionRow, createdById: string): Promise<string> {
    return this.firstDeploys.run(version.id, async () => {
      const deployment = await this.deployVersion(version, null, null, createdById);
      return deployment.id;
    });
  }

  /**
   * The version's READY deployment with its model's owner and visibility, in one statement: under
   * load this is what every expiry costs, on a database that may run one statement at a time.
   */
  private async readyTarget(versionId: string): Promise<VisibleTarget | null> {
    const [row] = await this.prisma.$queryRaw<ReadyTargetRow[]>`
      SELECT d.id::text AS "deploymentId", d.config, v.ordinal, v.labels, m.id::text AS "modelId",
             m.framework::text AS framework,
             m."ownerId"::text AS "ownerId", m."isPublic", m.slug, u.handle
      FROM "Deployment" d
      JOIN "ModelVersion" v ON v.id = d."modelVersionId"
      JOIN "Model" m ON m.id = v."modelId"
      JOIN "User" u ON u.id = m."ownerId"
      WHERE d."modelVersionId" = ${versionId}::uuid AND d.state = 'READY'`;
    if (!row) return null;
    return {
      model: { id: row.modelId, ownerId: row.ownerId, isPublic: row.isPublic },
      target: {
        kind: servingKindOf(row.framework),
        modelId: row.modelId,
        deploymentId: row.deploymentId,
        tierModelName: tierModelName(row.handle, row.slug),
        tierModelVersion: String(row.ordinal),
        config: row.config,
        labels: row.labels,
      },
    };
  }

  /**
   * A task call for a served version. A tier that answers NOT_FOUND lost the model (it restarted):
   * the tiers load their deployments again and the call is retried once. A call that found no tier
   * ready while the model is moving (its tier just went down, placement loads it on the next one)
   * waits for the move and is retried once.
   */
  async callTier<Request, Response>(
    viewer: Viewer | null,
    versionId: string,
    signal: AbortSignal | undefined,
    method: UnaryMethod<Request, Response>,
    request: Request,
    onAnswered?: (tier: string) => void,
  ): Promise<Response> {
    const movesBefore = this.moves;
    try {
      return await this.tier.unary(method, request, { signal, onAnswered });
    } catch (error) {
      if (isUnavailable(error) && (this.moving || this.moves !== movesBefore)) {
        await this.moving;
        return this.tier.unary(method, request, { signal, onAnswered });
      }
      if (!(error instanceof AppError && error.code === ErrorCode.NOT_FOUND)) throw error;
      await Promise.all(this.tier.addresses().map((address) => this.reloadTier(address)));
      await this.servingTarget(viewer, versionId, signal);
      return this.tier.unary(method, request, { signal, onAnswered });
    }
  }

  /**
   * What a model serves, or who may see it, changed: requests stop using what they kept in memory
   * for its versions. Every such change on this gateway comes through here, and so does news of
   * one on another replica (cluster/cluster-relays.ts, over NOTIFY).
   */
  invalidateServingTargets(modelId: string): void {
    this.targets.invalidate(modelId);
    for (const listener of this.servingChangedListeners) listener(modelId);
  }

  /** Told every `invalidateServingTargets` (the prediction cache drops the model's answers). */
  onServingChanged(listener: (modelId: string) => void): void {
    this.servingChangedListeners.push(listener);
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
    this.invalidateServingTargets(model.id);
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
  private syncModel(
    modelId: string,
    onlyTier?: string,
    options: { skipHolding?: boolean } = {},
  ): Promise<void> {
    const key = `${modelId}@${onlyTier ?? "*"}`;
    const previous = this.syncing.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.pushToTiers(modelId, onlyTier, options.skipHolding ?? false));
    this.syncing.set(
      key,
      next.catch(() => {}),
    );
    return next;
  }

  /**
   * Loads the model's deployments on the tiers placement puts them on (all of them, or `onlyTier`
   * when it is one), then unloads it from the others that are up once every placed tier serves it;
   * `skipHolding` leaves out tiers whose last report shows the version already serving.
   */
  private async pushToTiers(
    modelId: string,
    onlyTier: string | undefined,
    skipHolding: boolean,
  ): Promise<void> {
    const rows = await this.prisma.deployment.findMany({
      where: { modelVersion: { modelId }, state: { notIn: ["UNLOADING", "FAILED"] } },
      include: deploymentInclude,
      orderBy: { updatedAt: "asc" },
    });
    const model = await this.prisma.model.findUniqueOrThrow({
      where: { id: modelId },
      include: { owner: true },
    });
    if (servingKindOf(model.framework) !== "TIER") return this.readyOnGateway(modelId);
    const name = tierModelName(model.owner.handle, model.slug);
    const considered = onlyTier ? [onlyTier] : this.tier.addresses();
    if (rows.length === 0) {
      await Promise.all(considered.map((tier) => this.unload(name, tier)));
      return;
    }
    const latest = rows.at(-1)!;
    const placed = this.placement(name, replicasOf(latest.config)).tiers;
    const version = String(latest.modelVersion.ordinal);
    const tiers = considered.filter(
      (tier) => placed.includes(tier) && !(skipHolding && this.tier.holds(tier, name, version)),
    );
    const loaded = tiers.length > 0 ? await this.loadOnTiers(modelId, name, rows, tiers, onlyTier) : [];
    // Load before unload, and never unload a copy because its tier is down (a tier one probe
    // thought down may be serving it to every other replica): a stand-in goes only once every
    // tier placement ranks above it is up and holds the version again.
    const whole = placed.every((tier) => loaded.includes(tier) || this.tier.holds(tier, name, version));
    if (!whole) return;
    const spare = considered.filter((tier) => !placed.includes(tier) && this.tier.isUp(tier));
    await Promise.all(spare.map((tier) => this.unload(name, tier)));
  }

  /**
   * Loads the deployments `rows` on `tiers` and records the outcome on the rows; resolves the
   * tiers that loaded them.
   */
  private async loadOnTiers(
    modelId: string,
    name: string,
    rows: DeploymentRow[],
    tiers: string[],
    onlyTier: string | undefined,
  ): Promise<string[]> {
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
      this.invalidateServingTargets(modelId);
      this.logger.warn({ model: name, reason }, "a deployment failed to load");
    } else if (loadedSomewhere) {
      await this.prisma.$transaction([
        this.prisma.deployment.updateMany({
          where: { id: { in: loading } },
          data: { state: "READY", reason: null },
        }),
        this.prisma.deployment.deleteMany({ where: replaced }),
      ]);
      this.invalidateServingTargets(modelId);
    } else if (!onlyTier) {
      const reason = "no inference tier is reachable; it loads when one comes up";
      await this.prisma.deployment.updateMany({ where: { id: { in: loading } }, data: { reason } });
    }
    return tiers.filter((_tier, index) => results[index]!.status === "fulfilled");
  }

  /**
   * ENSEMBLE and REMOTE versions are run by the gateway: nothing is loaded on a tier, so a new
   * deployment is READY at once and replaces the one it swapped out (its members and endpoint are
   * checked when a request reaches them, and a failing one answers as such).
   */
  private async readyOnGateway(modelId: string): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.deployment.updateMany({
        where: { modelVersion: { modelId }, state: "LOADING" },
        data: { state: "READY", reason: null },
      }),
      this.prisma.deployment.deleteMany({ where: { modelVersion: { modelId }, state: "UNLOADING" } }),
    ]);
    this.invalidateServingTargets(modelId);
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
        bytes_param: await this.store.withLocalFile(primary.sha256, (file) => readFile(file)),
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

  private async visibleVersion(viewer: Viewer, versionId: string): Promise<VersionRow> {
    const version = await this.findVersion(versionId);
    return assertCanSee(viewer, version, `Model version ${versionId}`, (v) => v.model);
  }

  /** NOT_FOUND when the viewer cannot see the version, FORBIDDEN when they see it but do not own it. */
  private async changeableVersion(viewer: Viewer, versionId: string): Promise<VersionRow> {
    const version = await this.findVersion(versionId);
    assertCanChange(viewer, version?.model ?? null, `Model version ${versionId}`);
    return version!;
  }

  private findVersion(versionId: string): Promise<VersionRow | null> {
    if (!isUuid(versionId)) return Promise.resolve(null);
    return this.prisma.modelVersion.findUnique({ where: { id: versionId }, include: versionInclude });
  }
}

/**
 * The config of a version the gateway runs: it classifies, and keeps what the user chose of the
 * prediction log; the tier's settings (batching, preprocessing, providers) do not apply to it.
 */
function gatewayDeploymentConfig(input: DeploymentConfigInput | null | undefined): DeploymentConfig {
  if (input?.task && input.task !== InferenceTask.CLASSIFICATION) {
    throw badInput(`Ensembles and remote models classify; task ${input.task} does not apply to them`, {
      field: "task",
    });
  }
  return {
    ...resolveDeploymentConfig(
      { predictionLog: input?.predictionLog },
      { modelType: "CLASSIFICATION", inputs: null },
      { maxPreprocessingSize: Number.MAX_SAFE_INTEGER },
    ),
    task: InferenceTask.CLASSIFICATION,
    maxBatchSize: 0,
    hostedOn: HostedOn.GATEWAY,
  };
}

/** A stored config's `replicas`: configs stored before placement existed have none (every tier). */
function replicasOf(config: unknown): number | null {
  const replicas = (config as { replicas?: unknown } | null)?.replicas;
  return typeof replicas === "number" ? replicas : null;
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
