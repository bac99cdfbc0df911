/** Row-major 4×4 camera-to-world of a camera at `position` looking at the origin, +Z up (Blender's world). */
export function lookAtOrigin(position: [number, number, number]): number[][] {
  const [x, y, z] = position;
  const length = Math.hypot(x, y, z);
  // OpenGL camera: −Z looks at the target, so the camera's +Z points from the origin to the camera.
  const back = [x / length, y / length, z / length];
  const upWorld = Math.abs(back[2]!) > 0.999 ? [0, 1, 0] : [0, 0, 1];
  const right = normalise(cross(upWorld, back));
  const up = cross(back, right);
  return [
    [right[0]!, up[0]!, back[0]!, x],
    [right[1]!, up[1]!, back[1]!, y],
    [right[2]!, up[2]!, back[2]!, z],
    [0, 0, 0, 1],
  ];
}

/** `count` cameras on a ring of `radius` at `elevation` radians above the XY plane, NeRF-synthetic style. */
export function ringOfCameras(count: number, radius: number, elevation = 0.5): number[][][] {
  return Array.from({ length: count }, (_, index) => {
    const azimuth = (2 * Math.PI * index) / count;
    return lookAtOrigin([
      radius * Math.cos(elevation) * Math.cos(azimuth),
      radius * Math.cos(elevation) * Math.sin(azimuth),
      radius * Math.sin(elevation),
    ]);
  });
}

function cross(a: number[], b: number[]): number[] {
  return [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
}

function normalise(v: number[]): number[] {
  const length = Math.hypot(v[0]!, v[1]!, v[2]!);
  return v.map((x) => x / length);
}

/** Expects `run` to throw BAD_USER_INPUT with a message matching `message`. */
export function badInputOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { code, message };
  }
  throw new Error("expected an error");
}
