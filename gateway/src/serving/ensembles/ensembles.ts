import type { PrismaClient } from "../../generated/prisma/client";
import type { DeploymentsService } from "../../inference/deployments.service";
import type { ModelsService } from "../../models/models.service";
import type { Scoring } from "../scoring";
import { PrismaEnsembleDefinitions } from "./ensemble-definitions";
import { EnsembleScores } from "./ensemble-scores";
import { EnsembleUsage } from "./ensemble-usage";
import { EnsemblesService } from "./ensembles.service";

/**
 * Ensembles in one call for server.ts: their scoring source plugged into Scoring, the deletion
 * check the registry runs, and the service that registers them.
 */
export function createEnsembles(
  prisma: PrismaClient,
  scoring: Scoring,
  deployments: DeploymentsService,
  models: ModelsService,
): EnsemblesService {
  const definitions = new PrismaEnsembleDefinitions(prisma);
  // A deleted member (its row set null) must read as deleted from the next request on.
  deployments.onServingChanged(() => definitions.clear());
  scoring.use(
    "ENSEMBLE",
    new EnsembleScores(definitions, {
      target: (viewer, versionId, signal) => deployments.servingTarget(viewer, versionId, signal),
      score: (request) => scoring.score(request),
    }),
  );
  const usage = new EnsembleUsage(prisma);
  models.beforeDeleting((viewer, target) => usage.assertUnused(viewer, target));
  return new EnsemblesService(prisma);
}
