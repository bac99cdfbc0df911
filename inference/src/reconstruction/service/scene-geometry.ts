import type { PinholeCamera, Vec3 } from "../contracts";

/**
 * The scene's up: the normalised mean of the cameras' +Y axes (a capture's photos are mostly
 * upright, whatever the world frame its poses came in). +Y when they cancel out.
 */
export function sceneUp(cameras: readonly PinholeCamera[]): Vec3 {
  let x = 0;
  let y = 0;
  let z = 0;
  for (const { cameraToWorld: m } of cameras) {
    x += m[1]!;
    y += m[5]!;
    z += m[9]!;
  }
  const length = Math.hypot(x, y, z);
  return length > 1e-9 ? [x / length, y / length, z / length] : [0, 1, 0];
}

/** The camera's centre and the unit world direction through pixel (x, y)'s centre (distortion ignored: renders are pinhole). */
export function pixelRay(camera: PinholeCamera, x: number, y: number): { origin: Vec3; direction: Vec3 } {
  const m = camera.cameraToWorld;
  // OpenGL convention: the camera looks down -Z with +Y up, image rows run down.
  const cx = (x + 0.5 - camera.cx) / camera.fx;
  const cy = -(y + 0.5 - camera.cy) / camera.fy;
  const dx = m[0]! * cx + m[1]! * cy - m[2]!;
  const dy = m[4]! * cx + m[5]! * cy - m[6]!;
  const dz = m[8]! * cx + m[9]! * cy - m[10]!;
  const length = Math.hypot(dx, dy, dz);
  return { origin: [m[3]!, m[7]!, m[11]!], direction: [dx / length, dy / length, dz / length] };
}
