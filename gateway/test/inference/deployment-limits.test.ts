import { OnnxGraphBuilder } from "@tessera/onnx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { featureEmbedderVersionId } from "../training/api/training-api";
import { buildColourClassifier, classify, deploy, solidPng, uploadOnnx, withImage } from "./inference-api";

/**
 * Above the tier's own default (4096): a deployment at this size is READY only if the gateway
 * hands its setting to the tier it starts.
 */
const MAX_SIZE = 5000;
const sizeLimit = `(the server's limit, TESSERA_MAX_PREPROCESSING_SIZE)`;

/** [side × side] images (fixed) or any size (null) → channel means → [batch, 3]. */
function meanClassifier(side: number | null): Buffer {
  const [height, width] = side === null ? ["height", "width"] : [side, side];
  return Buffer.from(
    new OnnxGraphBuilder({ graphName: "mean-classifier" })
      .addInput("image", "float32", ["batch", 3, height, width])
      .addNode({ op: "GlobalAveragePool", inputs: ["image"], outputs: ["pooled"] })
      .addNode({ op: "Flatten", inputs: ["pooled"], outputs: ["scores"], attributes: { axis: { int: 1 } } })
      .addOutput("scores", "float32", ["batch", 3])
      .setMetadata("labels", JSON.stringify(["red", "green", "blue"]))
      .toBytes(),
  );
}

describe("deployment configs and inference arguments over their limits", () => {
  let gateway: TestGateway;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    gateway = await startTestGateway({ env: { TESSERA_MAX_PREPROCESSING_SIZE: String(MAX_SIZE) } });
    ids.colours = (await uploadOnnx(gateway, "colours", buildColourClassifier())).id;
    ids.anySize = (await uploadOnnx(gateway, "any-size", meanClassifier(null))).id;
    ids.huge = (await uploadOnnx(gateway, "huge-input", meanClassifier(8000))).id;
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  /** [what, version, config, field, message] */
  const refusals: Array<[string, string, Record<string, unknown>, string, string]> = [
    [
      "an 8000×8000 preprocessing",
      "anySize",
      { preprocessing: { width: 8000, height: 8000 } },
      "preprocessing.width",
      `preprocessing.width must be between 1 and ${MAX_SIZE} ${sizeLimit}, got 8000`,
    ],
    [
      "a height one over the limit",
      "anySize",
      { preprocessing: { width: 64, height: MAX_SIZE + 1 } },
      "preprocessing.height",
      `preprocessing.height must be between 1 and ${MAX_SIZE} ${sizeLimit}, got ${MAX_SIZE + 1}`,
    ],
    [
      "a width of 0",
      "anySize",
      { preprocessing: { width: 0, height: 64 } },
      "preprocessing.width",
      `preprocessing.width must be between 1 and ${MAX_SIZE} ${sizeLimit}, got 0`,
    ],
    [
      "a model whose own input is 8000×8000",
      "huge",
      {},
      "preprocessing.width",
      `preprocessing.width must be between 1 and ${MAX_SIZE} ${sizeLimit}, but the model's input is 8000 wide`,
    ],
    [
      "four mean values",
      "colours",
      { preprocessing: { mean: [0, 0, 0, 0] } },
      "preprocessing.mean",
      "preprocessing.mean needs 3 finite numbers",
    ],
    [
      "maxBatchSize 1025",
      "colours",
      { maxBatchSize: 1025 },
      "maxBatchSize",
      "maxBatchSize must be between 0 and 1024, got 1025",
    ],
    [
      "33 preferred batch sizes",
      "colours",
      { maxBatchSize: 64, preferredBatchSizes: Array.from({ length: 33 }, (_, index) => index + 1) },
      "preferredBatchSizes",
      "preferredBatchSizes must have at most 32 entries, got 33",
    ],
    [
      "a preferred batch size over maxBatchSize",
      "colours",
      { maxBatchSize: 8, preferredBatchSizes: [4, 9] },
      "preferredBatchSizes[1]",
      "preferredBatchSizes[1] must be between 1 and 8, got 9",
    ],
    [
      "a queue delay over 10 s",
      "colours",
      { maxQueueDelayMicroseconds: 10_000_001 },
      "maxQueueDelayMicroseconds",
      "maxQueueDelayMicroseconds must be between 0 and 10000000, got 10000001",
    ],
    [
      "a queue over a million",
      "colours",
      { maxQueueSize: 1_000_001 },
      "maxQueueSize",
      "maxQueueSize must be between 1 and 1000000, got 1000001",
    ],
    [
      "65 instances",
      "colours",
      { instanceCount: 65 },
      "instanceCount",
      "instanceCount must be between 1 and 64, got 65",
    ],
    [
      "a provider named twice",
      "colours",
      { executionProviders: ["CPU", "CPU"] },
      "executionProviders",
      "executionProviders names a provider twice; list each once, in the order to try them",
    ],
    [
      "an embeddingOutput name of 257 characters",
      "colours",
      { embeddingOutput: "x".repeat(257) },
      "embeddingOutput",
      "embeddingOutput must be at most 256 characters long, got 257",
    ],
  ];

  it.each(refusals)(
    "refuses %s with BAD_USER_INPUT naming the field, storing nothing",
    async (_case, version, config, field, message) => {
      const before = await gateway.prisma.deployment.count();
      const body = await deploy(gateway, ids[version]!, config);
      expect(body.errors?.[0]).toMatchObject({ message, extensions: { code: "BAD_USER_INPUT", field } });
      expect(await gateway.prisma.deployment.count()).toBe(before);
      expect(
        await gateway.prisma.deployment.findUnique({ where: { modelVersionId: ids[version]! } }),
      ).toBeNull();
    },
  );

  it("deploys at the configured limit: the gateway hands it to the tier it starts", async () => {
    const body = await deploy(gateway, ids.anySize!, {
      preprocessing: { width: MAX_SIZE, height: MAX_SIZE },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data!.deployModelVersion.state).toBe("READY");
  });

  it("refuses topK over 1000 and an embedding dimension over 4096, naming the argument", async () => {
    const image = await solidPng([200, 20, 20]);
    const topK = await classify(gateway, ids.colours!, image, 1001);
    expect(topK.errors?.[0]).toMatchObject({
      message: "topK must be between 1 and 1000, got 1001",
      extensions: { code: "BAD_USER_INPUT", field: "topK" },
    });
    const embedder = await featureEmbedderVersionId(gateway);
    const embedded = await withImage(
      gateway,
      "mutation ($id: ID!, $image: ImageInput!, $dimension: Int) { embedImage(modelVersionId: $id, image: $image, dimension: $dimension) { dimension } }",
      { id: embedder, dimension: 4097 },
      image,
    );
    expect(embedded.errors?.[0]).toMatchObject({
      message: "dimension must be between 1 and 4096, got 4097",
      extensions: { code: "BAD_USER_INPUT", field: "dimension" },
    });
  });
});
