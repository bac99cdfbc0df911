import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { PinholeCamera, TriangleMesh } from "../../../src/reconstruction/contracts.js";
import { heightFieldMesh, rasterizeMesh } from "../../../src/reconstruction/mesh/index.js";

/** A camera at the origin looking down −Z. */
function camera(width: number, height: number, fx: number): PinholeCamera {
  const cameraToWorld = new Float64Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  return {
    width,
    height,
    fx,
    fy: fx,
    cx: width / 2,
    cy: height / 2,
    k1: 0,
    k2: 0,
    p1: 0,
    p2: 0,
    cameraToWorld,
  };
}

/** An axis-aligned square facing +Z, counter-clockwise seen from the camera. */
function square(x0: number, y0: number, size: number, z: number, rgb: number[]): TriangleMesh {
  const positions = new Float32Array([
    x0,
    y0,
    z,
    x0 + size,
    y0,
    z,
    x0 + size,
    y0 + size,
    z,
    x0,
    y0 + size,
    z,
  ]);
  return {
    positions,
    colors: new Float32Array([...rgb, ...rgb, ...rgb, ...rgb]),
    indices: new Uint32Array([0, 1, 2, 0, 2, 3]),
  };
}

function merge(a: TriangleMesh, b: TriangleMesh): TriangleMesh {
  return {
    positions: new Float32Array([...a.positions, ...b.positions]),
    colors: new Float32Array([...a.colors!, ...b.colors!]),
    indices: new Uint32Array([...a.indices, ...b.indices.map((i) => i + a.positions.length / 3)]),
  };
}

const pixel = (image: Uint8Array, width: number, x: number, y: number) => [
  ...image.subarray(3 * (x + width * y), 3 * (x + width * y) + 3),
];

describe("rasterizeMesh", () => {
  it("draws a coloured square exactly where it projects, on the background elsewhere", () => {
    // x, y in [−0.5, 0.5] at depth 2 with fx 20 land on pixels 5…14 of a 20×20 image.
    const image = rasterizeMesh(square(-0.5, -0.5, 1, -2, [1, 0, 0]), camera(20, 20, 20), [0, 0, 1]);
    for (let y = 0; y < 20; y++) {
      for (let x = 0; x < 20; x++) {
        const inside = x >= 5 && x <= 14 && y >= 5 && y <= 14;
        expect(pixel(image, 20, x, y)).toEqual(inside ? [255, 0, 0] : [0, 0, 255]);
      }
    }
  });

  it("keeps the nearer surface whatever the drawing order", () => {
    const far = square(-0.5, -0.5, 1, -2, [1, 0, 0]);
    const near = square(0, 0, 1, -1, [0, 1, 0]); // upper right quadrant, nearer
    for (const mesh of [merge(far, near), merge(near, far)]) {
      const image = rasterizeMesh(mesh, camera(20, 20, 20), [0, 0, 0]);
      expect(pixel(image, 20, 12, 7)).toEqual([0, 255, 0]);
      expect(pixel(image, 20, 7, 7)).toEqual([255, 0, 0]);
      expect(pixel(image, 20, 12, 12)).toEqual([255, 0, 0]);
    }
  });

  it("samples a PNG texture through the uvs (v down)", async () => {
    const png = await sharp(Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]), {
      raw: { width: 2, height: 2, channels: 3 },
    })
      .png()
      .toBuffer();
    const mesh: TriangleMesh = {
      ...square(-0.5, -0.5, 1, -2, [0, 0, 0]),
      uvs: new Float32Array([0, 1, 1, 1, 1, 0, 0, 0]),
      texturePng: png,
    };
    const image = rasterizeMesh(mesh, camera(20, 20, 20), [0, 0, 0]);
    expect(pixel(image, 20, 6, 6)).toEqual([255, 0, 0]);
    expect(pixel(image, 20, 13, 6)).toEqual([0, 255, 0]);
    expect(pixel(image, 20, 6, 13)).toEqual([0, 0, 255]);
    expect(pixel(image, 20, 13, 13)).toEqual([255, 255, 255]);
  });

  it("renders a height field back into its photo from the photo's camera", () => {
    const [width, height] = [40, 20];
    const rgb = new Uint8Array(width * height * 3);
    for (let p = 0; p < width * height; p++) rgb.set(p % width < 20 ? [200, 10, 10] : [10, 10, 200], 3 * p);
    const mesh = heightFieldMesh(
      { width, height, values: new Float32Array(width * height).fill(3) },
      { width, height, rgb, png: new Uint8Array(0) },
      { fieldOfViewDegrees: 60, cells: 40, depthKind: "depth" },
    );
    const image = rasterizeMesh(
      { ...mesh, texturePng: undefined },
      camera(width, height, width / 2 / Math.tan(Math.PI / 6)),
      [0, 0, 0],
    );
    expect(pixel(image, width, 5, 10)).toEqual([200, 10, 10]);
    expect(pixel(image, width, 34, 10)).toEqual([10, 10, 200]);
  });
});
