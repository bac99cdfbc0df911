import { Arg, Ctx, Extensions, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import DataLoader from "dataloader";
import type { PrismaClient } from "../../generated/prisma/client";
import type { RequestContext } from "../../graphql/context";
import { fieldCost } from "../../graphql/field-costs";
import { isUuid } from "../../graphql/ids";
import { groupBy } from "../../graphql/loader-results";
import { canSee } from "../../users/access";
import { MemberClassification, MemberRole, ServingError } from "../../inference/inference.types";
import { ModelVersion } from "../../models/models.types";
import { CreateEnsembleInput, Ensemble, EnsembleBlend, EnsembleMemberRef } from "../serving.types";

@Resolver()
export class EnsemblesResolver {
  @Extensions(fieldCost.write)
  @Mutation(() => ModelVersion, {
    description:
      "Registers an ensemble (framework ENSEMBLE) as a new model, or as a new version of your ensemble with this slug; it deploys and classifies like any version",
  })
  createEnsemble(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => CreateEnsembleInput) input: CreateEnsembleInput,
  ) {
    return ctx.services.ensembles.create(ctx.viewer, input);
  }
}

@Resolver(() => ModelVersion)
export class ModelVersionEnsembleResolver {
  @FieldResolver(() => Ensemble, {
    nullable: true,
    description: "How this version blends its members; null unless it is an ensemble",
  })
  async ensemble(@Root() version: ModelVersion, @Ctx() ctx: RequestContext): Promise<Ensemble | null> {
    const row = await ensembleLoader(ctx).load(version.id);
    if (!row) return null;
    const members = await Promise.all(
      row.members.map(async (m): Promise<EnsembleMemberRef> => {
        const aliasModel = m.aliasModel;
        const versionId = aliasModel
          ? (aliasModel.aliases.find((a) => a.alias === m.alias)?.versionId ?? null)
          : m.memberVersionId;
        return {
          role: m.isFallback ? MemberRole.FALLBACK : MemberRole.MEMBER,
          weight: m.weight,
          // Null too once the member was deleted (its row set null).
          modelVersion: versionId ? await visibleVersion(ctx, versionId) : null,
          // The alias names its model: shown only to whoever may see that model.
          alias:
            aliasModel && canSee(ctx.viewer, aliasModel)
              ? `${aliasModel.owner.handle}/${aliasModel.slug}@${m.alias}`
              : null,
        };
      }),
    );
    return { blend: row.blend, memberTimeoutMs: row.memberTimeoutMs, members };
  }
}

/**
 * A public ensemble runs members its users may not see: to them a member is its role, weight,
 * scores and error code only. Its id, where it ran and the error's message (which names models,
 * hosts, aliases) stay with those who can see it. A member with no version (deleted, or an alias
 * that is gone) has nothing to hide.
 */
@Resolver(() => MemberClassification)
export class MemberClassificationResolver {
  @FieldResolver(() => ModelVersion, { nullable: true, description: "Null when you cannot see the member" })
  modelVersion(
    @Root() member: MemberClassification,
    @Ctx() ctx: RequestContext,
  ): Promise<ModelVersion | null> {
    return visibleVersion(ctx, member.modelVersionId);
  }

  @FieldResolver(() => ID, { nullable: true })
  async modelVersionId(
    @Root() member: MemberClassification,
    @Ctx() ctx: RequestContext,
  ): Promise<string | null> {
    return (await visibleVersion(ctx, member.modelVersionId)) ? member.modelVersionId : null;
  }

  @FieldResolver(() => String)
  async servedBy(@Root() member: MemberClassification, @Ctx() ctx: RequestContext): Promise<string> {
    return (await hidden(ctx, member)) ? member.servedBy.split(":")[0]! : member.servedBy;
  }

  @FieldResolver(() => ServingError, { nullable: true })
  async error(
    @Root() member: MemberClassification,
    @Ctx() ctx: RequestContext,
  ): Promise<ServingError | null> {
    if (!member.error || !(await hidden(ctx, member))) return member.error;
    return { code: member.error.code, message: "This member could not answer" };
  }
}

async function hidden(ctx: RequestContext, member: MemberClassification): Promise<boolean> {
  return isUuid(member.modelVersionId) && !(await canSeeVersion(ctx, member.modelVersionId));
}

async function visibleVersion(ctx: RequestContext, versionId: string): Promise<ModelVersion | null> {
  // "" for a member whose version never resolved: not an id, and one bad key would fail the batch.
  if (!isUuid(versionId)) return null;
  const [version, visible] = await Promise.all([
    ctx.loaders.versionById.load(versionId),
    canSeeVersion(ctx, versionId),
  ]);
  return visible ? version : null;
}

/** Whether the version exists and the viewer may see its model. */
async function canSeeVersion(ctx: RequestContext, versionId: string): Promise<boolean> {
  if (!isUuid(versionId)) return false;
  const owned = await ownershipLoader(ctx).load(versionId);
  return owned !== null && canSee(ctx.viewer, owned);
}

/**
 * Each member version's model owner and visibility, in one statement per request for every member
 * (servedBy, error and modelVersionId need nothing else): a join, where the version and then its
 * model through their loaders would take two statements one after the other.
 */
const ownerships = new WeakMap<RequestContext, DataLoader<string, Owned | null>>();

interface Owned {
  ownerId: string;
  isPublic: boolean;
}

function ownershipLoader(ctx: RequestContext): DataLoader<string, Owned | null> {
  let loader = ownerships.get(ctx);
  if (!loader) {
    const prisma = ctx.prisma;
    loader = new DataLoader(async (versionIds: readonly string[]) => {
      const rows = await prisma.$queryRaw<Array<Owned & { id: string }>>`
        SELECT v.id::text AS id, m."ownerId"::text AS "ownerId", m."isPublic"
        FROM "ModelVersion" v JOIN "Model" m ON m.id = v."modelId"
        WHERE v.id = ANY(${[...versionIds]}::uuid[])`;
      const byId = new Map(rows.map((r) => [r.id, { ownerId: r.ownerId, isPublic: r.isPublic }]));
      return versionIds.map((id) => byId.get(id) ?? null);
    });
    ownerships.set(ctx, loader);
  }
  return loader;
}

/** One statement per request for every ensemble field asked for (a registry page lists many versions). */
const loaders = new WeakMap<RequestContext, ReturnType<typeof createEnsembleLoader>>();

function ensembleLoader(ctx: RequestContext) {
  let loader = loaders.get(ctx);
  if (!loader) loaders.set(ctx, (loader = createEnsembleLoader(ctx.prisma)));
  return loader;
}

function createEnsembleLoader(prisma: PrismaClient) {
  return new DataLoader(async (versionIds: readonly string[]) => {
    const rows = await prisma.modelVersion.findMany({
      where: { id: { in: [...versionIds] }, ensembleBlend: { not: null } },
      select: {
        id: true,
        ensembleBlend: true,
        memberTimeoutMs: true,
        ensembleMembers: {
          orderBy: { position: "asc" },
          select: {
            isFallback: true,
            weight: true,
            memberVersionId: true,
            alias: true,
            aliasModel: {
              select: {
                slug: true,
                ownerId: true,
                isPublic: true,
                owner: { select: { handle: true } },
                aliases: { select: { alias: true, versionId: true } },
              },
            },
          },
        },
      },
    });
    const grouped = groupBy(versionIds, rows, (r) => r.id);
    return grouped.map(([row]) =>
      row
        ? {
            blend: row.ensembleBlend as EnsembleBlend,
            memberTimeoutMs: row.memberTimeoutMs!,
            members: row.ensembleMembers,
          }
        : null,
    );
  });
}
