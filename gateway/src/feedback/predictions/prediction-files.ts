import { Router } from "express";
import type { PrismaClient } from "../../generated/prisma/client";
import type { BlobStore } from "../../storage/blob-store";
import type { UsersService } from "../../users/users.service";
import type { Logger } from "../../logger";
import { notFound } from "../../errors";
import { imageContentType, viewerOf } from "../../http/downloads";
import { sendBlob } from "../../http/sample-files";
import { sendError } from "../../http/send-error";
import type { UrlSigner } from "../../http/url-signer";
import { readImageSignature } from "../../datasets/images/image-signature";
import { predictionImagePath } from "./prediction-links";
import type { PredictionsService } from "./predictions.service";
import { canSeePredictionImage } from "./owned-predictions";

interface PredictionFileDeps {
  prisma: PrismaClient;
  store: BlobStore;
  users: UsersService;
  signer: UrlSigner;
  predictions: PredictionsService;
  logger: Logger;
}

/** Bytes enough to tell JPEG, PNG, GIF and WebP apart. */
const SIGNATURE_BYTES = 16;

/**
 * The GET behind `Prediction.imageUrl`: a signed link or a bearer token, for whoever sees the
 * prediction and, when its image is a dataset sample's, that sample's dataset.
 */
export function predictionFileRoutes(deps: PredictionFileDeps): Router {
  const router = Router();
  router.get("/files/predictions/:id/image", async (req, res) => {
    try {
      const id = req.params.id as string;
      const viewer = await viewerOf(deps, req, predictionImagePath(id));
      const prediction = await deps.predictions.find(viewer, id);
      const shown = prediction && canSeePredictionImage(viewer, prediction) ? prediction.imageSha256 : null;
      const stat = shown ? await deps.store.stat(shown) : null;
      if (!shown || !stat) throw notFound(`Image of prediction ${id}`);
      const type = await contentTypeOf(deps.store, shown, stat.sizeBytes);
      // Classified uploads are whatever the tier decoded: never let a browser guess otherwise.
      res.setHeader("X-Content-Type-Options", "nosniff");
      await sendBlob(deps.store, req, res, {
        sha256: shown,
        sizeBytes: stat.sizeBytes,
        type,
      });
    } catch (error) {
      sendError(res, error, deps.logger);
    }
  });
  return router;
}

/** The stored image's type from its first bytes (no format is stored with a prediction). */
async function contentTypeOf(store: BlobStore, sha256: string, sizeBytes: number): Promise<string> {
  const end = Math.min(SIGNATURE_BYTES, sizeBytes) - 1;
  if (end < 0) return imageContentType(null);
  const chunks: Buffer[] = [];
  for await (const chunk of await store.openRead(sha256, { start: 0, end })) chunks.push(chunk as Buffer);
  const signature = readImageSignature(Buffer.concat(chunks));
  return imageContentType(signature.kind === "accepted" ? signature.format : null);
}
