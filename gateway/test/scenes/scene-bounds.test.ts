import { describe, expect, it } from "vitest";
import { sceneBounds, type BoundsCamera } from "../../src/scenes/scene-bounds";
import { lookAtOrigin, ringOfCameras } from "./poses/pose-fixtures";

const legoAngle = 0.6911112070083618;
const legoFocal = (width: number) => (0.5 * width) / Math.tan(legoAngle / 2);
const camera = (matrix: number[][], width = 800, height = 800): BoundsCamera => ({
  transform: matrix.flat(),
  fx: legoFocal(width),
  fy: legoFocal(width),
  width,
  height,
});

describe("sceneBounds", () => {
  it("gives about [-1.5, 1.5]³ for NeRF-synthetic lego's cameras (radius 4.03, camera_angle_x 0.6911)", () => {
    const ring = [...ringOfCameras(12, 4.03, 0.3), ...ringOfCameras(12, 4.03, 0.9)].map((m) => camera(m));
    const box = sceneBounds(ring);
    // Half-size 4.03 · tan(0.6911 / 2) = 1.4508.
    for (const value of box.min) expect(value).toBeCloseTo(-1.4508, 3);
    for (const value of box.max) expect(value).toBeCloseTo(1.4508, 3);
  });

  it("centres on the point the cameras look at, wherever it is", () => {
    const ring = ringOfCameras(8, 2, 0.4).map((m) => {
      const moved = m.map((row) => [...row]);
      moved[0]![3]! += 5;
      moved[1]![3]! -= 1;
      moved[2]![3]! += 0.5;
      return camera(moved, 400, 300);
    });
    const box = sceneBounds(ring);
    const centre = box.min.map((v, i) => (v + box.max[i]!) / 2);
    expect(centre.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([5, -1, 0.5]);
    // The wider of the two fields of view: 400 px across at the lego focal length for 400 px.
    expect(box.max[0]! - centre[0]!).toBeCloseTo(2 * Math.tan(legoAngle / 2), 9);
  });

  it("keeps the box inside the cameras for a very wide lens", () => {
    const box = sceneBounds(
      ringOfCameras(6, 3).map((m) => ({ transform: m.flat(), fx: 10, fy: 10, width: 800, height: 800 })),
    );
    expect(box.max[0]).toBeCloseTo(3 / Math.sqrt(3), 9);
  });

  it("falls back to a box ahead of forward-facing cameras whose axes never meet", () => {
    const forward = [-1, 0, 1].map((x) =>
      camera(lookAtOrigin([0, 0, 10]).map((row, i) => (i === 0 ? [...row.slice(0, 3), x] : row))),
    );
    const box = sceneBounds(forward);
    const centre = box.min.map((v, i) => (v + box.max[i]!) / 2);
    // Centroid (0, 0, 10), spread 1, looking down −Z: one unit ahead.
    expect(centre.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, 0, 9]);
    expect(box.max[2]! - box.min[2]!).toBeGreaterThan(0);
  });
});
