import * as grpc from "@grpc/grpc-js";
import type { GRPCInferenceServiceDefinition } from "@tessera/proto/generated/inference/GRPCInferenceService";
import { parseGrpcAddress, type GrpcAddress } from "@tessera/proto/address";
import { loadKServe } from "@tessera/proto/kserve";
import { loadTier, tierErrorTrailer } from "@tessera/proto/tier";
import type { StatusResponse__Output } from "@tessera/proto/generated/tessera/tier/v1/StatusResponse";
import { serviceUnavailable } from "../errors";
import type { Logger } from "../logger";
import { rendezvousWeight } from "./placement";
import { isGrpcError, tierCallError } from "./tier-errors";
import { tierCallTracing } from "../tracing/tier-call-tracing";

/** A unary RPC as proto-loader describes it; every generated MethodDefinition fits. */
export interface UnaryMethod<Request, Response> {
  /** "/package.Service/Rpc" */
  path: string;
  requestSerialize: (value: Request) => Buffer;
  responseDeserialize: (bytes: Buffer) => Response;
}

type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

export type KServeRpc = KnownKeys<GRPCInferenceServiceDefinition>;
export type KServeRequest<R extends KServeRpc> =
  GRPCInferenceServiceDefinition[R] extends UnaryMethod<infer Request, infer _Response> ? Request : never;
export type KServeResponse<R extends KServeRpc> =
  GRPCInferenceServiceDefinition[R] extends UnaryMethod<infer _Request, infer Response> ? Response : never;

export interface TierClientOptions {
  /** Tier addresses as in INFERENCE_URL: `host:port`, optionally behind grpc:// or grpcs://. */
  urls: readonly string[];
  logger: Logger;
  /** Default time a call may take, failover included. */
  deadlineMs?: number;
  /**
   * How often every tier is asked its Status (load, models, readiness): a tier marked down is
   * probed as often, over a fresh channel. Default 1 s.
   */
  probeIntervalMs?: number;
  /** How long one Status probe may take. */
  probeTimeoutMs?: number;
  maxMessageBytes?: number;
}

export interface TierCallOptions {
  deadlineMs?: number;
  /**
   * The model the call needs, for routing to a tier that holds it; default: the request's
   * `model_name`, else its `backbone_model_name` (every task request names its model so).
   */
  model?: string;
  /** Calls exactly this tier (an address from `addresses()`), with no failover. */
  tier?: string;
  /** Cancels the call on the tier (a batched request leaves its batch). */
  signal?: AbortSignal;
  /** Told which tier answered (its address), for `servedBy` and per-tier figures. */
  onAnswered?: (tier: string) => void;
}

/** A streaming call stays on one tier: its messages depend on what that tier holds. */
export interface TierStreamOptions {
  /** An address from `pickTier()` or `addresses()`. */
  tier: string;
  /** Absent: no deadline (a training stream lasts as long as the training). */
  deadlineMs?: number;
  /** Cancels the call on the tier. */
  signal?: AbortSignal;
}

export interface TierReadiness {
  ready: boolean;
  reason?: string;
}

/** One model version a tier holds, as its last Status said. */
export interface TierModelLoad {
  name: string;
  version: string;
  /** "loading", "ready", "failed" or "unloading". */
  state: string;
  inFlight: number;
  queued: number;
}

/** A tier's last answer to Status. */
export interface TierReport {
  inFlight: number;
  queued: number;
  models: TierModelLoad[];
  device: string;
  executionProviders: string[];
  providerFallbacks: string[];
  serverVersion: string;
  receivedAt: Date;
}

export interface TierStatus {
  address: string;
  up: boolean;
  lastError: string | null;
  /** Calls this tier has answered, with a response or an error status of its own. */
  answered: number;
  /** Null until the tier answers Status (a tier without TierService never does: it is routed as if idle). */
  report: TierReport | null;
  /** Calls this gateway sent the tier after its last report that are still running. */
  sentSinceReport: number;
  /** What routing compares: the report's in-flight requests plus `sentSinceReport`. */
  load: number;
}

interface Tier {
  address: GrpcAddress;
  client: grpc.Client;
  up: boolean;
  lastError: string | null;
  answered: number;
  probing: Promise<void> | null;
  /** Whether it has ever answered a probe (the first answer counts as coming up). */
  seen: boolean;
  report: TierReport | null;
  /** Bumped by every report: a call started under an older one is counted in the newer report. */
  reportGeneration: number;
  sentSinceReport: number;
  /** False once the tier answers Status with UNIMPLEMENTED (an older tier): probed with ServerReady. */
  hasStatus: boolean;
  /** Models the tier answered for since its last report (a load the report did not show yet). */
  answeredFor: Set<string>;
}

/**
 * Calls one or more inference tiers. Every tier reports its load and models through Status, asked
 * every `probeIntervalMs`; a model call goes to the least-loaded tier that is up and holds the
 * model (load: the tier's last report plus what this gateway sent it since), ties broken by
 * rendezvous weight of the model and address so they are the same on every replica. A tier whose
 * connection fails (UNAVAILABLE), or that turns out not to hold the model (NOT_FOUND), passes the
 * call on to the next tier within the same deadline; a down tier is probed until it answers again.
 */
export class TierClient {
  private readonly tiers: Tier[];
  private readonly logger: Logger;
  private readonly deadlineMs: number;
  private readonly probeTimeoutMs: number;
  private readonly channelOptions: grpc.ChannelOptions;
  private readonly prober: NodeJS.Timeout;
  private closed = false;
  private readonly upListeners: Array<(address: string) => void> = [];
  private readonly downListeners: Array<(address: string) => void> = [];

  constructor(options: TierClientOptions) {
    if (options.urls.length === 0) throw new Error("TierClient needs at least one tier address");
    this.logger = options.logger.child({ component: "tier-client" });
    this.deadlineMs = options.deadlineMs ?? 30_000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 2_000;
    const maxMessageBytes = options.maxMessageBytes ?? 2 * 1024 ** 3 - 1;
    this.channelOptions = {
      "grpc.max_receive_message_length": maxMessageBytes,
      "grpc.max_send_message_length": maxMessageBytes,
    };
    this.tiers = options.urls.map((url) => {
      const address = parseGrpcAddress(url);
      return {
        address,
        client: this.connect(address),
        up: true,
        lastError: null,
        answered: 0,
        probing: null,
        seen: false,
        report: null,
        reportGeneration: 0,
        sentSinceReport: 0,
        hasStatus: true,
        answeredFor: new Set(),
      };
    });
    for (const tier of this.tiers) void this.probe(tier);
    this.prober = setInterval(() => this.probeAll(), options.probeIntervalMs ?? 1_000);
    this.prober.unref();
  }

  /** A GRPCInferenceService call by name, with the generated request and response types. */
  kserve<R extends KServeRpc>(
    rpc: R,
    request: KServeRequest<R>,
    options?: TierCallOptions,
  ): Promise<KServeResponse<R>> {
    const method = loadKServe().GRPCInferenceService.service[rpc] as unknown as UnaryMethod<
      KServeRequest<R>,
      KServeResponse<R>
    >;
    return this.unary(method, request, options);
  }

  /** Any unary RPC the tiers serve (other services of proto/ included). */
  async unary<Request, Response>(
    method: UnaryMethod<Request, Response>,
    request: Request,
    options: TierCallOptions = {},
  ): Promise<Response> {
    this.assertOpen();
    const deadlineMs = options.deadlineMs ?? this.deadlineMs;
    const deadline = Date.now() + deadlineMs;
    const rpc = method.path.slice(method.path.lastIndexOf("/") + 1);
    const model = options.model ?? modelNameOf(request);
    const tried: string[] = [];
    let failure: grpc.ServiceError | undefined;
    /** What tiers answered that passes the call on: a model loading there, a model not there. */
    let loading: grpc.ServiceError | undefined;
    let notFound: grpc.ServiceError | undefined;
    for (const tier of this.callOrder(options.tier, model)) {
      if (tried.length > 0 && Date.now() >= deadline) break;
      tried.push(tier.address.target);
      const done = this.track(tier);
      try {
        const response = await this.attempt(tier.client, method, request, deadline, options.signal);
        tier.answered += 1;
        if (model) tier.answeredFor.add(model);
        options.onAnswered?.(tier.address.target);
        return response;
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        if (!isGrpcError(error)) throw error;
        failure = error;
        if (error.code === grpc.status.UNAVAILABLE && fromTier(error)) loading = error;
        if (error.code === grpc.status.NOT_FOUND) notFound = error;
        if (this.noteFailure(tier, error)) {
          // Before the next tier: a tier this confirms down has its placed deployments moving.
          if (!fromTier(error)) await this.confirmDown(tier);
          continue;
        }
        // Another tier may hold the model this one lacks (placement, or a report not in yet).
        if (model && error.code === grpc.status.NOT_FOUND && !options.tier) {
          forgetModel(tier, model);
          continue;
        }
        break;
      } finally {
        done();
      }
    }
    // When every tier passed the call on, the most useful answer wins: a tier still loading the
    // model (try again shortly), then one lacking it (the caller can load it), then an unreachable
    // one. callOrder() is never empty and every attempt that does not return sets `failure`.
    const passedOn = failure?.code === grpc.status.UNAVAILABLE || failure?.code === grpc.status.NOT_FOUND;
    const reported = passedOn ? (loading ?? notFound ?? failure) : failure;
    throw tierCallError(reported as grpc.ServiceError, { rpc, deadlineMs, tiersTried: tried });
  }

  /**
   * The tier a series of calls should stay on: the least-loaded one that is up (and holds `model`,
   * when named), else a down one as a last chance.
   */
  pickTier(model?: string): string {
    this.assertOpen();
    return this.callOrder(undefined, model)[0]!.address.target;
  }

  /**
   * A server-streaming RPC on one tier, its messages as they arrive. Leaving the loop early
   * cancels the call on the tier. Failures are AppErrors as for `unary`; a connection that failed
   * has the tier probed (down if the probe fails too).
   */
  async *serverStream<Request, Response>(
    method: UnaryMethod<Request, Response>,
    request: Request,
    options: TierStreamOptions,
  ): AsyncGenerator<Response> {
    const tier = this.streamTier(options);
    const call = tier.client.makeServerStreamRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      new grpc.Metadata(),
      { deadline: streamDeadline(options) },
    );
    const cancel = () => call.cancel();
    options.signal?.addEventListener("abort", cancel, { once: true });
    const done = this.track(tier);
    try {
      for await (const message of call) yield message as Response;
      tier.answered += 1;
    } catch (error) {
      throw this.streamFailure(tier, method.path, error, options);
    } finally {
      done();
      options.signal?.removeEventListener("abort", cancel);
      call.cancel();
    }
  }

  /** A client-streaming RPC on one tier: writes `requests` (waiting when the tier is slow to read). */
  async clientStream<Request, Response>(
    method: UnaryMethod<Request, Response>,
    requests: AsyncIterable<Request> | Iterable<Request>,
    options: TierStreamOptions,
  ): Promise<Response> {
    const tier = this.streamTier(options);
    let settled = false;
    let drained: (() => void) | null = null;
    const answer = new Promise<Response>((resolve, reject) => {
      const call = tier.client.makeClientStreamRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        new grpc.Metadata(),
        { deadline: streamDeadline(options) },
        (error, response) => {
          settled = true;
          drained?.();
          options.signal?.removeEventListener("abort", cancel);
          if (error) reject(error);
          else resolve(response as Response);
        },
      );
      const cancel = () => call.cancel();
      options.signal?.addEventListener("abort", cancel, { once: true });
      call.on("drain", () => drained?.());
      void (async () => {
        for await (const request of requests) {
          if (settled) return;
          if (!call.write(request)) {
            await new Promise<void>((resume) => (drained = resume));
            drained = null;
          }
        }
        if (!settled) call.end();
      })().catch((error) => {
        call.cancel();
        reject(error);
      });
    });
    const done = this.track(tier);
    try {
      const response = await answer;
      tier.answered += 1;
      return response;
    } catch (error) {
      throw this.streamFailure(tier, method.path, error, options);
    } finally {
      done();
    }
  }

  /**
   * A bidirectional-streaming RPC on one tier: writes `requests` (waiting when the tier is slow
   * to read) and then half-closes, while yielding the tier's messages as they arrive. Leaving the
   * loop early, or `requests` throwing, cancels the call; failures are AppErrors as for `unary`.
   */
  async *duplexStream<Request, Response>(
    method: UnaryMethod<Request, Response>,
    requests: AsyncIterable<Request>,
    options: TierStreamOptions,
  ): AsyncGenerator<Response> {
    const tier = this.streamTier(options);
    const call = tier.client.makeBidiStreamRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      new grpc.Metadata(),
      { deadline: streamDeadline(options) },
    );
    const cancel = () => call.cancel();
    options.signal?.addEventListener("abort", cancel, { once: true });
    let writeFailure: { error: unknown } | null = null;
    let finished = false;
    // Waiting for the tier to read on: woken by "drain", or when the call is over (no drain comes then).
    const waiting: { wake: (() => void) | null } = { wake: null };
    call.on("drain", () => waiting.wake?.());
    const writing = (async () => {
      for await (const request of requests) {
        if (finished) return;
        if (!call.write(request)) {
          await new Promise<void>((resume) => (waiting.wake = resume));
          waiting.wake = null;
          if (finished) return;
        }
      }
      if (!finished) call.end();
    })().catch((error: unknown) => {
      writeFailure = { error };
      call.cancel();
    });
    const done = this.track(tier);
    try {
      for await (const message of call) yield message as Response;
      if (writeFailure) throw (writeFailure as { error: unknown }).error;
      tier.answered += 1;
    } catch (error) {
      if (writeFailure) throw (writeFailure as { error: unknown }).error;
      throw this.streamFailure(tier, method.path, error, options);
    } finally {
      done();
      finished = true;
      waiting.wake?.();
      options.signal?.removeEventListener("abort", cancel);
      call.cancel();
      await writing;
    }
  }

  /** Every configured tier's address, in configuration order. */
  addresses(): string[] {
    return this.tiers.map((tier) => tier.address.target);
  }

  /**
   * Called whenever a tier is seen ready after being down (and once for each tier when first seen
   * ready): a restarted tier has lost its models, so the caller loads them again.
   */
  onTierUp(listener: (address: string) => void): void {
    this.upListeners.push(listener);
  }

  /** Whether the tier's last report shows a ready `version` of `model` (false without a report). */
  holds(address: string, model: string, version: string): boolean {
    const tier = this.tiers.find((t) => t.address.target === address);
    return (
      tier?.report?.models.some((m) => m.name === model && m.version === version && m.state === "ready") ??
      false
    );
  }

  /** Whether the tier at `address` (from `addresses()`) is up as far as this gateway knows. */
  isUp(address: string): boolean {
    return this.tiers.some((tier) => tier.address.target === address && tier.up);
  }

  /**
   * Called whenever a probe finds a tier down (never for one failed call, nor for a slow answer):
   * deployments placed on a number of tiers move to the next one.
   */
  onTierDown(listener: (address: string) => void): void {
    this.downListeners.push(listener);
  }

  /**
   * For /healthz: asks every tier its Status now; ready when at least one is. Patient as the
   * periodic round is: anyone can ask, and a busy tier's slow answer must not move its deployments.
   */
  async ready(): Promise<TierReadiness> {
    if (this.closed) return { ready: false, reason: "the inference tier client is closed" };
    await Promise.all(this.tiers.map((tier) => this.probe(tier, { patient: true })));
    if (this.tiers.some((tier) => tier.up)) return { ready: true };
    const reasons = this.tiers.map((tier) => `${tier.address.target} (${tier.lastError ?? "not ready"})`);
    return { ready: false, reason: `no inference tier is ready: ${reasons.join("; ")}` };
  }

  status(): TierStatus[] {
    return this.tiers.map((tier) => ({
      address: tier.address.target,
      up: tier.up,
      lastError: tier.lastError,
      answered: tier.answered,
      report: tier.report,
      sentSinceReport: tier.sentSinceReport,
      load: loadOf(tier),
    }));
  }

  close(): void {
    this.closed = true;
    clearInterval(this.prober);
    for (const tier of this.tiers) tier.client.close();
  }

  /**
   * Tiers that are up and hold the model, least-loaded first; then the other tiers that are up (a
   * report may predate a load); down tiers last, as a final chance. Equal loads are ordered by
   * rendezvous weight of the model and address: deterministic, and spread over the tiers by model.
   */
  private callOrder(pinned?: string, model?: string): Tier[] {
    if (pinned) {
      const tier = this.tiers.find((t) => t.address.target === pinned);
      if (!tier) throw serviceUnavailable(`No inference tier at ${pinned}`);
      return [tier];
    }
    const key = model ?? "";
    const ranked = this.tiers.map((tier) => ({
      tier,
      group: !tier.up ? 2 : model && !mayHold(tier, model) ? 1 : 0,
      load: loadOf(tier),
      weight: rendezvousWeight(key, tier.address.target),
    }));
    ranked.sort((a, b) => a.group - b.group || a.load - b.load || b.weight - a.weight);
    return ranked.map((entry) => entry.tier);
  }

  /**
   * Counts a call this gateway sends `tier` until the tier's next report (which counts it itself,
   * if still running); returns what to call when it ends.
   */
  private track(tier: Tier): () => void {
    const generation = tier.reportGeneration;
    tier.sentSinceReport += 1;
    return () => {
      if (tier.reportGeneration === generation) tier.sentSinceReport -= 1;
    };
  }

  private assertOpen(): void {
    if (this.closed) throw serviceUnavailable("The gateway is shutting down; the inference tier is closed");
  }

  private streamTier(options: TierStreamOptions): Tier {
    this.assertOpen();
    options.signal?.throwIfAborted();
    return this.callOrder(options.tier)[0]!;
  }

  private streamFailure(tier: Tier, path: string, error: unknown, options: TierStreamOptions): unknown {
    if (options.signal?.aborted) return options.signal.reason;
    if (!isGrpcError(error)) return error;
    if (this.noteFailure(tier, error) && !fromTier(error)) void this.confirmDown(tier);
    return tierCallError(error, {
      rpc: path.slice(path.lastIndexOf("/") + 1),
      deadlineMs: options.deadlineMs ?? 0,
      tiersTried: [tier.address.target],
    });
  }

  /**
   * Records what a failed call says about its tier; true when another tier may be tried.
   * UNAVAILABLE says nothing about the request itself: a connection that failed is noted (the
   * caller has the tier probed: `confirmDown`), while the tier's own UNAVAILABLE (a model still
   * loading there, a drain; it carries `tierErrorTrailer`) is an answer. Every other status is
   * final (a deadline spent here is spent for the next tier too).
   */
  private noteFailure(tier: Tier, error: grpc.ServiceError): boolean {
    if (error.code === grpc.status.UNAVAILABLE) {
      if (fromTier(error)) tier.answered += 1;
      else tier.lastError = error.details;
      return true;
    }
    if (error.code !== grpc.status.DEADLINE_EXCEEDED) tier.answered += 1;
    return false;
  }

  private attempt<Request, Response>(
    client: grpc.Client,
    method: UnaryMethod<Request, Response>,
    request: Request,
    deadline: number,
    signal?: AbortSignal,
  ): Promise<Response> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const call = client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        new grpc.Metadata(),
        { deadline },
        (error, response) => {
          signal?.removeEventListener("abort", cancel);
          if (error) reject(error);
          else resolve(response as Response);
        },
      );
      const cancel = () => call.cancel();
      signal?.addEventListener("abort", cancel, { once: true });
    });
  }

  /**
   * The periodic round: a tier that is up but slow to answer stays up (its calls are not failing
   * for that), so a busy moment does not move deployments placed on it.
   */
  private probeAll(): void {
    for (const tier of this.tiers) void this.probe(tier, { patient: true });
  }

  /**
   * A call's connection to the tier failed: only a probe that fails too marks it down. Marking it
   * down moves the deployments placed on it, so one dropped connection (a GOAWAY, a proxy
   * restarting) must not; a tier already down is probed on the periodic round.
   */
  private confirmDown(tier: Tier): Promise<void> {
    return tier.up ? this.probe(tier, { patient: true }) : Promise.resolve();
  }

  private probe(tier: Tier, options: { patient?: boolean } = {}): Promise<void> {
    tier.probing ??= this.checkReady(tier, options.patient ?? false).finally(() => {
      tier.probing = null;
    });
    return tier.probing;
  }

  /**
   * A down tier is probed over a fresh channel: the old one may sit in reconnect backoff (up to
   * minutes in grpc-js) long after the tier is back. A fresh channel that answers replaces it.
   */
  private async checkReady(tier: Tier, patient: boolean): Promise<void> {
    const client = tier.up ? tier.client : this.connect(tier.address);
    try {
      const ready = await this.askStatus(tier, client);
      if (!ready) throw new Error(`it answers ${tier.hasStatus ? "Status" : "ServerReady"} with ready=false`);
      if (client !== tier.client) {
        tier.client.close();
        tier.client = client;
      }
      this.markUp(tier);
    } catch (error) {
      if (client !== tier.client) client.close();
      const reason = isGrpcError(error) ? error.details || grpc.status[error.code] : (error as Error).message;
      if (patient && tier.up && isGrpcError(error) && error.code === grpc.status.DEADLINE_EXCEEDED) {
        tier.lastError = `Status did not answer within ${this.probeTimeoutMs} ms`;
        return;
      }
      this.markDown(tier, reason);
    }
  }

  /** Status (recording the report), or ServerReady for a tier without TierService; resolves `ready`. */
  private async askStatus(tier: Tier, client: grpc.Client): Promise<boolean> {
    const deadline = Date.now() + this.probeTimeoutMs;
    if (tier.hasStatus) {
      try {
        const status = await this.attempt(client, loadTier().TierService.service.Status, {}, deadline);
        tier.report = toReport(status);
        tier.answeredFor.clear();
        tier.reportGeneration += 1;
        tier.sentSinceReport = 0;
        return status.ready;
      } catch (error) {
        if (!(isGrpcError(error) && error.code === grpc.status.UNIMPLEMENTED)) throw error;
        tier.hasStatus = false;
      }
    }
    const method = loadKServe().GRPCInferenceService.service.ServerReady;
    return (await this.attempt(client, method, {}, deadline)).ready;
  }

  private markDown(tier: Tier, reason: string): void {
    tier.lastError = reason;
    if (!tier.up || this.closed) return;
    tier.up = false;
    this.logger.warn(
      { tier: tier.address.target, reason },
      "inference tier is down; skipping it until it is ready",
    );
    for (const listener of this.downListeners) listener(tier.address.target);
  }

  private markUp(tier: Tier): void {
    tier.lastError = null;
    if (tier.up && tier.seen) return;
    const again = tier.seen;
    tier.up = true;
    tier.seen = true;
    if (again) this.logger.info({ tier: tier.address.target }, "inference tier is ready again");
    for (const listener of this.upListeners) listener(tier.address.target);
  }

  private connect(address: GrpcAddress): grpc.Client {
    const credentials = address.secure ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
    // Each call's client span, its context sent to the tier as `traceparent` (none while tracing is off).
    return new grpc.Client(address.target, credentials, {
      ...this.channelOptions,
      interceptors: tierCallTracing(),
    });
  }
}

/** Whether the tier itself answered this error status (`tierErrorTrailer`), not the transport. */
function fromTier(error: grpc.ServiceError): boolean {
  return (error.metadata?.get(tierErrorTrailer).length ?? 0) > 0;
}

/** The tier's last report plus the calls sent since: an estimate of the requests it has now. */
function loadOf(tier: Tier): number {
  return (tier.report?.inFlight ?? 0) + tier.sentSinceReport;
}

/** False only when the tier's report lists no ready version of the model, nor has it answered for it since. */
function mayHold(tier: Tier, model: string): boolean {
  if (!tier.report || tier.answeredFor.has(model)) return true;
  return tier.report.models.some((m) => m.name === model && m.state === "ready");
}

/** A NOT_FOUND says the report is stale: routing skips the tier for the model until the next one. */
function forgetModel(tier: Tier, model: string): void {
  tier.answeredFor.delete(model);
  if (!tier.report) return;
  tier.report = { ...tier.report, models: tier.report.models.filter((m) => m.name !== model) };
}

/** The model a request names: task requests say `model_name`, Embed `backbone_model_name`. */
function modelNameOf(request: unknown): string | undefined {
  if (typeof request !== "object" || request === null) return undefined;
  const { model_name: model, backbone_model_name: backbone } = request as Record<string, unknown>;
  if (typeof model === "string" && model) return model;
  if (typeof backbone === "string" && backbone) return backbone;
  return undefined;
}

function toReport(status: StatusResponse__Output): TierReport {
  return {
    inFlight: status.in_flight,
    queued: status.queued,
    models: status.models.map((m) => ({
      name: m.name,
      version: m.version,
      state: m.state,
      inFlight: m.in_flight,
      queued: m.queued,
    })),
    device: status.device,
    executionProviders: status.execution_providers,
    providerFallbacks: status.provider_fallbacks,
    serverVersion: status.server_version,
    receivedAt: new Date(),
  };
}

function streamDeadline(options: TierStreamOptions): number {
  return options.deadlineMs === undefined ? Infinity : Date.now() + options.deadlineMs;
}
