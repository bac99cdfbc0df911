import * as grpc from "@grpc/grpc-js";
import { buildLinearClassifier, linearClassifierSpec } from "@tessera/onnx/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callError, connectKServe, type KServeTestClient } from "./helpers/kserve-client";
import { float32s, loadRequest, rawFloat32 } from "./helpers/model-loads";
import { buildNegatedClassifier, expectedProbabilities } from "./helpers/test-models";
import { startTierProcess, type TierProcess } from "./helpers/tier-process";

const row = [1, 2, 3, 4];
const negatedWeights = linearClassifierSpec.weights.map((weights) => weights.map((weight) => -weight));
const negatedBias = linearClassifierSpec.bias.map((bias) => -bias);
const config = { max_batch_size: 8, dynamic_batching: {} };
const garbage = Buffer.from("not an onnx model at all");

describe("versions of a model in the tier", () => {
  let tier: TierProcess;
  let client: KServeTestClient;

  beforeAll(async () => {
    tier = await startTierProcess(0);
    client = connectKServe(tier.port);
    await client.call(
      "RepositoryModelLoad",
      loadRequest("classifier", config, { 1: buildLinearClassifier().toBytes() }),
    );
    await client.call(
      "RepositoryModelLoad",
      loadRequest("bystander", config, { 1: buildLinearClassifier().toBytes() }),
    );
  });

  afterAll(async () => {
    client?.close();
    await tier?.stop();
  });

  async function classify(model = "classifier", version = "") {
    const answer = await client.call("ModelInfer", {
      model_name: model,
      model_version: version,
      inputs: [{ name: "input", datatype: "FP32", shape: [1, 4] }],
      raw_input_contents: [rawFloat32(row)],
    });
    return {
      version: answer.model_version as string,
      probabilities: float32s(answer.raw_output_contents[0]),
    };
  }

  async function index() {
    return (await client.call("RepositoryIndex", {})).models.filter(
      (model: { name: string }) => model.name === "classifier",
    );
  }

  it("swaps version 1 for version 2 under a steady stream of requests without a failure", async () => {
    let swapped = false;
    const streams = Array.from({ length: 4 }, async () => {
      const seen: Array<Awaited<ReturnType<typeof classify>>> = [];
      let afterSwap = 0;
      while (afterSwap < 10) {
        seen.push(await classify());
        if (swapped) afterSwap += 1;
      }
      return seen;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.call(
      "RepositoryModelLoad",
      loadRequest("classifier", config, { 2: buildNegatedClassifier() }),
    );
    swapped = true;
    const answers = (await Promise.all(streams)).map((seen) => seen);

    for (const seen of answers) {
      const versions = seen.map((answer) => answer.version);
      // Once a stream has been answered by version 2 it never meets version 1 again.
      expect(versions.slice(versions.indexOf("2")).every((version) => version === "2")).toBe(true);
      expect(versions.at(0)).toBe("1");
      expect(versions.at(-1)).toBe("2");
      for (const answer of seen) {
        const expected =
          answer.version === "1"
            ? expectedProbabilities(row)
            : expectedProbabilities(row, negatedWeights, negatedBias);
        answer.probabilities.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 6));
      }
    }
    expect(await index()).toEqual([{ name: "classifier", version: "2", state: "READY", reason: "" }]);
    const error = await callError(classify("classifier", "1"));
    expect(error.code).toBe(grpc.status.NOT_FOUND);
  });

  it("marks a broken ONNX file FAILED with ONNX Runtime's reason and keeps serving the rest", async () => {
    const error = await callError(
      client.call("RepositoryModelLoad", loadRequest("classifier", config, { 3: garbage })),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toBe('model "classifier" version 3 failed to load: Protobuf parsing failed.');
    expect(await index()).toEqual([
      { name: "classifier", version: "2", state: "READY", reason: "" },
      { name: "classifier", version: "3", state: "UNAVAILABLE", reason: "Protobuf parsing failed." },
    ]);
    expect((await classify()).version).toBe("2");
    expect((await classify("bystander")).version).toBe("1");
    const notReady = await callError(classify("classifier", "3"));
    expect(notReady.code).toBe(grpc.status.UNAVAILABLE);
    expect(notReady.details).toBe('model "classifier" version 3 failed to load: Protobuf parsing failed.');
    expect(await client.call("ServerReady")).toEqual({ ready: true });
  });

  it("keeps a serving version answering when its reload fails", async () => {
    const error = await callError(
      client.call("RepositoryModelLoad", loadRequest("classifier", config, { 2: garbage })),
    );
    expect(error.details).toBe('model "classifier" version 2 failed to load: Protobuf parsing failed.');
    expect((await index()).find((model: { version: string }) => model.version === "2")).toEqual({
      name: "classifier",
      version: "2",
      state: "READY",
      reason: "",
    });
    expect((await classify("classifier", "2")).version).toBe("2");
  });

  it("replaces the failed version with the next one that loads", async () => {
    await client.call(
      "RepositoryModelLoad",
      loadRequest("classifier", config, { 4: buildLinearClassifier().toBytes() }),
    );
    expect(await index()).toEqual([{ name: "classifier", version: "4", state: "READY", reason: "" }]);
    const answer = await classify();
    expect(answer.version).toBe("4");
    expectedProbabilities(row).forEach((value, i) => expect(answer.probabilities[i]).toBeCloseTo(value, 6));
  });

  it("reloads the newest cached version when a load sends no files", async () => {
    await client.call("RepositoryModelUnload", { model_name: "classifier" });
    expect(await index()).toEqual([]);
    await client.call("RepositoryModelLoad", { model_name: "classifier", parameters: {} });
    expect(await index()).toEqual([{ name: "classifier", version: "4", state: "READY", reason: "" }]);
    const { config: served } = await client.call("ModelConfig", { name: "classifier" });
    expect(served.max_batch_size).toBe(8);
  });
});
