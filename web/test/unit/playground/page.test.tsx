import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import PlaygroundPage from "../../../src/playground/playground-page";
import { fakeGraphQLServer, type Answer } from "../fake-graphql-server";

// ECharts needs a real canvas; the figures under test are the table's.
vi.mock("../../../src/ui/chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

beforeEach(() => {
  vi.stubGlobal(
    "URL",
    Object.assign(URL, { createObjectURL: () => "blob:preview", revokeObjectURL: () => undefined }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function deployment(
  versionId: string,
  task: string,
  state: string,
  labels: string[] = [],
  reason: string | null = null,
) {
  return {
    __typename: "Deployment",
    id: `deployment-${versionId}`,
    state,
    reason,
    updatedAt: "2026-01-01T00:00:00.000Z",
    config: { __typename: "DeploymentConfig", task },
    modelVersion: {
      __typename: "ModelVersion",
      id: versionId,
      version: "v1",
      labels,
      model: {
        __typename: "Model",
        id: `model-${versionId}`,
        name: versionId,
        slug: versionId,
        owner: { __typename: "User", id: "user-1", handle: "ada" },
      },
    },
  };
}

const deployments = [
  deployment(
    "segmenter",
    "SEGMENTATION",
    "FAILED",
    ["sky", "road"],
    "Output 'mask' has shape [1, 2] (expected 4 dimensions)",
  ),
  deployment("classifier", "CLASSIFICATION", "READY", ["red", "green", "blue"]),
];

const classification = {
  __typename: "Classification",
  modelVersionId: "classifier",
  latencyMs: 3.25,
  predictionId: null,
  predictions: [
    { __typename: "LabelScore", index: 2, label: "blue", score: 0.8125 },
    { __typename: "LabelScore", index: 0, label: "red", score: 0.15 },
    { __typename: "LabelScore", index: 1, label: "green", score: 0.0375 },
  ],
  adjustedPredictions: null,
  servedBy: "tier:127.0.0.1:50051",
  cached: false,
  degraded: false,
  members: null,
};

const owner = { __typename: "User", id: "user-1", handle: "ada" };
const versionSummary = (number: number, imageCount: number) => ({
  __typename: "DatasetVersion",
  id: `dv-${number}`,
  number,
  source: "ZIP",
  message: null,
  imageCount,
  classCount: 2,
  createdAt: "2026-01-01T00:00:00.000Z",
});
const sampleTile = (path: string) => ({
  __typename: "Sample",
  sampleId: `s-${path.replace(/[/.]png$/, "").replace(/[/.]/g, "-")}`,
  originalPath: path,
  thumbnailUrl: `http://gateway.test/files/thumbnails/${path}`,
  imageUrl: `http://gateway.test/files/samples/${path}`,
  format: "png",
  width: 8,
  height: 8,
  split: null,
  class: { __typename: "DatasetClass", classId: path.split("/")[0], name: path.split("/")[0] },
});

/** One dataset of two versions, the newer holding three images. */
const datasetAnswers: Record<string, Answer> = {
  DatasetList: () => ({
    data: {
      datasets: {
        __typename: "DatasetConnection",
        totalCount: 1,
        pageInfo: { __typename: "PageInfo", endCursor: null, hasNextPage: false },
        edges: [
          {
            __typename: "DatasetEdge",
            node: {
              __typename: "Dataset",
              id: "ds-1",
              name: "colours",
              description: null,
              tags: [],
              isPublic: false,
              updatedAt: "2026-01-02T00:00:00.000Z",
              owner,
              latestVersion: {
                __typename: "DatasetVersion",
                id: "dv-2",
                number: 2,
                imageCount: 3,
                classCount: 2,
              },
            },
          },
        ],
      },
    },
  }),
  DatasetDetail: () => ({
    data: {
      dataset: {
        __typename: "Dataset",
        id: "ds-1",
        name: "colours",
        description: null,
        tags: [],
        isPublic: false,
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-01-02T00:00:00.000Z",
        owner,
        versions: [versionSummary(1, 2), versionSummary(2, 3)],
      },
    },
  }),
  VersionSamples: () => ({
    data: {
      datasetVersion: {
        __typename: "DatasetVersion",
        id: "dv-2",
        samples: {
          __typename: "SampleConnection",
          totalCount: 3,
          pageInfo: { __typename: "PageInfo", endCursor: null, hasNextPage: false },
          edges: ["blue/1.png", "red/1.png", "red/2.png"].map((path) => ({
            __typename: "SampleEdge",
            node: sampleTile(path),
          })),
        },
      },
    },
  }),
};

function renderPlayground(answers: Record<string, Answer>, url = "/playground") {
  return renderPlaygroundWith(deployments, answers, url);
}

function renderPlaygroundWith(
  listed: ReturnType<typeof deployment>[],
  answers: Record<string, Answer> = {},
  url = "/playground",
) {
  const server = fakeGraphQLServer({
    PlaygroundDeployments: () => ({ data: { deployments: listed } }),
    DatasetList: () => ({
      data: {
        datasets: {
          __typename: "DatasetConnection",
          totalCount: 0,
          pageInfo: { __typename: "PageInfo", endCursor: null, hasNextPage: false },
          edges: [],
        },
      },
    }),
    ...answers,
  });
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={[url]}>
        <PlaygroundPage />
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

function chooseFile(file: File) {
  const input = screen.getByLabelText("Drop an image here: files");
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  fireEvent.change(input);
}

describe("the playground", () => {
  it("opens with the ready classifier and shows the labels the server ranked for a chosen PNG", async () => {
    const server = renderPlayground({
      PlaygroundClassify: () => ({ data: { classifyImage: classification } }),
    });
    const picker = await screen.findByLabelText("Deployed model");
    expect((picker as HTMLSelectElement).value).toBe("classifier");
    expect(
      within(picker)
        .getAllByRole("option")
        .map((option) => option.textContent),
    ).toEqual(["ada/classifier v1 · Classification · Ready", "ada/segmenter v1 · Segmentation · Failed"]);

    const png = new File([new Uint8Array([137, 80, 78, 71])], "swatch.png", { type: "image/png" });
    chooseFile(png);
    expect(await screen.findByRole("status", { name: "Running the model" })).toBeTruthy();
    const table = await screen.findByRole("table", { name: "Top labels" });
    expect(
      within(table)
        .getAllByRole("row")
        .map((row) => row.textContent),
    ).toEqual(["RankLabelProbabilityOutput index", "1blue81.3%2", "2red15.0%0", "3green3.8%1"]);
    expect(
      screen.getByRole("img", { name: "Probability of the top 3 labels: blue 81.3%, red 15.0%, green 3.8%" }),
    ).toBeTruthy();
    expect(screen.getByText("3.3 ms in the inference tier")).toBeTruthy();

    const classify = server.calls.find((call) => call.operationName === "PlaygroundClassify");
    // Three labels: all three are asked for; the file itself goes to the upload link.
    expect(classify?.variables).toEqual({ modelVersionId: "classifier", image: { upload: png }, topK: 3 });
  });

  it("shows a cached answer as cached, and asks the model again when the cache is bypassed", async () => {
    const server = renderPlayground({
      PlaygroundClassify: (variables) => ({
        data: {
          classifyImage:
            variables.useCache === false
              ? classification
              : { ...classification, servedBy: "cache", cached: true, latencyMs: 0 },
        },
      }),
    });
    await screen.findByLabelText("Deployed model");
    chooseFile(new File([new Uint8Array([137, 80, 78, 71])], "swatch.png", { type: "image/png" }));
    expect(await screen.findByText("Cached")).toBeTruthy();
    expect(screen.getByText("Answered from the prediction cache: the model did not run again")).toBeTruthy();

    fireEvent.click(screen.getByLabelText("Bypass the prediction cache"));
    fireEvent.click(screen.getByRole("button", { name: "Classify again" }));
    expect(await screen.findByText("3.3 ms in the inference tier")).toBeTruthy();
    expect(screen.queryByText("Cached")).toBeNull();
    expect(screen.getByText(/^Served by /).textContent).toBe(
      "Served by tier:127.0.0.1:50051 (inference tier 127.0.0.1:50051)",
    );
    const sent = server.calls.filter((call) => call.operationName === "PlaygroundClassify");
    expect(sent.map((call) => call.variables.useCache)).toEqual([undefined, false]);
  });

  it("detects objects with the thresholds as set, kept within their bounds, and shows a refused one at its field", async () => {
    const detections = {
      __typename: "ObjectDetections",
      modelVersionId: "detector",
      latencyMs: 7.5,
      width: 8,
      height: 6,
      annotatedImageUrl: "http://gateway.test/files/artifacts/boxes.png?signature=x",
      detections: [
        {
          __typename: "DetectedObject",
          label: "dog",
          score: 0.875,
          classIndex: 1,
          box: { __typename: "BoundingBox", x1: 1, y1: 2, x2: 5, y2: 6 },
        },
      ],
    };
    let detectAnswer: Answer = () => ({
      errors: [
        {
          message: "iou must be above 0 and at most 1, got 0",
          extensions: { code: "BAD_USER_INPUT", field: "iou" },
        },
      ],
    });
    const server = renderPlaygroundWith([deployment("detector", "DETECTION", "READY", ["person", "dog"])], {
      PlaygroundDetect: (variables) => detectAnswer(variables),
    });
    const minScore = (await screen.findByLabelText("Minimum score")) as HTMLInputElement;
    const iou = screen.getByLabelText("Overlap (IoU) threshold") as HTMLInputElement;
    const most = screen.getByLabelText("Most boxes") as HTMLInputElement;
    expect([minScore.value, iou.value, most.value]).toEqual(["0.25", "0.7", "300"]);
    expect([most.min, most.max]).toEqual(["1", "1000"]);
    expect(screen.queryByLabelText("Labels to show")).toBeNull();
    fireEvent.change(minScore, { target: { value: "0.5" } });
    fireEvent.change(most, { target: { value: "5000" } });
    fireEvent.blur(most);
    expect(most.value).toBe("1000");

    const png = new File([new Uint8Array([137, 80, 78, 71])], "street.png", { type: "image/png" });
    chooseFile(png);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("BAD_USER_INPUT iou must be above 0 and at most 1, got 0");
    expect(alert.parentElement?.contains(iou)).toBe(true);

    detectAnswer = () => ({ data: { detectObjects: detections } });
    fireEvent.click(screen.getByRole("button", { name: "Detect objects again" }));
    const table = await screen.findByRole("table", { name: "Detections (1)" });
    expect(
      within(table)
        .getAllByRole("row")
        .map((row) => row.textContent),
    ).toEqual(["RankLabelScoreBox (x1, y1)–(x2, y2)Size", "1dog #187.5%(1, 2)–(5, 6)4 × 4"]);
    expect(screen.getByText("7.5 ms in the inference tier")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Object detection" })).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
    const sent = server.calls.filter((call) => call.operationName === "PlaygroundDetect");
    expect(sent.map((call) => call.variables)).toEqual([
      { modelVersionId: "detector", image: { upload: png }, minScore: 0.5, iou: 0.7, maxDetections: 1000 },
      { modelVersionId: "detector", image: { upload: png }, minScore: 0.5, iou: 0.7, maxDetections: 1000 },
    ]);
  });

  it("refuses a file that is not an image before sending anything", async () => {
    const server = renderPlayground({});
    await screen.findByLabelText("Deployed model");
    chooseFile(new File(["onnx"], "model.onnx", { type: "application/octet-stream" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "BAD_USER_INPUT Expected a JPEG, PNG, WebP or GIF image; got model.onnx.",
    );
    expect(
      server.calls.map((call) => call.operationName).filter((name) => name.startsWith("Playground")),
    ).toEqual(["PlaygroundDeployments"]);
  });

  it("sends a sample picked by dataset, version and grid, and shows the server's refusal next to the picker", async () => {
    // happy-dom lays nothing out: give the grid's scroll box a size, or it virtualises every row away.
    vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(600);
    vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(420);
    let classifyAnswer: Answer = () => ({
      errors: [{ message: "Sample red/2.png is no longer stored", extensions: { code: "NOT_FOUND" } }],
    });
    const server = renderPlayground({
      ...datasetAnswers,
      PlaygroundClassify: (variables) => classifyAnswer(variables),
    });
    const dataset = await screen.findByLabelText("Dataset");
    expect(
      within(dataset)
        .getAllByRole("option")
        .map((option) => option.textContent),
    ).toEqual(["Choose a dataset", "ada/colours"]);
    fireEvent.change(dataset, { target: { value: "ds-1" } });
    const version = (await screen.findByLabelText("Version")) as HTMLSelectElement;
    expect(
      within(version)
        .getAllByRole("option")
        .map((option) => option.textContent),
    ).toEqual(["v2 · 3 images", "v1 · 2 images"]);
    expect(version.value).toBe("dv-2");

    const grid = await screen.findByRole("grid", { name: "Images of colours v2" });
    fireEvent.click(await within(grid).findByRole("button", { name: "red/2.png, class red" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("NOT_FOUND Sample red/2.png is no longer stored");
    expect(alert.previousElementSibling?.tagName).toBe("FIELDSET");
    expect(screen.getByRole("img", { name: "The image to send: red/2.png" })).toBeTruthy();
    const classify = server.calls.filter((call) => call.operationName === "PlaygroundClassify");
    expect(classify.map((call) => call.variables)).toEqual([
      { modelVersionId: "classifier", image: { sampleId: "s-red-2" }, topK: 3 },
    ]);
    expect(server.calls.find((call) => call.operationName === "VersionSamples")?.variables).toMatchObject({
      id: "dv-2",
    });

    classifyAnswer = () => ({ data: { classifyImage: classification } });
    fireEvent.click(screen.getByRole("button", { name: "Classify again" }));
    expect(await screen.findByRole("table", { name: "Top labels" })).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("starts 'Labels to show' at the server's 5, or at every label of a model with fewer, and keeps it in bounds", async () => {
    renderPlayground({});
    const topK = (await screen.findByLabelText("Labels to show")) as HTMLInputElement;
    expect([topK.value, topK.min, topK.max]).toEqual(["3", "1", "3"]);
    expect(document.getElementById(topK.getAttribute("aria-describedby") ?? "")?.textContent).toBe(
      "The most likely labels first: 1 to 3 (the model has 3 labels).",
    );
    fireEvent.change(topK, { target: { value: "9" } });
    fireEvent.blur(topK);
    expect(topK.value).toBe("3");

    cleanup();
    const many = Array.from({ length: 12 }, (_, index) => `label-${index}`);
    renderPlaygroundWith([deployment("wide", "CLASSIFICATION", "READY", many)]);
    const wide = (await screen.findByLabelText("Labels to show")) as HTMLInputElement;
    expect([wide.value, wide.max]).toEqual(["5", "12"]);
  });

  it("says why a failed deployment cannot take an image, with the tier's reason, and takes none", async () => {
    renderPlayground({}, "/playground?version=segmenter");
    const picker = (await screen.findByLabelText("Deployed model")) as HTMLSelectElement;
    expect(picker.value).toBe("segmenter");
    const reason = document.getElementById(picker.getAttribute("aria-describedby") ?? "");
    expect(reason?.textContent).toBe(
      "The inference tiers could not load it. Deploy it again from its version page. " +
        "The tier said: Output 'mask' has shape [1, 2] (expected 4 dimensions)",
    );
    expect((screen.getByRole("button", { name: "Choose a file" }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(picker, { target: { value: "classifier" } });
    expect((screen.getByRole("button", { name: "Choose a file" }) as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByLabelText("Labels to show")).toBeTruthy();
  });

  it("points to the registry when nothing is deployed", async () => {
    renderPlaygroundWith([]);
    expect(await screen.findByRole("heading", { name: "No deployed models" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Open the model registry" }).getAttribute("href")).toBe(
      "/models",
    );
  });
});
