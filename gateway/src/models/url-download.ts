import { AppError, ErrorCode, badInput, serviceUnavailable } from "../errors";
import type { Logger } from "../logger";
import { checkRepoPath } from "./hub-names";
import {
  ImportHttp,
  displayUrl,
  type FetchedResponse,
  type ImportConfig,
  type ImportOptions,
} from "./import-http";
import { ImportedBlobs, type ImportBlobStore, type ImportedFile } from "./imported-blobs";

export interface UrlDownloadOptions extends ImportOptions {
  /** Name to store the file under, instead of the one the server or the URL gives. */
  fileName?: string | null;
}

export interface UrlImport extends ImportedFile {
  /** Where the bytes came from after redirects, without its query string. */
  sourceUrl: string;
}

/**
 * Streams the file at one http(s) URL into the blob store, named by Content-Disposition, else by
 * the URL's last path segment. The HF token is sent only when the URL is on HF_ENDPOINT.
 */
export async function downloadUrl(
  config: ImportConfig,
  blobs: ImportBlobStore,
  logger: Logger,
  address: string,
  options: UrlDownloadOptions = {},
): Promise<UrlImport> {
  const url = parseDownloadUrl(address);
  const givenName = options.fileName?.trim() ? checkRepoPath(options.fileName.trim(), "fileName") : null;
  const http = await ImportHttp.open(config, options);
  const limits = {
    maxFileBytes: config.limits.maxUploadBytes,
    maxTotalBytes: options.maxTotalBytes ?? config.limits.archive.maxUncompressedBytes,
  };
  const imported = new ImportedBlobs(blobs, http, limits, logger, options);
  try {
    const headers: Record<string, string> = { "accept-encoding": "identity" };
    if (config.hfToken && isOnEndpoint(url, config.hfEndpoint))
      headers.authorization = `Bearer ${config.hfToken}`;
    const fetched = await http.get(url, headers);
    if (!fetched.response.ok) {
      await fetched.response.body?.cancel();
      throw statusError(fetched, url);
    }
    const path = givenName ?? fileNameOf(fetched, url);
    const file = await imported.save(fetched, path, { sizeBytes: null, sha256: null });
    logger.info({ url: displayUrl(url), path, bytes: file.sizeBytes }, "imported a file from a URL");
    return { ...file, sourceUrl: displayUrl(fetched.url) };
  } catch (error) {
    await imported.discard();
    throw error;
  } finally {
    await http.close();
  }
}

function parseDownloadUrl(address: string): URL {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    throw badInput(`Expected an http:// or https:// URL, got ${JSON.stringify(address)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw badInput(`Only http:// and https:// URLs can be imported, got a ${url.protocol} URL`);
  }
  if (url.username || url.password) {
    throw badInput("The URL must not contain a user name or password; make the file reachable without them");
  }
  return url;
}

function isOnEndpoint(url: URL, endpoint: string): boolean {
  try {
    return url.origin === new URL(endpoint).origin;
  } catch {
    return false;
  }
}

function statusError({ response, url }: FetchedResponse, requested: URL): AppError {
  const status = response.status;
  const where = displayUrl(url);
  const details = { url: displayUrl(requested), status };
  if (status === 404 || status === 410) {
    return new AppError(ErrorCode.NOT_FOUND, `Nothing to download at ${where} (HTTP ${status})`, details);
  }
  if (status === 401 || status === 403) {
    return new AppError(
      ErrorCode.FORBIDDEN,
      `${url.host} refused the download of ${where} (HTTP ${status})`,
      details,
    );
  }
  if (status >= 400 && status < 500 && status !== 429) {
    return badInput(`${url.host} refused the download of ${where} (HTTP ${status})`, details);
  }
  return serviceUnavailable(`${url.host} failed to serve ${where} (HTTP ${status}); retry later`);
}

/** The name the server suggests, else the last segment of the URL the user gave, else the final one. */
function fileNameOf({ response, url }: FetchedResponse, requested: URL): string {
  const name =
    fileNameFromContentDisposition(response.headers.get("content-disposition")) ??
    lastSegment(requested) ??
    lastSegment(url);
  if (!name) {
    throw badInput(`Cannot tell the file name of ${displayUrl(requested)}; give fileName`);
  }
  return checkRepoPath(name, displayUrl(requested));
}

/**
 * `filename*` (RFC 6266/5987, percent-encoded UTF-8) wins over `filename`. Only the last path
 * segment is kept: a server must not choose where in the version the file lands.
 */
export function fileNameFromContentDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = header.match(/(?:^|;)\s*filename\*\s*=\s*([\w!#$&+.^`|~-]*)'[^']*'([^;\s]+)/i);
  if (extended?.[2]) {
    const charset = extended[1]!.toLowerCase();
    const decoded = safeDecode(extended[2], charset);
    if (decoded) return baseName(decoded);
  }
  const plain = header.match(/(?:^|;)\s*filename\s*=\s*(?:"((?:\\.|[^"\\])*)"|([^;\s]+))/i);
  const raw = plain?.[1]?.replace(/\\(.)/g, "$1") ?? plain?.[2];
  return raw ? baseName(raw) : null;
}

function safeDecode(value: string, charset: string): string | null {
  try {
    if (charset === "utf-8" || charset === "") return decodeURIComponent(value);
    // ISO-8859-1: each %XX is one character.
    return value.replace(/%([0-9a-f]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  } catch {
    return null;
  }
}

function lastSegment(url: URL): string | null {
  const segment = url.pathname.split("/").pop();
  if (!segment) return null;
  const decoded = safeDecode(segment, "utf-8");
  return decoded ? baseName(decoded) : null;
}

function baseName(name: string): string | null {
  const base = name.split(/[/\\]/).pop()?.trim() ?? "";
  return base === "" || base === "." || base === ".." ? null : base;
}
