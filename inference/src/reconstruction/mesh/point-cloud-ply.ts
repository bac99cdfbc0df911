import { invalidArgument } from "../../runtime/errors.js";

/** Bytes per vertex: three little-endian float32 and three uint8. */
const VERTEX_BYTES = 15;

/**
 * A binary little-endian PLY of coloured points: `points` holds x y z per point (world units),
 * `colors` red green blue bytes per point. Readers (MeshLab, CloudCompare, Open3D, three.js's
 * PLYLoader) take the header's property order, which is the byte order of each vertex.
 */
export function pointCloudPly(points: Float32Array, colors: Uint8Array): Uint8Array {
  if (points.length % 3 !== 0)
    throw invalidArgument(`points hold x y z per point; got ${points.length} numbers`);
  const count = points.length / 3;
  if (colors.length !== 3 * count) {
    throw invalidArgument(`${count} points need ${3 * count} colour bytes; got ${colors.length}`);
  }
  const header = new TextEncoder().encode(
    [
      "ply",
      "format binary_little_endian 1.0",
      "comment Tessera point cloud",
      `element vertex ${count}`,
      "property float x",
      "property float y",
      "property float z",
      "property uchar red",
      "property uchar green",
      "property uchar blue",
      "end_header",
      "",
    ].join("\n"),
  );
  const bytes = new Uint8Array(header.length + count * VERTEX_BYTES);
  bytes.set(header);
  const view = new DataView(bytes.buffer);
  for (let p = 0; p < count; p++) {
    const at = header.length + p * VERTEX_BYTES;
    for (let axis = 0; axis < 3; axis++) view.setFloat32(at + 4 * axis, points[3 * p + axis]!, true);
    bytes.set(colors.subarray(3 * p, 3 * p + 3), at + 12);
  }
  return bytes;
}
