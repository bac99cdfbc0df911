import type { PrismaClient, User as UserRow } from "../generated/prisma/client";
import { Prisma } from "../generated/prisma/client";
import { checkLength, limits } from "../limits";
import { badInput, conflict, forbidden, notFound } from "../errors";
import type { Logger } from "../logger";
import { isUuid } from "../graphql/ids";
import { hashToken, newPublicId, newToken, parseToken, secretMatches } from "./tokens";
import { isAdmin, requireViewer, type Viewer } from "./access";
import { SingleFlight } from "../single-flight";

export const SYSTEM_HANDLE = "system";
const HANDLE = /^[a-z0-9](?:[a-z0-9-]{0,37}[a-z0-9])?$/;
const LAST_USED_RESOLUTION_MS = 60_000;
/**
 * A token is looked up at most this often per gateway. Revoking it or deactivating its user takes
 * effect at once here and, told through the cluster bus, on every other replica; within this time
 * on one whose bus connection is down.
 */
const SIGNED_IN_CACHE_MS = 5_000;
const SIGNED_IN_CACHE_SIZE = 10_000;

export interface CreateUserInput {
  handle: string;
  displayName?: string | null;
  email?: string | null;
  role?: "ADMIN" | "MEMBER" | null;
}

export interface Page {
  offset: number;
  limit: number;
}

/** What makes sign-ins stop working: a revoked token, or every token of a deactivated user. */
export type SignInChange = { tokenId: string } | { userId: string };

interface SignedIn {
  viewer: Viewer;
  expires: number;
}

export class UsersService {
  /** Keyed by the sha256 of the whole token, so no secret is kept in memory. */
  private readonly signedIn = new Map<string, SignedIn>();
  /** Bumped by every revocation and deactivation: a lookup that overlapped one is not cached. */
  private forgetCount = 0;
  private readonly signingIn = new SingleFlight<Viewer | null>();
  private readonly signInChangeListeners: Array<(change: SignInChange) => void> = [];

  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
  ) {}

  /**
   * Resolves a bearer token to its user; revoked tokens, deactivated users and built-in accounts
   * never sign in.
   */
  async authenticate(secret: string | null): Promise<Viewer | null> {
    if (!secret) return null;
    const cacheKey = hashToken(secret);
    const cached = this.signedIn.get(cacheKey);
    if (cached && cached.expires > Date.now()) return cached.viewer;
    // Under load every request of a client finds its entry expired at once: one lookup per token.
    return this.signingIn.run(cacheKey, () => this.signIn(secret, cacheKey));
  }

  private async signIn(secret: string, cacheKey: string): Promise<Viewer | null> {
    const forgetCount = this.forgetCount;
    const token = await this.findToken(secret);
    if (!token || token.revokedAt || token.user.isSystem || token.user.deactivatedAt) return null;
    // Writing on every request would turn reads into writes; a minute's resolution is enough.
    if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.prisma.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } });
    }
    const viewer: Viewer = {
      id: token.user.id,
      handle: token.user.handle,
      role: token.user.role,
      tokenId: token.id,
    };
    if (forgetCount !== this.forgetCount) return viewer;
    if (this.signedIn.size >= SIGNED_IN_CACHE_SIZE) this.signedIn.clear();
    this.signedIn.set(cacheKey, { viewer, expires: Date.now() + SIGNED_IN_CACHE_MS });
    return viewer;
  }

  /**
   * `tsr_<publicId>_<secret>` by its public id; anything else (TESSERA_ADMIN_TOKEN, tokens issued
   * before that format, which may even look like it) by the hash of the whole token.
   */
  private async findToken(secret: string) {
    const parsed = parseToken(secret);
    if (parsed) {
      const token = await this.prisma.apiToken.findUnique({
        where: { publicId: parsed.publicId },
        include: { user: true },
      });
      if (token?.secretHash && secretMatches(parsed.secret, token.secretHash)) return token;
    }
    return this.prisma.apiToken.findUnique({
      where: { tokenHash: hashToken(secret) },
      include: { user: true },
    });
  }

  /** Told of every revocation and deactivation made here (the cluster bus tells other replicas). */
  onSignInsChanged(listener: (change: SignInChange) => void): void {
    this.signInChangeListeners.push(listener);
  }

  /** A token was revoked or a user deactivated, here or on another replica: looked up again. */
  forgetSignIns(change: SignInChange): void {
    this.forgetCount += 1;
    // A lookup already running may predate the change: later requests must not share it.
    this.signingIn.forget();
    const matches =
      "tokenId" in change
        ? (viewer: Viewer) => viewer.tokenId === change.tokenId
        : (viewer: Viewer) => viewer.id === change.userId;
    for (const [key, entry] of this.signedIn) if (matches(entry.viewer)) this.signedIn.delete(key);
  }

  private forgetSignedIn(change: SignInChange): void {
    this.forgetSignIns(change);
    for (const listener of this.signInChangeListeners) listener(change);
  }

  async createUser(viewer: Viewer | null, input: CreateUserInput) {
    if (!isAdmin(requireViewer(viewer))) throw forbidden("Only an admin can create users");
    const handle = validHandle(input.handle);
    if (handle === SYSTEM_HANDLE) throw conflict(`The handle "${SYSTEM_HANDLE}" is reserved`);
    try {
      return await this.prisma.user.create({
        data: {
          handle,
          displayName: checkLength("displayName", input.displayName?.trim() ?? "", limits.nameLength) || null,
          email: checkLength("email", input.email?.trim() ?? "", limits.emailLength) || null,
          role: input.role ?? "MEMBER",
        },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`A user with handle "${handle}" already exists`);
      throw error;
    }
  }

  /**
   * Issues a token to the caller, or (admins only) to `userId`: the only way a user an admin
   * created can ever sign in.
   */
  async createApiToken(viewer: Viewer | null, name: string, userId?: string | null) {
    const caller = requireViewer(viewer);
    const ownerId = userId ?? caller.id;
    if (ownerId !== caller.id && !isAdmin(caller)) {
      throw forbidden("Only an admin can issue a token to another user");
    }
    const trimmed = checkLength("name", name.trim(), limits.tokenNameLength);
    if (!trimmed) {
      throw badInput(`Token name must be 1–${limits.tokenNameLength} characters`, { field: "name" });
    }
    const owner = await this.findUser(ownerId);
    if (owner.isSystem) {
      throw badInput(`${owner.handle} is a built-in account and cannot sign in`, { field: "userId" });
    }
    if (owner.deactivatedAt) {
      throw conflict(`${owner.handle} is deactivated; reactivate the user before issuing a token`);
    }
    const token = newToken();
    const row = await this.prisma.apiToken.create({
      data: { userId: owner.id, name: trimmed, publicId: token.publicId, secretHash: token.secretHash },
    });
    return { token: row, secret: token.secret };
  }

  async revokeApiToken(viewer: Viewer | null, id: string): Promise<boolean> {
    const user = requireViewer(viewer);
    const token = isUuid(id) ? await this.prisma.apiToken.findUnique({ where: { id } }) : null;
    if (!token || (token.userId !== user.id && !isAdmin(user))) throw notFound(`API token ${id}`);
    if (token.revokedAt) return true;
    await this.prisma.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    this.forgetSignedIn({ tokenId: id });
    return true;
  }

  /** Every person's account in creation order; built-in accounts are not people and are left out. */
  async listUsers(viewer: Viewer | null, page: Page) {
    if (!isAdmin(requireViewer(viewer))) throw forbidden("Only an admin can list users");
    const where = { isSystem: false };
    const [users, totalCount] = await Promise.all([
      this.prisma.user.findMany({
        where,
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        skip: page.offset,
        take: page.limit,
      }),
      this.prisma.user.count({ where }),
    ]);
    return { users, totalCount };
  }

  /**
   * Switches a user off: their tokens are refused from the next request on, on every replica (see
   * SIGNED_IN_CACHE_MS); what they own stays, and jobs they started run
   * to the end. At least one active admin always remains.
   */
  async deactivateUser(viewer: Viewer | null, id: string): Promise<UserRow> {
    const admin = requireViewer(viewer);
    if (!isAdmin(admin)) throw forbidden("Only an admin can deactivate users");
    const user = await this.findUser(id);
    if (user.isSystem) {
      throw badInput(`${user.handle} is a built-in account and cannot be deactivated`, { field: "id" });
    }
    if (user.id === admin.id) {
      throw badInput("You cannot deactivate yourself; another admin can", { field: "id" });
    }
    if (user.deactivatedAt) return user;
    const deactivated = await this.prisma.$transaction(async (tx) => {
      // Locks the active admins, so two admins deactivating each other at once cannot both succeed.
      const admins = await tx.$queryRaw<Array<{ id: string }>>`
        SELECT id FROM "User"
        WHERE role = 'ADMIN' AND "isSystem" = false AND "deactivatedAt" IS NULL
        FOR UPDATE`;
      if (user.role === "ADMIN" && !admins.some((other) => other.id !== user.id)) {
        throw conflict(`${user.handle} is the last active admin; make another admin first`);
      }
      return tx.user.update({ where: { id: user.id }, data: { deactivatedAt: new Date() } });
    });
    this.forgetSignedIn({ userId: user.id });
    this.logger.info({ user: user.handle, by: admin.handle }, "user deactivated");
    return deactivated;
  }

  async reactivateUser(viewer: Viewer | null, id: string): Promise<UserRow> {
    const admin = requireViewer(viewer);
    if (!isAdmin(admin)) throw forbidden("Only an admin can reactivate users");
    const user = await this.findUser(id);
    if (user.isSystem) {
      throw badInput(`${user.handle} is a built-in account and cannot be reactivated`, { field: "id" });
    }
    if (!user.deactivatedAt) return user;
    const reactivated = await this.prisma.user.update({
      where: { id: user.id },
      data: { deactivatedAt: null },
    });
    this.logger.info({ user: user.handle, by: admin.handle }, "user reactivated");
    return reactivated;
  }

  private async findUser(id: string): Promise<UserRow> {
    const user = isUuid(id) ? await this.prisma.user.findUnique({ where: { id } }) : null;
    if (!user) throw notFound(`User ${id}`);
    return user;
  }

  listTokens(userId: string) {
    return this.prisma.apiToken.findMany({ where: { userId }, orderBy: { createdAt: "desc" } });
  }

  /**
   * First start: makes sure the built-in `system` user and one admin exist. Returns the admin's
   * secret when this call created it so the caller can print it once.
   */
  async bootstrap(adminToken: string | null): Promise<{ handle: string; secret: string | null }> {
    await this.prisma.user.upsert({
      where: { handle: SYSTEM_HANDLE },
      create: { handle: SYSTEM_HANDLE, displayName: "Tessera built-ins", role: "MEMBER", isSystem: true },
      update: {},
    });
    const existing = await this.prisma.user.findFirst({ where: { role: "ADMIN", isSystem: false } });
    if (existing) {
      if (adminToken) await this.ensureAdminToken(existing.id, adminToken);
      return { handle: existing.handle, secret: null };
    }
    const token = firstAdminToken(adminToken);
    const admin = await this.prisma.user.create({
      data: { handle: "admin", displayName: "Administrator", role: "ADMIN", tokens: { create: token.row } },
    });
    this.logger.info({ user: admin.handle }, "created the first admin");
    return { handle: admin.handle, secret: token.secret };
  }

  /** TESSERA_ADMIN_TOKEN keeps working across restarts even if the admin existed before it was set. */
  private async ensureAdminToken(adminId: string, secret: string) {
    const row = adminTokenRow(secret);
    await this.prisma.apiToken.upsert({
      where: { tokenHash: row.tokenHash },
      create: { userId: adminId, ...row },
      update: {},
    });
  }
}

/** TESSERA_ADMIN_TOKEN is whatever string a person chose: it is found by its whole hash. */
function adminTokenRow(secret: string) {
  return { name: "TESSERA_ADMIN_TOKEN", publicId: newPublicId(), tokenHash: hashToken(secret) };
}

/** TESSERA_ADMIN_TOKEN when set; else a new token whose secret the caller prints once. */
function firstAdminToken(adminToken: string | null) {
  if (adminToken) return { row: adminTokenRow(adminToken), secret: null };
  const token = newToken();
  return {
    row: { name: "bootstrap", publicId: token.publicId, secretHash: token.secretHash },
    secret: token.secret,
  };
}

function validHandle(raw: string): string {
  const handle = raw.trim().toLowerCase();
  if (!HANDLE.test(handle)) {
    throw badInput(
      `Handle "${raw}" is invalid: use 1–39 lowercase letters, digits or inner hyphens (like "ada-lovelace")`,
      { field: "handle" },
    );
  }
  return handle;
}

/**
 * A row names one that is gone, e.g. deleted between a read and this write: Prisma's P2003, or from
 * a raw statement its P2010 carrying the driver's foreign-key violation.
 */
export function isForeignKeyViolation(error: unknown): boolean {
  const known = error as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
  } | null;
  if (known?.code === "P2003") return true;
  return (
    known?.code === "P2010" && known.meta?.driverAdapterError?.cause?.kind === "ForeignKeyConstraintViolation"
  );
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
