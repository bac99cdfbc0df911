import { describe, expect, it } from "vitest";
import type { PinholeCamera, Vec3 } from "../../../src/reconstruction/contracts.js";
import { extractMesh, orbitCameras, rasterizeMesh } from "../../../src/reconstruction/mesh/index.js";
import { ballsField } from "./mesh-fixtures.js";

function projectPoint(camera: PinholeCamera, point: Vec3): [number, number] {
  const m = camera.cameraToWorld;
  const d = [0, 1, 2].map((i) => point[i]! - m[4 * i + 3]!);
  const [x, y, z] = [0, 1, 2].map((c) => m[c]! * d[0]! + m[4 + c]! * d[1]! + m[8 + c]! * d[2]!) as Vec3;
  return [camera.cx + (camera.fx * x) / -z, camera.cy - (camera.fy * y) / -z];
}

const options = {
  boundsMin: [-1, -2, 0] as Vec3,
  boundsMax: [1, 2, 1] as Vec3,
  up: [0, 0, 1] as Vec3,
  count: 8,
  width: 64,
  height: 48,
  fovDegrees: 50,
  elevationDegrees: 30,
};

describe("orbitCameras", () => {
  it("circles the centre about the up axis, looking at it, with the bounds in frame", () => {
    const cameras = orbitCameras(options);
    expect(cameras).toHaveLength(8);
    const heights = cameras.map((c) => c.cameraToWorld[11]!);
    for (const camera of cameras) {
      const [x, y] = projectPoint(camera, [0, 0, 0.5]);
      expect(x).toBeCloseTo(32, 9);
      expect(y).toBeCloseTo(24, 9);
      for (let corner = 0; corner < 8; corner++) {
        const point = [0, 1, 2].map(
          (axis) => ((corner >> axis) & 1 ? options.boundsMax : options.boundsMin)[axis]!,
        ) as Vec3;
        const [px, py] = projectPoint(camera, point);
        expect(px).toBeGreaterThan(0);
        expect(px).toBeLessThan(64);
        expect(py).toBeGreaterThan(0);
        expect(py).toBeLessThan(48);
      }
      expect(camera.cameraToWorld[11]).toBeCloseTo(heights[0]!, 9);
      // The image's up (the camera's +Y) leans toward the scene's up.
      expect(camera.cameraToWorld[9]).toBeGreaterThan(0);
    }
    expect(heights[0]).toBeGreaterThan(0.5);
  });

  it("frames a ball for a turntable: centre drawn, corners background", async () => {
    const mesh = await extractMesh(ballsField(12, [{ centre: [0, 0, 0], radius: 0.6 }]));
    for (const camera of orbitCameras({
      ...options,
      boundsMin: [-1, -1, -1],
      boundsMax: [1, 1, 1],
      count: 3,
    })) {
      const image = rasterizeMesh(mesh, camera, [0, 0, 0]);
      expect(image[3 * (32 + 64 * 24)]).toBeGreaterThan(0);
      expect([...image.subarray(0, 3)]).toEqual([0, 0, 0]);
    }
  });

  it("refuses a looking-straight-down elevation and an empty turn", () => {
    expect(() => orbitCameras({ ...options, elevationDegrees: 90 })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
    expect(() => orbitCameras({ ...options, count: 0 })).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
  });
});
