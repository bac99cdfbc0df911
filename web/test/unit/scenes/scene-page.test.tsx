import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes, useParams } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import ScenePage from "../../../src/scenes/scene-page";
import { fakeGraphQLServer } from "../fake-graphql-server";

afterEach(cleanup);

const identity = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 4, 0, 0, 0, 1];
const frame = (index: number, split: string) => ({
  __typename: "SceneFrame",
  id: `f-${index}`,
  index,
  filePath: `./${split.toLowerCase()}/r_${index}`,
  split,
  width: 32,
  height: 24,
  imageUrl: `/files/frame-${index}.png`,
  thumbnailUrl: `/files/thumb-${index}.png`,
  camera: { __typename: "SceneCamera", fx: 40, fy: 40, cx: 16, cy: 12, transform: identity },
});
const scene = {
  __typename: "Scene",
  id: "scene-1",
  name: "spheres",
  description: null,
  public: false,
  background: "#ffffff",
  format: "BLENDER",
  width: 32,
  height: 24,
  frameCount: 3,
  sizeBytes: 4_000,
  createdAt: "2026-12-07T03:00:00Z",
  owner: { __typename: "User", id: "u-1", handle: "ada" },
  bounds: { __typename: "SceneBounds", min: [-1, -1, -1], max: [1, 1, 1] },
  frames: [frame(0, "TRAIN"), frame(1, "TRAIN"), frame(2, "TEST")],
};

function Started() {
  return <p>Opened reconstruction {useParams().reconstructionId}</p>;
}

describe("a scene's page", () => {
  it("shows its frames and cameras, checks the settings' bounds, then starts a radiance field with only the settings typed", async () => {
    const server = fakeGraphQLServer({
      SceneDetail: () => ({ data: { scene } }),
      StartReconstruction: () => ({
        data: {
          startReconstruction: {
            __typename: "Reconstruction",
            id: "rec-9",
            status: "QUEUED",
            progress: 0,
            method: "RADIANCE_FIELD",
            createdAt: "2026-12-07T03:01:00Z",
            startedAt: null,
            finishedAt: null,
            owner: scene.owner,
            scene: { __typename: "Scene", id: "scene-1", name: "spheres" },
          },
        },
      }),
    });
    render(
      <ApolloProvider client={server.client}>
        <MemoryRouter initialEntries={["/scenes/scene-1"]}>
          <Routes>
            <Route path="/scenes/:sceneId" element={<ScenePage />} />
            <Route path="/reconstructions/:reconstructionId" element={<Started />} />
          </Routes>
        </MemoryRouter>
      </ApolloProvider>,
    );
    await screen.findByRole("heading", { level: 1, name: "spheres" });
    const frames = within(screen.getByRole("list", { name: "Frames" })).getAllByRole("listitem");
    expect(frames.map((item) => item.textContent)).toEqual([
      "Train./train/r_0",
      "Train./train/r_1",
      "Test./test/r_2",
    ]);
    expect(within(frames[2]!).getByRole("img").getAttribute("src")).toBe("/files/thumb-2.png");
    const cameras = screen.getByRole("region", { name: "Cameras" });
    expect(cameras.textContent).toContain(
      "3 cameras (2 training, 1 test) around the scene's bounds, from -1, -1, -1 to 1, 1, 1.",
    );
    expect(cameras.textContent).toContain("This browser cannot draw 3D");

    const form = screen.getByRole("form", { name: "Reconstruct" });
    const resolution = within(form).getByLabelText("Grid resolution");
    expect(resolution.getAttribute("placeholder")).toBe("128");
    expect(within(form).getByRole("radio", { name: /^Radiance field/ })).toHaveProperty("checked", true);
    fireEvent.change(resolution, { target: { value: "512" } });
    fireEvent.click(within(form).getByRole("button", { name: "Start reconstruction" }));
    expect(within(form).getByText("From 16 to 256")).toBeTruthy();
    expect(server.calls.map((call) => call.operationName)).toEqual(["SceneDetail"]);

    fireEvent.change(resolution, { target: { value: "32" } });
    fireEvent.click(within(form).getByRole("button", { name: "Start reconstruction" }));
    await screen.findByText("Opened reconstruction rec-9");
    await waitFor(() => expect(server.calls.at(-1)?.operationName).toBe("StartReconstruction"));
    expect(server.calls.at(-1)?.variables).toEqual({
      input: {
        method: "RADIANCE_FIELD",
        sceneId: "scene-1",
        settings: { background: "#ffffff", gridResolution: 32 },
      },
    });
  });
});
