import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ColourScaleLegend } from "../../../src/playground/colour-scale-legend";
import { SegmentationResult } from "../../../src/playground/segmentation-result";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("the segmentation result", () => {
  const segmentation = {
    modelVersionId: "segmenter",
    latencyMs: 12,
    width: 3,
    height: 1,
    maskUrl: "http://gateway.test/files/artifacts/mask.png?signature=x",
    classes: [
      { index: 4, label: "road", pixelCount: 1, fraction: 1 / 3 },
      { index: 0, label: "sky", pixelCount: 1, fraction: 1 / 3 },
      { index: 7, label: "car", pixelCount: 1, fraction: 1 / 3 },
    ],
  };

  it("lists each class with its pixels and an area that adds up to 100%, and lets each be hidden", () => {
    // The mask's pixels are not what this test looks at: its download never finishes.
    const fetch = vi.fn(() => new Promise<Response>(() => undefined));
    vi.stubGlobal("fetch", fetch);
    render(<SegmentationResult segmentation={segmentation} imageUrl="blob:picked" />);

    const table = screen.getByRole("table", { name: "Area by class (3 present)" });
    expect(
      within(table)
        .getAllByRole("row")
        .map((row) => row.textContent),
    ).toEqual(["ShowClassPixelsArea", "road #4133.4%", "sky #0133.3%", "car #7133.3%"]);
    expect(fetch).toHaveBeenCalledWith(segmentation.maskUrl, expect.anything());
    expect(
      screen.getByRole("group", {
        name: /Segmentation mask, 3 × 1 pixels: road 33.4%, sky 33.3%, car 33.3%/,
      }),
    ).toBeTruthy();

    const showSky = screen.getByRole("checkbox", { name: "Show sky" }) as HTMLInputElement;
    expect(showSky.checked).toBe(true);
    fireEvent.click(showSky);
    expect(showSky.checked).toBe(false);

    const opacity = screen.getByLabelText("Mask opacity") as HTMLInputElement;
    fireEvent.change(opacity, { target: { value: "0.25" } });
    expect(opacity.getAttribute("aria-valuetext")).toBe("25%");
  });

  it("shows why the mask could not be drawn where it would be", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("gone", { status: 410 })),
    );
    render(<SegmentationResult segmentation={segmentation} imageUrl="blob:picked" />);
    expect((await screen.findByRole("alert")).textContent).toBe(
      "The mask could not be downloaded: the server answered HTTP 410",
    );
    expect(screen.queryByRole("group", { name: /^Segmentation mask/ })).toBeNull();
  });
});

describe("the depth colour scale", () => {
  it("labels the bar from the API's min to its max", () => {
    render(<ColourScaleLegend min={0.5} max={4.5} />);
    const ticks = screen.getByRole("list", { name: "Values along the scale" });
    expect(
      within(ticks)
        .getAllByRole("listitem")
        .map((tick) => tick.textContent),
    ).toEqual(["0.5", "1.5", "2.5", "3.5", "4.5"]);
    expect(screen.getByRole("img").getAttribute("aria-label")).toBe(
      "Turbo colour scale: dark blue is 0.5, green-yellow the middle, dark red 4.5",
    );
  });

  it("says so when the map is flat instead of drawing a scale of one value", () => {
    render(<ColourScaleLegend min={2} max={2} />);
    expect(screen.queryByRole("img")).toBeNull();
    expect(screen.getByText(/The map is flat: every pixel has the depth value 2.0/)).toBeTruthy();
  });
});
