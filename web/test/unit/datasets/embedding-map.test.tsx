import { ApolloProvider } from "@apollo/client/react";
import { render, screen, waitFor, within } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { describe, expect, it } from "vitest";
import EmbeddingMapTab from "../../../src/datasets/embedding-map-tab";
import { groupByClass } from "../../../src/datasets/embedding-map-canvas";
import { mapClasses } from "../../../src/datasets/embedding-map-classes";
import {
  PointIndex,
  pointsInPolygon,
  toMap,
  screenTransform,
  toScreen,
  zoomAt,
} from "../../../src/datasets/embedding-map-geometry";
import { rasterisePoints } from "../../../src/datasets/embedding-map-raster";
import { SampleCatalog } from "../../../src/datasets/sample-catalog";
import SamplesTab from "../../../src/datasets/samples-tab";
import { VersionContext, type VersionContextValue } from "../../../src/datasets/version-context";
import { fakeGraphQLServer, type Answer } from "../fake-graphql-server";
import { callsOf, samples, tile, version } from "./curation-fixtures";

const SPACE = "FEATURE/256";

const mapState = (status: string, progress: number) => ({
  __typename: "EmbeddingMap",
  id: "map-1",
  space: SPACE,
  method: "PCA",
  status,
  progress,
  error: null,
  pointCount: status === "SUCCEEDED" ? 3 : 0,
  computedAt: status === "SUCCEEDED" ? "2026-03-01T10:00:00.000Z" : null,
  explainedVariance: [0.5, 0.25],
  stale: false,
});

const storedMap = {
  ...mapState("SUCCEEDED", 1),
  points: {
    __typename: "EmbeddingMapPoints",
    sampleIds: ["s0", "s2", "s4"],
    classIds: ["c-cat", "c-dog", "c-fox"],
    coordinates: [-1, -1, 0, 0.5, 1, 1],
  },
};

function renderWithVersion(element: ReactNode, answers: Record<string, Answer>, entry: string | object) {
  const server = fakeGraphQLServer(answers);
  const catalog = new SampleCatalog(async () => ({
    samples,
    totalCount: samples.length,
    endCursor: null,
    hasNextPage: false,
  }));
  const context: VersionContextValue = {
    datasetId: "ds-1",
    version,
    statuses: [],
    readySpaces: [SPACE],
    catalog,
    remembered: new Map(),
    remember: () => undefined,
    canEdit: false,
  };
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={[entry as string]}>
        <VersionContext value={context}>
          <Routes>
            <Route path="/datasets/:datasetId/versions/:number/*" element={element} />
          </Routes>
        </VersionContext>
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

describe("the embedding map tab", () => {
  it("asks for a map once when none is stored, shows the job's progress, then draws the stored points", async () => {
    let reads = 0;
    const server = renderWithVersion(
      <EmbeddingMapTab />,
      {
        VersionEmbeddingMap: () => {
          reads += 1;
          const embeddingMap =
            reads === 1 ? null : reads === 2 ? { ...mapState("RUNNING", 0.4), points: null } : storedMap;
          return { data: { datasetVersion: { __typename: "DatasetVersion", id: "dv-3", embeddingMap } } };
        },
        ComputeEmbeddingMap: () => ({ data: { computeEmbeddingMap: mapState("QUEUED", 0) } }),
      },
      "/datasets/ds-1/versions/3/map",
    );
    expect(await screen.findByText(/Computing the PCA map of FEATURE\/256: 40 %/)).toBeTruthy();
    expect(
      await screen.findByRole(
        "img",
        { name: "Embedding map: 3 images coloured by class" },
        { timeout: 3000 },
      ),
    ).toBeTruthy();
    expect(callsOf(server, "ComputeEmbeddingMap")).toEqual([
      { versionId: "dv-3", space: SPACE, method: "PCA" },
    ]);
    const legend = screen.getByRole("list", { name: "Classes (click to hide or show)" });
    expect(
      within(legend)
        .getAllByRole("button")
        .map((button) => button.textContent?.trim()),
    ).toEqual(["cat", "dog", "fox"]);
    expect(
      screen.getByText(/3 images of 3 classes in FEATURE\/256, by PCA \(75 % of the variance\)/),
    ).toBeTruthy();
  });

  it("reads a stored map without asking for a new one", async () => {
    const server = renderWithVersion(
      <EmbeddingMapTab />,
      {
        VersionEmbeddingMap: () => ({
          data: { datasetVersion: { __typename: "DatasetVersion", id: "dv-3", embeddingMap: storedMap } },
        }),
      },
      "/datasets/ds-1/versions/3/map",
    );
    expect(
      await screen.findByRole("img", { name: "Embedding map: 3 images coloured by class" }),
    ).toBeTruthy();
    expect(callsOf(server, "ComputeEmbeddingMap")).toEqual([]);
  });
});

describe("the grid opened from a lasso", () => {
  it("shows the lassoed samples, fetched by id, and says where they came from", async () => {
    const server = renderWithVersion(
      <SamplesTab />,
      {
        EmbeddingMapSamples: ({ ids }) => ({
          data: {
            datasetVersion: {
              __typename: "DatasetVersion",
              id: "dv-3",
              embeddingMap: {
                __typename: "EmbeddingMap",
                id: "map-1",
                samples: (ids as string[]).map((id) => ({ __typename: "Sample", ...tile(id, "cat") })),
              },
            },
          },
        }),
      },
      {
        pathname: "/datasets/ds-1/versions/3",
        state: { mapSelection: { space: SPACE, method: "PCA", sampleIds: ["s3", "s0"] } },
      },
    );
    expect(await screen.findByText(/2 samples lassoed on the PCA map of FEATURE\/256/)).toBeTruthy();
    await waitFor(() =>
      expect(callsOf(server, "EmbeddingMapSamples")).toEqual([
        { id: "dv-3", space: SPACE, method: "PCA", ids: ["s3", "s0"] },
      ]),
    );
  });
});

describe("map geometry", () => {
  const size = { width: 400, height: 300 };

  it("maps [-1, 1] onto the canvas's shorter side and back, and zooms about the pointer", () => {
    expect(toScreen({ zoom: 1, panX: 0, panY: 0 }, size, 1, 1)).toEqual([338, 12]);
    expect(toMap({ zoom: 1, panX: 0, panY: 0 }, size, 338, 12)).toEqual([1, 1]);
    const zoomed = zoomAt({ zoom: 1, panX: 0, panY: 0 }, size, 338, 12, 2);
    expect(zoomed.zoom).toBe(2);
    expect(toScreen(zoomed, size, 1, 1)).toEqual([338, 12]);
  });

  it("finds the points inside a lasso and the point nearest the pointer", () => {
    const coordinates = [-0.5, -0.5, 0.5, 0.5, 0.9, -0.9, 0.1, 0.1];
    const square = [0, 0, 1, 0, 1, 1, 0, 1];
    expect(pointsInPolygon(coordinates, square)).toEqual([1, 3]);
    expect(pointsInPolygon(coordinates, square, (index) => index !== 3)).toEqual([1]);
    const index = new PointIndex(coordinates);
    expect(index.nearest(0.48, 0.52, 0.05)).toBe(1);
    expect(index.nearest(0, 0.9, 0.05)).toBeNull();
    expect(index.nearest(0.12, 0.1, 0.05, (point) => point !== 3)).toBeNull();
  });

  it("gives each class its index in name order, and a colour even to a class the version does not list", () => {
    const classes = mapClasses(
      [
        { classId: "b", name: "bird" },
        { classId: "a", name: "ant" },
      ],
      ["b", "a", "x", "b"],
    );
    expect(classes.names).toEqual(["ant", "bird", "(not in this version)"]);
    expect(Array.from(classes.pointClass)).toEqual([1, 0, 2, 1]);
  });
});

describe("map raster", () => {
  /** Each pixel as a letter: "." transparent, "r" opaque red, "g" opaque green. */
  function letters(image: { data: Uint8ClampedArray; width: number; height: number }): string[] {
    const rows: string[] = [];
    for (let y = 0; y < image.height; y += 1) {
      let row = "";
      for (let x = 0; x < image.width; x += 1) {
        const [red, green, blue, alpha] = image.data.subarray(
          (y * image.width + x) * 4,
          (y * image.width + x) * 4 + 4,
        );
        if (alpha === 0) row += ".";
        else if (alpha === 255 && red === 255 && green === 0 && blue === 0) row += "r";
        else if (alpha === 255 && red === 0 && green === 255 && blue === 0) row += "g";
        else row += "?";
      }
      rows.push(row);
    }
    return rows;
  }

  const coordinates = new Float32Array([0, 0, 1, 1]);
  const byClass = groupByClass(new Uint32Array([0, 1]), 2);
  const colours = [
    [255, 0, 0],
    [0, 255, 0],
  ] as const;
  const transform = { originX: 2, originY: 2, scale: 2 };

  it("writes each point as a square of its class's colour, later classes on top, clipped at the edges", () => {
    const image = { data: new Uint8ClampedArray(5 * 4 * 4).fill(7), width: 5, height: 4 };
    const written = rasterisePoints(image, transform, 3, {
      coordinates,
      byClass,
      colours,
      hidden: new Set(),
    });
    expect(written).toBe(2);
    // Point 1 (1, 1) lands at (4, 0): y grows downwards on screen; its square loses a row and a column.
    expect(letters(image)).toEqual(["...gg", ".rrgg", ".rrr.", ".rrr."]);
  });

  it("leaves hidden classes out and clears what an earlier draw left", () => {
    const image = { data: new Uint8ClampedArray(5 * 4 * 4), width: 5, height: 4 };
    rasterisePoints(image, transform, 3, { coordinates, byClass, colours, hidden: new Set() });
    const written = rasterisePoints(image, transform, 3, {
      coordinates,
      byClass,
      colours,
      hidden: new Set([0]),
    });
    expect(written).toBe(1);
    expect(letters(image)).toEqual(["...gg", "...gg", ".....", "....."]);
  });

  it("places points where toScreen does", () => {
    const view = zoomAt({ zoom: 1, panX: 0, panY: 0 }, { width: 400, height: 300 }, 100, 50, 3);
    const { originX, originY, scale } = screenTransform(view, { width: 400, height: 300 });
    const [sx, sy] = toScreen(view, { width: 400, height: 300 }, 0.25, -0.5);
    expect(originX + 0.25 * scale).toBeCloseTo(sx, 9);
    expect(originY + 0.5 * scale).toBeCloseTo(sy, 9);
  });
});
