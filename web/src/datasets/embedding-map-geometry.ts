/** The map's camera: map coordinates in [-1, 1] are scaled by `zoom` and shifted by (panX, panY) px. */
export interface MapView {
  zoom: number;
  panX: number;
  panY: number;
}

export interface CanvasSize {
  width: number;
  height: number;
}

export const initialView: MapView = { zoom: 1, panX: 0, panY: 0 };

/** Room around the square at zoom 1, px, so edge points are not cut in half. */
const MARGIN = 12;
const MIN_ZOOM = 0.5;
const MAX_ZOOM = 200;

/** Pixels per map unit at zoom 1: the [-1, 1] square fits the canvas's shorter side. */
function unit(size: CanvasSize): number {
  return Math.max(1, Math.min(size.width, size.height) / 2 - MARGIN);
}

/** Where map (0, 0) falls on the canvas and how many pixels one map unit spans, at this view. */
export interface ScreenTransform {
  originX: number;
  originY: number;
  scale: number;
}

export function screenTransform(view: MapView, size: CanvasSize): ScreenTransform {
  return {
    originX: size.width / 2 + view.panX,
    originY: size.height / 2 + view.panY,
    scale: unit(size) * view.zoom,
  };
}

/** Map coordinates → canvas pixels (y grows upwards on the map, downwards on the canvas). */
export function toScreen(view: MapView, size: CanvasSize, x: number, y: number): [number, number] {
  // Its own arithmetic, not screenTransform's: the raster's tests check one against the other.
  const scale = unit(size) * view.zoom;
  return [size.width / 2 + view.panX + x * scale, size.height / 2 + view.panY - y * scale];
}

export function toMap(view: MapView, size: CanvasSize, sx: number, sy: number): [number, number] {
  const scale = unit(size) * view.zoom;
  return [(sx - size.width / 2 - view.panX) / scale, -(sy - size.height / 2 - view.panY) / scale];
}

/** Zooms by `factor` about the canvas pixel (sx, sy): the map point under it stays under it. */
export function zoomAt(view: MapView, size: CanvasSize, sx: number, sy: number, factor: number): MapView {
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.zoom * factor));
  const [x, y] = toMap(view, size, sx, sy);
  const scale = unit(size) * zoom;
  return { zoom, panX: sx - size.width / 2 - x * scale, panY: sy - size.height / 2 + y * scale };
}

/**
 * Indices of the points inside a polygon (map coordinates x0, y0, x1, y1, …), by the even–odd
 * rule; the polygon's bounding box rules most points out first. Points of hidden classes are
 * skipped when `visible` says so.
 */
export function pointsInPolygon(
  coordinates: ArrayLike<number>,
  polygon: readonly number[],
  visible: (index: number) => boolean = () => true,
): number[] {
  const corners = polygon.length / 2;
  if (corners < 3) return [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let corner = 0; corner < corners; corner += 1) {
    minX = Math.min(minX, polygon[corner * 2]!);
    maxX = Math.max(maxX, polygon[corner * 2]!);
    minY = Math.min(minY, polygon[corner * 2 + 1]!);
    maxY = Math.max(maxY, polygon[corner * 2 + 1]!);
  }
  const inside: number[] = [];
  for (let index = 0; index < coordinates.length / 2; index += 1) {
    const x = coordinates[index * 2]!;
    const y = coordinates[index * 2 + 1]!;
    if (x < minX || x > maxX || y < minY || y > maxY || !visible(index)) continue;
    let crossings = false;
    for (let corner = 0, previous = corners - 1; corner < corners; previous = corner, corner += 1) {
      const x1 = polygon[corner * 2]!;
      const y1 = polygon[corner * 2 + 1]!;
      const x2 = polygon[previous * 2]!;
      const y2 = polygon[previous * 2 + 1]!;
      if (y1 > y !== y2 > y && x < ((x2 - x1) * (y - y1)) / (y2 - y1) + x1) crossings = !crossings;
    }
    if (crossings) inside.push(index);
  }
  return inside;
}

/** Cells per side of the hover index over [-1, 1]². */
const CELLS = 64;

/**
 * Points bucketed by a grid over the map square, so the point under the pointer is found by
 * looking at a few cells instead of every one of 50,000 points.
 */
export class PointIndex {
  private readonly starts: Uint32Array;
  private readonly members: Uint32Array;

  constructor(private readonly coordinates: ArrayLike<number>) {
    const count = coordinates.length / 2;
    const cellOf = new Uint32Array(count);
    const sizes = new Uint32Array(CELLS * CELLS + 1);
    for (let index = 0; index < count; index += 1) {
      cellOf[index] = cell(coordinates[index * 2]!, coordinates[index * 2 + 1]!);
      sizes[cellOf[index]! + 1]! += 1;
    }
    for (let c = 1; c < sizes.length; c += 1) sizes[c]! += sizes[c - 1]!;
    this.starts = sizes;
    const filled = sizes.slice(0, CELLS * CELLS);
    this.members = new Uint32Array(count);
    for (let index = 0; index < count; index += 1) this.members[filled[cellOf[index]!]!++] = index;
  }

  /** The point nearest (x, y) within `radius` (map units) for which `visible` holds, or null. */
  nearest(
    x: number,
    y: number,
    radius: number,
    visible: (index: number) => boolean = () => true,
  ): number | null {
    let best: number | null = null;
    let bestDistance = radius * radius;
    const low = (value: number) => Math.max(0, axisCell(value - radius));
    const high = (value: number) => Math.min(CELLS - 1, axisCell(value + radius));
    for (let row = low(y); row <= high(y); row += 1) {
      for (let column = low(x); column <= high(x); column += 1) {
        const c = row * CELLS + column;
        for (let slot = this.starts[c]!; slot < this.starts[c + 1]!; slot += 1) {
          const index = this.members[slot]!;
          const dx = this.coordinates[index * 2]! - x;
          const dy = this.coordinates[index * 2 + 1]! - y;
          const distance = dx * dx + dy * dy;
          if (distance <= bestDistance && visible(index)) {
            best = index;
            bestDistance = distance;
          }
        }
      }
    }
    return best;
  }
}

function axisCell(value: number): number {
  return Math.min(CELLS - 1, Math.max(0, Math.floor(((value + 1) / 2) * CELLS)));
}

function cell(x: number, y: number): number {
  return axisCell(y) * CELLS + axisCell(x);
}
