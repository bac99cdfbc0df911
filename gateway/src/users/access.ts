import { forbidden, notFound, unauthenticated } from "../errors";

/** The signed-in user as every service sees it. */
export interface Viewer {
  id: string;
  handle: string;
  role: "ADMIN" | "MEMBER";
  /** The API token this request signed in with (absent for callers inside the gateway). */
  tokenId?: string;
}

interface Owned {
  ownerId: string;
  isPublic: boolean;
}

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw unauthenticated();
  return viewer;
}

export const isAdmin = (viewer: Viewer | null) => viewer?.role === "ADMIN";

export function canSee(viewer: Viewer | null, object: Owned): boolean {
  return object.isPublic || (viewer !== null && (viewer.role === "ADMIN" || viewer.id === object.ownerId));
}

/**
 * Throws NOT_FOUND for an object the viewer may not see (its existence is not leaked), FORBIDDEN for
 * one they may see but not change (another member's public object).
 */
export function assertCanChange<T extends Owned>(viewer: Viewer, object: T | null, what: string): T {
  const visible = assertCanSee(viewer, object, what);
  if (viewer.role !== "ADMIN" && viewer.id !== visible.ownerId) {
    throw forbidden(`${what} belongs to another user; only its owner or an admin can change it`);
  }
  return visible;
}

/**
 * Throws NOT_FOUND (naming `what`) for a missing object or one the viewer may not see, so that
 * "exists but is not yours" and "does not exist" read the same. `ownedBy` picks what decides
 * visibility when that is not the object itself (a sample's dataset, a version's model).
 */
export function assertCanSee<T extends Owned>(viewer: Viewer | null, object: T | null, what: string): T;
export function assertCanSee<T>(
  viewer: Viewer | null,
  object: T | null,
  what: string,
  ownedBy: (object: T) => Owned,
): T;
export function assertCanSee<T>(
  viewer: Viewer | null,
  object: T | null,
  what: string,
  ownedBy: (object: T) => Owned = (object) => object as Owned,
): T {
  if (!object || !canSee(viewer, ownedBy(object))) throw notFound(what);
  return object;
}
