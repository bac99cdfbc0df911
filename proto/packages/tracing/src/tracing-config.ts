/**
 * OpenTelemetry's standard variables, read once at start. Tracing is on when an OTLP endpoint is
 * named (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`) and
 * off otherwise; OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turn it off even then.
 * Headers, timeout and compression of the export (OTEL_EXPORTER_OTLP_HEADERS, …) are read by the
 * exporter itself.
 */
export interface TracingConfig {
  /** Where spans are POSTed (OTLP/HTTP, JSON). */
  tracesUrl: string;
  /** OTEL_SERVICE_NAME; null → the process's own default (tessera-gateway, tessera-worker, tessera-tier). */
  serviceName: string | null;
  /** OTEL_RESOURCE_ATTRIBUTES, `key=value` pairs separated by commas (percent-encoded values). */
  resourceAttributes: Record<string, string>;
  sampler: SamplerConfig;
  /** OTEL_BSP_SCHEDULE_DELAY: how long finished spans wait to be sent with others (ms). */
  scheduledDelayMs: number;
  /** OTEL_BSP_MAX_QUEUE_SIZE: spans held at most while the collector is slow; more are dropped. */
  maxQueueSize: number;
  /** OTEL_BSP_MAX_EXPORT_BATCH_SIZE: spans in one export request (at most maxQueueSize). */
  maxExportBatchSize: number;
}

export const samplerNames = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;

export type SamplerName = (typeof samplerNames)[number];

/** OTEL_TRACES_SAMPLER (default parentbased_always_on) and its OTEL_TRACES_SAMPLER_ARG ratio. */
export interface SamplerConfig {
  name: SamplerName;
  /** For the *traceidratio samplers: the fraction of traces kept, 0–1 (default 1). */
  ratio: number;
}

export class TracingConfigError extends Error {
  override name = "TracingConfigError";
}

export type Env = Record<string, string | undefined>;

/** Null when tracing is off: nothing is registered and the OpenTelemetry API stays a no-op. */
export function tracingConfig(env: Env): TracingConfig | null {
  if (flag(env, "OTEL_SDK_DISABLED")) return null;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim();
  if (exporter === "none") return null;
  if (exporter && exporter !== "otlp") {
    throw new TracingConfigError(`OTEL_TRACES_EXPORTER must be "otlp" or "none", got "${exporter}"`);
  }
  const tracesUrl = tracesEndpoint(env);
  if (!tracesUrl) return null;
  protocol(env);
  const maxQueueSize = integer(env, "OTEL_BSP_MAX_QUEUE_SIZE", 2048, 1, 1_000_000);
  return {
    tracesUrl,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || null,
    resourceAttributes: resourceAttributes(env.OTEL_RESOURCE_ATTRIBUTES),
    sampler: sampler(env),
    scheduledDelayMs: integer(env, "OTEL_BSP_SCHEDULE_DELAY", 5000, 0, 3_600_000),
    maxQueueSize,
    maxExportBatchSize: integer(
      env,
      "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
      Math.min(512, maxQueueSize),
      1,
      maxQueueSize,
    ),
  };
}

/** The signal-specific variable is used as it is; the general one gets the OTLP/HTTP path appended. */
function tracesEndpoint(env: Env): string | null {
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (specific) return httpUrl("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", specific);
  const general = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!general) return null;
  return `${httpUrl("OTEL_EXPORTER_OTLP_ENDPOINT", general).replace(/\/+$/, "")}/v1/traces`;
}

function httpUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TracingConfigError(`${name} must be an http:// or https:// URL, got "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TracingConfigError(`${name} must be an http:// or https:// URL, got "${raw}"`);
  }
  return raw;
}

/**
 * Spans go out as OTLP/HTTP JSON, which every collector's HTTP receiver (port 4318) takes whether
 * http/json or http/protobuf was asked for; gRPC (port 4317) would fail every export silently.
 */
function protocol(env: Env): void {
  for (const name of ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"]) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    if (raw === "http/json" || raw === "http/protobuf") return;
    throw new TracingConfigError(
      `${name} must be "http/protobuf" or "http/json" (Tessera exports over OTLP/HTTP: use the ` +
        `collector's HTTP receiver, usually port 4318), got "${raw}"`,
    );
  }
}

function sampler(env: Env): SamplerConfig {
  const raw = env.OTEL_TRACES_SAMPLER?.trim() || "parentbased_always_on";
  const name = samplerNames.find((known) => known === raw);
  if (!name) {
    throw new TracingConfigError(
      `OTEL_TRACES_SAMPLER must be one of ${samplerNames.join(", ")}, got "${raw}"`,
    );
  }
  const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (!name.endsWith("traceidratio") || !arg) return { name, ratio: 1 };
  const ratio = Number(arg);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG must be a number between 0 and 1, got "${arg}"`);
  }
  return { name, ratio };
}

function resourceAttributes(raw: string | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of (raw ?? "").split(",")) {
    if (!pair.trim()) continue;
    const at = pair.indexOf("=");
    const key = at > 0 ? pair.slice(0, at).trim() : "";
    if (!key) {
      throw new TracingConfigError(
        `OTEL_RESOURCE_ATTRIBUTES must be key=value pairs separated by commas, got "${raw}"`,
      );
    }
    try {
      attributes[key] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      throw new TracingConfigError(`OTEL_RESOURCE_ATTRIBUTES has a badly percent-encoded value for "${key}"`);
    }
  }
  return attributes;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new TracingConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

/** The specification's boolean: only a case-insensitive "true" is true. */
function flag(env: Env, name: string): boolean {
  return env[name]?.trim().toLowerCase() === "true";
}
