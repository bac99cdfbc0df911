// First: decorated GraphQL types load through the imports below (serving sources use their enums).
import "reflect-metadata";
import { Scoring } from "./serving/scoring";
import { GatewayMetrics } from "./metrics/gateway-metrics";
import { graphqlMetricsPlugin } from "./metrics/graphql-metrics-plugin";
import { graphqlTracingPlugin } from "./tracing/graphql-tracing";
import { metricsRoutes } from "./metrics/metrics-route";
import { ServingStatsRecorder } from "./serving/analytics/serving-stats-recorder";
import { ServingAnalyticsService } from "./serving/analytics/serving-analytics.service";
import { everyRecorder } from "./serving/analytics/recorders";
import { RemoteModelsService } from "./serving/remote/remote-models.service";
import { createEnsembles } from "./serving/ensembles/ensembles";
import { PredictionCache } from "./serving/cache/prediction-cache";
import { ModelPackagesService } from "./serving/packages/packages.service";
import { createServer, type Server } from "node:http";
import express from "express";
import type { GraphQLError } from "graphql";
import { formatGraphQLError } from "./errors";
import type { GatewayConfig } from "./config";
import type { Logger } from "./logger";
import { startDatabase } from "./db/database";
import type { PrismaClient } from "./generated/prisma/client";
import { BlobSweeper } from "./blobs/blob-sweep";
import { UsersService } from "./users/users.service";
import { ModelImportsService } from "./models/model-imports.service";
import { buildGatewaySchema } from "./graphql/schema";
import { createLoaders, type RequestContext, type Services } from "./graphql/context";
import { createGraphQLEndpoint } from "./http/graphql-endpoint";
import { createGraphQLWebSocket } from "./http/graphql-websocket";
import { OperationGuard } from "./graphql/operation-guard";
import { RateLimiter } from "./graphql/rate-limits";
import { graphqlIde } from "./http/graphql-ide";
import { TiersService } from "./tier/tiers.service";
import { healthRoutes } from "./http/healthz";
import { downloadRoutes } from "./http/downloads";
import { DownloadLinks } from "./http/download-links";
import { UrlSigner } from "./http/url-signer";
import { InferenceService } from "./inference/inference.service";
import { InferenceArtifacts } from "./inference/artifacts";
import { registerBuiltinModels } from "./inference/builtin-models";
import { DatasetsService } from "./datasets/datasets.service";
import { sampleFileRoutes } from "./http/sample-files";
import { datasetExportFileRoutes } from "./datasets/export/dataset-export-files";
import { DatasetUploadsService } from "./datasets/dataset-uploads.service";
import { DatasetCsvUploadsService } from "./datasets/csv/dataset-csv-uploads.service";
import { DatasetImportsService } from "./datasets/imports/dataset-imports.service";
import { DatasetEditsService } from "./datasets/edits/dataset-edits.service";
import { TrainingPairsService } from "./training-pairs/training-pairs.service";
import { trainingPairFileRoutes } from "./training-pairs/training-pair-files";
import { webAppRoutes } from "./http/web-app";
import { httpErrorHandler } from "./http/error-handlers";
import { TrainingService } from "./training/training.service";
import { publishEmbeddedDatabase } from "./training/worker/embedded-database-url";
import { startCore } from "./core";
import { ReconstructionsService } from "./reconstructions/reconstructions.service";
import { reconstructionFileRoutes } from "./reconstructions/reconstruction-files";
import { ScenesService } from "./scenes/scenes.service";
import { SceneUploadsService } from "./scenes/scene-uploads.service";
import { sceneFrameFileRoutes } from "./scenes/scene-frame-files";
import { TrainingReportsService } from "./training/report/report.service";
import { trainingReportFileRoutes } from "./training/report/report-files";
import { PredictionsService } from "./feedback/predictions/predictions.service";
import { PredictionLog } from "./feedback/predictions/prediction-log";
import { FeedbackService } from "./feedback/predictions/feedback.service";
import { AdjustmentRefits } from "./feedback/predictions/adjustment-refits";
import { startPredictionRetention } from "./feedback/predictions/prediction-retention";
import { predictionFileRoutes } from "./feedback/predictions/prediction-files";
import { createLabeling } from "./feedback/labeling/start-labeling";
import { relaySignInChanges, relayUploadProgress } from "./cluster/cluster-relays";
import { settleClusterPlugin } from "./cluster/settle-plugin";
import { withFirstStartLock } from "./cluster/startup-lock";

export interface RunningGateway {
  url: string;
  httpServer: Server;
  prisma: PrismaClient;
  services: Services;
  /** The admin token when this start created it (printed once by main). */
  createdAdminToken: string | null;
  stop(): Promise<void>;
}

/** Starts everything the gateway needs, in dependency order, and stops it in reverse. */
export interface StartOptions {
  /** Sees every SQL statement the gateway sends (tests count them to catch N+1 queries). */
  onQuery?: (sql: string) => void;
}

export async function startGateway(
  config: GatewayConfig,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningGateway> {
  const stops: Array<[part: string, stop: () => Promise<unknown>]> = [];
  const stopAll = async () => {
    for (const [part, stop] of stops.reverse()) {
      logger.debug({ part }, "stopping");
      await stop().catch((error) => logger.error({ err: error, part }, "error while stopping"));
    }
  };
  try {
    const database = await startDatabase(config, logger);
    stops.push(["database", () => database.close()]);
    if (database.embedded) {
      // Where `npm run worker` finds the embedded database (it listens on a port chosen at start).
      stops.push(["database address", await publishEmbeddedDatabase(config.dataDir, database.url)]);
    }
    const core = await startCore(config, logger, database.url, stops, {
      onQuery: options.onQuery,
      workers: {
        training: config.trainingWorkers.workers,
        embeddings: config.jobs.embeddingWorkers,
        reconstructions: config.reconstructions.workers,
        adjustments: config.jobs.adjustmentWorkers,
        embeddingMaps: config.jobs.embeddingMapWorkers,
      },
    });
    const { prisma, store, references, models, tier, deployments, jobs, datasetQuality, embedding } = core;

    // In the background: uploads may start meanwhile (see BlobSweeper for why that is safe).
    const blobSweeper = new BlobSweeper(store, references, logger, config.blobSweep);
    blobSweeper.start();
    stops.push(["blob sweeper", () => blobSweeper.stop()]);
    const users = new UsersService(prisma, logger);
    relaySignInChanges(core.bus, users);
    const bootstrap = await withFirstStartLock(database.url, async () => {
      const created = await users.bootstrap(config.adminToken);
      await registerBuiltinModels(prisma, store, references);
      return created;
    });
    const signer = await UrlSigner.load(prisma, config.signedUrlTtlSeconds);

    const artifacts = new InferenceArtifacts(prisma, store, references, logger);
    artifacts.startSweeping();
    stops.push(["artifact sweeper", async () => artifacts.stopSweeping()]);
    const predictions = new PredictionsService(prisma, references, logger);
    stops.push(["prediction retention", startPredictionRetention(predictions)]);
    models.onAliasMoved((modelId, alias, versionId) => deployments.followAlias(modelId, alias, versionId));
    models.onVersionsDeleted((model) => deployments.versionsDeleted(model));
    models.onVisibilityChanged((modelId) => deployments.invalidateServingTargets(modelId));
    const scoring = new Scoring(tier.client, deployments);
    const remoteModels = new RemoteModelsService(prisma, config);
    scoring.use("REMOTE", remoteModels.scores);
    deployments.onServingChanged((modelId) => remoteModels.scores.forget(modelId));
    const ensembles = createEnsembles(prisma, scoring, deployments, models);
    const predictionCache = new PredictionCache(config.predictionCacheBytes);
    deployments.onServingChanged((modelId) => predictionCache.invalidate(modelId));
    scoring.useCache(predictionCache);
    const metrics = new GatewayMetrics(prisma);
    metrics.usePredictionCache(predictionCache);
    // Stopped (and flushed) before the database: stops run in reverse.
    const servingStats = new ServingStatsRecorder(prisma, logger);
    servingStats.start();
    stops.push(["serving statistics", () => servingStats.stop()]);
    scoring.useRecorder(everyRecorder(servingStats, metrics));
    const services: Services = {
      users,
      models,
      modelImports: new ModelImportsService(models, store, references, config, logger),
      deployments,
      inference: new InferenceService(
        prisma,
        deployments,
        tier.client,
        artifacts,
        store,
        { maxImageBytes: config.limits.maxImageBytes },
        { log: new PredictionLog(prisma, store, references), adjustments: core.adjustments },
        scoring,
      ),
      datasets: new DatasetsService(prisma, store, references),
      datasetUploads: new DatasetUploadsService(prisma, store, references, config),
      embeddings: embedding.embeddings,
      similarity: embedding.similarity,
      embeddingMaps: core.embeddingMaps.maps,
      datasetCsvUploads: new DatasetCsvUploadsService(prisma, store, references, config),
      datasetImports: new DatasetImportsService(prisma, store, references, config, logger),
      datasetEdits: new DatasetEditsService(prisma, store, references, config),
      trainingPairs: new TrainingPairsService(prisma, store, references, config),
      datasetQuality,
      training: new TrainingService(prisma, jobs, config.trainingLimits),
      trainingReports: new TrainingReportsService(prisma, store, references, logger),
      jobs,
      reconstructions: new ReconstructionsService(prisma, store, references, jobs, {
        ...config.reconstructions,
        maxImageBytes: config.limits.maxImageBytes,
      }),
      scenes: new ScenesService(prisma, references),
      sceneUploads: new SceneUploadsService(
        prisma,
        store,
        references,
        config,
        { binary: config.scenes.colmapBinary, path: config.scenes.path },
        logger,
      ),
      predictions,
      feedback: new FeedbackService(prisma, predictions, new AdjustmentRefits(jobs)),
      labeling: createLabeling({
        prisma,
        store,
        references,
        tier: tier.client,
        deployments,
        pool: core.pool,
        jobs,
      }),
      retraining: core.retraining.policies,
      servingAnalytics: new ServingAnalyticsService(prisma, servingStats),
      remoteModels,
      ensembles,
      predictionCache,
      packages: new ModelPackagesService(prisma, store, references, models, config),
      quotas: core.quotas,
      tiers: new TiersService(tier.client, deployments),
    };
    relayUploadProgress(core.bus, services.datasetUploads.progress);
    await core.startWorkers();

    const app = express();
    app.disable("x-powered-by");
    // Behind a reverse proxy: the forwarded client address keys rate limits, the forwarded scheme builds links.
    if (config.trustProxy !== null) app.set("trust proxy", config.trustProxy);
    // A body still arriving after maxUploadMs is cut off (408): no upload outlives the temp-file
    // age the blob sweeper removes at.
    const httpServer = createServer({ requestTimeout: config.blobSweep.maxUploadMs }, app);
    const schema = await buildGatewaySchema();
    const context = (
      viewer: RequestContext["viewer"],
      baseUrl: string,
      rateLimitKey: string,
      signal?: AbortSignal,
    ): RequestContext => ({
      viewer,
      services,
      prisma,
      config,
      loaders: createLoaders(prisma),
      downloads: new DownloadLinks(signer, baseUrl, viewer?.id ?? null),
      rateLimitKey,
      signal,
    });
    const authenticate = (token: string) => users.authenticate(token);
    // One guard (and one set of rate-limit buckets) for HTTP and WebSocket alike.
    const guard = new OperationGuard(schema, config.graphql, new RateLimiter(config.rateLimits), core.quotas);
    const graphql = await createGraphQLEndpoint({
      schema,
      httpServer,
      config,
      logger,
      guard,
      authenticate,
      context,
      plugins: [
        graphqlMetricsPlugin(metrics),
        settleClusterPlugin(core.bus),
        graphqlTracingPlugin(schema, config.graphql.maxComplexity),
      ],
    });
    stops.push(["http server", () => graphql.stop()]);
    stops.push(["package model runs", async () => services.packages.stop()]);

    app.use(healthRoutes(prisma, tier.client, logger));
    app.use(metricsRoutes(metrics, config.metricsToken, logger));
    app.use(graphqlIde({ endpoint: "/graphql", subscriptionEndpoint: "/graphql" }));
    app.use(graphql.router);
    app.use(downloadRoutes({ prisma, store, users, signer, artifacts, logger }));
    app.use(sampleFileRoutes({ prisma, store, users, signer, datasets: services.datasets, logger }));
    app.use(datasetExportFileRoutes({ prisma, users, signer, datasets: services.datasets, logger }));
    app.use(reconstructionFileRoutes({ prisma, store, users, signer, logger }));
    app.use(
      trainingReportFileRoutes({ prisma, store, users, signer, reports: services.trainingReports, logger }),
    );
    app.use(sceneFrameFileRoutes({ prisma, store, users, signer, scenes: services.scenes, logger }));
    app.use(
      trainingPairFileRoutes({ prisma, store, users, signer, trainingPairs: services.trainingPairs, logger }),
    );
    app.use(predictionFileRoutes({ prisma, store, users, signer, predictions, logger }));
    // Last: the dashboard's fallback answers only what no API route claimed.
    app.use(webAppRoutes({ logger }));
    // Errors no route answered (a URL that does not decode, say): JSON, never Express's HTML stack.
    app.use(httpErrorHandler(logger));

    const formatSocketError = (error: GraphQLError) =>
      formatGraphQLError(error.toJSON(), error, config.exposeInternalErrors, (unexpected) =>
        logger.error({ err: unexpected }, "unexpected GraphQL error"),
      );
    const ws = createGraphQLWebSocket({
      schema,
      httpServer,
      path: "/graphql",
      guard,
      authenticate,
      context,
      formatError: formatSocketError,
    });
    stops.push(["websockets", () => ws.stop()]);

    await new Promise<void>((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
    const address = httpServer.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
    logger.info({ url: `${url}/graphql` }, "gateway listening");
    return {
      url,
      httpServer,
      prisma,
      services,
      createdAdminToken: bootstrap.secret,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
