import DataLoader from "dataloader";
import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { Deployment, DeploymentConfig } from "./deployments.types";
import { tierModelName } from "./deployments.service";

interface DeploymentListRow {
  id: string;
  modelVersionId: string;
  state: Deployment["state"];
  reason: string | null;
  config: DeploymentConfig;
  alias: string | null;
  createdAt: Date;
  updatedAt: Date;
  ordinal: number;
  slug: string;
  handle: string;
}

export function createDeploymentLoaders(prisma: PrismaClient) {
  return {
    /** One statement for any number of versions (a nested include would cost one per level). */
    deploymentByVersionId: new DataLoader<string, Deployment | null>(async (versionIds) => {
      const rows = await prisma.$queryRaw<DeploymentListRow[]>`
        SELECT d.id::text, d."modelVersionId"::text, d.state::text AS state, d.reason, d.config, d.alias,
               d."createdAt", d."updatedAt", v.ordinal, m.slug, u.handle
        FROM "Deployment" d
        JOIN "ModelVersion" v ON v.id = d."modelVersionId"
        JOIN "Model" m ON m.id = v."modelId"
        JOIN "User" u ON u.id = m."ownerId"
        WHERE d."modelVersionId" IN (${Prisma.join(versionIds.map((id) => Prisma.sql`${id}::uuid`))})`;
      const byVersion = new Map(
        rows.map((row): [string, Deployment] => [
          row.modelVersionId,
          {
            id: row.id,
            modelVersionId: row.modelVersionId,
            state: row.state,
            reason: row.reason,
            config: row.config,
            alias: row.alias,
            tierModelName: tierModelName(row.handle, row.slug),
            tierModelVersion: String(row.ordinal),
            createdAt: row.createdAt,
            updatedAt: row.updatedAt,
          },
        ]),
      );
      return versionIds.map((id) => byVersion.get(id) ?? null);
    }),
  };
}
