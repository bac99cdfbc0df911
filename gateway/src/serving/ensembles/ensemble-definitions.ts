import { LRUCache } from "lru-cache";
import type { PrismaClient } from "../../generated/prisma/client";
import { notFound } from "../../errors";
import type { Viewer } from "../../users/access";
import { MemberRole } from "../../inference/inference.types";
import type { EnsembleBlend } from "../serving.types";

/** One member as registered: a fixed version, or a model's alias followed at request time. */
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
   * The ensemble's owner: members run as them, since they chose the members when they registered
   * it, so a public ensemble serves whoever may use it even where its members are private.
   */
  owner: Viewer;
}

/** Ensemble versions, as the scoring path reads them. */
export interface EnsembleDefinitions {
  get(versionId: string): Promise<EnsembleDefinition>;
  /** The version an alias points at now; null when the alias is gone. */
  aliasTarget(modelId: string, alias: string): Promise<string | null>;
}

/** Kept in memory: versions never change, so an entry is only ever dropped for room. */
const CACHED_DEFINITIONS = 1_000;

/** Definitions from the database, each read once (versions are immutable; aliases are read per request). */
export class PrismaEnsembleDefinitions implements EnsembleDefinitions {
  private readonly cache = new LRUCache<string, Promise<EnsembleDefinition>>({ max: CACHED_DEFINITIONS });

  constructor(private readonly prisma: PrismaClient) {}

  get(versionId: string): Promise<EnsembleDefinition> {
    let definition = this.cache.get(versionId);
    if (!definition) {
      definition = this.load(versionId);
      this.cache.set(versionId, definition);
      definition.catch(() => this.cache.delete(versionId));
    }
    return definition;
  }

  async aliasTarget(modelId: string, alias: string): Promise<string | null> {
    const row = await this.prisma.modelAlias.findUnique({
      where: { modelId_alias: { modelId, alias } },
      select: { versionId: true },
    });
    return row?.versionId ?? null;
  }

  private async load(versionId: string): Promise<EnsembleDefinition> {
    const row = await this.prisma.modelVersion.findUnique({
      where: { id: versionId },
      include: {
        model: { include: { owner: true } },
        ensembleMembers: { orderBy: { position: "asc" } },
      },
    });
    if (!row?.ensembleBlend) throw notFound(`Ensemble version ${versionId}`);
    const owner = row.model.owner;
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
      owner: { id: owner.id, handle: owner.handle, role: owner.role },
    };
  }
}
