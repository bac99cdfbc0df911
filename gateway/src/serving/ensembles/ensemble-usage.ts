import type { PrismaClient } from "../../generated/prisma/client";
import { failedPrecondition } from "../../errors";
import { canSee, type Viewer } from "../../users/access";

/** What is about to be deleted: one version, or a whole model with its versions. */
export type DeletionTarget = { versionId: string } | { modelId: string };

/**
 * Refuses to delete what an ensemble uses: a member version, a model an alias member follows, or
 * the version such an alias points at now (the database's RESTRICT keys catch the first two in a
 * race; this check gives the reason). Ensembles the deleter cannot see are not named.
 */
export class EnsembleUsage {
  constructor(private readonly prisma: PrismaClient) {}

  async assertUnused(viewer: Viewer, target: DeletionTarget): Promise<void> {
    const users = await this.prisma.ensembleMember.findMany({
      where: usesOf(target),
      select: {
        alias: true,
        aliasModel: { select: { aliases: { select: { alias: true, versionId: true } } } },
        ensemble: {
          select: {
            version: true,
            modelId: true,
            model: {
              select: { slug: true, ownerId: true, isPublic: true, owner: { select: { handle: true } } },
            },
          },
        },
      },
      take: 50,
    });
    // Deleting a model takes its own ensemble versions with it.
    const blocking = users
      .filter((u) => "modelId" in target || !u.aliasModel || followsTo(u, target.versionId))
      .map((u) => u.ensemble)
      .filter((e) => !("modelId" in target) || e.modelId !== target.modelId);
    if (blocking.length === 0) return;
    const names = [
      ...new Set(
        blocking.map((e) =>
          canSee(viewer, e.model)
            ? `"${e.model.owner.handle}/${e.model.slug}" ${e.version}`
            : "another user's ensemble",
        ),
      ),
    ];
    const what = "versionId" in target ? "This model version" : "This model";
    throw failedPrecondition(
      `${what} is used by ensemble ${names.join(", ")}; delete or replace that ensemble first`,
      {
        ensembles: names,
      },
    );
  }
}

function followsTo(
  member: {
    alias: string | null;
    aliasModel: { aliases: Array<{ alias: string; versionId: string }> } | null;
  },
  versionId: string,
): boolean {
  return member.aliasModel!.aliases.some((a) => a.alias === member.alias && a.versionId === versionId);
}

function usesOf(target: DeletionTarget) {
  if ("modelId" in target) {
    return { OR: [{ memberVersion: { modelId: target.modelId } }, { aliasModel: { id: target.modelId } }] };
  }
  return {
    OR: [
      { memberVersionId: target.versionId },
      // An alias member whose alias points at this version now.
      { aliasModel: { aliases: { some: { versionId: target.versionId } } } },
    ],
  };
}
