import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import SamplesTab from "../../../src/datasets/samples-tab";
import { callsOf, editedVersion, renderVersionTab, tile } from "./curation-fixtures";

// happy-dom lays nothing out: give the grid's scroller a size so the virtualizer renders its rows.
beforeAll(() => {
  vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockReturnValue(new DOMRect(0, 0, 800, 800));
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(800);
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(800);
});
afterAll(() => vi.restoreAllMocks());
afterEach(cleanup);

const tileLink = (sampleId: string) =>
  screen.getByRole("link", { name: new RegExp(`/${sampleId}\\.png, class`) });
const location = () => screen.getByTestId("location");

describe("curating samples in the grid", () => {
  it("selects by click, Shift+click and Ctrl+click, relabels the selection with a number key and opens the new version", async () => {
    const server = renderVersionTab(<SamplesTab />, {
      RelabelSamples: () => ({ data: { relabelSamples: editedVersion("Relabelled 3 samples") } }),
    });
    const grid = await screen.findByRole("grid", { name: "Samples of all classes" });
    await screen.findByText("6 images");

    fireEvent.click(tileLink("s0"));
    fireEvent.click(tileLink("s2"), { shiftKey: true });
    fireEvent.click(tileLink("s4"), { ctrlKey: true });
    expect(screen.getByRole("heading", { name: "4 samples selected" })).toBeTruthy();
    const selected = within(grid)
      .getAllByRole("gridcell")
      .filter((cell) => cell.getAttribute("aria-selected") === "true")
      .map((cell) => within(cell).getByRole("link").getAttribute("aria-label"));
    expect(selected).toEqual([
      "cat/s0.png, class cat",
      "cat/s1.png, class cat",
      "dog/s2.png, class dog",
      "fox/s4.png, class fox",
    ]);

    // 2 is dog, the second class: the dog already a dog is left out.
    fireEvent.keyDown(grid, { key: "2" });
    const form = await screen.findByRole("form", { name: "Relabel 3 samples as dog?" });
    const create = within(form).getByRole("button", { name: "Create the new version" });
    // Focus is on the button: Enter creates the version, Escape goes back.
    expect(document.activeElement).toBe(create);
    fireEvent.click(create);

    await waitFor(() => expect(location().textContent).toBe("/datasets/ds-1/versions/4"));
    expect(location().dataset.notice).toBe("Version 4 created: 3 samples relabelled");
    expect(callsOf(server, "RelabelSamples")).toEqual([
      {
        datasetVersionId: "dv-3",
        changes: [
          { sampleId: "s0", label: "dog" },
          { sampleId: "s1", label: "dog" },
          { sampleId: "s4", label: "dog" },
        ],
        message: "Relabelled 3 samples as dog",
      },
    ]);
    // The version list is fetched again, so the page finds version 4 in it.
    expect(callsOf(server, "DatasetDetail")).toEqual([{ id: "ds-1" }]);
  });

  it("opens the new version even when the version list cannot be fetched again: the edit was made", async () => {
    const server = renderVersionTab(<SamplesTab />, {
      DeleteSamples: () => ({ data: { deleteSamples: editedVersion(null) } }),
      DatasetDetail: () => ({ errors: [{ message: "Unexpected error.", extensions: { code: "INTERNAL" } }] }),
    });
    const grid = await screen.findByRole("grid", { name: "Samples of all classes" });
    await screen.findByText("6 images");
    fireEvent.click(tileLink("s5"));
    fireEvent.keyDown(grid, { key: "Delete" });
    const form = await screen.findByRole("form", { name: "Delete 1 sample from the new version?" });
    fireEvent.click(within(form).getByRole("button", { name: "Create the new version" }));

    await waitFor(() => expect(location().textContent).toBe("/datasets/ds-1/versions/4"));
    expect(location().dataset.notice).toBe("Version 4 created: 1 sample deleted");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(callsOf(server, "DeleteSamples")).toHaveLength(1);
    expect(callsOf(server, "DatasetDetail")).toEqual([{ id: "ds-1" }]);
  });

  it("deletes the sample the arrows reached with the Delete key, and shows the gateway's refusal inline", async () => {
    const server = renderVersionTab(<SamplesTab />, {
      DeleteSamples: () => ({
        errors: [
          {
            message: "Deleting all 1 samples would leave an empty version",
            extensions: { code: "BAD_USER_INPUT", field: "sampleIds" },
          },
        ],
      }),
    });
    const grid = await screen.findByRole("grid", { name: "Samples of all classes" });
    await screen.findByText("6 images");
    expect(screen.getByText(/^Click, Shift\+click or Ctrl\+click to select;/).textContent).toBe(
      "Click, Shift+click or Ctrl+click to select; double-click a sample, or press Enter on it, to open it. " +
        "Number keys give the selection a class; Delete removes it (or the sample the arrows reached).",
    );
    fireEvent.keyDown(grid, { key: "ArrowRight" });
    // Without a selection the bar lists no classes by number, so the number keys do nothing.
    fireEvent.keyDown(grid, { key: "2" });
    expect(screen.queryByRole("form", { name: /Relabel/ })).toBeNull();
    expect(screen.getByRole("heading", { name: "No sample selected" })).toBeTruthy();
    fireEvent.keyDown(grid, { key: "Delete" });
    const form = await screen.findByRole("form", { name: "Delete 1 sample from the new version?" });
    fireEvent.click(within(form).getByRole("button", { name: "Create the new version" }));

    const alert = await within(form).findByRole("alert");
    expect(alert.textContent).toBe("BAD_USER_INPUT Deleting all 1 samples would leave an empty version");
    expect(callsOf(server, "DeleteSamples")).toEqual([
      { datasetVersionId: "dv-3", sampleIds: ["s1"], message: "Deleted 1 sample" },
    ]);
    expect(location().textContent).toBe("/datasets/ds-1/versions/3");

    // Escape goes back to the selection's toolbar.
    fireEvent.keyDown(within(form).getByRole("button", { name: "Create the new version" }), {
      key: "Escape",
    });
    expect(screen.queryByRole("form", { name: /Delete/ })).toBeNull();
    expect(screen.getByRole("heading", { name: "No sample selected" })).toBeTruthy();
    expect(document.activeElement).toBe(grid);
  });

  it("merges classes into the largest one chosen, as a new version", async () => {
    const server = renderVersionTab(<SamplesTab />, {
      MergeClasses: () => ({ data: { mergeClasses: editedVersion("Merged dog, fox into dog") } }),
    });
    await screen.findByText("6 images");
    fireEvent.click(screen.getByText("Rename or merge classes"));
    const merge = screen.getByRole("form", { name: "Merge classes" });
    fireEvent.click(within(merge).getByLabelText(/^fox/));
    fireEvent.click(within(merge).getByLabelText(/^dog/));
    fireEvent.click(within(merge).getByRole("button", { name: "Merge 2 classes…" }));
    const form = await screen.findByRole("form", { name: "Merge dog, fox into dog?" });
    fireEvent.click(within(form).getByRole("button", { name: "Create the new version" }));
    await waitFor(() =>
      expect(location().dataset.notice).toBe("Version 4 created: 2 classes merged into dog"),
    );
    expect(callsOf(server, "MergeClasses")).toEqual([
      { datasetVersionId: "dv-3", classes: ["dog", "fox"], into: "dog", message: "Merged dog, fox into dog" },
    ]);
  });

  it("lists the unlabeled pool under No class, page by page, and gives the selected pool samples a class", async () => {
    const pool = [
      { ...tile("p0", "cat"), originalPath: "_unlabeled/p0.png", class: null },
      { ...tile("p1", "cat"), originalPath: "_unlabeled/p1.png", class: null },
      { ...tile("p2", "cat"), originalPath: "_unlabeled/p2.png", class: null },
    ];
    const server = renderVersionTab(
      <SamplesTab />,
      {
        VersionUnlabeledSamples: () => ({
          data: {
            datasetVersion: {
              __typename: "DatasetVersion",
              id: "dv-3",
              unlabeledSamples: {
                __typename: "SampleConnection",
                totalCount: pool.length,
                pageInfo: { __typename: "PageInfo", endCursor: "c-3", hasNextPage: false },
                edges: pool.map((node) => ({
                  __typename: "SampleEdge",
                  node: { __typename: "Sample", ...node },
                })),
              },
            },
          },
        }),
        RelabelSamples: () => ({ data: { relabelSamples: editedVersion("Relabelled 2 samples as dog") } }),
      },
      "",
      { unlabeledCount: pool.length },
    );
    await screen.findByRole("grid", { name: "Samples of all classes" });
    fireEvent.click(screen.getByRole("button", { name: /^No class\s*3$/ }));

    const grid = await screen.findByRole("grid", { name: "Samples without a class" });
    await waitFor(() => expect(within(grid).getAllByRole("gridcell")).toHaveLength(3));
    expect(callsOf(server, "VersionUnlabeledSamples")[0]).toEqual({ id: "dv-3", first: 100, after: null });
    expect(screen.getByRole("button", { name: /^No class/ }).getAttribute("aria-pressed")).toBe("true");

    fireEvent.click(tileLink("p0"));
    fireEvent.click(tileLink("p2"), { ctrlKey: true });
    expect(screen.getByRole("heading", { name: "2 samples selected" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "2 dog" }));
    const form = await screen.findByRole("form", { name: "Relabel 2 samples as dog?" });
    fireEvent.click(within(form).getByRole("button", { name: "Create the new version" }));

    await waitFor(() => expect(location().textContent).toBe("/datasets/ds-1/versions/4"));
    expect(callsOf(server, "RelabelSamples")).toEqual([
      {
        datasetVersionId: "dv-3",
        changes: [
          { sampleId: "p0", label: "dog" },
          { sampleId: "p2", label: "dog" },
        ],
        message: "Relabelled 2 samples as dog",
      },
    ]);
  });
});
