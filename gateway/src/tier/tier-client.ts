import * as grpc from "@grpc/grpc-js";
import type { GRPCInferenceServiceDefinition } from "@tessera/proto/generated/inference/GRPCInferenceService";
import { parseGrpcAddress, type GrpcAddress } from "@tessera/proto/address";
import { loadKServe } from "@tessera/proto/kserve";
import { serviceUnavailable } from "../errors";
import type { Logger } from "../logger";
import { isGrpcError, tierCallError } from "./tier-errors";

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
  /** How often a tier marked down is asked ServerReady again. */
  probeIntervalMs?: number;
  /** How long one ServerReady probe may take. */
  probeTimeoutMs?: number;
  maxMessageBytes?: number;
}

export interface TierCallOptions {
  deadlineMs?: number;
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

export interface TierStatus {
  address: string;
  up: boolean;
  lastError: string | null;
  /** Calls this tier has answered, with a response or an error status of its own. */
  answered: number;
}

interface Tier {
  address: GrpcAddress;
  client: grpc.Client;
  up: boolean;
  lastError: string | null;
  answered: number;
  probing: Promise<void> | null;
  /** Whether it has ever answered ServerReady (the first answer counts as coming up). */
  seen: boolean;
}

/**
 * Calls one or more inference tiers. Calls go round-robin over the tiers that are up; a tier whose
 * connection fails (UNAVAILABLE) is marked down, the call moves on to the next tier within the same
 * deadline, and the down tier is probed with ServerReady until it answers again, when it rejoins.
 */
export class TierClient {
  private readonly tiers: Tier[];
  private readonly logger: Logger;
  private readonly deadlineMs: number;
  private readonly probeTimeoutMs: number;
  private readonly channelOptions: grpc.ChannelOptions;
  private readonly prober: NodeJS.Timeout;
  private nextTier = 0;
  private closed = false;
  private readonly upListeners: Array<(address: string) => void> = [];

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
      };
    });
    for (const tier of this.tiers) void this.probe(tier);
    this.prober = setInterval(() => this.probeDownTiers(), options.probeIntervalMs ?? 1_000);
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
    const tried: string[] = [];
    let failure: grpc.ServiceError | undefined;
    for (const tier of this.callOrder(options.tier)) {
      if (tried.length > 0 && Date.now() >= deadline) break;
      tried.push(tier.address.target);
      try {
        const response = await this.attempt(tier.client, method, request, deadline, options.signal);
        tier.answered += 1;
        options.onAnswered?.(tier.address.target);
        return response;
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        if (!isGrpcError(error)) throw error;
        failure = error;
        if (this.noteFailure(tier, error)) continue;
        break;
      }
    }
    // callOrder() is never empty and every attempt that does not return sets `failure`.
    throw tierCallError(failure as grpc.ServiceError, { rpc, deadlineMs, tiersTried: tried });
  }

  /**
   * The tier a series of calls should stay on: the next one that is up (round-robin), else a
   * down one as a last chance.
   */
  pickTier(): string {
    this.assertOpen();
    return this.callOrder()[0]!.address.target;
  }

  /**
   * A server-streaming RPC on one tier, its messages as they arrive. Leaving the loop early
   * cancels the call on the tier. Failures are AppErrors as for `unary`; UNAVAILABLE marks the
   * tier down.
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
    try {
      for await (const message of call) yield message as Response;
      tier.answered += 1;
    } catch (error) {
      throw this.streamFailure(tier, method.path, error, options);
    } finally {
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
    try {
      const response = await answer;
      tier.answered += 1;
      return response;
    } catch (error) {
      throw this.streamFailure(tier, method.path, error, options);
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
    try {
      for await (const message of call) yield message as Response;
      if (writeFailure) throw (writeFailure as { error: unknown }).error;
      tier.answered += 1;
    } catch (error) {
      if (writeFailure) throw (writeFailure as { error: unknown }).error;
      throw this.streamFailure(tier, method.path, error, options);
    } finally {
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

  /** For /healthz: asks every tier ServerReady now; ready when at least one is. */
  async ready(): Promise<TierReadiness> {
    if (this.closed) return { ready: false, reason: "the inference tier client is closed" };
    await Promise.all(this.tiers.map((tier) => this.probe(tier)));
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
    }));
  }

  close(): void {
    this.closed = true;
    clearInterval(this.prober);
    for (const tier of this.tiers) tier.client.close();
  }

  /** Tiers that are up, starting one further each call; down tiers last, as a final chance. */
  private callOrder(pinned?: string): Tier[] {
    if (pinned) {
      const tier = this.tiers.find((t) => t.address.target === pinned);
      if (!tier) throw serviceUnavailable(`No inference tier at ${pinned}`);
      return [tier];
    }
    const start = this.nextTier++ % this.tiers.length;
    const rotated = [...this.tiers.slice(start), ...this.tiers.slice(0, start)];
    return [...rotated.filter((tier) => tier.up), ...rotated.filter((tier) => !tier.up)];
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
    this.noteFailure(tier, error);
    return tierCallError(error, {
      rpc: path.slice(path.lastIndexOf("/") + 1),
      deadlineMs: options.deadlineMs ?? 0,
      tiersTried: [tier.address.target],
    });
  }

  /**
   * Records what a failed call says about its tier; true when another tier may be tried. Only a
   * connection failure says nothing about the request itself; every other status is final (a
   * deadline spent here is spent for the next tier too).
   */
  private noteFailure(tier: Tier, error: grpc.ServiceError): boolean {
    if (error.code === grpc.status.UNAVAILABLE) {
      this.markDown(tier, error.details);
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

  private probeDownTiers(): void {
    for (const tier of this.tiers) if (!tier.up) void this.probe(tier);
  }

  private probe(tier: Tier): Promise<void> {
    tier.probing ??= this.checkReady(tier).finally(() => {
      tier.probing = null;
    });
    return tier.probing;
  }

  /**
   * A down tier is probed over a fresh channel: the old one may sit in reconnect backoff (up to
   * minutes in grpc-js) long after the tier is back. A fresh channel that answers replaces it.
   */
  private async checkReady(tier: Tier): Promise<void> {
    const client = tier.up ? tier.client : this.connect(tier.address);
    const method = loadKServe().GRPCInferenceService.service.ServerReady;
    try {
      const { ready } = await this.attempt(client, method, {}, Date.now() + this.probeTimeoutMs);
      if (!ready) throw new Error("it answers ServerReady with ready=false");
      if (client !== tier.client) {
        tier.client.close();
        tier.client = client;
      }
      this.markUp(tier);
    } catch (error) {
      if (client !== tier.client) client.close();
      this.markDown(
        tier,
        isGrpcError(error) ? error.details || grpc.status[error.code] : (error as Error).message,
      );
    }
  }

  private markDown(tier: Tier, reason: string): void {
    tier.lastError = reason;
    if (!tier.up || this.closed) return;
    tier.up = false;
    this.logger.warn(
      { tier: tier.address.target, reason },
      "inference tier is down; skipping it until it is ready",
    );
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
    return new grpc.Client(address.target, credentials, this.channelOptions);
  }
}

function streamDeadline(options: TierStreamOptions): number {
  return options.deadlineMs === undefined ? Infinity : Date.now() + options.deadlineMs;
}
