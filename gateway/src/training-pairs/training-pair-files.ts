import { Router, type Request, type Response } from "express";
import type { PrismaClient } from "../generated/prisma/client";
import type { BlobStore } from "../storage/blob-store";
import type { UsersService } from "../users/users.service";
import type { Logger } from "../logger";
import { createZipStream, zipStreamSize } from "../archives/zip-writer";
import { imageContentType, pipeToResponse, viewerOf } from "../http/downloads";
import { sendError } from "../http/send-error";
import type { UrlSigner } from "../http/url-signer";
import type { PairSide } from "./training-pair-metadata";
import { trainingPairImagePath, trainingPairsExportPath } from "./training-pair-links";
import { trainingPairsArchive } from "./training-pairs-export";
import type { TrainingPairsService } from "./training-pairs.service";

interface TrainingPairFileDeps {
  prisma: PrismaClient;
  store: BlobStore;
  users: UsersService;
  signer: UrlSigner;
  trainingPairs: TrainingPairsService;
  logger: Logger;
}

/** The GETs behind `TrainingPair.originalUrl`/`transformedUrl` and `trainingPairsExport`. */
export function trainingPairFileRoutes(deps: TrainingPairFileDeps): Router {
  const router = Router();
  router.get(trainingPairsExportPath, async (req, res) => {
    try {
      const viewer = await viewerOf(deps, req, trainingPairsExportPath);
      const files = trainingPairsArchive(await deps.trainingPairs.exportable(viewer), deps.store);
      res.setHeader("Content-Type", "application/zip");
      res.setHeader("Content-Disposition", 'attachment; filename="training-pairs.zip"');
      res.setHeader("Cache-Control", "private, no-store");
      res.setHeader("Content-Length", String(zipStreamSize(files)));
      await pipeToResponse(createZipStream(files), res);
    } catch (error) {
      sendError(res, error, deps.logger);
    }
  });
  for (const side of ["original", "transformed"] as const) {
    router.get(`/files/training-pairs/:id/${side}`, (req, res) =>
      sendImage(deps, req.params.id as string, side, req, res),
    );
  }
  return router;
}

async function sendImage(
  deps: TrainingPairFileDeps,
  id: string,
  side: PairSide,
  req: Request,
  res: Response,
) {
  try {
    const viewer = await viewerOf(deps, req, trainingPairImagePath(id, side));
    const image = await deps.trainingPairs.visibleImage(viewer, id, side);
    // Content-addressed, so the hash is the ETag and the bytes never change under a URL.
    const etag = `"${image.sha256}"`;
    res.setHeader("ETag", etag);
    res.setHeader("Cache-Control", "private, max-age=3600, immutable");
    res.setHeader("Content-Type", imageContentType(image.format));
    if (req.headers["if-none-match"] === etag) {
      res.status(304).end();
      return;
    }
    res.setHeader("Content-Length", String(image.sizeBytes));
    await pipeToResponse(await deps.store.openRead(image.sha256), res);
  } catch (error) {
    sendError(res, error, deps.logger);
  }
}
