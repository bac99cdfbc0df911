import { Router } from "express";
import type { PrismaClient } from "../generated/prisma/client";
import type { BlobStore } from "../storage/blob-store";
import type { UsersService } from "../users/users.service";
import type { Logger } from "../logger";
import { sceneFrameImagePath, sceneFrameThumbnailPath } from "../http/download-links";
import { viewerOf } from "../http/downloads";
import { sendBlob } from "../http/sample-files";
import { sendError } from "../http/send-error";
import type { UrlSigner } from "../http/url-signer";
import type { ScenesService } from "./scenes.service";

interface SceneFrameFileDeps {
  prisma: PrismaClient;
  store: BlobStore;
  users: UsersService;
  signer: UrlSigner;
  scenes: ScenesService;
  logger: Logger;
}

/** The GETs behind `SceneFrame.imageUrl` and `thumbnailUrl`: a signed link or a bearer token. */
export function sceneFrameFileRoutes(deps: SceneFrameFileDeps): Router {
  const router = Router();
  const route = (side: "image" | "thumbnail", signedPath: (id: string) => string, type: string) =>
    router.get(`/files/scene-frames/:id/${side}`, async (req, res) => {
      try {
        const id = req.params.id as string;
        const viewer = await viewerOf(deps, req, signedPath(id));
        const frame = await deps.scenes.visibleFrame(viewer, id);
        await sendBlob(deps.store, req, res, { ...frame[side], type });
      } catch (error) {
        sendError(res, error, deps.logger);
      }
    });
  route("image", sceneFrameImagePath, "image/png");
  route("thumbnail", sceneFrameThumbnailPath, "image/webp");
  return router;
}
