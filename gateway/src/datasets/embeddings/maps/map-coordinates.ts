/** Where projected points were moved and how much they were shrunk to fit [-1, 1]. */
export interface MapScaling {
  /** The midpoint of the points' bounding box, subtracted first. */
  centre: [number, number];
  /** Then every coordinate is divided by this (the larger half-extent of the two axes). */
  scale: number;
}

/**
 * Fits 2-D points (x0, y0, x1, y1, …) into [-1, 1] by one shift and ONE factor for both axes:
 * PCA's axes keep their relative spread (the first component stays the wider one), and the
 * dashboard can draw any map on the same square. Points that all coincide land on the origin.
 */
export function scaleToUnitSquare(points: ArrayLike<number>): {
  coordinates: Float32Array;
  scaling: MapScaling;
} {
  if (points.length % 2 !== 0) throw new RangeError(`Expected x, y pairs; got ${points.length} values`);
  const count = points.length / 2;
  const coordinates = new Float32Array(points.length);
  if (count === 0) return { coordinates, scaling: { centre: [0, 0], scale: 1 } };
  const low = [Infinity, Infinity];
  const high = [-Infinity, -Infinity];
  for (let index = 0; index < points.length; index += 1) {
    const axis = index % 2;
    const value = points[index]!;
    if (!Number.isFinite(value)) throw new RangeError(`Coordinate ${index} is not finite (${value})`);
    if (value < low[axis]!) low[axis] = value;
    if (value > high[axis]!) high[axis] = value;
  }
  const centre: [number, number] = [(low[0]! + high[0]!) / 2, (low[1]! + high[1]!) / 2];
  const halfExtent = Math.max(high[0]! - low[0]!, high[1]! - low[1]!) / 2;
  const scale = halfExtent > 0 ? halfExtent : 1;
  for (let index = 0; index < points.length; index += 1) {
    // float32 rounding could step just past ±1 at the extremes; the contract is [-1, 1].
    const value = Math.fround((points[index]! - centre[index % 2]!) / scale);
    coordinates[index] = Math.min(1, Math.max(-1, value));
  }
  return { coordinates, scaling: { centre, scale } };
}

/** The stored form (EmbeddingMap.coordinates): float32 little-endian, whatever the host's byte order. */
export function encodeCoordinates(coordinates: Float32Array): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(coordinates.length * 4);
  const view = new DataView(bytes.buffer);
  coordinates.forEach((value, index) => view.setFloat32(index * 4, value, true));
  return bytes;
}

export function decodeCoordinates(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 8 !== 0)
    throw new RangeError(`Expected float32 x, y pairs; got ${bytes.byteLength} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const coordinates = new Float32Array(bytes.byteLength / 4);
  for (let index = 0; index < coordinates.length; index += 1)
    coordinates[index] = view.getFloat32(index * 4, true);
  return coordinates;
}
