import { OnnxGraphBuilder } from "@tessera/onnx";
import sharp from "sharp";
import { expect } from "vitest";
import type { GraphQLBody, TestGateway } from "../support/gateway";
import { uploadModel, type VersionResult } from "../registry/operations";

/** The GraphQL documents and model/image builders the inference integration tests share. */

export const DEPLOYMENT_FIELDS = "id state reason tierModelName tierModelVersion modelVersion { id version }";

export const DEPLOY = `
  mutation ($id: ID!, $config: DeploymentConfigInput) {
    deployModelVersion(id: $id, config: $config) { ${DEPLOYMENT_FIELDS} }
  }`;

export const UNDEPLOY = "mutation ($id: ID!) { undeployModelVersion(id: $id) }";

export const CLASSIFY = `
  mutation ($id: ID!, $image: ImageInput!, $topK: Int) {
    classifyImage(modelVersionId: $id, image: $image, topK: $topK) {
      modelVersionId latencyMs predictions { label score index }
    }
  }`;

export interface Deployment {
  id: string;
  state: string;
  reason: string | null;
  tierModelName: string;
  tierModelVersion: string;
  modelVersion: { id: string; version: string };
}

export interface Classification {
  modelVersionId: string;
  latencyMs: number;
  predictions: Array<{ label: string; score: number; index: number }>;
}

export type Rgb = readonly [number, number, number];

export const COLOUR_LABELS = ["red", "green", "blue"];

/**
 * image float32 [batch, 3, 8, 8] → channel means → Gemm (4·I₃) → Softmax → "scores" [batch, 3],
 * labels red/green/blue in the ONNX metadata: the scores are softmax(4 · mean tensor value).
 */
export function buildColourClassifier(): Buffer {
  return Buffer.from(
    new OnnxGraphBuilder({ graphName: "colour-classifier" })
      .addInput("image", "float32", ["batch", 3, 8, 8])
      .addInitializer("weights", Float32Array.from([4, 0, 0, 0, 4, 0, 0, 0, 4]), [3, 3])
      .addNode({ op: "GlobalAveragePool", inputs: ["image"], outputs: ["pooled"] })
      .addNode({ op: "Flatten", inputs: ["pooled"], outputs: ["means"], attributes: { axis: { int: 1 } } })
      .addNode({
        op: "Gemm",
        inputs: ["means", "weights"],
        outputs: ["logits"],
        attributes: { transB: { int: 1 } },
      })
      .addNode({ op: "Softmax", inputs: ["logits"], outputs: ["scores"], attributes: { axis: { int: 1 } } })
      .addOutput("scores", "float32", ["batch", 3])
      .setMetadata("labels", JSON.stringify(COLOUR_LABELS))
      .toBytes(),
  );
}

/** Tensor values equal to level / 255, so expected scores follow from the pixel levels alone. */
export const UNIT_PREPROCESSING = { mean: [0, 0, 0], std: [1, 1, 1] };
export const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** The classifier's probabilities for a solid colour, worked out by hand. */
export function expectedScores(colour: Rgb, normalisation = UNIT_PREPROCESSING): number[] {
  const logits = colour.map(
    (level, c) => (4 * (level / 255 - normalisation.mean[c]!)) / normalisation.std[c]!,
  );
  const top = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - top));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** A solid-colour PNG. */
export function solidPng(colour: Rgb, width = 8, height = 8): Promise<Buffer> {
  return sharp({
    create: { width, height, channels: 3, background: { r: colour[0], g: colour[1], b: colour[2] } },
  })
    .png()
    .toBuffer();
}

/** A PNG from a colour per pixel, row-major. */
export function pngOf(
  width: number,
  height: number,
  colourAt: (x: number, y: number) => Rgb,
): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set(colourAt(x, y), (y * width + x) * 3);
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** Uploads one ONNX file as a new version of `slug`. */
export function uploadOnnx(
  gateway: TestGateway,
  slug: string,
  onnx: Buffer,
  input: Record<string, unknown> = {},
): Promise<VersionResult> {
  return uploadModel(gateway, { slug, modelType: "CLASSIFICATION", ...input }, { "model.onnx": onnx });
}

export async function deploy(
  gateway: TestGateway,
  id: string,
  config?: Record<string, unknown>,
): Promise<GraphQLBody<{ deployModelVersion: Deployment }>> {
  return gateway.gql<{ deployModelVersion: Deployment }>(DEPLOY, { id, config });
}

/** Deploys and fails the test unless the answer is READY. */
export async function deployReady(
  gateway: TestGateway,
  id: string,
  config?: Record<string, unknown>,
): Promise<Deployment> {
  const body = await deploy(gateway, id, config);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  expect(body.data!.deployModelVersion.state, body.data!.deployModelVersion.reason ?? "").toBe("READY");
  return body.data!.deployModelVersion;
}

/** Any image mutation with the image as the `image.upload` variable; `token` defaults to the admin's. */
export function withImage<T>(
  gateway: TestGateway,
  query: string,
  variables: Record<string, unknown>,
  image: Buffer,
  filename = "image.png",
  token?: string,
): Promise<GraphQLBody<T>> {
  return gateway.upload<T>(
    query,
    { ...variables, image: { upload: null } },
    [{ variable: "image.upload", filename, content: image, contentType: "image/png" }],
    token,
  );
}

export function classify(
  gateway: TestGateway,
  id: string,
  image: Buffer,
  topK?: number,
): Promise<GraphQLBody<{ classifyImage: Classification }>> {
  return withImage(gateway, CLASSIFY, { id, topK }, image);
}

/** Classifies and fails the test on any error. */
export async function classified(gateway: TestGateway, id: string, image: Buffer, topK?: number) {
  const body = await classify(gateway, id, image, topK);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!.classifyImage;
}

/** The predictions for a solid colour, highest first, as the tier should give them. */
export function expectedPredictions(colour: Rgb, normalisation = UNIT_PREPROCESSING) {
  return expectedScores(colour, normalisation)
    .map((score, index) => ({ label: COLOUR_LABELS[index]!, score, index }))
    .sort((a, b) => b.score - a.score);
}

/** Predictions equal to `expected` in order, scores to float32 precision. */
export function expectPredictions(
  actual: Classification["predictions"],
  expected: Classification["predictions"],
): void {
  expect(actual.map((p) => [p.label, p.index])).toEqual(expected.map((p) => [p.label, p.index]));
  actual.forEach((p, i) => expect(p.score).toBeCloseTo(expected[i]!.score, 6));
}
