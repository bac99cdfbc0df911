/** What the bounds need of a frame: its pose and field of view. */
export interface BoundsCamera {
  /** Camera-to-world, row-major 4×4, OpenGL (looks down −Z). */
  transform: readonly number[];
  fx: number;
  fy: number;
  width: number;
  height: number;
}

export interface SceneBox {
  min: [number, number, number];
  max: [number, number, number];
}

/**
 * The box a reconstruction fills, from the cameras alone (no photo is looked at): centred on the
 * point nearest every optical axis in the least-squares sense — where the cameras look — with a
 * half-size of the mean camera distance × tan(half the wider field of view), i.e. what the
 * average camera sees at that distance. The half-size is kept between 1% and 1/√3 of the mean
 * distance, so the box never swallows the cameras. When the axes are (nearly) parallel (a
 * forward-facing capture) there is no such point, and the centre sits one camera-spread ahead of
 * the cameras' centroid along their mean view direction.
 */
export function sceneBounds(cameras: readonly BoundsCamera[]): SceneBox {
  if (cameras.length === 0) throw new RangeError("sceneBounds needs at least one camera");
  const origins = cameras.map((c) => [c.transform[3]!, c.transform[7]!, c.transform[11]!] as const);
  const directions = cameras.map((c) => unit([-c.transform[2]!, -c.transform[6]!, -c.transform[10]!]));
  const centre = nearestPointToAxes(origins, directions) ?? forwardCentre(origins, directions);
  const meanDistance = mean(
    origins.map((o) => Math.hypot(o[0] - centre[0], o[1] - centre[1], o[2] - centre[2])),
  );
  const tanHalfFov = mean(cameras.map((c) => Math.max(c.width / (2 * c.fx), c.height / (2 * c.fy))));
  const distance = meanDistance > 0 ? meanDistance : 1;
  const half = Math.min(Math.max(distance * tanHalfFov, distance * 0.01), distance / Math.sqrt(3));
  return {
    min: [centre[0] - half, centre[1] - half, centre[2] - half],
    max: [centre[0] + half, centre[1] + half, centre[2] + half],
  };
}

type Vec3 = readonly [number, number, number];

/** Solves Σ(I − ddᵀ) p = Σ(I − ddᵀ) o; null when the system is ill-conditioned. */
function nearestPointToAxes(origins: readonly Vec3[], directions: readonly Vec3[]): Vec3 | null {
  const a = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const b = [0, 0, 0];
  origins.forEach((o, k) => {
    const d = directions[k]!;
    for (let i = 0; i < 3; i += 1) {
      for (let j = 0; j < 3; j += 1) {
        const m = (i === j ? 1 : 0) - d[i]! * d[j]!;
        a[i * 3 + j]! += m;
        b[i]! += m * o[j]!;
      }
    }
  });
  const det = determinant(a);
  // Each term has eigenvalues 0, 1, 1: parallel axes leave one eigenvalue of the sum near 0.
  if (Math.abs(det) < 1e-6 * origins.length ** 3) return null;
  const solve = (column: number) => {
    const replaced = a.slice();
    for (let row = 0; row < 3; row += 1) replaced[row * 3 + column] = b[row]!;
    return determinant(replaced) / det;
  };
  return [solve(0), solve(1), solve(2)];
}

function forwardCentre(origins: readonly Vec3[], directions: readonly Vec3[]): Vec3 {
  const centroid = [0, 1, 2].map((i) => mean(origins.map((o) => o[i]!))) as unknown as Vec3;
  const spread = Math.max(
    1,
    ...origins.map((o) => Math.hypot(o[0] - centroid[0], o[1] - centroid[1], o[2] - centroid[2])),
  );
  const ahead = unit([0, 1, 2].map((i) => mean(directions.map((d) => d[i]!))) as unknown as Vec3);
  return [centroid[0] + ahead[0] * spread, centroid[1] + ahead[1] * spread, centroid[2] + ahead[2] * spread];
}

function determinant(m: readonly number[]): number {
  return (
    m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) -
    m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) +
    m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!)
  );
}

function unit(v: Vec3): Vec3 {
  const length = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / length, v[1] / length, v[2] / length];
}

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
