import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildChannelMeanDepth,
  buildPooledSegmenter,
} from "../../../inference/test/tasks/support/task-models";
import { greyValues } from "../../../inference/test/tasks/support/test-images";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { deployReady, pngOf, solidPng, uploadOnnx, withImage } from "./inference-api";

/** Tensor values equal to the 8-bit levels: (level / 255 - 0) / (1 / 255). */
const LEVELS = { mean: [0, 0, 0], std: [1 / 255, 1 / 255, 1 / 255] };

const ESTIMATE_DEPTH = `
  mutation ($id: ID!, $image: ImageInput!) {
    estimateDepth(modelVersionId: $id, image: $image) { modelVersionId depthUrl previewUrl min max width height }
  }`;

const SEGMENT = `
  mutation ($id: ID!, $image: ImageInput!) {
    segmentImage(modelVersionId: $id, image: $image) {
      maskUrl width height classes { index label pixelCount fraction }
    }
  }`;

const EMBED = `
  mutation ($id: ID!, $image: ImageInput!, $dimension: Int) {
    embedImage(modelVersionId: $id, image: $image, method: FEATURE, dimension: $dimension) {
      modelVersionId method dimension vector
    }
  }`;

interface DepthEstimate {
  depthUrl: string;
  previewUrl: string;
  min: number;
  max: number;
  width: number;
  height: number;
}

interface Segmentation {
  maskUrl: string;
  width: number;
  height: number;
  classes: Array<{ index: number; label: string; pixelCount: number; fraction: number }>;
}

interface Embedding {
  method: string;
  dimension: number;
  vector: number[];
}

describe("depth, segmentation and embeddings through GraphQL", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway();
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  async function download(url: string): Promise<Buffer> {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("image/png");
    return Buffer.from(await response.arrayBuffer());
  }

  it("estimates depth: exact range, a 16-bit PNG min → 0 … max → 65535 and a preview at the input size", async () => {
    const onnx = Buffer.from(buildChannelMeanDepth({ width: "width", height: "height" }));
    const version = await uploadOnnx(gateway, "mean-depth", onnx, { modelType: "DEPTH_ESTIMATION" });
    await deployReady(gateway, version.id, { preprocessing: LEVELS });
    // Depth 10x + 50y + 20 over 5×3 pixels, drawn as (d - 10, d, d + 10): the channel mean is d.
    const depthAt = (x: number, y: number) => 10 * x + 50 * y + 20;
    const image = await pngOf(5, 3, (x, y) => [depthAt(x, y) - 10, depthAt(x, y), depthAt(x, y) + 10]);

    const body = await withImage<{ estimateDepth: DepthEstimate }>(
      gateway,
      ESTIMATE_DEPTH,
      { id: version.id },
      image,
    );
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    const depth = body.data!.estimateDepth;
    expect(depth).toMatchObject({ min: 20, max: 160, width: 5, height: 3 });

    const png = await greyValues(await download(depth.depthUrl));
    expect(png).toMatchObject({ width: 5, height: 3, depth: "ushort" });
    const expected = Array.from({ length: 15 }, (_, i) => depthAt(i % 5, Math.floor(i / 5)));
    expect(png.values).toEqual(expected.map((d) => Math.round(((d - 20) / 140) * 65535)));
    const preview = await sharp(await download(depth.previewUrl)).metadata();
    expect({ width: preview.width, height: preview.height }).toEqual({ width: 5, height: 3 });
  });

  it("segments: the mask PNG has the input size and the class counts are exact", async () => {
    // Class 0 scores red, class 1 green, class 2 blue; the model's mask is half the input size.
    const onnx = Buffer.from(
      buildPooledSegmenter([
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ]),
    );
    const version = await uploadOnnx(gateway, "colour-segmenter", onnx, {
      modelType: "SEGMENTATION",
      labels: ["red", "green", "blue"],
    });
    await deployReady(gateway, version.id, { preprocessing: LEVELS });
    // 8×4: columns 0–1 green, 2–7 blue, so the 4×2 mask is one green column and three blue ones.
    const image = await pngOf(8, 4, (x) => (x < 2 ? [0, 200, 0] : [0, 0, 200]));

    const body = await withImage<{ segmentImage: Segmentation }>(gateway, SEGMENT, { id: version.id }, image);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    const segmentation = body.data!.segmentImage;
    expect(segmentation).toMatchObject({ width: 8, height: 4 });
    expect(segmentation.classes).toEqual([
      { index: 2, label: "blue", pixelCount: 24, fraction: 0.75 },
      { index: 1, label: "green", pixelCount: 8, fraction: 0.25 },
    ]);
    const mask = await greyValues(await download(segmentation.maskUrl));
    expect({ width: mask.width, height: mask.height }).toEqual({ width: 8, height: 4 });
    expect(mask.values).toEqual(Array.from({ length: 32 }, (_, i) => (i % 8 < 2 ? 1 : 2)));
  });

  it("embeds with system/feature-embedder: the dimension asked for, unit length, the same vector twice", async () => {
    const found = await gateway.gql<{ model: { latestVersion: { id: string } } }>(
      '{ model(owner: "system", slug: "feature-embedder") { latestVersion { id } } }',
    );
    const id = found.data!.model.latestVersion.id;
    const stripes = await pngOf(32, 32, (x) => (x % 4 < 2 ? [220, 40, 40] : [30, 30, 160]));
    const embed = async (image: Buffer, dimension?: number) => {
      const body = await withImage<{ embedImage: Embedding }>(gateway, EMBED, { id, dimension }, image);
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      return body.data!.embedImage;
    };

    const first = await embed(stripes, 64);
    expect(first).toMatchObject({ method: "FEATURE", dimension: 64 });
    expect(first.vector).toHaveLength(64);
    expect(Math.hypot(...first.vector)).toBeCloseTo(1, 5);
    expect((await embed(stripes, 64)).vector).toEqual(first.vector);
    expect((await embed(stripes)).vector).toHaveLength(256);
    expect((await embed(await solidPng([30, 200, 30], 32, 32), 64)).vector).not.toEqual(first.vector);
  });
});
