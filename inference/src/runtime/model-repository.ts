import type { TierLogger } from "../logger";
import { invalidArgument, notFound, unavailable } from "./errors";
import { LocalModel } from "./local-model";
import type { ModelCache, VersionFiles } from "./model-cache";
import { readModelConfig, type ModelSettings } from "./model-config";
import { ModelLoadError } from "./model-signature";
import { VersionStatistics } from "./model-statistics";
import type { ServingModel } from "./serving-model";
import type { ExecutionProvider } from "./tessera-parameters";

/** A RepositoryModelLoad as the repository reads it: the configuration JSON and files by version. */
export interface LoadRequest {
  config: string | null;
  files: VersionFiles;
}

/** Where a model version is in its life in the tier. */
export type ModelState =
  { phase: "loading" } | { phase: "ready" } | { phase: "failed"; reason: string } | { phase: "unloading" };

export interface ServedModel {
  name: string;
  /** Numeric string, as on the wire ("3" for registry version v3). */
  version: string;
  state: ModelState;
}

/**
 * Another server that models marked `"tessera.hosted_on": "triton"` live on (a Triton, through
 * kserve/triton-forwarding.ts): it loads them and its ServingModels answer their inference.
 */
export interface ModelForwarding {
  /** Loads with the same configuration and files, and answers the version that serves. */
  load(name: string, request: LoadRequest, configJson: string | null): Promise<string>;
  open(settings: ModelSettings, version: string, statistics: VersionStatistics): Promise<ServingModel>;
  unload(name: string): Promise<void>;
  close(): void;
}

export interface ModelRepositoryOptions {
  cache: ModelCache;
  logger: TierLogger;
  /** Requests waiting per version when the configuration sets no max_queue_size. */
  defaultMaxQueueSize: number;
  /** max_batch_size for models that batch when the configuration leaves it out. */
  defaultMaxBatchSize: number;
  /** Largest preprocessing width or height a configuration may ask for. */
  maxPreprocessingSize: number;
  triton: ModelForwarding | null;
  /** The providers the tier was started with, after its check; default ["cpu"]. */
  executionProviders?: readonly ExecutionProvider[];
}

interface VersionSlot {
  version: string;
  state: ModelState;
  /** What answers for this version; during a reload the previous load keeps answering here. */
  serving: ServingModel | null;
  /** Kept across reloads of the version, as Triton's are. */
  statistics: VersionStatistics;
}

const namePattern = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * The models the tier holds, by name and version, each with an explicit state. Loads and unloads
 * of one name run one at a time; inference never waits for them. Versions follow Triton's default
 * policy, "latest 1": once the newest version is READY the others are drained and unloaded, and a
 * load that fails leaves whatever already serves untouched.
 */
export class ModelRepository {
  private readonly models = new Map<string, Map<string, VersionSlot>>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly options: ModelRepositoryOptions) {}

  load(name: string, request: LoadRequest): Promise<void> {
    checkName(name);
    return this.exclusively(name, () => this.loadNow(name, request));
  }

  /** Drains and unloads every version of the model; NOT_FOUND when none is held. */
  unload(name: string): Promise<void> {
    checkName(name);
    return this.exclusively(name, async () => {
      const versions = this.models.get(name);
      if (!versions) throw notFound(`model "${name}" is not loaded`);
      const forwarded = [...versions.values()].some(
        (slot) => slot.serving?.settings.tessera.hostedOn === "triton",
      );
      await Promise.all([...versions.values()].map((slot) => this.retire(name, slot)));
      this.models.delete(name);
      if (forwarded) await this.options.triton?.unload(name);
      this.options.logger.info({ model: name }, "model unloaded");
    });
  }

  /** Every version held, in name then version order. */
  index(): ServedModel[] {
    return [...this.models]
      .flatMap(([name, versions]) =>
        [...versions.values()].map(({ version, state }) => ({ name, version, state })),
      )
      .sort((a, b) => a.name.localeCompare(b.name) || Number(a.version) - Number(b.version));
  }

  /** The version that answers `version` ("" or undefined: the newest READY one). */
  resolve(name: string, version?: string): ServingModel {
    const versions = this.models.get(name);
    if (!versions) throw notFound(`model "${name}" is not loaded in this tier`);
    if (version) {
      const slot = versions.get(version);
      if (!slot) {
        const held = [...versions.keys()].join(", ");
        throw notFound(`model "${name}" has no version "${version}"; versions held: ${held}`);
      }
      if (slot.state.phase !== "ready" || !slot.serving) throw unavailable(notReady(name, slot));
      return slot.serving;
    }
    const ready = this.readySlots(name);
    if (ready.length === 0) {
      const states = [...versions.values()].map((slot) => notReady(name, slot)).join("; ");
      throw unavailable(`model "${name}" has no ready version: ${states}`);
    }
    return ready[ready.length - 1]!.serving!;
  }

  /** Requests waiting for an instance of a version (0 for one that does not answer). */
  queued(name: string, version: string): number {
    return this.models.get(name)?.get(version)?.serving?.queueLength() ?? 0;
  }

  /** READY versions of a model, lowest first. */
  readyVersions(name: string): string[] {
    return this.readySlots(name).map((slot) => slot.version);
  }

  /** Statistics of the READY versions matching; NOT_FOUND when a name or version is asked for and absent. */
  statistics(
    name: string,
    version: string,
  ): Array<{ name: string; version: string; statistics: VersionStatistics }> {
    if (name) this.resolve(name, version);
    const names = name ? [name] : [...this.models.keys()].sort();
    return names.flatMap((model) =>
      this.readySlots(model)
        .filter((slot) => !version || slot.version === version)
        .map((slot) => ({ name: model, version: slot.version, statistics: slot.statistics })),
    );
  }

  /** Unloads everything (shutdown), after the calls in flight were drained by the server. */
  async close(): Promise<void> {
    const slots = [...this.models.values()].flatMap((versions) => [...versions.values()]);
    await Promise.all(slots.map((slot) => slot.serving?.close()));
    this.models.clear();
    this.options.triton?.close();
  }

  private async loadNow(name: string, request: LoadRequest): Promise<void> {
    const { cache, logger } = this.options;
    const configJson = request.config ?? (await cache.readConfig(name));
    const settings = readModelConfig(name, configJson ?? "{}", {
      defaultMaxQueueSize: this.options.defaultMaxQueueSize,
      maxPreprocessingSize: this.options.maxPreprocessingSize,
    });
    const triton = settings.tessera.hostedOn === "triton" ? this.tritonFor(name) : null;
    if (!triton) await this.writeFiles(name, settings, request);

    const versions = this.models.get(name) ?? new Map<string, VersionSlot>();
    this.models.set(name, versions);
    let version: string | null = null;
    let slot: VersionSlot | null = null;
    let reloading = false;
    try {
      let serving: ServingModel;
      if (triton) {
        version = await triton.load(name, request, configJson);
        [slot, reloading] = this.loadingSlot(versions, version);
        serving = await triton.open(settings, version, slot.statistics);
      } else {
        version = await this.versionToLoad(name, request);
        [slot, reloading] = this.loadingSlot(versions, version);
        serving = await LocalModel.open({
          settings,
          version,
          modelPath: cache.modelPath(name, version, settings.defaultModelFilename),
          statistics: slot.statistics,
          defaultMaxBatchSize: this.options.defaultMaxBatchSize,
          tierProviders: this.options.executionProviders ?? ["cpu"],
          logger,
        });
      }
      const previous = slot.serving;
      slot.serving = serving;
      slot.state = { phase: "ready" };
      const others = [...versions.values()].filter((other) => other !== slot);
      await Promise.all([previous?.close(), ...others.map((other) => this.retire(name, other))]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn({ model: name, version, reason }, "model version failed to load");
      if (slot && !reloading) slot.state = { phase: "failed", reason };
      if (versions.size === 0) this.models.delete(name);
      if (error instanceof ModelLoadError) {
        throw invalidArgument(`model "${name}" version ${version} failed to load: ${reason}`);
      }
      throw error;
    }
    if (request.config !== null) await cache.writeConfig(name, request.config);
    if (request.files.size > 0) await cache.removeVersionsExcept(name, [...request.files.keys()]);
  }

  /** The slot a load fills, and whether it already serves (a reload keeps that answering meanwhile). */
  private loadingSlot(versions: Map<string, VersionSlot>, version: string): [VersionSlot, boolean] {
    const existing = versions.get(version);
    if (existing?.state.phase === "ready") return [existing, true];
    const slot: VersionSlot = {
      version,
      state: { phase: "loading" },
      serving: null,
      statistics: new VersionStatistics(),
    };
    versions.set(version, slot);
    return [slot, false];
  }

  /** Files go to the cache first: each session worker reads the model from there. */
  private async writeFiles(name: string, settings: ModelSettings, request: LoadRequest): Promise<void> {
    if (request.files.size === 0) return;
    const newest = String(Math.max(...[...request.files.keys()].map(Number)));
    if (!request.files.get(newest)!.has(settings.defaultModelFilename)) {
      throw invalidArgument(
        `the load has files for version ${newest} but no "file:${newest}/${settings.defaultModelFilename}"`,
      );
    }
    await this.options.cache.writeFiles(name, request.files);
  }

  /** The newest version among the files sent, else the newest already in the cache. */
  private async versionToLoad(name: string, request: LoadRequest): Promise<string> {
    const versions =
      request.files.size > 0 ? [...request.files.keys()] : await this.options.cache.versions(name);
    if (versions.length === 0) {
      throw invalidArgument(
        `model "${name}" has no files in the tier's repository; send them as "file:<version>/model.onnx" parameters`,
      );
    }
    return String(Math.max(...versions.map(Number)));
  }

  private tritonFor(name: string): ModelForwarding {
    if (this.options.triton) return this.options.triton;
    throw invalidArgument(
      `model "${name}" is marked "tessera.hosted_on": "triton" but the tier has no TRITON_URL`,
    );
  }

  /** Marks a version UNLOADING, lets what it accepted finish, and forgets it. */
  private async retire(name: string, slot: VersionSlot): Promise<void> {
    const serving = slot.serving;
    slot.state = { phase: "unloading" };
    await serving?.close();
    const versions = this.models.get(name);
    if (versions?.get(slot.version) === slot) versions.delete(slot.version);
  }

  private readySlots(name: string): VersionSlot[] {
    return [...(this.models.get(name)?.values() ?? [])]
      .filter((slot) => slot.state.phase === "ready" && slot.serving)
      .sort((a, b) => Number(a.version) - Number(b.version));
  }

  private exclusively<T>(name: string, task: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(name) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.catch(() => undefined);
    this.locks.set(name, settled);
    void settled.then(() => {
      if (this.locks.get(name) === settled) this.locks.delete(name);
    });
    return run;
  }
}

function checkName(name: string): void {
  if (!namePattern.test(name) || /^\.+$/.test(name)) {
    throw invalidArgument(
      `model name "${name}" is not valid; use 1 to 128 letters, digits, "_", "." or "-" (not only dots)`,
    );
  }
}

function notReady(name: string, slot: VersionSlot): string {
  const { state } = slot;
  const what = state.phase === "failed" ? `failed to load: ${state.reason}` : `is ${state.phase}`;
  return `model "${name}" version ${slot.version} ${what}`;
}
