import zlib from "node:zlib";
import type { PinholeCamera, RadianceFieldScene, SceneFrame, Vec3 } from "../../src/reconstruction/contracts";

/**
 * A scene the project renders itself, so tests and the bench know the true geometry: a
 * checker-textured sphere resting on a checker-textured box, diffuse under fixed baked lighting
 * (view-independent), analytically ray-traced with 2×2 supersampling on a white background.
 * World Z is up as in NeRF-synthetic; cameras sit on the upper hemisphere looking at the origin.
 */
export interface SyntheticScene extends RadianceFieldScene {
  /** Signed distance to the true surface (negative inside), world units. */
  sdf(x: number, y: number, z: number): number;
  cameraAngleX: number;
}

export interface SyntheticSceneOptions {
  width: number;
  height: number;
  trainViews: number;
  heldOutViews: number;
  seed: number;
}

export const SPHERE = { centre: [0.05, 0, 0.35] as Vec3, radius: 0.45 };
export const BOX = { min: [-0.55, -0.45, -0.7] as Vec3, max: [0.55, 0.45, -0.1] as Vec3 };
/** camera_angle_x of NeRF-synthetic's lego. */
const CAMERA_ANGLE_X = 0.6911112070083618;
const CAMERA_DISTANCE = 4;
const LIGHT = normalise([0.4, -0.3, 0.85]);
const SPHERE_COLOURS: [Vec3, Vec3] = [
  [0.85, 0.15, 0.1],
  [0.95, 0.85, 0.2],
];
const BOX_COLOURS: [Vec3, Vec3] = [
  [0.1, 0.35, 0.75],
  [0.2, 0.7, 0.3],
];

export function renderSyntheticScene(options: SyntheticSceneOptions): SyntheticScene {
  const random = mulberry32(options.seed);
  const frames = (count: number) =>
    Array.from({ length: count }, (_, index): SceneFrame => {
      const camera = hemisphereCamera(options.width, options.height, random(), random());
      return { index, camera, rgb: renderFrame(camera) };
    });
  const train = frames(options.trainViews);
  const heldOut = frames(options.heldOutViews);
  return {
    train,
    heldOut,
    boundsMin: [-1, -1, -1],
    boundsMax: [1, 1, 1],
    sdf: sceneSdf,
    cameraAngleX: CAMERA_ANGLE_X,
  };
}

export function sceneSdf(x: number, y: number, z: number): number {
  const sphere = Math.hypot(x - SPHERE.centre[0], y - SPHERE.centre[1], z - SPHERE.centre[2]) - SPHERE.radius;
  const q = [0, 1, 2].map((axis) => {
    const centre = (BOX.min[axis]! + BOX.max[axis]!) / 2;
    const half = (BOX.max[axis]! - BOX.min[axis]!) / 2;
    return Math.abs([x, y, z][axis]! - centre) - half;
  });
  const outside = Math.hypot(Math.max(q[0]!, 0), Math.max(q[1]!, 0), Math.max(q[2]!, 0));
  const box = outside + Math.min(Math.max(q[0]!, q[1]!, q[2]!), 0);
  return Math.min(sphere, box);
}

/**
 * About `count` points spread uniformly (by area) over the true surface: the parts of the sphere
 * and the box that are not inside the other.
 */
export function surfacePoints(count: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const sphereArea = 4 * Math.PI * SPHERE.radius ** 2;
  const size = [0, 1, 2].map((axis) => BOX.max[axis]! - BOX.min[axis]!);
  const faceAreas = [size[1]! * size[2]!, size[0]! * size[2]!, size[0]! * size[1]!];
  const boxArea = 2 * (faceAreas[0]! + faceAreas[1]! + faceAreas[2]!);
  const points: number[] = [];
  for (let n = 0; n < count; n++) {
    let p: Vec3;
    if (random() * (sphereArea + boxArea) < sphereArea) {
      const z = 2 * random() - 1;
      const angle = 2 * Math.PI * random();
      const ring = Math.sqrt(1 - z * z);
      p = [0, 1, 2].map(
        (axis) =>
          SPHERE.centre[axis]! + SPHERE.radius * [ring * Math.cos(angle), ring * Math.sin(angle), z][axis]!,
      ) as Vec3;
    } else {
      let pick = random() * boxArea;
      let axis = 0;
      while (pick >= 2 * faceAreas[axis]! && axis < 2) pick -= 2 * faceAreas[axis++]!;
      p = [0, 1, 2].map((a) => BOX.min[a]! + random() * size[a]!) as Vec3;
      p[axis] = random() < 0.5 ? BOX.min[axis]! : BOX.max[axis]!;
    }
    if (Math.abs(sceneSdf(p[0], p[1], p[2])) < 1e-9) points.push(...p);
  }
  return Float64Array.from(points);
}

/** Uniform on the band of the upper hemisphere between about 6° and 72° of elevation. */
function hemisphereCamera(width: number, height: number, u: number, v: number): PinholeCamera {
  const azimuth = 2 * Math.PI * u;
  const z = 0.1 + 0.85 * v;
  const ring = Math.sqrt(1 - z * z);
  const eye: Vec3 = [
    CAMERA_DISTANCE * ring * Math.cos(azimuth),
    CAMERA_DISTANCE * ring * Math.sin(azimuth),
    CAMERA_DISTANCE * z,
  ];
  const back = normalise(eye);
  const right = normalise(cross([0, 0, 1], back));
  const up = cross(back, right);
  const focal = (0.5 * width) / Math.tan(0.5 * CAMERA_ANGLE_X);
  return {
    width,
    height,
    fx: focal,
    fy: focal,
    cx: width / 2,
    cy: height / 2,
    k1: 0,
    k2: 0,
    p1: 0,
    p2: 0,
    // prettier-ignore
    cameraToWorld: Float64Array.from([
      right[0], up[0], back[0], eye[0],
      right[1], up[1], back[1], eye[1],
      right[2], up[2], back[2], eye[2],
      0, 0, 0, 1,
    ]),
  };
}

/** Pixel (u, v) covers [u, u+1) × [v, v+1); four samples per pixel. */
function renderFrame(camera: PinholeCamera): Uint8Array {
  const { width, height, cameraToWorld: m } = camera;
  const rgb = new Uint8Array(width * height * 3);
  const origin: Vec3 = [m[3]!, m[7]!, m[11]!];
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const sum = [0, 0, 0];
      for (const [du, dv] of [
        [0.25, 0.25],
        [0.75, 0.25],
        [0.25, 0.75],
        [0.75, 0.75],
      ]) {
        const x = (u + du! - camera.cx) / camera.fx;
        const y = -(v + dv! - camera.cy) / camera.fy;
        const direction = normalise([
          m[0]! * x + m[1]! * y - m[2]!,
          m[4]! * x + m[5]! * y - m[6]!,
          m[8]! * x + m[9]! * y - m[10]!,
        ]);
        const colour = shade(origin, direction);
        for (let c = 0; c < 3; c++) sum[c]! += colour[c]!;
      }
      for (let c = 0; c < 3; c++) rgb[(v * width + u) * 3 + c] = Math.round((sum[c]! / 4) * 255);
    }
  }
  return rgb;
}

function shade(origin: Vec3, direction: Vec3): Vec3 {
  const sphereHit = intersectSphere(origin, direction);
  const boxHit = intersectBox(origin, direction);
  let albedo: Vec3;
  let normal: Vec3;
  if (sphereHit !== null && (boxHit === null || sphereHit <= boxHit.t)) {
    const p = along(origin, direction, sphereHit);
    normal = normalise([p[0] - SPHERE.centre[0], p[1] - SPHERE.centre[1], p[2] - SPHERE.centre[2]]);
    const longitude = Math.atan2(normal[1], normal[0]) + Math.PI;
    const latitude = Math.acos(Math.max(-1, Math.min(1, normal[2])));
    const parity = (Math.floor((longitude / (2 * Math.PI)) * 12) + Math.floor((latitude / Math.PI) * 6)) & 1;
    albedo = SPHERE_COLOURS[parity]!;
  } else if (boxHit !== null) {
    const p = along(origin, direction, boxHit.t);
    normal = boxHit.normal;
    const parity = (Math.floor(p[0] / 0.2) + Math.floor(p[1] / 0.2) + Math.floor(p[2] / 0.2)) & 1;
    albedo = BOX_COLOURS[parity]!;
  } else {
    return [1, 1, 1];
  }
  const light = 0.45 + 0.55 * Math.max(0, dot(normal, LIGHT));
  return [albedo[0] * light, albedo[1] * light, albedo[2] * light];
}

function intersectSphere(origin: Vec3, direction: Vec3): number | null {
  const o: Vec3 = [origin[0] - SPHERE.centre[0], origin[1] - SPHERE.centre[1], origin[2] - SPHERE.centre[2]];
  const b = dot(o, direction);
  const c = dot(o, o) - SPHERE.radius ** 2;
  const discriminant = b * b - c;
  if (discriminant < 0) return null;
  const t = -b - Math.sqrt(discriminant);
  return t > 0 ? t : null;
}

function intersectBox(origin: Vec3, direction: Vec3): { t: number; normal: Vec3 } | null {
  let near = -Infinity;
  let far = Infinity;
  let axisOfNear = 0;
  for (let axis = 0; axis < 3; axis++) {
    const inverse = 1 / direction[axis]!;
    let t0 = (BOX.min[axis]! - origin[axis]!) * inverse;
    let t1 = (BOX.max[axis]! - origin[axis]!) * inverse;
    if (t0 > t1) [t0, t1] = [t1, t0];
    if (t0 > near) {
      near = t0;
      axisOfNear = axis;
    }
    far = Math.min(far, t1);
  }
  if (near > far || near <= 0) return null;
  const normal: Vec3 = [0, 0, 0];
  normal[axisOfNear] = direction[axisOfNear]! > 0 ? -1 : 1;
  return { t: near, normal };
}

/**
 * The scene as a NeRF-synthetic (Blender) capture: transforms_train.json and transforms_test.json
 * with camera_angle_x and extension-less file paths ("./train/r_0"), and the PNGs they name.
 */
export function blenderArchiveFiles(scene: SyntheticScene): {
  "transforms_train.json": object;
  "transforms_test.json": object;
  files: Map<string, Buffer>;
} {
  const files = new Map<string, Buffer>();
  const split = (name: string, frames: SceneFrame[]) => ({
    camera_angle_x: scene.cameraAngleX,
    frames: frames.map((frame, i) => {
      files.set(`${name}/r_${i}.png`, encodePng(frame.rgb, frame.camera.width, frame.camera.height));
      const m = frame.camera.cameraToWorld;
      return {
        file_path: `./${name}/r_${i}`,
        transform_matrix: [0, 1, 2, 3].map((row) => Array.from(m.subarray(row * 4, row * 4 + 4))),
      };
    }),
  });
  return {
    "transforms_train.json": split("train", scene.train),
    "transforms_test.json": split("test", scene.heldOut),
    files,
  };
}

/** An 8-bit RGB PNG (no filtering; zlib does the work). */
export function encodePng(rgb: Uint8Array, width: number, height: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

function along(origin: Vec3, direction: Vec3, t: number): Vec3 {
  return [origin[0] + t * direction[0], origin[1] + t * direction[1], origin[2] + t * direction[2]];
}

function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function normalise(v: Vec3): Vec3 {
  const length = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / length, v[1] / length, v[2] / length];
}
