import { Router } from "express";
import { notFound } from "../errors";
import type { PrismaClient } from "../generated/prisma/client";
import { isUuid } from "../graphql/ids";
import { viewerOf } from "../http/downloads";
import { sendBlob } from "../http/sample-files";
import { sendError } from "../http/send-error";
import type { UrlSigner } from "../http/url-signer";
import type { Logger } from "../logger";
import type { BlobStore } from "../storage/blob-store";
import { canSee } from "../users/access";
import type { UsersService } from "../users/users.service";
import { reconstructionArtifactPath } from "./reconstruction-links";

interface ReconstructionFileDeps {
  prisma: PrismaClient;
  store: BlobStore;
  users: UsersService;
  signer: UrlSigner;
  logger: Logger;
}

/**
 * The GET behind `ReconstructionArtifact.url` and `previewUrl`: a signed link or a bearer token;
 * the reconstruction's owner (and admins) only, others get 404. Byte ranges are served, so a
 * viewer can fetch a large GLB in parts or resume it.
 */
export function reconstructionFileRoutes(deps: ReconstructionFileDeps): Router {
  const router = Router();
  router.get("/files/reconstruction-artifacts/:id", async (req, res) => {
    try {
      const id = req.params.id as string;
      const viewer = await viewerOf(deps, req, reconstructionArtifactPath(id));
      const artifact = isUuid(id)
        ? await deps.prisma.reconstructionArtifact.findUnique({
            where: { id },
            include: { reconstruction: { select: { ownerId: true } } },
          })
        : null;
      if (!artifact || !canSee(viewer, { ownerId: artifact.reconstruction.ownerId, isPublic: false })) {
        throw notFound(`Reconstruction artifact ${id}`);
      }
      // Images show in the browser; meshes and point clouds download under their own name.
      const disposition = artifact.contentType.startsWith("image/") ? "inline" : "attachment";
      res.setHeader("Content-Disposition", `${disposition}; filename="${artifact.fileName}"`);
      await sendBlob(deps.store, req, res, {
        sha256: artifact.sha256,
        sizeBytes: Number(artifact.sizeBytes),
        type: artifact.contentType,
      });
    } catch (error) {
      sendError(res, error, deps.logger);
    }
  });
  return router;
}
