import os from "node:os";
import { promisify } from "node:util";
import * as grpc from "@grpc/grpc-js";
import { loadTasks } from "@tessera/proto/tasks";
import sharp from "sharp";
import { runLoad, type LoadResult } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import type { GatewayClient } from "./gateway-with-tier";
import { buildMediumCnn, MEDIUM_CNN_LABELS, mediumCnn } from "./medium-cnn";
import { repeatedUpload } from "./multipart-client";

const CLIENTS = 8;
const DURATION_MS = 5_000;
const WARMUP_MS = 1_000;

const UPLOAD = `mutation ($input: UploadModelInput!, $files: [Upload!]!) {
  uploadModel(input: $input, files: $files) { id }
}`;
const DEPLOY = `mutation ($id: ID!, $config: DeploymentConfigInput) {
  deployModelVersion(id: $id, config: $config) { state reason tierModelName tierModelVersion }
}`;
const CLASSIFY = `mutation ($id: ID!, $image: ImageInput!) {
  classifyImage(modelVersionId: $id, image: $image, topK: 3) { predictions { label score } }
}`;
const CLASSIFY_UNCACHED = `mutation ($id: ID!, $image: ImageInput!) {
  classifyImage(modelVersionId: $id, image: $image, topK: 3, useCache: false) { predictions { label score } }
}`;
const CREATE_TOKEN = `mutation { createApiToken(name: "bench-classify-paths") { secret } }`;

const TIER = "tier Classify (gRPC)";
const TIER_AGAIN = "tier Classify (gRPC), again";
const GRAPHQL = "GraphQL classifyImage, useCache: false";
const GRAPHQL_CACHED = "GraphQL classifyImage, cache hit";
const GRAPHQL_NO_LOG = "GraphQL, useCache: false, prediction log off";

/**
 * (c) The same PNG classified by the same deployment, 8 clients: `classifyImage` through the gateway
 * (multipart upload, auth, GraphQL, the tier, the prediction log) vs the tier's Classify called
 * directly. The ratio's GraphQL row asks with `useCache: false`, so both sides run the model for
 * every request; the tier is measured before and after the GraphQL rows and the ratio takes their
 * mean. Two more rows, for the profile's sake: the cache answering (the same image again, as a
 * client gets by default), and the deployment's prediction log switched off (on by default: every
 * request stores its image and a row).
 */
export async function benchClassifyPaths(gateway: GatewayClient, tierPort: number): Promise<Ratio> {
  const cnn = await deployBenchCnn(gateway);
  const { createApiToken } = await gateway.graphql<{ createApiToken: { secret: string } }>(CREATE_TOKEN, {});
  const upload = (query: string) =>
    repeatedUpload({
      url: gateway.url,
      token: createApiToken.secret,
      query,
      variables: { id: cnn.versionId, image: { upload: null } },
      file: { path: "image.upload", filename: "image.png", content: cnn.png },
      connections: CLIENTS,
    });
  const tier = connectTierClassify(tierPort);
  const uncached = upload(CLASSIFY_UNCACHED);
  const cached = upload(CLASSIFY);
  const rows: Array<{ label: string; load: LoadResult; cpuMs: number; loadAverage: number }> = [];
  const measure = async (label: string, call: () => Promise<void>) => {
    await runLoad({ clients: CLIENTS, durationMs: WARMUP_MS }, call);
    const cpuBefore = process.cpuUsage();
    const load = await runLoad({ clients: CLIENTS, durationMs: DURATION_MS }, call);
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000 / load.requests;
    rows.push({ label, load, cpuMs, loadAverage: os.loadavg()[0]! });
  };
  try {
    await measure(TIER, () => tier.classify(cnn));
    await measure(GRAPHQL, uncached.send);
    await measure(GRAPHQL_CACHED, cached.send);
    await measure(TIER_AGAIN, () => tier.classify(cnn));
    await gateway.graphql(DEPLOY, { id: cnn.versionId, config: { predictionLog: { enabled: false } } });
    await measure(GRAPHQL_NO_LOG, uncached.send);
  } finally {
    tier.close();
    uncached.close();
    cached.close();
  }
  printTable(
    `(c) classifyImage through GraphQL vs the tier's Classify: ${mediumCnn.size}×${mediumCnn.size} PNG, ${CLIENTS} clients`,
    ["path", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "CPU ms/req", "load"],
    rows.map(({ label, load, cpuMs, loadAverage }) => [
      label,
      String(load.requests),
      formatNumber(load.perSecond),
      formatNumber(load.latencyMs.p50),
      formatNumber(load.latencyMs.p95),
      formatNumber(load.latencyMs.p99),
      formatNumber(cpuMs),
      loadAverage.toFixed(2),
    ]),
  );
  console.log(
    "CPU ms/req: this process's CPU time (user + system) per request: the gateway, its embedded database\n" +
      "(on a thread of its own) and the bench's clients (on the gateway's thread); the tier runs in its own process.\n" +
      "On a busy machine it swings far less than req/s does.",
  );
  const perSecond = (label: string) => rows.find((row) => row.label === label)!.load.perSecond;
  return {
    name: "inference.classify-path",
    subject: { label: "GraphQL", value: perSecond(GRAPHQL), unit: "req/s" },
    baseline: {
      label: "tier Classify",
      value: (perSecond(TIER) + perSecond(TIER_AGAIN)) / 2,
      unit: "req/s",
    },
    note: "useCache: false, default deployment (prediction log on, images kept)",
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
