import { Router, type Request, type Response } from "express";
import type { PrismaClient } from "../generated/prisma/client";
import type { BlobStore } from "../storage/blob-store";
import type { UsersService } from "../users/users.service";
import type { DatasetsService } from "../datasets/datasets.service";
import type { Logger } from "../logger";
import { sampleImagePath, sampleThumbnailPath } from "./download-links";
import { imageContentType, pipeToResponse, redirectToStore, viewerOf } from "./downloads";
import { parseRange } from "./range";
import { sendError } from "./send-error";
import type { UrlSigner } from "./url-signer";

interface SampleFileDeps {
  prisma: PrismaClient;
  store: BlobStore;
  users: UsersService;
  signer: UrlSigner;
  datasets: DatasetsService;
  logger: Logger;
}

/** The GETs behind `Sample.imageUrl` and `Sample.thumbnailUrl`: a signed link or a bearer token. */
export function sampleFileRoutes(deps: SampleFileDeps): Router {
  const router = Router();
  router.get("/files/samples/:id/image", async (req, res) => {
    try {
      const id = req.params.id as string;
      const viewer = await viewerOf(deps, req, sampleImagePath(id));
      const sample = await deps.datasets.visibleSample(viewer, id);
      const type = imageContentType(sample.format);
      await sendBlob(deps.store, req, res, { sha256: sample.sha256, sizeBytes: sample.sizeBytes, type });
    } catch (error) {
      sendError(res, error, deps.logger);
    }
  });
  router.get("/files/samples/:id/thumbnail", async (req, res) => {
    try {
      const id = req.params.id as string;
      const viewer = await viewerOf(deps, req, sampleThumbnailPath(id));
      const thumbnail = await deps.datasets.thumbnailOf(await deps.datasets.visibleSample(viewer, id));
      await sendBlob(deps.store, req, res, { ...thumbnail, type: "image/webp" });
    } catch (error) {
      sendError(res, error, deps.logger);
    }
  });
  return router;
}

/** Content-addressed, so the hash is the ETag and the bytes never change under a URL. */
export async function sendBlob(
  store: BlobStore,
  req: Request,
  res: Response,
  blob: { sha256: string; sizeBytes: number; type: string },
) {
  const etag = `"${blob.sha256}"`;
  res.setHeader("ETag", etag);
  res.setHeader("Accept-Ranges", "bytes");
  res.setHeader("Cache-Control", "private, max-age=3600, immutable");
  res.setHeader("Content-Type", blob.type);
  if (req.headers["if-none-match"] === etag) {
    res.status(304).end();
    return;
  }
  if (await redirectToStore(store, res, blob.sha256, { contentType: blob.type })) return;
  const range = parseRange(req.headers.range, blob.sizeBytes, req.headers["if-range"], etag);
  if (range === "unsatisfiable") {
    res.setHeader("Content-Range", `bytes */${blob.sizeBytes}`);
    res.status(416).end();
    return;
  }
  const stream = await store.openRead(blob.sha256, range ?? undefined);
  if (range) {
    res.status(206);
    res.setHeader("Content-Range", `bytes ${range.start}-${range.end}/${blob.sizeBytes}`);
    res.setHeader("Content-Length", String(range.end - range.start + 1));
  } else {
    res.setHeader("Content-Length", String(blob.sizeBytes));
  }
  await pipeToResponse(stream, res);
}
