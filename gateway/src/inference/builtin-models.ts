import { Readable } from "node:stream";
import type { PrismaClient } from "../generated/prisma/client";
import type { BlobStore } from "../storage/blob-store";
import type { BlobReferences } from "../blobs/blob-references";
import { SYSTEM_HANDLE } from "../users/users.service";

export const FEATURE_EMBEDDER_SLUG = "feature-embedder";
const FEATURE_EMBEDDER_TIER_NAME = "feature-embedder";

/** What the registry shows for the built-in embedder; the tier computes it without weights. */
const featureEmbedderDescriptor = {
  builtin: FEATURE_EMBEDDER_TIER_NAME,
  method: "FEATURE",
  defaultDimension: 256,
  description:
    "Deterministic image embedding without learned weights: colour statistics and texture descriptors, projected to the requested dimension and L2-normalised.",
};

/**
 * Lists the tier's built-in models in the registry as public models of the `system` user, so
 * clients name them like any other model version. Idempotent; runs at every start.
 */
export async function registerBuiltinModels(
  prisma: PrismaClient,
  store: BlobStore,
  references: BlobReferences,
) {
  const system = await prisma.user.findUniqueOrThrow({ where: { handle: SYSTEM_HANDLE } });
  const existing = await prisma.model.findUnique({
    where: { ownerId_slug: { ownerId: system.id, slug: FEATURE_EMBEDDER_SLUG } },
    include: { versions: true },
  });
  if (existing?.versions.length) return;
  const bytes = Buffer.from(`${JSON.stringify(featureEmbedderDescriptor, null, 2)}\n`);
  const stored = await store.put(Readable.from([bytes]));
  await prisma.$transaction(async (tx) => {
    await references.record(tx, [stored]);
    const model =
      existing ??
      (await tx.model.create({
        data: {
          ownerId: system.id,
          slug: FEATURE_EMBEDDER_SLUG,
          name: "Feature embedder (built-in)",
          description: featureEmbedderDescriptor.description,
          framework: "OTHER",
          modelType: "EMBEDDING",
          algorithm: "colour statistics + texture descriptors + random projection",
          tags: ["builtin", "embedding"],
          isPublic: true,
        },
      }));
    await tx.modelVersion.create({
      data: {
        modelId: model.id,
        version: "v1",
        ordinal: 1,
        createdById: system.id,
        sizeBytes: BigInt(stored.sizeBytes),
        customMetadata: { builtin: FEATURE_EMBEDDER_TIER_NAME },
        isProductionReady: true,
        validation: "VALID",
        outputShape: [featureEmbedderDescriptor.defaultDimension],
        files: {
          create: {
            path: "feature-embedder.json",
            sizeBytes: BigInt(stored.sizeBytes),
            sha256: stored.sha256,
            contentType: "application/json",
            fileType: "config",
            isPrimary: true,
          },
        },
      },
    });
  });
}

/** The tier model a built-in version stands for, or null for an ordinary version. */
export function builtinTierModel(customMetadata: unknown): string | null {
  const builtin = (customMetadata as { builtin?: unknown } | null)?.builtin;
  return builtin === FEATURE_EMBEDDER_TIER_NAME ? builtin : null;
}
