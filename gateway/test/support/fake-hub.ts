import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A file in a fake repo, with the faults a test can ask for. */
export interface FakeFile {
  content: Buffer | string;
  /** Stored with Git LFS: `resolve` redirects to the CDN server, the listing carries its sha256. */
  lfs?: boolean;
  /** Sends the full Content-Length, then only this many bytes, then kills the connection. */
  dropAfterBytes?: number;
  /** Sends this many bytes (with a matching Content-Length) although the listing says more. */
  truncateTo?: number;
  /** With truncateTo: sends no Content-Length (chunked), so only the listing tells the body is short. */
  chunked?: boolean;
  /** Sends this many bytes, then goes silent without closing. */
  stallAfterBytes?: number;
  /** The CDN serves these bytes instead (same length), so the LFS sha256 does not match. */
  corruptWith?: Buffer | string;
}

export interface FakeRepo {
  /** `org/name`. */
  id: string;
  /** Served under `/api/datasets/…` and `/datasets/…/resolve` when "dataset"; default "model". */
  kind?: "model" | "dataset";
  /** Revision name (`main`, `refs/pr/1`) → path → file. */
  revisions: Record<string, Record<string, FakeFile>>;
  /** Gated: every request needs `Authorization: Bearer <token>`, else 401 GatedRepo. */
  token?: string;
}

export interface DirectFile {
  content: Buffer | string;
  contentDisposition?: string;
  contentType?: string;
  /** Omits Content-Length (chunked transfer), so the size is unknown until the end. */
  chunked?: boolean;
  /** Answers with this status and no body. */
  status?: number;
  /** Redirects (302) to this location instead of serving. */
  redirectTo?: string;
}

export interface RecordedRequest {
  server: "hub" | "cdn";
  path: string;
  authorization: string | null;
}

/**
 * A real HTTP server on 127.0.0.1 that answers the Hugging Face Hub routes an import uses
 * (`/api/models/{repo}/revision/{rev}`, `/api/models/{repo}/tree/{rev}`, `/{repo}/resolve/{rev}/{path}`,
 * and the same under `/api/datasets/…` and `/datasets/{repo}/resolve/…` for dataset repos),
 * plus a second server standing in for the LFS CDN, and `/files/…` for direct downloads.
 */
export class FakeHub {
  readonly requests: RecordedRequest[] = [];
  /** When set, every API route answers with this status (an outage). */
  outage: number | null = null;
  private readonly repos = new Map<string, FakeRepo>();
  private readonly directFiles = new Map<string, DirectFile>();
  private readonly lfsObjects = new Map<string, FakeFile>();

  private constructor(
    private readonly hub: Server,
    private readonly cdn: Server,
    private readonly pageSize: number,
  ) {}

  static async start(options: { pageSize?: number } = {}): Promise<FakeHub> {
    const fake: FakeHub = new FakeHub(
      createServer((req, res) => fake.answerHub(req, res)),
      createServer((req, res) => fake.answerCdn(req, res)),
      options.pageSize ?? 1000,
    );
    await Promise.all([listen(fake.hub), listen(fake.cdn)]);
    return fake;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.hub.address() as AddressInfo).port}`;
  }

  get cdnOrigin(): string {
    return `http://127.0.0.1:${(this.cdn.address() as AddressInfo).port}`;
  }

  addRepo(repo: FakeRepo): void {
    this.repos.set(`${repo.kind ?? "model"}:${repo.id}`, repo);
    for (const files of Object.values(repo.revisions)) {
      for (const file of Object.values(files)) if (file.lfs) this.lfsObjects.set(sha256(file.content), file);
    }
  }

  /** The commit sha the fake reports for a revision: stable, 40 hex characters. */
  commitOf(repoId: string, revision: string): string {
    return createHash("sha1").update(`${repoId}@${revision}`).digest("hex");
  }

  /** Serves a file at `{endpoint}/files/{name}` (any query string) and returns that URL. */
  serveFile(name: string, file: DirectFile): string {
    const url = new URL(`/files/${name}`, this.endpoint);
    this.directFiles.set(url.pathname, file);
    return url.href;
  }

  async close(): Promise<void> {
    await Promise.all([this.hub, this.cdn].map((server) => closeServer(server)));
  }

  private answerHub(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", this.endpoint);
    this.requests.push({
      server: "hub",
      path: req.url ?? "",
      authorization: req.headers.authorization ?? null,
    });
    const direct = this.directFiles.get(url.pathname);
    if (direct) return serveDirect(direct, res);
    const datasets = url.pathname.startsWith("/api/datasets/") || url.pathname.startsWith("/datasets/");
    const route = datasets
      ? url.pathname.replace(/^\/(api\/)?datasets\//, (_all, api) => (api ? "/api/models/" : "/"))
      : url.pathname;
    const api = route.match(/^\/api\/models\/([^/]+\/[^/]+)\/(revision|tree)\/([^/]+)$/);
    const resolve = route.match(/^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/);
    const match = api ?? resolve;
    if (!match) return hubError(res, 404, "EntryNotFound", "No such route");
    if (api && this.outage) return hubError(res, this.outage, null, "Service unavailable");
    const repo = this.repos.get(`${datasets ? "dataset" : "model"}:${match[1]!}`);
    if (!repo) return hubError(res, 404, "RepoNotFound", "Repository not found");
    if (repo.token && req.headers.authorization !== `Bearer ${repo.token}`) {
      return hubError(res, 401, "GatedRepo", "Access to this model is restricted");
    }
    const revision = decodeURIComponent((api ? match[3] : match[2])!);
    const found = this.findRevision(repo, revision);
    if (!found) return hubError(res, 404, "RevisionNotFound", `Invalid rev id: ${revision}`);
    const [commit, files] = found;
    if (api?.[2] === "revision") {
      return sendJson(res, {
        id: repo.id,
        sha: commit,
        siblings: Object.keys(files).map((rfilename) => ({ rfilename })),
      });
    }
    if (api) return this.sendTreePage(res, url, files);
    const path = match[3]!.split("/").map(decodeURIComponent).join("/");
    const file = files[path];
    if (!file) return hubError(res, 404, "EntryNotFound", `${path} does not exist`);
    res.setHeader("x-repo-commit", commit);
    if (file.lfs) {
      res
        .writeHead(302, { location: `${this.cdnOrigin}/lfs/${sha256(file.content)}?signature=secret` })
        .end();
      return;
    }
    serveBytes(file, Buffer.from(file.content), res);
  }

  private answerCdn(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push({
      server: "cdn",
      path: req.url ?? "",
      authorization: req.headers.authorization ?? null,
    });
    const oid = new URL(req.url ?? "/", this.cdnOrigin).pathname.replace(/^\/lfs\//, "");
    const file = this.lfsObjects.get(oid);
    if (!file) return void res.writeHead(404).end();
    serveBytes(file, Buffer.from(file.corruptWith ?? file.content), res);
  }

  private findRevision(repo: FakeRepo, revision: string): [string, Record<string, FakeFile>] | null {
    for (const [name, files] of Object.entries(repo.revisions)) {
      const commit = this.commitOf(repo.id, name);
      if (revision === name || revision === commit) return [commit, files];
    }
    return null;
  }

  /** The recursive tree, `pageSize` entries a page, linked like the Hub's `Link: <…>; rel="next"`. */
  private sendTreePage(res: ServerResponse, url: URL, files: Record<string, FakeFile>): void {
    if (url.searchParams.get("recursive") !== "true")
      return hubError(res, 400, null, "expected recursive=true");
    const folders = new Set(Object.keys(files).flatMap((path) => parentFolders(path)));
    const entries = [
      ...[...folders].map((path) => ({ type: "directory", oid: sha1(path), size: 0, path })),
      ...Object.entries(files).map(([path, file]) => treeEntry(path, file)),
    ];
    const start = Number(url.searchParams.get("cursor") ?? 0);
    const end = start + this.pageSize;
    if (end < entries.length) {
      const next = new URL(url);
      next.searchParams.set("cursor", String(end));
      res.setHeader("link", `<${next.href}>; rel="next"`);
    }
    sendJson(res, entries.slice(start, end));
  }
}

function treeEntry(path: string, file: FakeFile) {
  const content = Buffer.from(file.content);
  const gitOid = sha1(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]));
  if (!file.lfs) return { type: "file", oid: gitOid, size: content.length, path };
  const lfs = { oid: sha256(content), size: content.length, pointerSize: 134 };
  return { type: "file", oid: gitOid, size: content.length, path, lfs };
}

function serveBytes(file: FakeFile, content: Buffer, res: ServerResponse): void {
  if (file.truncateTo !== undefined) {
    res.writeHead(200, file.chunked ? {} : { "content-length": file.truncateTo });
    res.end(content.subarray(0, file.truncateTo));
    return;
  }
  res.writeHead(200, { "content-type": "application/octet-stream", "content-length": content.length });
  if (file.dropAfterBytes !== undefined) {
    res.write(content.subarray(0, file.dropAfterBytes), () => res.socket?.destroy());
    return;
  }
  if (file.stallAfterBytes !== undefined) {
    res.write(content.subarray(0, file.stallAfterBytes));
    return;
  }
  res.end(content);
}

function serveDirect(file: DirectFile, res: ServerResponse): void {
  if (file.redirectTo) return void res.writeHead(302, { location: file.redirectTo }).end();
  if (file.status) return void res.writeHead(file.status).end();
  const content = Buffer.from(file.content);
  const headers: Record<string, string | number> = {
    "content-type": file.contentType ?? "application/octet-stream",
  };
  if (file.contentDisposition) headers["content-disposition"] = file.contentDisposition;
  if (!file.chunked) headers["content-length"] = content.length;
  res.writeHead(200, headers);
  // Two writes, so a chunked answer really arrives in chunks.
  res.write(content.subarray(0, content.length >> 1));
  res.end(content.subarray(content.length >> 1));
}

function hubError(res: ServerResponse, status: number, code: string | null, message: string): void {
  const headers: Record<string, string> = { "content-type": "application/json", "x-error-message": message };
  if (code) headers["x-error-code"] = code;
  res.writeHead(status, headers).end(JSON.stringify({ error: message }));
}

function sendJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function parentFolders(path: string): string[] {
  const segments = path.split("/").slice(0, -1);
  return segments.map((_segment, index) => segments.slice(0, index + 1).join("/"));
}

function sha256(content: Buffer | string): string {
  return createHash("sha256").update(content).digest("hex");
}

function sha1(content: Buffer | string): string {
  return createHash("sha1").update(content).digest("hex");
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
