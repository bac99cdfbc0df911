import { AppError, ErrorCode, badInput, serviceUnavailable } from "../errors";
import { checkRepoPath, encodeRepoPath } from "./hub-names";
import { readJson, type FetchedResponse, type ImportConfig, type ImportHttp } from "./import-http";

/** A file in a Hub repo at one commit, as its tree listing describes it. */
export interface HubFile {
  path: string;
  sizeBytes: number;
  /** sha256 of the content for files stored with Git LFS; null for small files kept in git. */
  lfsSha256: string | null;
}

/** Model and dataset repos share the Hub's routes under different prefixes. */
export type HubRepoKind = "model" | "dataset";

interface HubContext {
  repoId: string;
  revision: string;
  path?: string;
}

const commitPattern = /^[0-9a-f]{40}$/;
const sha256Pattern = /^[0-9a-f]{64}$/;
const maxTreePages = 10_000;

/**
 * The three Hub routes an import needs, as huggingface_hub's HfApi calls them: repo info at a
 * revision (its commit), the recursive tree at that commit (paths, sizes, LFS hashes), and
 * `resolve` for the bytes. Dataset repos live under `/api/datasets/…` and `/datasets/…/resolve`.
 */
export class HubApi {
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly config: ImportConfig,
    private readonly http: ImportHttp,
    private readonly kind: HubRepoKind = "model",
  ) {
    this.base = endpointBase(config.hfEndpoint);
    this.headers = config.hfToken ? { authorization: `Bearer ${config.hfToken}` } : {};
  }

  /** The commit a branch, tag or commit id points at; files are then read at that commit. */
  async commitOf(repoId: string, revision: string): Promise<string> {
    const url = new URL(`${this.apiBase}/${repoId}/revision/${encodeURIComponent(revision)}`);
    const fetched = await this.getOk(url, { repoId, revision });
    const info = (await readJson(fetched, this.http)) as { sha?: unknown } | null;
    const sha = typeof info?.sha === "string" ? info.sha.toLowerCase() : "";
    if (!commitPattern.test(sha)) {
      throw serviceUnavailable(`${url.host} did not report the commit of "${repoId}" at "${revision}"`);
    }
    return sha;
  }

  /** Every file at a commit, following the listing's `Link: <…>; rel="next"` pages. */
  async filesAt(repoId: string, commit: string, revision: string): Promise<HubFile[]> {
    const files: HubFile[] = [];
    const seen = new Set<string>();
    let url: URL | null = new URL(`${this.apiBase}/${repoId}/tree/${commit}?recursive=true`);
    while (url) {
      if (seen.has(url.href) || seen.size >= maxTreePages) {
        throw serviceUnavailable(`${url.host} kept paging the file list of "${repoId}"; giving up`);
      }
      seen.add(url.href);
      const fetched = await this.getOk(url, { repoId, revision });
      const page = await readJson(fetched, this.http);
      if (!Array.isArray(page)) {
        throw serviceUnavailable(
          `${url.host} answered the file list of "${repoId}" with something not a list`,
        );
      }
      for (const entry of page) {
        const file = toHubFile(entry, repoId);
        if (file) files.push(file);
      }
      url = nextPage(fetched, this.base);
    }
    return files;
  }

  /** The bytes of one file; the Hub answers LFS files with a redirect to its CDN. */
  async download(repoId: string, commit: string, path: string, revision: string): Promise<FetchedResponse> {
    const url = new URL(`${this.repoBase}/${repoId}/resolve/${commit}/${encodeRepoPath(path)}`);
    // Compressed transfer would hide Content-Length, which detects truncated downloads.
    return this.getOk(url, { repoId, revision, path }, { "accept-encoding": "identity" });
  }

  private get apiBase(): string {
    return `${this.base}/api/${this.kind}s`;
  }

  private get repoBase(): string {
    return this.kind === "dataset" ? `${this.base}/datasets` : this.base;
  }

  private async getOk(
    url: URL,
    context: HubContext,
    extra: Record<string, string> = {},
  ): Promise<FetchedResponse> {
    const fetched = await this.http.get(url, { ...this.headers, ...extra });
    if (fetched.response.ok) return fetched;
    await fetched.response.body?.cancel();
    throw this.hubError(fetched, context);
  }

  /** The Hub names its failures in `X-Error-Code`; the HTTP status is the fallback. */
  private hubError({ response, url }: FetchedResponse, { repoId, revision, path }: HubContext): AppError {
    const status = response.status;
    const code = response.headers.get("x-error-code");
    const said = response.headers.get("x-error-message");
    const repo = `Hugging Face ${this.kind === "dataset" ? "dataset " : ""}repo "${repoId}"`;
    const details = { repoId, revision, status, hubErrorCode: code };
    if (code === "RevisionNotFound") {
      return new AppError(ErrorCode.NOT_FOUND, `Revision "${revision}" not found in ${repo}`, details);
    }
    if (code === "EntryNotFound" || (status === 404 && path !== undefined && code !== "RepoNotFound")) {
      return new AppError(
        ErrorCode.NOT_FOUND,
        `File "${path}" not found in ${repo} at "${revision}"`,
        details,
      );
    }
    // Without a token the Hub answers 401 RepoNotFound for private repos too, so both are named.
    if (code === "RepoNotFound" || status === 404) {
      const hint = this.config.hfToken ? "" : "; if it is private, set HF_TOKEN to a token that can read it";
      return new AppError(ErrorCode.NOT_FOUND, `${repo} not found at ${this.base}${hint}`, details);
    }
    if (status === 401 || status === 403 || code === "GatedRepo") {
      const message = this.config.hfToken
        ? `${repo} is gated or private and HF_TOKEN cannot read it: accept its terms on the Hub with the token's account, or use another token`
        : `${repo} is gated or private: set HF_TOKEN to a Hugging Face token that can read it`;
      return new AppError(ErrorCode.FORBIDDEN, message, details);
    }
    const reason = `HTTP ${status}${said ? `: ${said}` : ""}`;
    if (status >= 400 && status < 500 && status !== 429) {
      return badInput(`${url.host} refused the request for ${repo} at "${revision}" (${reason})`, details);
    }
    return new AppError(
      ErrorCode.SERVICE_UNAVAILABLE,
      `${url.host} failed (${reason}); retry later`,
      details,
    );
  }
}

function endpointBase(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw serviceUnavailable(`HF_ENDPOINT ${JSON.stringify(endpoint)} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw serviceUnavailable(`HF_ENDPOINT must be an http(s) URL, got ${JSON.stringify(endpoint)}`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function toHubFile(entry: unknown, repoId: string): HubFile | null {
  const { type, path, size, lfs } = (entry ?? {}) as {
    type?: unknown;
    path?: unknown;
    size?: unknown;
    lfs?: unknown;
  };
  if (type !== "file") return null;
  const { oid, size: lfsSize } = (lfs ?? {}) as { oid?: unknown; size?: unknown };
  const sizeBytes = typeof lfsSize === "number" ? lfsSize : size;
  if (
    typeof path !== "string" ||
    typeof sizeBytes !== "number" ||
    !Number.isSafeInteger(sizeBytes) ||
    sizeBytes < 0
  ) {
    throw serviceUnavailable(`The Hub's file list of "${repoId}" has an entry without a path and size`);
  }
  return {
    path: checkRepoPath(path, `The Hub's file list of "${repoId}"`),
    sizeBytes,
    lfsSha256: typeof oid === "string" && sha256Pattern.test(oid) ? oid : null,
  };
}

/** Pages must stay on the Hub: the token would otherwise follow a next link to another host. */
function nextPage({ response, url }: FetchedResponse, base: string): URL | null {
  const link = response.headers.get("link");
  const target = link?.match(/<([^>]+)>\s*;\s*rel="?next"?/)?.[1];
  if (!target) return null;
  const next = new URL(target, url);
  if (next.origin !== new URL(base).origin) {
    throw serviceUnavailable(`${url.host} sent the next page of a file list to another host (${next.host})`);
  }
  return next;
}
