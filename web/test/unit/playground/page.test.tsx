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

function renderPlayground(answers: Record<string, Answer>, url = "/playground") {
  const server = fakeGraphQLServer({
    PlaygroundDeployments: () => ({ data: { deployments } }),
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
      PlaygroundClassify: () => ({
        data: {
          classifyImage: {
            __typename: "Classification",
            modelVersionId: "classifier",
            latencyMs: 3.25,
            predictions: [
              { __typename: "Prediction", index: 2, label: "blue", score: 0.8125 },
              { __typename: "Prediction", index: 0, label: "red", score: 0.15 },
              { __typename: "Prediction", index: 1, label: "green", score: 0.0375 },
            ],
          },
        },
      }),
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
    // Three labels: "at most 5" becomes 3; the file itself goes to the upload link.
    expect(classify?.variables).toEqual({ modelVersionId: "classifier", image: { upload: png }, topK: 3 });
  });

  it("refuses a file that is not an image before sending anything", async () => {
    const server = renderPlayground({});
    await screen.findByLabelText("Deployed model");
    chooseFile(new File(["onnx"], "model.onnx", { type: "application/octet-stream" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "BAD_USER_INPUT Expected a JPEG, PNG, WebP or GIF image; got model.onnx.",
    );
    expect(server.calls.map((call) => call.operationName)).toEqual(["PlaygroundDeployments"]);
  });

  it("shows the server's refusal of a sample id next to that field", async () => {
    renderPlayground({
      PlaygroundClassify: () => ({
        errors: [{ message: "Sample 4f0c not found", extensions: { code: "NOT_FOUND" } }],
      }),
    });
    const field = await screen.findByLabelText("Or a dataset sample id");
    fireEvent.change(field, { target: { value: " 4f0c " } });
    fireEvent.click(screen.getByRole("button", { name: "Classify" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("NOT_FOUND Sample 4f0c not found");
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(field.getAttribute("aria-describedby")).toBe(alert.id);
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
    const server = fakeGraphQLServer({ PlaygroundDeployments: () => ({ data: { deployments: [] } }) });
    render(
      <ApolloProvider client={server.client}>
        <MemoryRouter initialEntries={["/playground"]}>
          <PlaygroundPage />
        </MemoryRouter>
      </ApolloProvider>,
    );
    expect(await screen.findByRole("heading", { name: "No deployed models" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Open the model registry" }).getAttribute("href")).toBe(
      "/models",
    );
  });
});
