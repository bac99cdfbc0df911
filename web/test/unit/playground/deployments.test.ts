import { describe, expect, it } from "vitest";
import { DeploymentState, InferenceTask } from "../../../src/gql/graphql";
import {
  chosenDeployment,
  deploymentName,
  isSettling,
  operationOf,
  pickerOrder,
  topKBounds,
  topKOf,
  unavailableReason,
  type PlaygroundDeployment,
} from "../../../src/playground/playground-deployments";
import { firstImage } from "../../../src/playground/picked-image";

function deployment(id: string, task: InferenceTask, state: DeploymentState): PlaygroundDeployment {
  return {
    id: `d-${id}`,
    state,
    reason: null,
    updatedAt: "2026-01-01T00:00:00Z",
    config: { task },
    modelVersion: {
      id,
      version: "v1",
      labels: [],
      model: { id: `m-${id}`, name: id, slug: id, owner: { id: "u", handle: "ada" } },
    },
  };
}

const embedder = deployment("embedder", InferenceTask.Embedding, DeploymentState.Ready);
const loadingDepth = deployment("depth", InferenceTask.Depth, DeploymentState.Loading);
const classifier = deployment("classifier", InferenceTask.Classification, DeploymentState.Ready);
const failedSegmenter = deployment("segmenter", InferenceTask.Segmentation, DeploymentState.Failed);

describe("choosing a deployment to try", () => {
  it("runs the operation that matches what the deployment answers", () => {
    expect(operationOf(InferenceTask.Classification)).toBe("classify");
    expect(operationOf(InferenceTask.Depth)).toBe("depth");
    expect(operationOf(InferenceTask.Segmentation)).toBe("segment");
    expect(operationOf(InferenceTask.Detection)).toBe("detect");
    expect(operationOf(InferenceTask.Embedding)).toBeNull();
    expect(operationOf(InferenceTask.Raw)).toBeNull();
  });

  it("says why a deployment cannot take an image now", () => {
    expect(unavailableReason(classifier)).toBeNull();
    expect(unavailableReason(loadingDepth)).toMatch(/still loading/);
    expect(unavailableReason(failedSegmenter)).toMatch(/could not load it/);
    expect(unavailableReason(embedder)).toMatch(/answers embedding requests/);
  });

  it("offers ready deployments first and opens with the one the URL names, else the first ready", () => {
    const all = [embedder, loadingDepth, classifier, failedSegmenter];
    expect(pickerOrder(all).map((entry) => entry.modelVersion.id)).toEqual([
      "classifier",
      "embedder",
      "depth",
      "segmenter",
    ]);
    expect(chosenDeployment(all, null)).toBe(classifier);
    expect(chosenDeployment(all, "segmenter")).toBe(failedSegmenter);
    expect(chosenDeployment(all, "deleted-version")).toBe(classifier);
    expect(chosenDeployment([], null)).toBeUndefined();
    expect(deploymentName(classifier)).toBe("ada/classifier v1");
  });

  it("keeps polling only while a deployment is between states", () => {
    expect(isSettling([classifier, loadingDepth])).toBe(true);
    expect(isSettling([classifier, failedSegmenter])).toBe(false);
  });

  it("asks for as many labels as typed, within 1 and the model's label count", () => {
    expect(topKOf("3", 10)).toBe(3);
    expect(topKOf("", 10)).toBe(5);
    expect(topKOf("", 3)).toBe(3);
    expect(topKOf("0", 10)).toBe(1);
    expect(topKOf("40", 10)).toBe(10);
    expect(topKOf("2.6", 10)).toBe(3);
    expect(topKOf("many", 0)).toBe(5);
    expect(topKOf("5000", 0)).toBe(1000);
  });

  it("bounds the labels to show by the model's labels and the server's limit, starting at the server's 5", () => {
    expect(topKBounds(3)).toEqual({ max: 3, initial: 3 });
    expect(topKBounds(10)).toEqual({ max: 10, initial: 5 });
    expect(topKBounds(21_843)).toEqual({ max: 1000, initial: 5 });
    expect(topKBounds(0)).toEqual({ max: 1000, initial: 5 });
  });
});

describe("the dropped image", () => {
  const file = (name: string, type: string) => ({ file: new File(["x"], name, { type }), path: name });

  it("takes the first image of a drop and refuses a drop without one, naming what came", () => {
    const photo = file("photo.png", "image/png");
    expect(firstImage([file("notes.txt", "text/plain"), photo])).toEqual({ file: photo.file });
    expect(firstImage([file("scan.JPG", "")])).toMatchObject({ file: { name: "scan.JPG" } });
    expect(firstImage([file("model.onnx", "application/octet-stream")])).toEqual({
      refusal: "Expected a JPEG, PNG, WebP or GIF image; got model.onnx.",
    });
  });
});
