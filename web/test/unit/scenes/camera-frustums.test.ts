import { describe, expect, it } from "vitest";
import { cameraCentre, frustumDepth, frustumSegments, rigBounds } from "../../../src/scenes/camera-frustums";

const identity = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
const camera = { width: 200, height: 100, fx: 100, fy: 100, cx: 100, cy: 50, transform: identity };

/** Segment endpoints as points. */
const pointsOf = (flat: number[]) =>
  Array.from({ length: flat.length / 3 }, (_, index) => flat.slice(index * 3, index * 3 + 3));

describe("camera frustums", () => {
  it("puts the image corners `depth` down −Z, top row at +Y (OpenGL convention)", () => {
    const points = pointsOf(frustumSegments(camera, 2));
    // 4 apex→corner edges, 4 base edges, 1 up tick: 18 points.
    expect(points).toHaveLength(18);
    expect(points.slice(0, 8)).toEqual([
      [0, 0, 0],
      [-2, 1, -2],
      [0, 0, 0],
      [2, 1, -2],
      [0, 0, 0],
      [2, -1, -2],
      [0, 0, 0],
      [-2, -1, -2],
    ]);
    // The up tick rises above the top edge's middle.
    expect(points.slice(16)).toEqual([
      [0, 1, -2],
      [0, 1.3, -2],
    ]);
  });

  it("applies camera-to-world: a camera at (0, 0, 4) turned 90° about +Y looks down −X", () => {
    // Rows of R (columns are the camera's axes in the world): x → −Z, z → +X; then the translation.
    const turned = { ...camera, transform: [0, 0, 1, 0, 0, 1, 0, 0, -1, 0, 0, 4, 0, 0, 0, 1] };
    expect(cameraCentre(turned)).toEqual([0, 0, 4]);
    const [, topLeft] = pointsOf(frustumSegments(turned, 1));
    expect(topLeft![0]).toBeCloseTo(-1, 12);
    expect(topLeft![1]).toBeCloseTo(0.5, 12);
    expect(topLeft![2]).toBeCloseTo(5, 12);
  });

  it("sizes pyramids to a tenth of the cameras' mean distance and frames cameras with the bounds", () => {
    const bounds = { min: [-1, -1, -1], max: [1, 1, 1] } as const;
    const far = { ...camera, transform: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 10, 0, 0, 0, 1] };
    const near = { ...camera, transform: [1, 0, 0, 6, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] };
    expect(frustumDepth([far, near], bounds)).toBeCloseTo(0.8, 12);
    expect(rigBounds([far, near], bounds)).toEqual({ min: [-1, -1, -1], max: [6, 1, 10] });
  });
});
