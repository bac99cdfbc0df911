import { describe, expect, it } from "vitest";
import { pointCloudPly } from "../../../src/reconstruction/mesh/index.js";

describe("pointCloudPly", () => {
  it("writes the header and each point's float xyz and byte rgb, little-endian", () => {
    const ply = pointCloudPly(new Float32Array([1, -2, 0.5, 0, 0, 3]), new Uint8Array([255, 0, 10, 1, 2, 3]));
    const header = [
      "ply",
      "format binary_little_endian 1.0",
      "comment Tessera point cloud",
      "element vertex 2",
      "property float x",
      "property float y",
      "property float z",
      "property uchar red",
      "property uchar green",
      "property uchar blue",
      "end_header\n",
    ].join("\n");
    expect(new TextDecoder().decode(ply.subarray(0, header.length))).toBe(header);
    const body = Buffer.from(ply.subarray(header.length)).toString("hex");
    expect(body).toBe(
      // 1.0, −2.0, 0.5 as float32 LE; 255 0 10
      "0000803f" +
        "000000c0" +
        "0000003f" +
        "ff000a" +
        // 0, 0, 3.0; 1 2 3
        "00000000" +
        "00000000" +
        "00004040" +
        "010203",
    );
  });

  it("refuses colours that do not match the points", () => {
    expect(() => pointCloudPly(new Float32Array(6), new Uint8Array(3))).toThrow(
      expect.objectContaining({ code: "INVALID_ARGUMENT" }),
    );
  });
});
