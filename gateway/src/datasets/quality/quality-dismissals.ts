import type { PrismaClient } from "../../generated/prisma/client";
import { isUuid } from "../../graphql/ids";
import { checkLength, limits } from "../../limits";
import { assertCanChange, requireViewer, type Viewer } from "../../users/access";
import type { QualityFindingKind } from "./quality-input";
import type { DismissalView } from "./quality-view";

/** A version's dismissals by finding kind. */
export async function loadDismissals(
  prisma: PrismaClient,
  versionId: string,
): Promise<Map<QualityFindingKind, DismissalView>> {
  const rows = await prisma.qualityDismissal.findMany({ where: { versionId } });
  return new Map(
    rows.map((row) => [
      row.kind as QualityFindingKind,
      { reason: row.reason, dismissedAt: row.createdAt, dismissedById: row.dismissedById },
    ]),
  );
}

/**
 * The version, when the viewer may change its dataset: NOT_FOUND for one they cannot see,
 * FORBIDDEN for another user's public one (admins may change any).
 */
export async function assertOwnVersion(prisma: PrismaClient, viewer: Viewer | null, versionId: string) {
  const user = requireViewer(viewer);
  const row = isUuid(versionId)
    ? await prisma.datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: true } })
    : null;
  assertCanChange(user, row?.dataset ?? null, `Dataset version ${versionId}`);
  return { user, versionId: row!.id };
}

/** Trimmed, empty as null, at most qualityDismissalReasonLength characters (BAD_USER_INPUT beyond). */
export function dismissalReason(reason: string | null | undefined): string | null {
  const trimmed = reason?.trim() ?? "";
  return trimmed === "" ? null : checkLength("reason", trimmed, limits.qualityDismissalReasonLength);
}

/** Dismissing again replaces the reason and the time. */
export async function saveDismissal(
  prisma: PrismaClient,
  versionId: string,
  kind: QualityFindingKind,
  reason: string | null,
  userId: string,
): Promise<void> {
  const now = new Date();
  await prisma.qualityDismissal.upsert({
    where: { versionId_kind: { versionId, kind } },
    create: { versionId, kind, reason, dismissedById: userId, createdAt: now },
    update: { reason, dismissedById: userId, createdAt: now },
  });
}

/** Restoring a finding that is not dismissed changes nothing. */
export async function deleteDismissal(prisma: PrismaClient, versionId: string, kind: QualityFindingKind) {
  await prisma.qualityDismissal.deleteMany({ where: { versionId, kind } });
}
