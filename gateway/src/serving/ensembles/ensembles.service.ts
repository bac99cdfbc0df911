import type { PrismaClient } from "../../generated/prisma/client";
import { badInput, conflict, notFound } from "../../errors";
import { canSee, requireViewer, type Viewer } from "../../users/access";
import { isUuid } from "../../graphql/ids";
import { isUniqueViolation } from "../../users/users.service";
import { InferenceTask } from "../../inference/deployments.types";
import { toModelVersion } from "../../models/model-rows";
import { nextFreeName, nextOrdinal } from "../../models/model-registration";
import type { ModelVersion } from "../../models/models.types";
import type { CreateEnsembleInput } from "../serving.types";
import { checkEnsembleInput, type MemberReference } from "./ensemble-input";

/** Model types whose versions deploy for CLASSIFICATION by default (deployment-config.ts). */
const CLASSIFYING_TYPES = new Set(["CLASSIFICATION", "COMPUTER_VISION"]);

const memberInclude = { model: { include: { owner: true } }, deployment: true } as const;

interface ResolvedMember {
  reference: MemberReference;
  /** The version it names, or its alias's version now. */
  labels: string[];
  memberVersionId: string | null;
  aliasModelId: string | null;
}

/**
 * Registers ensembles: a new ENSEMBLE model, or a new version of the caller's ensemble with that
 * slug, whose members are versions (or aliases) the caller can see and that classify.
 */
export class EnsemblesService {
  constructor(private readonly prisma: PrismaClient) {}

  async create(viewer: Viewer | null, input: CreateEnsembleInput): Promise<ModelVersion> {
    const user = requireViewer(viewer);
    const checked = checkEnsembleInput(input);
    const existing = await this.prisma.model.findUnique({
      where: { ownerId_slug: { ownerId: user.id, slug: checked.slug } },
    });
    if (existing && existing.framework !== "ENSEMBLE") throw slugTaken(checked.slug, existing.framework);
    const members: ResolvedMember[] = [];
    for (const reference of checked.members) members.push(await this.resolve(user, reference));
    const labels = [...new Set(members.flatMap((m) => m.labels))];
    try {
      const version = await this.prisma.$transaction(async (tx) => {
        // The lock uploads to the same slug take (model-registration.ts): ordinals without races.
        await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`model:${user.id}:${checked.slug}`}, 0))::text`;
        const model = await tx.model.upsert({
          where: { ownerId_slug: { ownerId: user.id, slug: checked.slug } },
          create: {
            ownerId: user.id,
            slug: checked.slug,
            name: checked.slug,
            description: checked.description,
            framework: "ENSEMBLE",
            modelType: "CLASSIFICATION",
            isPublic: checked.isPublic ?? false,
          },
          update: {},
        });
        if (model.framework !== "ENSEMBLE") throw slugTaken(checked.slug, model.framework);
        const ordinal = await nextOrdinal(tx, model.id);
        return tx.modelVersion.create({
          data: {
            modelId: model.id,
            version: await nextFreeName(tx, model.id, ordinal),
            ordinal,
            createdById: user.id,
            sizeBytes: 0n,
            labels,
            validation: "VALID",
            ensembleBlend: checked.blend,
            memberTimeoutMs: checked.memberTimeoutMs,
            ensembleMembers: {
              create: members.map((m, position) => ({
                position,
                isFallback: m.reference.role === "FALLBACK",
                weight: m.reference.weight,
                memberVersionId: m.memberVersionId,
                aliasModelId: m.aliasModelId,
                alias: m.reference.alias?.alias ?? null,
              })),
            },
          },
        });
      });
      return toModelVersion(version);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`Ensemble "${checked.slug}" changed meanwhile; try again`);
      throw error;
    }
  }

  private async resolve(viewer: Viewer, reference: MemberReference): Promise<ResolvedMember> {
    const { field } = reference;
    if (reference.versionId !== null) {
      const id = reference.versionId;
      const version = isUuid(id)
        ? await this.prisma.modelVersion.findUnique({ where: { id }, include: memberInclude })
        : null;
      if (!version || !canSee(viewer, version.model)) throw notFoundAt(`Model version ${id}`, field);
      assertCanBeMember(version, field);
      return { reference, labels: version.labels, memberVersionId: version.id, aliasModelId: null };
    }
    const { handle, slug, alias, text } = reference.alias;
    const model = await this.prisma.model.findFirst({
      where: { slug, owner: { handle: handle ?? viewer.handle } },
    });
    if (!model || !canSee(viewer, model))
      throw notFoundAt(`Model "${handle ? `${handle}/` : ""}${slug}"`, field);
    const row = await this.prisma.modelAlias.findUnique({
      where: { modelId_alias: { modelId: model.id, alias } },
      include: { version: { include: memberInclude } },
    });
    if (!row) throw notFoundAt(`Alias "${text}"`, field);
    assertCanBeMember(row.version, field);
    return { reference, labels: row.version.labels, memberVersionId: null, aliasModelId: model.id };
  }
}

type MemberRow = {
  version: string;
  validation: string;
  model: { slug: string; framework: string; modelType: string; owner: { handle: string } };
  deployment: { config: unknown } | null;
};

/**
 * Remote versions classify; a tier version classifies when it is deployed for CLASSIFICATION, or,
 * not deployed yet, when its model type deploys for it by default.
 */
function assertCanBeMember(row: MemberRow, field: string): void {
  const name = `${row.model.owner.handle}/${row.model.slug} ${row.version}`;
  if (row.model.framework === "ENSEMBLE") {
    throw badInput(`${field}: ${name} is an ensemble; an ensemble cannot be a member of another`, { field });
  }
  if (row.model.framework === "REMOTE") return;
  const task = (row.deployment?.config as { task?: string } | undefined)?.task;
  const classifies = task
    ? task === InferenceTask.CLASSIFICATION
    : CLASSIFYING_TYPES.has(row.model.modelType);
  if (!classifies) {
    throw badInput(
      `${field}: ${name} does not classify (it is ${task ?? row.model.modelType}); members classify`,
      {
        field,
      },
    );
  }
  if (row.validation === "INVALID") throw badInput(`${field}: ${name} is not a valid model`, { field });
}

function notFoundAt(what: string, field: string) {
  const error = notFound(what);
  Object.assign(error.details, { field });
  return error;
}

function slugTaken(slug: string, framework: string) {
  return conflict(
    `You already have a ${framework} model "${slug}"; an ensemble needs a slug of its own or of one of your ensembles`,
    { field: "slug" },
  );
}
