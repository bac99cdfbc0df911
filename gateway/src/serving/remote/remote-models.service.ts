import { randomUUID } from "node:crypto";
import type { GatewayConfig } from "../../config";
import type { PrismaClient } from "../../generated/prisma/client";
import { conflict } from "../../errors";
import { toModelVersion } from "../../models/model-rows";
import { nextFreeName, nextOrdinal } from "../../models/model-registration";
import { hostIsInternal } from "../../models/private-addresses";
import { isUniqueViolation } from "../../users/users.service";
import { requireViewer, type Viewer } from "../../users/access";
import type { RegisterRemoteModelInput } from "../serving.types";
import { RemoteScores } from "./remote-scores";
import type { BreakerSettings } from "./remote-guard";
import { SecretBox } from "./secret-box";
import { validRemoteModel } from "./remote-validation";

/**
 * Remote models: registration (a REMOTE version with its RemoteEndpoint row, the secret sealed
 * under the gateway's key) and their ScoreSource, which Scoring uses for REMOTE versions.
 */
export class RemoteModelsService {
  readonly scores: RemoteScores;
  private secretBox: Promise<SecretBox> | null = null;
  private internalAllowed: Promise<boolean> | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly config: Pick<GatewayConfig, "secretKey" | "dataDir" | "hfEndpoint">,
    breaker?: BreakerSettings,
  ) {
    this.scores = new RemoteScores(prisma, {
      secrets: () => this.secrets(),
      allowInternal: () => this.allowInternal(),
      breaker,
    });
  }

  /**
   * A new model (framework REMOTE, CLASSIFICATION) or a new version of the caller's remote model
   * with that slug. Nothing is stored unless every field is valid.
   */
  async register(viewer: Viewer | null, input: RegisterRemoteModelInput) {
    const user = requireViewer(viewer);
    const valid = await validRemoteModel(input, await this.allowInternal());
    // Sealed before the transaction, bound to the id the version gets.
    const versionId = randomUUID();
    const sealed = valid.secret === null ? null : (await this.secrets()).seal(valid.secret, versionId);
    try {
      const version = await this.prisma.$transaction(async (tx) => {
        // The same lock as uploads: version numbers of one model are assigned one at a time.
        await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`model:${user.id}:${valid.slug}`}, 0))::text`;
        const existing = await tx.model.findUnique({
          where: { ownerId_slug: { ownerId: user.id, slug: valid.slug } },
        });
        if (existing && existing.framework !== "REMOTE") {
          throw conflict(`Your model "${valid.slug}" is not a remote model; choose another slug`, {
            field: "slug",
          });
        }
        const model =
          existing ??
          (await tx.model.create({
            data: {
              ownerId: user.id,
              slug: valid.slug,
              name: valid.slug,
              description: valid.description ?? null,
              framework: "REMOTE",
              modelType: "CLASSIFICATION",
            },
          }));
        const ordinal = await nextOrdinal(tx, model.id);
        return tx.modelVersion.create({
          data: {
            id: versionId,
            modelId: model.id,
            version: await nextFreeName(tx, model.id, ordinal),
            ordinal,
            createdById: user.id,
            sizeBytes: 0n,
            labels: valid.labels,
            remoteEndpoint: {
              create: {
                url: valid.url,
                remoteModel: valid.remoteModel,
                secretCiphertext: sealed === null ? null : new Uint8Array(sealed),
                timeoutMs: valid.timeoutMs,
                perMinute: valid.perMinute,
                perHour: valid.perHour,
              },
            },
          },
        });
      });
      return toModelVersion(version);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`Model "${valid.slug}" changed meanwhile; try again`);
      throw error;
    }
  }

  private secrets(): Promise<SecretBox> {
    this.secretBox ??= SecretBox.open(this.config.secretKey, this.config.dataDir);
    // A failure (an unreadable key file) is reported to this request and tried again by the next.
    this.secretBox.catch(() => (this.secretBox = null));
    return this.secretBox;
  }

  /**
   * The operator's consent to internal endpoints, read as for URL imports: given when HF_ENDPOINT
   * itself is on an internal network (a self-hosted setup).
   */
  private allowInternal(): Promise<boolean> {
    this.internalAllowed ??= hostIsInternal(new URL(this.config.hfEndpoint).hostname).catch(() => false);
    return this.internalAllowed;
  }
}
