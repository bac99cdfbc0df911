import type { PrismaClient } from "../../generated/prisma/client";
import { failedPrecondition } from "../../errors";
import type { Viewer } from "../../users/access";

/** What is about to be deleted: one version, or a whole model with its versions. */
export type DeletionTarget = { versionId: string } | { modelId: string };

/**
 * Refuses to delete what the deleter's own ensembles use (a member version, a model an alias member
 * follows, or the version such an alias points at now), so that they replace those members first.
 * Another user's ensemble never holds a deletion back: anyone could otherwise pin a public model by
 * naming it in an ensemble. Their member is then set null (ON DELETE SET NULL) and fails at run time.
 */
export class EnsembleUsage {
  constructor(private readonly prisma: PrismaClient) {}

  async assertUnused(viewer: Viewer, target: DeletionTarget): Promise<void> {
    const users = await this.prisma.ensembleMember.findMany({
      where: { AND: [usesOf(target), { ensemble: { model: { ownerId: viewer.id } } }] },
      select: {
        alias: true,
        aliasModel: { select: { aliases: { select: { alias: true, versionId: true } } } },
        ensemble: {
          select: {
            version: true,
            modelId: true,
            model: { select: { slug: true, owner: { select: { handle: true } } } },
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
    const names = [...new Set(blocking.map((e) => `"${e.model.owner.handle}/${e.model.slug}" ${e.version}`))];
    const what = "versionId" in target ? "This model version" : "This model";
    throw failedPrecondition(
      `${what} is used by your ensemble ${names.join(", ")}; delete or replace that ensemble first`,
      { ensembles: names },
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
