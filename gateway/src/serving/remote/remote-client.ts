import { fetch, type Dispatcher, type Response } from "undici";
import { readImageSignature } from "../../datasets/images/image-signature";
import { AppError } from "../../errors";
import { limits } from "../../limits";
import { RemoteCallError, RemoteRateLimitedError } from "./remote-errors";

/** What a call needs to know about a registered endpoint. */
export interface RemoteEndpointSpec {
  /** Base URL; the call goes to `<url>/classify`. */
  url: string;
  remoteModel: string;
  labels: string[];
  timeoutMs: number;
  /** Decrypted, only in memory; sent as a bearer token. */
  secret: string | null;
}

export interface RemotePrediction {
  label: string;
  score: number;
}

/** Longest wait a 429 may impose; a Retry-After beyond it is read as this. */
export const MAX_RETRY_AFTER_SECONDS = 24 * 60 * 60;
/** A 429 without a (readable) Retry-After pauses calls this long. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

/**
 * One POST <url>/classify of the custom endpoint contract: `{model, image (data URL), labels,
 * top_k}` → `{predictions: [{label, score}]}`. Bounded in time (the endpoint's timeoutMs, the
 * body included) and in size (limits.serving.remote.responseBytes), and strict about the answer.
 * Throws RemoteCallError (SERVICE_UNAVAILABLE with a reason), RemoteRateLimitedError (a 429),
 * FORBIDDEN when the dispatcher refused an internal address, or the caller's abort reason when
 * `signal` ended the call. `dispatcher` is the gateway's guarded pool (remoteDispatcher): the only
 * address check is the one it makes when it connects.
 */
export async function classifyRemote(
  endpoint: RemoteEndpointSpec,
  image: Buffer,
  dispatcher: Dispatcher,
  signal?: AbortSignal,
  now: () => number = Date.now,
): Promise<RemotePrediction[]> {
  const url = classifyUrl(endpoint.url);
  const timeout = AbortSignal.timeout(endpoint.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const failed = (error: unknown): unknown => {
    if (signal?.aborted) return signal.reason;
    if (timeout.aborted) {
      return new RemoteCallError(
        "TIMEOUT",
        `${url.host} did not answer within ${endpoint.timeoutMs} ms`,
        true,
      );
    }
    const refused = appErrorIn(error);
    if (refused) return refused;
    return new RemoteCallError("REMOTE_ERROR", `Could not reach ${url.host}: ${networkCause(error)}`, true);
  };
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (endpoint.secret !== null) headers.authorization = `Bearer ${endpoint.secret}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify({
        model: endpoint.remoteModel,
        image: dataUrl(image),
        labels: endpoint.labels,
        top_k: endpoint.labels.length,
      }),
      // A redirect could carry the bearer token elsewhere: it is an answer like any other.
      redirect: "manual",
      signal: combined,
      dispatcher,
    });
  } catch (error) {
    throw failed(error);
  }
  if (response.status === 429) {
    await response.body?.cancel().catch(() => {});
    throw new RemoteRateLimitedError(url.host, retryAfter(response.headers.get("retry-after"), now()));
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel().catch(() => {});
    // A 4xx is the endpoint refusing this request (it is up): it does not count against its health.
    const clientError = response.status >= 400 && response.status < 500;
    throw new RemoteCallError("REMOTE_ERROR", `${url.host} answered HTTP ${response.status}`, !clientError);
  }
  let body: Buffer;
  try {
    body = await readBounded(response, url.host);
  } catch (error) {
    throw failed(error);
  }
  return parsePredictions(body, url.host);
}

/** `{predictions: [{label, score}]}` with string labels (each once) and scores in [0, 1]. */
export function parsePredictions(body: Buffer, host: string): RemotePrediction[] {
  const bad = (why: string) =>
    new RemoteCallError("BAD_RESPONSE", `${host} sent an invalid answer: ${why}`, true);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw bad("not JSON");
  }
  const predictions = (parsed as { predictions?: unknown } | null)?.predictions;
  if (typeof parsed !== "object" || parsed === null || !Array.isArray(predictions)) {
    throw bad('no "predictions" array');
  }
  const seen = new Set<string>();
  return predictions.map((entry: unknown, index) => {
    const { label, score } = (entry ?? {}) as { label?: unknown; score?: unknown };
    if (typeof label !== "string" || label.length === 0 || label.length > limits.serving.remote.labelLength) {
      throw bad(`predictions[${index}].label is not a label`);
    }
    if (typeof score !== "number" || !Number.isFinite(score) || score < 0 || score > 1) {
      throw bad(`predictions[${index}].score is not a number from 0 to 1`);
    }
    if (seen.has(label)) throw bad(`label "${label.slice(0, 50)}" appears twice`);
    seen.add(label);
    return { label, score };
  });
}

/** Seconds or an HTTP date (RFC 9110 §10.2.3); missing or unreadable → the default. */
export function retryAfter(header: string | null, now: number): Date {
  const text = header?.trim() ?? "";
  let seconds = DEFAULT_RETRY_AFTER_SECONDS;
  if (/^\d+$/.test(text)) seconds = Number(text);
  else if (text) {
    const at = Date.parse(text);
    if (Number.isFinite(at)) seconds = Math.max(0, (at - now) / 1000);
  }
  return new Date(now + Math.min(seconds, MAX_RETRY_AFTER_SECONDS) * 1000);
}

export function classifyUrl(base: string): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/classify`;
  return url;
}

function dataUrl(image: Buffer): string {
  const signature = readImageSignature(image);
  const type = signature.kind === "accepted" ? `image/${signature.format}` : "application/octet-stream";
  return `data:${type};base64,${image.toString("base64")}`;
}

async function readBounded(response: Response, host: string): Promise<Buffer> {
  const max = limits.serving.remote.responseBytes;
  const tooLarge = () =>
    new RemoteCallError("BAD_RESPONSE", `${host} sent an answer larger than ${max} bytes`, true);
  const declared = Number(response.headers.get("content-length"));
  if (declared > max) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.length;
    if (size > max) {
      await response.body?.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** An AppError in a failure's cause chain: the address guard's FORBIDDEN, or our own errors. */
function appErrorIn(error: unknown): AppError | null {
  for (let current = error, depth = 0; current && depth < 8; depth += 1) {
    if (current instanceof AppError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** The network error's code only: messages of fetch failures can quote the URL. */
function networkCause(error: unknown): string {
  for (let current = error, depth = 0; current && depth < 8; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return "network error";
}
