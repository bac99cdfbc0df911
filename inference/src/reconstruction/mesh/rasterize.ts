import type { PinholeCamera, TriangleMesh, Vec3 } from "../contracts.js";
import { invalidArgument } from "../../runtime/errors.js";
import { decodePng, type RgbImage } from "./png-pixels.js";

/** Triangles with a corner closer than this (world units, along the view axis) are skipped. */
const NEAR = 1e-4;

/** Grey of a mesh without colours, lit by a light at the camera so its shape reads. */
const UNCOLOURED = 0.8;

/** Decoded textures by their PNG bytes: a turntable draws the same texture many times. */
const textures = new WeakMap<Uint8Array, RgbImage>();

/**
 * An RGB image (width × height × 3 bytes, row-major) of `mesh` seen from `camera`: a software
 * z-buffer rasteriser for previews and turntables where the server has no WebGL. Colours come
 * from the texture (nearest texel) when the mesh has uvs and a PNG, else from the vertex
 * colours, else a headlit grey; all interpolated perspective-correctly, without lighting
 * (radiance colours hold their lighting). Both sides of a triangle are drawn, pixel centres are
 * sampled at (x + ½, y + ½), lens distortion is ignored, and `background` (0…1) fills the rest.
 */
export function rasterizeMesh(mesh: TriangleMesh, camera: PinholeCamera, background: Vec3): Uint8Array {
  const { width, height } = camera;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1)) {
    throw invalidArgument(`an image needs a positive integer size; got ${width}×${height}`);
  }
  const image = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) image.set(background.map(toByte), 3 * p);
  const inverseDepth = new Float32Array(width * height); // 0: nothing drawn yet
  const texture = mesh.texturePng && mesh.uvs ? textureOf(mesh.texturePng) : undefined;
  const { screenX, screenY, depth } = project(mesh.positions, camera);
  const corners = [0, 0, 0];

  for (let t = 0; t < mesh.indices.length; t += 3) {
    for (let e = 0; e < 3; e++) corners[e] = mesh.indices[t + e]!;
    const [a, b, c] = corners as Vec3;
    if (depth[a]! < NEAR || depth[b]! < NEAR || depth[c]! < NEAR) continue;
    const [ax, ay, bx, by, cx, cy] = [
      screenX[a]!,
      screenY[a]!,
      screenX[b]!,
      screenY[b]!,
      screenX[c]!,
      screenY[c]!,
    ];
    const area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (area === 0) continue;
    const shade = texture || mesh.colors ? 1 : headlight(mesh.positions, a, b, c, camera);
    const xFrom = Math.max(0, Math.ceil(Math.min(ax, bx, cx) - 0.5));
    const xTo = Math.min(width - 1, Math.floor(Math.max(ax, bx, cx) - 0.5));
    const yFrom = Math.max(0, Math.ceil(Math.min(ay, by, cy) - 0.5));
    const yTo = Math.min(height - 1, Math.floor(Math.max(ay, by, cy) - 0.5));
    for (let y = yFrom; y <= yTo; y++) {
      const py = y + 0.5;
      for (let x = xFrom; x <= xTo; x++) {
        const px = x + 0.5;
        // Screen-space barycentrics; their sign agrees with the area's inside the triangle.
        const wa = ((bx - px) * (cy - py) - (by - py) * (cx - px)) / area;
        const wb = ((cx - px) * (ay - py) - (cy - py) * (ax - px)) / area;
        const wc = 1 - wa - wb;
        if (wa < 0 || wb < 0 || wc < 0) continue;
        // 1/depth is linear on screen; attributes are linear after dividing by depth.
        const [qa, qb, qc] = [wa / depth[a]!, wb / depth[b]!, wc / depth[c]!];
        const q = qa + qb + qc;
        const pixel = x + width * y;
        if (q <= inverseDepth[pixel]!) continue;
        inverseDepth[pixel] = q;
        const colour = colourAt(mesh, texture, a, b, c, qa / q, qb / q, qc / q);
        for (let ch = 0; ch < 3; ch++) image[3 * pixel + ch] = toByte(colour[ch]! * shade);
      }
    }
  }
  return image;
}

function project(positions: Float32Array, camera: PinholeCamera) {
  const m = camera.cameraToWorld;
  const count = positions.length / 3;
  const [screenX, screenY, depth] = [
    new Float64Array(count),
    new Float64Array(count),
    new Float64Array(count),
  ];
  for (let v = 0; v < count; v++) {
    const d = [0, 1, 2].map((axis) => positions[3 * v + axis]! - m[4 * axis + 3]!);
    // The rotation's transpose takes world offsets into the camera's frame (it looks down −Z).
    const [x, y, z] = [0, 1, 2].map(
      (col) => m[col]! * d[0]! + m[4 + col]! * d[1]! + m[8 + col]! * d[2]!,
    ) as Vec3;
    depth[v] = -z;
    screenX[v] = camera.cx + (camera.fx * x) / -z;
    screenY[v] = camera.cy - (camera.fy * y) / -z;
  }
  return { screenX, screenY, depth };
}

const colour = [0, 0, 0];
function colourAt(
  mesh: TriangleMesh,
  texture: RgbImage | undefined,
  a: number,
  b: number,
  c: number,
  wa: number,
  wb: number,
  wc: number,
): number[] {
  if (texture) {
    const uv = mesh.uvs!;
    const u = uv[2 * a]! * wa + uv[2 * b]! * wb + uv[2 * c]! * wc;
    const v = uv[2 * a + 1]! * wa + uv[2 * b + 1]! * wb + uv[2 * c + 1]! * wc;
    const tx = Math.min(texture.width - 1, Math.max(0, Math.floor(u * texture.width)));
    const ty = Math.min(texture.height - 1, Math.max(0, Math.floor(v * texture.height)));
    for (let ch = 0; ch < 3; ch++) colour[ch] = texture.rgb[3 * (tx + texture.width * ty) + ch]! / 255;
  } else if (mesh.colors) {
    const rgb = mesh.colors;
    for (let ch = 0; ch < 3; ch++)
      colour[ch] = rgb[3 * a + ch]! * wa + rgb[3 * b + ch]! * wb + rgb[3 * c + ch]! * wc;
  } else {
    colour.fill(UNCOLOURED);
  }
  return colour;
}

/** |cos| between the face normal and the direction to the camera, floored so faces stay visible. */
function headlight(p: Float32Array, a: number, b: number, c: number, camera: PinholeCamera): number {
  const m = camera.cameraToWorld;
  const e1 = [0, 1, 2].map((i) => p[3 * b + i]! - p[3 * a + i]!);
  const e2 = [0, 1, 2].map((i) => p[3 * c + i]! - p[3 * a + i]!);
  const n = [
    e1[1]! * e2[2]! - e1[2]! * e2[1]!,
    e1[2]! * e2[0]! - e1[0]! * e2[2]!,
    e1[0]! * e2[1]! - e1[1]! * e2[0]!,
  ];
  const toCamera = [0, 1, 2].map((i) => m[4 * i + 3]! - p[3 * a + i]!);
  const cos =
    Math.abs(n[0]! * toCamera[0]! + n[1]! * toCamera[1]! + n[2]! * toCamera[2]!) /
    (Math.hypot(...n) * Math.hypot(...toCamera));
  return 0.25 + 0.75 * cos;
}

function textureOf(png: Uint8Array): RgbImage {
  let texture = textures.get(png);
  if (!texture) {
    texture = decodePng(png);
    textures.set(png, texture);
  }
  return texture;
}

function toByte(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 255);
}
