import { Readable } from "node:stream";
import type { PrismaClient } from "../generated/prisma/client";
import type { BlobStore } from "../storage/blob-store";
import type { BlobReferences } from "../blobs/blob-references";
import { SYSTEM_HANDLE } from "../users/users.service";

export const FEATURE_EMBEDDER_SLUG = "feature-embedder";
const FEATURE_EMBEDDER_TIER_NAME = "feature-embedder";

/** The tier's versions of the built-in embedder ("1", "2"); every version stays callable. */
export type BuiltinEmbedderVersion = "1" | "2";

/**
 * What the registry shows for each version of the built-in embedder; the tier computes it without
 * weights. A version's vectors never change: a new descriptor is a new version with its own
 * embedding space, so vectors stored with an older one stay valid.
 */
const embedderVersions = [
  {
    number: 1,
    tierVersion: "1",
    description:
      "Deterministic image embedding without learned weights: colour statistics and texture descriptors, projected to the requested dimension and L2-normalised.",
  },
  {
    number: 2,
    tierVersion: "2",
    description:
      "Deterministic image embedding without learned weights that sees shape and layout: histograms of oriented gradients at three scales pooled over a spatial pyramid, their rotation-invariant spectrum, a luma layout and a hue histogram (zero for grey images), projected to the requested dimension and L2-normalised.",
  },
] as const satisfies ReadonlyArray<{
  number: number;
  tierVersion: BuiltinEmbedderVersion;
  description: string;
}>;

const defaultDimension = 256;

/**
 * Lists the tier's built-in models in the registry as public models of the `system` user, so
 * clients name them like any other model version: `system/feature-embedder` v1 and v2. Adds the
 * versions a database lacks (one from before v2 gets v2 at its next start); runs at every start.
 */
export async function registerBuiltinModels(
  prisma: PrismaClient,
  store: BlobStore,
  references: BlobReferences,
) {
  const system = await prisma.user.findUniqueOrThrow({ where: { handle: SYSTEM_HANDLE } });
  const existing = await prisma.model.findUnique({
    where: { ownerId_slug: { ownerId: system.id, slug: FEATURE_EMBEDDER_SLUG } },
    include: { versions: { select: { ordinal: true } } },
  });
  const present = new Set(existing?.versions.map((version) => version.ordinal));
  const missing = embedderVersions.filter((version) => !present.has(version.number));
  if (missing.length === 0) return;
  const stored = await Promise.all(
    missing.map((version) => {
      const descriptor = {
        builtin: FEATURE_EMBEDDER_TIER_NAME,
        builtinVersion: version.tierVersion,
        method: "FEATURE",
        defaultDimension,
        description: version.description,
      };
      return store.put(Readable.from([Buffer.from(`${JSON.stringify(descriptor, null, 2)}\n`)]));
    }),
  );
  const latest = embedderVersions.at(-1)!;
  await prisma.$transaction(async (tx) => {
    await references.record(tx, stored);
    const model =
      existing ??
      (await tx.model.create({
        data: {
          ownerId: system.id,
          slug: FEATURE_EMBEDDER_SLUG,
          name: "Feature embedder (built-in)",
          description: latest.description,
          framework: "OTHER",
          modelType: "EMBEDDING",
          algorithm: "oriented-gradient pyramid + layout + colour, random orthogonal projection",
          tags: ["builtin", "embedding"],
          isPublic: true,
        },
      }));
    for (const [index, version] of missing.entries()) {
      const blob = stored[index]!;
      await tx.modelVersion.create({
        data: {
          modelId: model.id,
          version: `v${version.number}`,
          ordinal: version.number,
          createdById: system.id,
          sizeBytes: BigInt(blob.sizeBytes),
          customMetadata: { builtin: FEATURE_EMBEDDER_TIER_NAME, builtinVersion: version.tierVersion },
          isProductionReady: true,
          validation: "VALID",
          outputShape: [defaultDimension],
          files: {
            create: {
              path: "feature-embedder.json",
              sizeBytes: BigInt(blob.sizeBytes),
              sha256: blob.sha256,
              contentType: "application/json",
              fileType: "config",
              isPrimary: true,
            },
          },
        },
      });
    }
  });
}

/** The tier model a built-in version stands for, or null for an ordinary version. */
export function builtinTierModel(customMetadata: unknown): string | null {
  const builtin = (customMetadata as { builtin?: unknown } | null)?.builtin;
  return builtin === FEATURE_EMBEDDER_TIER_NAME ? builtin : null;
}

/**
 * The tier version of the built-in embedder a registry version stands for ("1" for the version
 * registered before the embedder had versions, whose metadata names none), or null for an
 * ordinary version.
 */
export function builtinTierVersion(customMetadata: unknown): BuiltinEmbedderVersion | null {
  if (!builtinTierModel(customMetadata)) return null;
  const version = (customMetadata as { builtinVersion?: unknown }).builtinVersion;
  return version === "2" ? "2" : "1";
}

/**
 * How a tier call names a built-in embedder version: Embed's backbone fields and Train's base
 * both take (model name, model version). Version 1 is named by nothing at all, as before versions
 * existed, so a tier from before then still serves it.
 */
export function builtinTierName(version: BuiltinEmbedderVersion): { name: string; version: string } {
  return version === "1" ? { name: "", version: "" } : { name: FEATURE_EMBEDDER_TIER_NAME, version };
}
