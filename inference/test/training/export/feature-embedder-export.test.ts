import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FeatureEmbedder } from "../../../src/tasks/embedding/feature-embedder";
import type { HeadWeights } from "../../../src/training/contracts";
import { exportTrainedModel } from "../../../src/training/export/trained-model";
import { callError, connectKServe, type KServeTestClient } from "../../helpers/kserve-client";
import { loadRequest } from "../../helpers/model-loads";
import { startTierProcess, type TierProcess } from "../../helpers/tier-process";
import { proceduralImage, type ProceduralImage } from "../../tasks/support/procedural-images";
import { connectTaskService, type TaskClient } from "../../tasks/support/task-server";
import { randomLayers, referenceProbabilities, standardisationOf } from "./reference-head";

const labels = ["stripes", "checkerboard", "noise"];

interface Prediction {
  label: string;
  score: number;
  index: number;
}

describe("a head exported on the built-in embedder, served by the tier", () => {
  let tier: TierProcess;
  let kserve: KServeTestClient;
  let tasks: TaskClient;
  let images: ProceduralImage[];
  let features: Float32Array[];
  let head: HeadWeights;

  beforeAll(async () => {
    const [started, drawn] = await Promise.all([
      startTierProcess(0),
      Promise.all(
        (["stripes", "checkerboard", "noise", "stripes"] as const).map((pattern, index) =>
          proceduralImage(pattern, index % 2 ? "blue" : "yellow", 31 + index),
        ),
      ),
    ]);
    tier = started;
    images = drawn;
    const embedder = new FeatureEmbedder({ workers: 1 });
    features = await embedder.embed(images.map((image) => image.bytes));
    await embedder.close();
    head = { ...standardisationOf(features), layers: randomLayers([256, 16, labels.length], 3) };
    const exported = exportTrainedModel({
      base: { kind: "feature-embedder", dimension: 256 },
      head,
      labels,
    });
    kserve = connectKServe(tier.port);
    const config = {
      max_batch_size: 8,
      dynamic_batching: {},
      parameters: {
        "tessera.task": { string_value: "classification" },
        "tessera.labels": { string_value: JSON.stringify(labels) },
      },
    };
    await kserve.call("RepositoryModelLoad", loadRequest("textures", config, { 1: exported }));
    tasks = connectTaskService(tier.port);
  });

  afterAll(async () => {
    tasks?.close();
    kserve?.close();
    await tier?.stop();
  });

  it("classifies an image with the embedder's vector fed to the model: the head's own answer", async () => {
    for (const [index, image] of images.entries()) {
      const answer = await tasks.call<{ model_version: string; predictions: Prediction[] }>("Classify", {
        model_name: "textures",
        image: image.bytes,
        top_k: 3,
      });
      const expected = referenceProbabilities(head, features[index]!)
        .map((score, k) => ({ label: labels[k]!, score, index: k }))
        .sort((a, b) => b.score - a.score);
      expect(answer.model_version).toBe("1");
      expect(answer.predictions.map((prediction) => prediction.label)).toEqual(
        expected.map((prediction) => prediction.label),
      );
      answer.predictions.forEach((prediction, rank) =>
        expect(Math.abs(prediction.score - expected[rank]!.score)).toBeLessThan(1e-5),
      );
    }
  });

  it("answers other image tasks on it with FAILED_PRECONDITION", async () => {
    const embed = await callError(
      tasks.call("Embed", { images: [images[0]!.bytes], method: "ML", backbone_model_name: "textures" }),
    );
    expect(embed.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(embed.details).toBe(
      'model "textures" version 1 takes "feature-embedder/v1" feature vectors, not images; Classify is the only task that serves it',
    );
    const segment = await callError(
      tasks.call("Segment", { model_name: "textures", image: images[0]!.bytes }),
    );
    expect(segment.code).toBe(grpc.status.FAILED_PRECONDITION);
  });
});
