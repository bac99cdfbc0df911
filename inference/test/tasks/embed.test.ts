import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InProcessRunner } from "./support/in-process-runner";
import { startTaskServer, type TaskServer } from "./support/task-server";
import { buildChannelMeanDepth, buildConvBackbone, convBackboneSpec, unitScale } from "./support/task-models";
import { pngOf, type Rgb } from "./support/test-images";

interface EmbedResponse {
  embeddings: { values: number[] }[];
  dimension: number;
  method: string;
  model_name: string;
  model_version: string;
}

const norm = (values: number[]) => Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));

/** The backbone's pooled features for a solid colour, by hand: W·(colour / 255) + b, then unit length. */
function expectedBackboneVector(colour: Rgb): number[] {
  const pixel = colour.map((level) => level / 255);
  const features = convBackboneSpec.weights.map(
    (row, k) =>
      row.reduce<number>((sum, weight, channel) => sum + weight * pixel[channel]!, 0) +
      convBackboneSpec.bias[k]!,
  );
  const length = norm(features);
  return features.map((value) => value / length);
}

describe("Embed", () => {
  let runner: InProcessRunner;
  let server: TaskServer;
  const colours: Rgb[] = Array.from({ length: 10 }, (_, index) => [
    index * 25,
    200 - index * 15,
    (index * 70) % 256,
  ]);
  let images: Buffer[];

  beforeAll(async () => {
    runner = await InProcessRunner.create([
      {
        name: "backbone",
        onnx: buildConvBackbone(),
        task: "embedding",
        maxBatchSize: 4,
        preprocessing: unitScale,
      },
      { name: "depth", onnx: buildChannelMeanDepth({ width: 4, height: 4 }), task: "depth" },
    ]);
    server = await startTaskServer(runner, { maxImagesPerEmbed: 12 });
    images = await Promise.all(colours.map((colour) => pngOf(6, 5, () => colour)));
  });

  afterAll(async () => {
    await server?.close();
    await runner?.close();
  });

  it("FEATURE: the built-in embedder's unit vectors, 256 long unless asked otherwise", async () => {
    const response = await server.call<EmbedResponse>("Embed", {
      images: images.slice(0, 3),
      method: "FEATURE",
    });
    expect(response).toMatchObject({
      dimension: 256,
      method: "FEATURE",
      model_name: "feature-embedder",
      model_version: "1",
    });
    const direct = await server.embedder.embed(images.slice(0, 3));
    expect(response.embeddings.map((embedding) => embedding.values)).toEqual(
      direct.map((vector) => [...vector]),
    );

    const shorter = await server.call<EmbedResponse>("Embed", { images: images.slice(0, 1), dimension: 32 });
    expect(shorter.dimension).toBe(32);
    expect(norm(shorter.embeddings[0]!.values)).toBeCloseTo(1, 6);
  });

  it("ML: the backbone's feature map averaged over positions and normalised, batched by the model's max batch size", async () => {
    const runsBefore = runner.runsOf("backbone");
    const response = await server.call<EmbedResponse>("Embed", {
      images,
      method: "ML",
      backbone_model_name: "backbone",
    });
    expect(response).toMatchObject({
      dimension: 5,
      method: "ML",
      model_name: "backbone",
      model_version: "1",
    });
    response.embeddings.forEach((embedding, index) => {
      const expected = expectedBackboneVector(colours[index]!);
      embedding.values.forEach((value, feature) => expect(value).toBeCloseTo(expected[feature]!, 6));
    });
    // Ten images with at most four per run: three runs.
    expect(runner.runsOf("backbone") - runsBefore).toBe(3);
  });

  it("ML with a dimension projects to that width with a fixed projection", async () => {
    const request = {
      images: images.slice(0, 2),
      method: "ML",
      backbone_model_name: "backbone",
      dimension: 3,
    };
    const first = await server.call<EmbedResponse>("Embed", request);
    const second = await server.call<EmbedResponse>("Embed", request);
    expect(first.dimension).toBe(3);
    first.embeddings.forEach((embedding) => expect(norm(embedding.values)).toBeCloseTo(1, 6));
    expect(second.embeddings).toEqual(first.embeddings);
  });

  it("HYBRID: the built-in and the backbone vectors side by side with equal weight", async () => {
    const request = { images: images.slice(0, 2), method: "HYBRID", backbone_model_name: "backbone" };
    const response = await server.call<EmbedResponse>("Embed", request);
    const features = await server.embedder.embed(images.slice(0, 2));
    expect(response.dimension).toBe(256 + 5);
    response.embeddings.forEach((embedding, index) => {
      const expected = [...features[index]!, ...expectedBackboneVector(colours[index]!)].map(
        (value) => value * Math.SQRT1_2,
      );
      embedding.values.forEach((value, position) => expect(value).toBeCloseTo(expected[position]!, 6));
    });
    const reduced = await server.call<EmbedResponse>("Embed", { ...request, dimension: 128 });
    expect(reduced.dimension).toBe(128);
    expect(norm(reduced.embeddings[1]!.values)).toBeCloseTo(1, 6);
  });

  it("answers INVALID_ARGUMENT for requests it cannot serve and FAILED_PRECONDITION for a depth backbone", async () => {
    const cases: [object, grpc.status, string][] = [
      [{ images: [] }, grpc.status.INVALID_ARGUMENT, "Embed needs at least one image; got none"],
      [
        { images: [...images, ...images] },
        grpc.status.INVALID_ARGUMENT,
        "Embed takes at most 12 images per call; got 20",
      ],
      [
        { images, dimension: 5000 },
        grpc.status.INVALID_ARGUMENT,
        "The embedding dimension must be an integer from 1 to 4096; got 5000",
      ],
      [
        { images, method: "ML" },
        grpc.status.INVALID_ARGUMENT,
        "ML embeddings need backbone_model_name, the ONNX model to embed with",
      ],
      [
        { images, method: "FEATURE", backbone_model_name: "backbone" },
        grpc.status.INVALID_ARGUMENT,
        'FEATURE embeddings come from the built-in embedder and take no backbone; got backbone "backbone" (use ML or HYBRID)',
      ],
      [
        { images, method: "HYBRID", backbone_model_name: "depth" },
        grpc.status.FAILED_PRECONDITION,
        'Embed with ML or HYBRID needs an embedding or a classification model; model "depth" version 1 is a depth model',
      ],
      [
        { images, method: "ML", backbone_model_name: "missing" },
        grpc.status.NOT_FOUND,
        'Model "missing" is not loaded',
      ],
    ];
    for (const [request, code, details] of cases) {
      await expect(server.call("Embed", request)).rejects.toMatchObject({ code, details });
    }
  });
});
