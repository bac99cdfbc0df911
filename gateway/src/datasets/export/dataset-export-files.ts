import { Router } from "express";
import type { PrismaClient } from "../../generated/prisma/client";
import type { UsersService } from "../../users/users.service";
import type { Logger } from "../../logger";
import { createZipStream, zipStreamSize } from "../../archives/zip-writer";
import { pipeToResponse, viewerOf } from "../../http/downloads";
import { sendError } from "../../http/send-error";
import type { UrlSigner } from "../../http/url-signer";
import type { DatasetsService } from "../datasets.service";
import { datasetExportPath } from "./dataset-export.service";

interface DatasetExportFileDeps {
  prisma: PrismaClient;
  users: UsersService;
  signer: UrlSigner;
  datasets: DatasetsService;
  logger: Logger;
}

/**
 * The GET behind `exportDatasetVersion`: a signed link or a bearer token. The ZIP is streamed as it
 * is built (stored entries: the images are compressed already), one image read at a time, with
 * its exact length announced up front.
 */
export function datasetExportFileRoutes(deps: DatasetExportFileDeps): Router {
  const router = Router();
  router.get("/files/dataset-versions/:id/export.zip", async (req, res) => {
    try {
      const id = req.params.id as string;
      const viewer = await viewerOf(deps, req, datasetExportPath(id));
      const { fileName, files } = await deps.datasets.exports.archive(viewer, id);
      res.setHeader("Content-Type", "application/zip");
      res.setHeader("Content-Disposition", attachment(fileName));
      res.setHeader("Cache-Control", "private, no-store");
      res.setHeader("Content-Length", String(zipStreamSize(files)));
      await pipeToResponse(createZipStream(files), res);
    } catch (error) {
      sendError(res, error, deps.logger);
    }
  });
  return router;
}

/** RFC 6266 with an ASCII fallback and the exact UTF-8 name. */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
