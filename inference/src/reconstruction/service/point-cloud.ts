import type { FieldRender, PinholeCamera, Vec3 } from "../contracts";
import { pixelRay } from "./scene-geometry";

/** Points and their colours (RGB bytes), as pointCloudPly takes them. */
export interface PointCloud {
  points: Float32Array;
  colors: Uint8Array;
}

/** Opacity a pixel's ray must reach for its expected depth to mark a surface. */
const surfaceOpacity = 0.5;

/**
 * Back-projects the surface pixels (accumulated opacity over one half) of renders of the field:
 * each becomes the point at its expected depth along its ray, coloured as rendered with the
 * background taken back out of the pixel. Every
 * `stride`-th surface pixel is kept so the cloud stays under `maxPoints`.
 */
export function pointsFromRenders(
  views: ReadonlyArray<{ camera: PinholeCamera; render: FieldRender }>,
  maxPoints: number,
  background: Vec3,
): PointCloud {
  let surface = 0;
  for (const { render } of views)
    for (const opacity of render.opacity) if (opacity > surfaceOpacity) surface++;
  const stride = Math.max(1, Math.ceil(surface / maxPoints));
  const count = Math.ceil(surface / stride);
  const points = new Float32Array(count * 3);
  const colors = new Uint8Array(count * 3);
  let seen = 0;
  let kept = 0;
  for (const { camera, render } of views) {
    for (let pixel = 0; pixel < render.opacity.length; pixel++) {
      if (!(render.opacity[pixel]! > surfaceOpacity)) continue;
      if (seen++ % stride !== 0 || kept >= count) continue;
      const { origin, direction } = pixelRay(camera, pixel % render.width, Math.floor(pixel / render.width));
      // The render's depth is already over the opaque part of the ray only (Σ w·t / Σ w).
      const opacity = render.opacity[pixel]!;
      const depth = render.depth[pixel]!;
      for (let axis = 0; axis < 3; axis++) {
        points[kept * 3 + axis] = origin[axis]! + direction[axis]! * depth;
        const colour = (render.rgb[pixel * 3 + axis]! - (1 - opacity) * background[axis]!) / opacity;
        colors[kept * 3 + axis] = Math.round(Math.min(1, Math.max(0, colour)) * 255);
      }
      kept++;
    }
  }
  return { points: points.subarray(0, kept * 3), colors: colors.subarray(0, kept * 3) };
}
