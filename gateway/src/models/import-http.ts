import { fetch, type Agent, type Response } from "undici";
import type { GatewayConfig } from "../config";
import { AppError, ErrorCode, forbidden, serviceUnavailable } from "../errors";
import { guardedAgent } from "./guarded-agent";
import { hostIsInternal } from "./private-addresses";

/** The part of the configuration an import reads. */
export type ImportConfig = Pick<GatewayConfig, "hfEndpoint" | "hfToken" | "limits">;

export interface ImportNetworkOptions {
  /**
   * Allow connections to loopback, private and link-local addresses. Default: allowed only when
   * HF_ENDPOINT itself is on such a network (a self-hosted mirror); otherwise a user-given URL
   * could make the gateway probe its own network (SSRF).
   */
  allowInternalAddresses?: boolean;
  /** Time to open a TCP/TLS connection. Default 10 s. */
  connectTimeoutMs?: number;
  /** Time from sending a request to receiving the response headers. Default 30 s. */
  responseTimeoutMs?: number;
  /** Longest silence while a body streams; a whole download may take as long as it needs. Default 60 s. */
  idleTimeoutMs?: number;
}

export interface ImportOptions {
  /** Aborting stops the transfer; blobs this import created are removed. */
  signal?: AbortSignal;
  network?: ImportNetworkOptions;
  /** Cap on the bytes one import brings in. Default: limits.archive.maxUncompressedBytes. */
  maxTotalBytes?: number;
  /**
   * Removes the blobs of a failed import. Given, it receives every blob the import stored (created
   * or already there) and decides what nothing references, as BlobReferences.release does.
   * Default: delete the blobs this import created.
   */
  releaseBlobs?: (sha256s: string[]) => Promise<void>;
}

export interface FetchedResponse {
  response: Response;
  /** Where the response came from after redirects. */
  url: URL;
}

const maxRedirects = 5;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const userAgent = "tessera-gateway (model import)";

/** One import's HTTP client: a private connection pool with the import's timeouts and SSRF guard. */
export class ImportHttp {
  private constructor(
    private readonly agent: Agent,
    readonly timeouts: Required<Omit<ImportNetworkOptions, "allowInternalAddresses">>,
    private readonly signal: AbortSignal | undefined,
  ) {}

  static async open(config: ImportConfig, options: ImportOptions = {}): Promise<ImportHttp> {
    const network = options.network ?? {};
    const timeouts = {
      connectTimeoutMs: network.connectTimeoutMs ?? 10_000,
      responseTimeoutMs: network.responseTimeoutMs ?? 30_000,
      idleTimeoutMs: network.idleTimeoutMs ?? 60_000,
    };
    const allowInternal = network.allowInternalAddresses ?? (await endpointIsInternal(config.hfEndpoint));
    const agent = guardedAgent({
      allowInternal,
      refusal: internalAddressRefused,
      connectTimeoutMs: timeouts.connectTimeoutMs,
      headersTimeout: timeouts.responseTimeoutMs,
      bodyTimeout: timeouts.idleTimeoutMs,
    });
    return new ImportHttp(agent, timeouts, options.signal);
  }

  /**
   * GET that follows up to five redirects itself, so every hop passes the address guard and the
   * bearer token never travels to another origin (the Hub redirects LFS files to a CDN).
   */
  async get(url: URL, headers: Record<string, string> = {}): Promise<FetchedResponse> {
    let current = url;
    let sendHeaders: Record<string, string> = { "user-agent": userAgent, ...headers };
    for (let hop = 0; ; hop += 1) {
      const response = await this.send(current, sendHeaders);
      const location = response.headers.get("location");
      if (!redirectStatuses.has(response.status) || !location) return { response, url: current };
      await response.body?.cancel();
      if (hop === maxRedirects) {
        throw serviceUnavailable(`${current.host} redirected more than ${maxRedirects} times; giving up`);
      }
      const next = URL.parse(location, current.href);
      if (next?.protocol !== "http:" && next?.protocol !== "https:") {
        const target = next ? `a ${next.protocol} URL` : "an invalid URL";
        throw serviceUnavailable(`${current.host} redirected to ${target}; only http(s) is followed`);
      }
      if (next.origin !== current.origin) sendHeaders = withoutAuthorization(sendHeaders);
      current = next;
    }
  }

  /** Maps a failure of a request or of its body stream to an error a person can act on. */
  networkError(url: URL, error: unknown): unknown {
    if (this.signal?.aborted) return this.signal.reason;
    const appError = findAppError(error);
    if (appError) return appError;
    const code = errorCode(error);
    return new AppError(
      ErrorCode.SERVICE_UNAVAILABLE,
      `Could not download from ${url.host}: ${this.describe(code)}. Check the address and the network, then retry.`,
      { host: url.host, cause: code ?? String(error) },
    );
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }

  private async send(url: URL, headers: Record<string, string>): Promise<Response> {
    try {
      return await fetch(url, { headers, redirect: "manual", dispatcher: this.agent, signal: this.signal });
    } catch (error) {
      throw this.networkError(url, error);
    }
  }

  private describe(code: string | undefined): string {
    const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
    switch (code) {
      case "ECONNREFUSED":
        return "the connection was refused";
      case "ENOTFOUND":
      case "EAI_AGAIN":
        return "the host name does not resolve";
      case "UND_ERR_CONNECT_TIMEOUT":
        return `no connection within ${seconds(this.timeouts.connectTimeoutMs)}`;
      case "UND_ERR_HEADERS_TIMEOUT":
        return `no response within ${seconds(this.timeouts.responseTimeoutMs)}`;
      case "UND_ERR_BODY_TIMEOUT":
        return `the transfer stalled for ${seconds(this.timeouts.idleTimeoutMs)}`;
      case "UND_ERR_SOCKET":
      case "ECONNRESET":
      case "EPIPE":
      case "UND_ERR_RES_CONTENT_LENGTH_MISMATCH":
        return "the connection closed before the transfer finished";
      default:
        return code ? `network error ${code}` : "network error";
    }
  }
}

/** Reads a JSON answer of the Hub's API, refusing bodies too large to be one. */
export async function readJson(fetched: FetchedResponse, http: ImportHttp, maxBytes = 64 * 1024 * 1024) {
  const { response, url } = fetched;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.length;
      if (size > maxBytes) {
        await response.body?.cancel();
        throw serviceUnavailable(`${url.host} sent an API answer larger than ${maxBytes} bytes`);
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    throw http.networkError(url, error);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw serviceUnavailable(
      `${url.host} did not answer with the Hugging Face Hub's JSON API at ${url.pathname}; is HF_ENDPOINT right?`,
    );
  }
}

/** For messages: never echo query strings, which often carry signatures or tokens. */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

async function endpointIsInternal(endpoint: string): Promise<boolean> {
  try {
    return await hostIsInternal(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

function internalAddressRefused(hostname: string, address: string): AppError {
  const shown = hostname === address ? address : `${hostname} (${address})`;
  return forbidden(
    `Refusing to connect to ${shown}: it is a loopback, private or link-local address. ` +
      `Imports may reach internal addresses only when HF_ENDPOINT itself is on an internal network.`,
  );
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.toLowerCase() !== "authorization"),
  );
}

function findAppError(error: unknown): AppError | null {
  for (let current = error, depth = 0; current && depth < 8; depth += 1) {
    if (current instanceof AppError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 8; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
