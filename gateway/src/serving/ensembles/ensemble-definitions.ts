import { LRUCache } from "lru-cache";
import type { PrismaClient } from "../../generated/prisma/client";
import { notFound } from "../../errors";
import { isUuid } from "../../graphql/ids";
import { canSee, type Viewer } from "../../users/access";
import { MemberRole } from "../../inference/inference.types";
import type { EnsembleBlend } from "../serving.types";

/**
 * One member as registered: a fixed version, or a model's alias followed at request time; neither
 * once what it named was deleted (the foreign keys set them null).
 */
export interface MemberDefinition {
  role: MemberRole;
  weight: number;
  versionId: string | null;
  alias: { modelId: string; alias: string } | null;
}

/** What an ensemble version runs: its members, how they blend, and whose authority they run under. */
export interface EnsembleDefinition {
  versionId: string;
  blend: EnsembleBlend;
  memberTimeoutMs: number;
  /** The ensemble version's labels (the union of its members' at registration). */
  labels: string[];
  /** Members first, then fallbacks, in the order given. */
  members: MemberDefinition[];
  /**
   * The ensemble's owner, as they are now: members run as them, since they chose the members when
   * they registered it, so a public ensemble serves whoever may use it even where its members are
   * private.
   */
  owner: Viewer;
}

/** Ensemble versions, as the scoring path reads them. */
export interface EnsembleDefinitions {
  get(versionId: string): Promise<EnsembleDefinition>;
  /** The version an alias points at now; null when the alias is gone. */
  aliasTarget(modelId: string, alias: string): Promise<string | null>;
  /** Which of these versions `viewer` may see (an error names only those). */
  visibleTo(viewer: Viewer | null, versionIds: string[]): Promise<Set<string>>;
}

type StoredDefinition = Omit<EnsembleDefinition, "owner"> & { ownerId: string };

/** Kept in memory: an entry is dropped for room, or when anything served changes (a member deleted). */
const CACHED_DEFINITIONS = 1_000;

/**
 * Definitions from the database. The members are read once and kept until `clear` (a version's
 * members only change when one is deleted); the owner is read on every request, so that a demoted
 * admin's ensemble stops running with ADMIN authority at once.
 */
export class PrismaEnsembleDefinitions implements EnsembleDefinitions {
  private readonly cache = new LRUCache<string, Promise<StoredDefinition>>({ max: CACHED_DEFINITIONS });

  constructor(private readonly prisma: PrismaClient) {}

  async get(versionId: string): Promise<EnsembleDefinition> {
    let stored = this.cache.get(versionId);
    if (!stored) {
      const loading = this.load(versionId);
      stored = loading;
      this.cache.set(versionId, loading);
      loading.catch(() => {
        if (this.cache.get(versionId) === loading) this.cache.delete(versionId);
      });
    }
    const { ownerId, ...definition } = await stored;
    const owner = await this.prisma.user.findUnique({
      where: { id: ownerId },
      select: { id: true, handle: true, role: true },
    });
    if (!owner) throw notFound(`Ensemble version ${versionId}`);
    return { ...definition, owner };
  }

  /** Forgets every definition: called whenever what a model serves changes, deletions included. */
  clear(): void {
    this.cache.clear();
  }

  async aliasTarget(modelId: string, alias: string): Promise<string | null> {
    const row = await this.prisma.modelAlias.findUnique({
      where: { modelId_alias: { modelId, alias } },
      select: { versionId: true },
    });
    return row?.versionId ?? null;
  }

  async visibleTo(viewer: Viewer | null, versionIds: string[]): Promise<Set<string>> {
    const rows = await this.prisma.modelVersion.findMany({
      where: { id: { in: versionIds.filter(isUuid) } },
      select: { id: true, model: { select: { ownerId: true, isPublic: true } } },
    });
    return new Set(rows.filter((r) => canSee(viewer, r.model)).map((r) => r.id));
  }

  private async load(versionId: string): Promise<StoredDefinition> {
    const row = await this.prisma.modelVersion.findUnique({
      where: { id: versionId },
      include: { model: true, ensembleMembers: { orderBy: { position: "asc" } } },
    });
    if (!row?.ensembleBlend) throw notFound(`Ensemble version ${versionId}`);
    return {
      versionId,
      blend: row.ensembleBlend as EnsembleBlend,
      memberTimeoutMs: row.memberTimeoutMs!,
      labels: row.labels,
      members: row.ensembleMembers.map((m) => ({
        role: m.isFallback ? MemberRole.FALLBACK : MemberRole.MEMBER,
        weight: m.weight,
        versionId: m.memberVersionId,
        alias: m.aliasModelId && m.alias ? { modelId: m.aliasModelId, alias: m.alias } : null,
      })),
      ownerId: row.model.ownerId,
    };
  }
}
