import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { deferCleanup } from "../lib/cleanup";
import { latencies, type Latencies } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import { startGatewayWithTier, type GatewayClient } from "../inference/gateway-with-tier";
import { buildMediumCnn, MEDIUM_CNN_LABELS, mediumCnn } from "../inference/medium-cnn";
import { startTierUnderTest } from "../inference/tier-under-test";
import { buildConstantClassifier } from "../../gateway/test/serving/ensembles/ensemble-fixtures";

const REQUESTS = 100;
const WARMUP = 20;
/** Ensemble latency over its slowest member's, at most. */
const AIM_LATENCY_RATIO = 1.3;

const UPLOAD = `mutation ($input: UploadModelInput!, $files: [Upload!]!) {
  uploadModel(input: $input, files: $files) { id }
}`;
const DEPLOY = "mutation ($id: ID!) { deployModelVersion(id: $id) { state reason } }";
const CREATE = `mutation ($input: CreateEnsembleInput!) { createEnsemble(input: $input) { id } }`;
// useCache false: every request runs every member (the prediction cache would answer repeats).
const CLASSIFY = `mutation ($id: ID!, $image: ImageInput!) {
  classifyImage(modelVersionId: $id, image: $image, topK: 3, useCache: false) {
    servedBy degraded members { servedBy }
  }
}`;

/**
 * An ensemble of three members vs its slowest member alone: `classifyImage` through GraphQL, one
 * client, the prediction cache bypassed, so each figure is one request's latency. The members are
 * the medium CNN (the slowest) and two constant classifiers; they run in parallel, so the
 * ensemble should cost little more than the CNN alone (the aim: at most 1.3 × its latency).
 */
export async function measureEnsemble(): Promise<Ratio[]> {
  const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "tessera-bench-ensemble-"));
  const removeWorkDir = deferCleanup(() => fs.promises.rm(workDir, { recursive: true, force: true }));
  const tier = await startTierUnderTest();
  let gateway: GatewayClient | null = null;
  try {
    gateway = await startGatewayWithTier(path.join(workDir, "data"), tier.tier.port);
    const client = gateway;
    const uniform = MEDIUM_CNN_LABELS.map(() => 1 / MEDIUM_CNN_LABELS.length);
    const cnn = await uploadAndDeploy(client, "bench-cnn", Buffer.from(buildMediumCnn()));
    const small = await Promise.all(
      ["bench-constant-1", "bench-constant-2"].map((slug) =>
        uploadAndDeploy(client, slug, buildConstantClassifier(MEDIUM_CNN_LABELS, uniform)),
      ),
    );
    const { createEnsemble } = await client.graphql<{ createEnsemble: { id: string } }>(CREATE, {
      input: {
        slug: "bench-ensemble",
        blend: "AVERAGE",
        members: [cnn, ...small].map((modelVersionId) => ({ modelVersionId })),
      },
    });
    const png = await sharp({
      create: { width: mediumCnn.size, height: mediumCnn.size, channels: 3, background: "#3a7bd5" },
    })
      .png()
      .toBuffer();
    const classify = async (id: string) => {
      const { classifyImage } = await client.graphql<{
        classifyImage: { degraded: boolean | null; members: Array<{ servedBy: string }> | null };
      }>(CLASSIFY, { id, image: { upload: null } }, { "image.upload": ["image.png", png] });
      if (classifyImage.degraded) throw new Error("the ensemble answered degraded: a member failed");
    };
    const runs: Array<[string, string]> = [
      ["slowest member alone (medium CNN)", cnn],
      ["ensemble of 3 (CNN + 2 constant)", createEnsemble.id],
    ];
    // Interleaved, one of each in turn: a machine whose load drifts weighs on both alike.
    const millis = runs.map((): number[] => []);
    for (let n = 0; n < WARMUP + REQUESTS; n++) {
      for (const [k, [, id]] of runs.entries()) {
        const sent = process.hrtime.bigint();
        await classify(id);
        if (n >= WARMUP) millis[k]!.push(Number(process.hrtime.bigint() - sent) / 1e6);
      }
    }
    const results = new Map(runs.map(([label], k) => [label, summary(millis[k]!)]));
    const alone = results.get(runs[0]![0])!;
    const ensemble = results.get(runs[1]![0])!;
    printTable(
      `Ensemble vs its slowest member: classifyImage of a ${mediumCnn.size}×${mediumCnn.size} PNG through GraphQL, ` +
        `cache bypassed, 1 client, ${REQUESTS} requests each, interleaved`,
      ["path", "mean ms", "p50 ms", "p95 ms", "p99 ms"],
      [...results].map(([label, r]) => [
        label,
        formatNumber(r.meanMs),
        formatNumber(r.p50),
        formatNumber(r.p95),
        formatNumber(r.p99),
      ]),
    );
    const latencyRatio = ensemble.p50 / alone.p50;
    return [
      {
        name: "serving.ensemble",
        // Higher is better in a Ratio: speeds (1 / p50), so the ratio is alone / ensemble latency.
        subject: { label: "ensemble of 3", value: 1000 / ensemble.p50, unit: "req/s (1 / p50)" },
        baseline: { label: "slowest member alone", value: 1000 / alone.p50, unit: "req/s (1 / p50)" },
        aim: Number((1 / AIM_LATENCY_RATIO).toFixed(2)),
        note: `latency ratio ${latencyRatio.toFixed(2)} (p50 ${formatNumber(ensemble.p50)} vs ${formatNumber(alone.p50)} ms; aim ≤ ${AIM_LATENCY_RATIO})`,
      },
    ];
  } finally {
    await gateway?.stop();
    await tier.stop();
    await removeWorkDir();
  }
}

async function uploadAndDeploy(gateway: GatewayClient, slug: string, onnx: Buffer): Promise<string> {
  const { uploadModel } = await gateway.graphql<{ uploadModel: { id: string } }>(
    UPLOAD,
    { input: { slug, modelType: "CLASSIFICATION", labels: MEDIUM_CNN_LABELS }, files: [null] },
    { "files.0": ["model.onnx", onnx] },
  );
  const { deployModelVersion } = await gateway.graphql<{
    deployModelVersion: { state: string; reason: string | null };
  }>(DEPLOY, { id: uploadModel.id });
  if (deployModelVersion.state !== "READY") {
    throw new Error(`${slug} is ${deployModelVersion.state}: ${deployModelVersion.reason}`);
  }
  return uploadModel.id;
}

function summary(millis: number[]): Latencies & { meanMs: number } {
  return { ...latencies(millis), meanMs: millis.reduce((a, b) => a + b, 0) / millis.length };
}
