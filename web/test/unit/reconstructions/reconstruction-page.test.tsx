import { ApolloProvider } from "@apollo/client/react";
import { act, cleanup, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import ReconstructionPage from "../../../src/reconstructions/reconstruction-page";
import { fakeTrainingServer } from "../training/fake-training-server";

// ECharts needs a real canvas; the figures under test are in the text and tables.
vi.mock("../../../src/ui/chart", () => ({
  Chart: ({ label }: { label: string }) => <div role="img" aria-label={label} />,
}));

afterEach(cleanup);

const base = {
  __typename: "Reconstruction",
  id: "rec-1",
  method: "RADIANCE_FIELD",
  createdAt: "2026-12-07T03:00:00Z",
  startedAt: "2026-12-07T03:00:01Z",
  owner: { __typename: "User", id: "u-1", handle: "ada" },
  scene: { __typename: "Scene", id: "scene-1", name: "lego" },
  error: null,
};
const running = {
  ...base,
  status: "RUNNING",
  progress: 0.25,
  finishedAt: null,
  previewUrl: null,
  steps: [],
  metrics: null,
  artifacts: [],
  mesh: null,
};
const artifact = (kind: string, url: string, sizeBytes: number) => ({
  __typename: "ReconstructionArtifact",
  kind,
  url,
  sizeBytes,
  sha256: "ab".repeat(32),
});
const succeeded = {
  ...base,
  status: "SUCCEEDED",
  progress: 1,
  finishedAt: "2026-12-07T03:01:00Z",
  previewUrl: "/files/preview-40.png",
  steps: [
    { __typename: "ReconstructionStepEvent", step: 20, totalSteps: 40, loss: 0.02, psnr: 18.5 },
    { __typename: "ReconstructionStepEvent", step: 40, totalSteps: 40, loss: 0.01, psnr: 24.25 },
  ],
  metrics: {
    __typename: "ReconstructionMetrics",
    psnr: 24.5,
    ssim: 0.91,
    seconds: 12.25,
    samplesPerSecond: 1_234_567,
    perView: [
      { __typename: "ViewMetric", frame: 12, psnr: 24, ssim: 0.9 },
      { __typename: "ViewMetric", frame: 13, psnr: 25, ssim: 0.92 },
    ],
  },
  artifacts: [
    artifact("MESH_GLB", "/files/mesh.glb", 48_000),
    artifact("POINT_CLOUD_PLY", "/files/points.ply", 12_000),
  ],
  mesh: {
    __typename: "MeshSummary",
    vertexCount: 1_000,
    triangleCount: 1_996,
    bounds: { __typename: "SceneBounds", min: [-1, -1, -1], max: [1, 1, 1] },
  },
};

describe("the reconstruction page", () => {
  it("follows the run live, then shows metrics per view, the files and the viewer's fallback without WebGL", async () => {
    let current: Record<string, unknown> = running;
    const server = fakeTrainingServer({
      ReconstructionDetail: () => ({ data: { reconstruction: current } }),
    });
    render(
      <ApolloProvider client={server.client}>
        <MemoryRouter initialEntries={["/reconstructions/rec-1"]}>
          <Routes>
            <Route path="/reconstructions/:reconstructionId" element={<ReconstructionPage />} />
          </Routes>
        </MemoryRouter>
      </ApolloProvider>,
    );
    await screen.findByRole("heading", { level: 1, name: "lego · Radiance field" });
    await waitFor(() => expect(server.subscriptions).toHaveLength(1));
    expect(server.calls.find((call) => call.operationName === "ReconstructionProgress")?.variables).toEqual({
      id: "rec-1",
    });

    act(() => {
      server.push({
        reconstructionProgress: {
          __typename: "ReconstructionStepEvent",
          seq: 2,
          step: 20,
          totalSteps: 40,
          loss: 0.0123,
          psnr: 21.75,
        },
      });
      server.push({
        reconstructionProgress: {
          __typename: "ReconstructionPreviewEvent",
          seq: 3,
          step: 20,
          url: "/files/p20.png",
        },
      });
    });
    expect(screen.getByTestId("reconstruction-step").textContent).toBe(
      "Step 20 of 40 · loss 0.0123 · held-out PSNR 21.75 dB",
    );
    expect(screen.getByRole("img", { name: "Render of the field at step 20" }).getAttribute("src")).toBe(
      "/files/p20.png",
    );
    expect(screen.getByRole("img", { name: "Held-out PSNR and loss per step" })).toBeTruthy();
    expect(screen.queryByRole("region", { name: "Mesh" })).toBeNull();

    current = succeeded;
    act(() => {
      server.push({
        reconstructionProgress: {
          __typename: "ReconstructionStateEvent",
          seq: 4,
          status: "SUCCEEDED",
          progress: 1,
          error: null,
        },
      });
    });
    const quality = await screen.findByRole("region", { name: "Quality" });
    expect(within(quality).getByText("24.50 dB")).toBeTruthy();
    const rows = within(within(quality).getByRole("table")).getAllByRole("row");
    expect(rows.map((row) => row.textContent)).toEqual([
      "FramePSNRSSIM",
      "1224.00 dB0.9000",
      "1325.00 dB0.9200",
    ]);
    expect(within(quality).getByText("1,000 vertices, 1,996 triangles")).toBeTruthy();

    const mesh = screen.getByRole("region", { name: "Mesh" });
    expect(within(mesh).getByTestId("mesh-viewer").dataset.state).toBe("no-webgl");
    const glb = within(mesh).getByRole("link", { name: "Download GLB" });
    expect([glb.getAttribute("href"), glb.getAttribute("download")]).toEqual([
      "/files/mesh.glb",
      "lego-Radiance-field.glb",
    ]);
    expect(within(mesh).getByRole("link", { name: "Download PLY" }).getAttribute("href")).toBe(
      "/files/points.ply",
    );
    const files = screen.getByRole("region", { name: "Files (2)" });
    expect(within(files).getByRole("link", { name: "Download Point cloud (PLY)" }).getAttribute("href")).toBe(
      "/files/points.ply",
    );
    expect(screen.queryByRole("button", { name: "Cancel…" })).toBeNull();
  });

  it("opened after the end, it follows no stream and draws the stored curve", async () => {
    const server = fakeTrainingServer({
      ReconstructionDetail: () => ({ data: { reconstruction: succeeded } }),
    });
    render(
      <ApolloProvider client={server.client}>
        <MemoryRouter initialEntries={["/reconstructions/rec-1"]}>
          <Routes>
            <Route path="/reconstructions/:reconstructionId" element={<ReconstructionPage />} />
          </Routes>
        </MemoryRouter>
      </ApolloProvider>,
    );
    await screen.findByRole("region", { name: "Quality" });
    expect(screen.getByTestId("reconstruction-step").textContent).toBe(
      "Step 40 of 40 · loss 0.0100 · held-out PSNR 24.25 dB",
    );
    expect(screen.getByRole("img", { name: "Held-out PSNR and loss per step" })).toBeTruthy();
    expect(screen.getByRole("img", { name: "Render of the field" }).getAttribute("src")).toBe(
      "/files/preview-40.png",
    );
    expect(server.calls.map((call) => call.operationName)).toEqual(["ReconstructionDetail"]);
  });
});
