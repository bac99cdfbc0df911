import type { PrismaClient } from "../generated/prisma/client";
import { AppError, badInput, forbidden } from "../errors";
import { validSlug } from "../models/model-validation";
import type { Viewer } from "../users/access";

/**
 * The slug of the viewer's model the result is registered under: `slug`, or `handle/slug` with
 * the viewer's own handle. Results always go to the job owner's models, so another user's handle
 * is FORBIDDEN; an existing model that holds other than ONNX versions is refused, since the
 * trained model is ONNX.
 */
export async function checkTargetModel(prisma: PrismaClient, viewer: Viewer, raw: string): Promise<string> {
  const field = "targetModelSlug";
  const [handle, slugPart] = raw.includes("/") ? raw.split("/", 2) : [null, raw];
  if (handle !== null && handle !== viewer.handle) {
    throw forbidden(
      `targetModelSlug "${raw}" names a model of ${handle}; a job registers its result under your own models, so give a slug of yours (like "${slugPart}")`,
    );
  }
  const slug = targetSlug(slugPart ?? "");
  const existing = await prisma.model.findUnique({
    where: { ownerId_slug: { ownerId: viewer.id, slug } },
    select: { framework: true },
  });
  if (existing && existing.framework !== "ONNX") {
    throw badInput(
      `Your model "${slug}" holds ${existing.framework} versions; a trained model is ONNX, so choose a new slug or an ONNX model of yours`,
      { field },
    );
  }
  return slug;
}

function targetSlug(raw: string): string {
  try {
    return validSlug(raw);
  } catch (error) {
    if (error instanceof AppError)
      throw badInput(`targetModelSlug: ${error.message}`, { field: "targetModelSlug" });
    throw error;
  }
}
