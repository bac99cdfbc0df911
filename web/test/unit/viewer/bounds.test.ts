import { describe, expect, it } from "vitest";
import { boundsOf, boundsRadius, fitCamera } from "../../../src/viewer/bounds";

describe("fitting the camera to a mesh's bounds", () => {
  it("stands where the bounding sphere just fills the narrower angle, looking at the centre", () => {
    const bounds = { min: [1, 1, 1], max: [3, 3, 3] } as const;
    // Radius √3, 90° both ways, no margin: the sphere touches the frustum at distance √3 / sin 45°.
    const placement = fitCamera(bounds, 90, 1, 1);
    expect(placement.target).toEqual([2, 2, 2]);
    const [x, y, z] = placement.position;
    const distance = Math.hypot(x - 2, y - 2, z - 2);
    expect(distance).toBeCloseTo(Math.sqrt(3) / Math.sin(Math.PI / 4), 10);
    expect(placement.near).toBeLessThan(distance - Math.sqrt(3));
    expect(placement.far).toBeGreaterThan(distance + Math.sqrt(3));
  });

  it("backs off for a portrait canvas, whose horizontal angle is the narrower", () => {
    const bounds = { min: [-1, -1, -1], max: [1, 1, 1] } as const;
    const distanceOf = (aspect: number) => Math.hypot(...fitCamera(bounds, 45, aspect).position);
    expect(distanceOf(0.5)).toBeGreaterThan(distanceOf(1));
    expect(distanceOf(2)).toBeCloseTo(distanceOf(1), 10);
  });

  it("frames a flat or empty box instead of standing on it", () => {
    expect(boundsRadius({ min: [0, 0, 0], max: [0, 0, 0] })).toBe(1);
    expect(boundsOf({ min: [0, 1], max: [1, 2, 3] })).toBeNull();
    expect(boundsOf({ min: [0, Number.NaN, 0], max: [1, 2, 3] })).toBeNull();
    expect(boundsOf({ min: [0, 1, 2], max: [3, 4, 5] })).toEqual({ min: [0, 1, 2], max: [3, 4, 5] });
  });
});
