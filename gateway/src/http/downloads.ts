import { Router, type Request, type Response } from "express";
import type { PrismaClient } from "../generated/prisma/client";
import type { BlobStore } from "../storage/blob-store";
import { notFound, unauthenticated } from "../errors";
import { assertCanSee, type Viewer } from "../users/access";
import type { UsersService } from "../users/users.service";
import { bearerToken } from "../users/tokens";
import { isUuid } from "../graphql/ids";
import { createZipStream, zipStreamSize } from "../archives/zip-writer";
import type { Logger } from "../logger";
import { modelArchivePath, modelFilePath } from "./download-links";
import { parseRange } from "./range";
import type { UrlSigner } from "./url-signer";
import { sendError } from "./send-error";
import { artifactPath, type InferenceArtifacts } from "../inference/artifacts";

interface DownloadDeps {
  prisma: PrismaClient;
  store: BlobStore;
  users: UsersService;
  signer: UrlSigner;
  artifacts: InferenceArtifacts;
  logger: Logger;
}

/** Plain HTTP GETs behind `downloadUrl`: streamed, authorised by a bearer token or a signed link. */
export function downloadRoutes(deps: DownloadDeps): Router {
  const router = Router();
  router.get(/^\/files\/model-versions\/([^/]+)\.zip$/, (req, res) =>
    handle(res, deps.logger, () => sendVersionArchive(deps, req, res, req.params[0] as string)),
  );
  router.get(/^\/files\/artifacts\/([^/]+)$/, (req, res) =>
    handle(res, deps.logger, () => sendArtifact(deps, req, res, req.params[0] as string)),
  );
  router.get(/^\/files\/model-versions\/([^/]+)\/files\/(.+)$/, (req, res) =>
    handle(res, deps.logger, () =>
      sendModelFile(deps, req, res, req.params[0] as string, decodePath(req.params[1] as string)),
    ),
  );
  return router;
}

async function handle(res: Response, logger: Logger, send: () => Promise<void>) {
  try {
    await send();
  } catch (error) {
    sendError(res, error, logger);
  }
}

function decodePath(encoded: string): string {
  try {
    return encoded.split("/").map(decodeURIComponent).join("/");
  } catch {
    throw notFound("File");
  }
}

export async function viewerOf(
  deps: Pick<DownloadDeps, "prisma" | "users" | "signer">,
  req: Request,
  path: string,
): Promise<Viewer | null> {
  const token = bearerToken(req.headers.authorization);
  if (token) {
    const viewer = await deps.users.authenticate(token);
    if (!viewer) throw unauthenticated("The bearer token is invalid or revoked");
    return viewer;
  }
  const query = new URL(req.originalUrl, "http://x").searchParams;
  if (!query.has("signature")) return null;
  const signed = deps.signer.verify(path, query);
  if (!signed)
    throw unauthenticated("This download link is invalid or has expired; ask the API for a new one");
  if (!signed.userId) return null;
  const user = await deps.prisma.user.findUnique({ where: { id: signed.userId } });
  return user ? { id: user.id, handle: user.handle, role: user.role } : null;
}

async function visibleVersion(deps: DownloadDeps, req: Request, versionId: string, path: string) {
  const viewer = await viewerOf(deps, req, path);
  const version = isUuid(versionId)
    ? await deps.prisma.modelVersion.findUnique({
        where: { id: versionId },
        include: { model: true, files: true },
      })
    : null;
  return assertCanSee(viewer, version, `Model version ${versionId}`, (v) => v.model);
}

async function sendModelFile(
  deps: DownloadDeps,
  req: Request,
  res: Response,
  versionId: string,
  filePath: string,
) {
  const version = await visibleVersion(deps, req, versionId, modelFilePath(versionId, filePath));
  const file = version.files.find((f) => f.path === filePath);
  if (!file) throw notFound(`File "${filePath}" in version ${version.version}`);
  const size = Number(file.sizeBytes);
  const etag = `"${file.sha256}"`;
  res.setHeader("ETag", etag);
  res.setHeader("Accept-Ranges", "bytes");
  res.setHeader("Cache-Control", "private, max-age=3600, immutable");
  res.setHeader("Content-Type", file.contentType);
  res.setHeader("Content-Disposition", attachment(file.path.split("/").at(-1)!));
  if (req.headers["if-none-match"] === etag) {
    res.status(304).end();
    return;
  }
  const fileName = file.path.split("/").at(-1)!;
  if (await redirectToStore(deps.store, res, file.sha256, { fileName, contentType: file.contentType }))
    return;
  const range = parseRange(req.headers.range, size, req.headers["if-range"], etag);
  if (range === "unsatisfiable") {
    res.setHeader("Content-Range", `bytes */${size}`);
    res.status(416).end();
    return;
  }
  const stream = await deps.store.openRead(file.sha256, range ?? undefined);
  if (range) {
    res.status(206);
    res.setHeader("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
    res.setHeader("Content-Length", String(range.end - range.start + 1));
  } else {
    res.setHeader("Content-Length", String(size));
  }
  await pipeToResponse(stream, res);
}

/** Inference outputs: visible to whoever asked for them (and admins), until they expire. */
async function sendArtifact(deps: DownloadDeps, req: Request, res: Response, id: string) {
  const viewer = await viewerOf(deps, req, artifactPath(id));
  const artifact = isUuid(id) ? await deps.artifacts.find(id) : null;
  const allowed =
    artifact && (artifact.ownerId === null || artifact.ownerId === viewer?.id || viewer?.role === "ADMIN");
  if (!artifact || !allowed) throw notFound(`Inference result ${id}`);
  res.setHeader("Content-Type", artifact.contentType);
  res.setHeader("Content-Disposition", `inline; filename="${artifact.fileName}"`);
  res.setHeader("Cache-Control", "private, max-age=3600, immutable");
  if (await redirectToStore(deps.store, res, artifact.sha256, { contentType: artifact.contentType })) return;
  await pipeToResponse(await deps.store.openRead(artifact.sha256), res);
}

async function sendVersionArchive(deps: DownloadDeps, req: Request, res: Response, versionId: string) {
  const version = await visibleVersion(deps, req, versionId, modelArchivePath(versionId));
  const entries = [...version.files]
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((f) => ({
      path: f.path,
      sizeBytes: Number(f.sizeBytes),
      open: () => deps.store.openRead(f.sha256),
    }));
  res.setHeader("Content-Type", "application/zip");
  res.setHeader("Content-Disposition", attachment(`${version.model.slug}-${version.version}.zip`));
  res.setHeader("Cache-Control", "private, no-store");
  res.setHeader("Content-Length", String(zipStreamSize(entries)));
  await pipeToResponse(createZipStream(entries), res);
}

/**
 * TESSERA_BLOB_DOWNLOADS=presigned: a 302 to the object store instead of the bytes, once the
 * caller has authorised the download. The presigned URL expires, so the redirect is not cached;
 * a Range header is sent again to the store, which answers it. True when the redirect was sent.
 */
export async function redirectToStore(
  store: BlobStore,
  res: Response,
  sha256: string,
  options: { fileName?: string; contentType?: string },
): Promise<boolean> {
  const url = await store.directDownloadUrl?.(sha256, options);
  if (!url) return false;
  res.setHeader("Cache-Control", "private, no-store");
  res.redirect(302, url);
  return true;
}

export function pipeToResponse(
  stream: NodeJS.ReadableStream & { destroy(error?: Error): void },
  res: Response,
) {
  return new Promise<void>((resolve) => {
    res.once("close", () => {
      stream.destroy();
      resolve();
    });
    stream.once("error", (error) => {
      res.destroy(error as Error);
      resolve();
    });
    stream.pipe(res);
  });
}

/** RFC 6266 with an ASCII fallback and the exact UTF-8 name. */
function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

const imageContentTypes: Record<string, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
};

/** The Content-Type of a stored image by its detected format ("png", …); unknown → octet-stream. */
export function imageContentType(format: string | null | undefined): string {
  return imageContentTypes[format ?? ""] ?? "application/octet-stream";
}
