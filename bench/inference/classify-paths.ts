import { promisify } from "node:util";
import * as grpc from "@grpc/grpc-js";
import { loadTasks } from "@tessera/proto/tasks";
import sharp from "sharp";
import { runLoad, type LoadResult } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import type { GatewayClient } from "./gateway-with-tier";
import { buildMediumCnn, MEDIUM_CNN_LABELS, mediumCnn } from "./medium-cnn";

const CLIENTS = 8;
const DURATION_MS = 5_000;
const WARMUP_MS = 1_000;

const UPLOAD = `mutation ($input: UploadModelInput!, $files: [Upload!]!) {
  uploadModel(input: $input, files: $files) { id }
}`;
const DEPLOY = `mutation ($id: ID!) {
  deployModelVersion(id: $id) { state reason tierModelName tierModelVersion }
}`;
const CLASSIFY = `mutation ($id: ID!, $image: ImageInput!) {
  classifyImage(modelVersionId: $id, image: $image, topK: 3) { predictions { label score } }
}`;

/**
 * (c) The same PNG classified by the same deployment, 8 clients: `classifyImage` through the gateway
 * (multipart upload, auth, GraphQL, then the tier) vs the tier's Classify called directly.
 */
export async function benchClassifyPaths(gateway: GatewayClient, tierPort: number): Promise<Ratio> {
  const { versionId, deployment, png } = await deployBenchCnn(gateway);
  const size = mediumCnn.size;
  const tier = connectTierClassify(tierPort);
  const paths = {
    "GraphQL classifyImage": () => classifyThroughGateway(gateway, { versionId, deployment, png }),
    "tier Classify (gRPC)": () => tier.classify({ deployment, png }),
  };
  const results = new Map<string, LoadResult>();
  try {
    for (const [label, call] of Object.entries(paths)) {
      await runLoad({ clients: CLIENTS, durationMs: WARMUP_MS }, call);
      results.set(label, await runLoad({ clients: CLIENTS, durationMs: DURATION_MS }, call));
    }
  } finally {
    tier.close();
  }
  printTable(
    `(c) classifyImage through GraphQL vs the tier's Classify: ${size}×${size} PNG, ${CLIENTS} clients`,
    ["path", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms"],
    [...results].map(([label, r]) => [
      label,
      String(r.requests),
      formatNumber(r.perSecond),
      formatNumber(r.latencyMs.p50),
      formatNumber(r.latencyMs.p95),
      formatNumber(r.latencyMs.p99),
    ]),
  );
  return {
    name: "inference.classify-path",
    subject: { label: "GraphQL", value: results.get("GraphQL classifyImage")!.perSecond, unit: "req/s" },
    baseline: {
      label: "tier Classify",
      value: results.get("tier Classify (gRPC)")!.perSecond,
      unit: "req/s",
    },
    aim: 0.7,
  };
}

export interface DeployedCnn {
  versionId: string;
  deployment: { tierModelName: string; tierModelVersion: string };
  /** A solid-colour PNG of the CNN's input size. */
  png: Buffer;
}

/** The medium CNN uploaded through the gateway and deployed with the default config, READY. */
export async function deployBenchCnn(gateway: GatewayClient): Promise<DeployedCnn> {
  const uploaded = await gateway.graphql<{ uploadModel: { id: string } }>(
    UPLOAD,
    { input: { slug: "bench-cnn", modelType: "CLASSIFICATION", labels: MEDIUM_CNN_LABELS }, files: [null] },
    { "files.0": ["model.onnx", Buffer.from(buildMediumCnn())] },
  );
  const versionId = uploaded.uploadModel.id;
  const { deployModelVersion: deployment } = await gateway.graphql<{
    deployModelVersion: {
      state: string;
      reason: string | null;
      tierModelName: string;
      tierModelVersion: string;
    };
  }>(DEPLOY, { id: versionId });
  if (deployment.state !== "READY")
    throw new Error(`deployment is ${deployment.state}: ${deployment.reason}`);
  const size = mediumCnn.size;
  const png = await sharp({ create: { width: size, height: size, channels: 3, background: "#3a7bd5" } })
    .png()
    .toBuffer();
  return { versionId, deployment, png };
}

/** One `classifyImage` of the PNG as a multipart GraphQL request with the admin's token. */
export async function classifyThroughGateway(gateway: GatewayClient, cnn: DeployedCnn): Promise<void> {
  await gateway.graphql(
    CLASSIFY,
    { id: cnn.versionId, image: { upload: null } },
    { "image.upload": ["image.png", cnn.png] },
  );
}

/** The tier's `tessera.tasks.v1.TaskService/Classify`, called directly as the gateway calls it. */
export function connectTierClassify(tierPort: number) {
  const TaskService = loadTasks().TaskService;
  const client = new TaskService(`127.0.0.1:${tierPort}`, grpc.credentials.createInsecure());
  const call = promisify(client.Classify.bind(client)) as (request: object) => Promise<unknown>;
  return {
    async classify(cnn: Pick<DeployedCnn, "deployment" | "png">): Promise<void> {
      await call({
        model_name: cnn.deployment.tierModelName,
        model_version: cnn.deployment.tierModelVersion,
        image: cnn.png,
        top_k: 3,
      });
    },
    close: () => client.close(),
  };
}
