import type { PrismaClient } from "../generated/prisma/client";
import { Prisma } from "../generated/prisma/client";
import { badInput, conflict, forbidden, notFound } from "../errors";
import type { Logger } from "../logger";
import { newToken, hashToken } from "./tokens";
import { isAdmin, requireViewer, type Viewer } from "./access";

export const SYSTEM_HANDLE = "system";
const HANDLE = /^[a-z0-9](?:[a-z0-9-]{0,37}[a-z0-9])?$/;
const LAST_USED_RESOLUTION_MS = 60_000;
/**
 * A token is looked up at most this often per gateway. Revoking it here takes effect at once;
 * another replica honours a revocation within this time.
 */
const SIGNED_IN_CACHE_MS = 5_000;
const SIGNED_IN_CACHE_SIZE = 10_000;

export interface CreateUserInput {
  handle: string;
  displayName?: string | null;
  email?: string | null;
  role?: "ADMIN" | "MEMBER" | null;
}

export class UsersService {
  private readonly signedIn = new Map<string, { viewer: Viewer; expires: number }>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
  ) {}

  /** Resolves a bearer secret to its user; revoked tokens and built-in accounts never sign in. */
  async authenticate(secret: string | null): Promise<Viewer | null> {
    if (!secret) return null;
    const tokenHash = hashToken(secret);
    const cached = this.signedIn.get(tokenHash);
    if (cached && cached.expires > Date.now()) return cached.viewer;
    const token = await this.prisma.apiToken.findUnique({ where: { tokenHash }, include: { user: true } });
    if (!token || token.revokedAt || token.user.isSystem) return null;
    // Writing on every request would turn reads into writes; a minute's resolution is enough.
    if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.prisma.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } });
    }
    const viewer: Viewer = { id: token.user.id, handle: token.user.handle, role: token.user.role };
    if (this.signedIn.size >= SIGNED_IN_CACHE_SIZE) this.signedIn.clear();
    this.signedIn.set(tokenHash, { viewer, expires: Date.now() + SIGNED_IN_CACHE_MS });
    return viewer;
  }

  async createUser(viewer: Viewer | null, input: CreateUserInput) {
    if (!isAdmin(requireViewer(viewer))) throw forbidden("Only an admin can create users");
    const handle = validHandle(input.handle);
    if (handle === SYSTEM_HANDLE) throw conflict(`The handle "${SYSTEM_HANDLE}" is reserved`);
    try {
      return await this.prisma.user.create({
        data: {
          handle,
          displayName: input.displayName?.trim() || null,
          email: input.email?.trim() || null,
          role: input.role ?? "MEMBER",
        },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`A user with handle "${handle}" already exists`);
      throw error;
    }
  }

  async createApiToken(viewer: Viewer | null, name: string) {
    const user = requireViewer(viewer);
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 100) throw badInput("Token name must be 1–100 characters");
    const token = newToken();
    const row = await this.prisma.apiToken.create({
      data: { userId: user.id, name: trimmed, prefix: token.prefix, tokenHash: token.tokenHash },
    });
    return { token: row, secret: token.secret };
  }

  async revokeApiToken(viewer: Viewer | null, id: string): Promise<boolean> {
    const user = requireViewer(viewer);
    const token = await this.prisma.apiToken.findUnique({ where: { id } }).catch(() => null);
    if (!token || (token.userId !== user.id && !isAdmin(user))) throw notFound(`API token ${id}`);
    if (token.revokedAt) return true;
    await this.prisma.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    this.signedIn.delete(token.tokenHash);
    return true;
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
    const token = newToken(adminToken ?? undefined);
    const admin = await this.prisma.user.create({
      data: {
        handle: "admin",
        displayName: "Administrator",
        role: "ADMIN",
        tokens: { create: { name: "bootstrap", prefix: token.prefix, tokenHash: token.tokenHash } },
      },
    });
    this.logger.info({ user: admin.handle }, "created the first admin");
    return { handle: admin.handle, secret: adminToken ? null : token.secret };
  }

  /** TESSERA_ADMIN_TOKEN keeps working across restarts even if the admin existed before it was set. */
  private async ensureAdminToken(adminId: string, secret: string) {
    const token = newToken(secret);
    await this.prisma.apiToken.upsert({
      where: { tokenHash: token.tokenHash },
      create: {
        userId: adminId,
        name: "TESSERA_ADMIN_TOKEN",
        prefix: token.prefix,
        tokenHash: token.tokenHash,
      },
      update: {},
    });
  }
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

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}
