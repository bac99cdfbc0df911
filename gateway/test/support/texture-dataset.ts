import { Readable } from "node:stream";
import { deflateSync, crc32 } from "node:zlib";
import sharp, { type Sharp } from "sharp";
import { createZipStream } from "../../src/archives/zip-writer";

/**
 * Procedural image datasets for tests and benchmarks. Classes differ in colour AND in a
 * low-frequency pattern (a few cycles per image, so the pattern survives resizing and shows in a
 * perceptual hash); each image varies by a seeded size, period, phase, shade and pixel noise.
 * The same options always give the same bytes.
 */

export interface DatasetFile {
  /** Path inside the archive, e.g. "red-stripes/red-stripes-003.jpg". */
  path: string;
  bytes: Buffer;
}

export interface GeneratedImage {
  path: string;
  className: string;
  format: "jpeg" | "png";
  width: number;
  height: number;
}

export type BadFileKind =
  | "not-an-image"
  | "truncated-jpeg"
  | "zero-bytes"
  | "macosx"
  | "dot-files"
  | "nested-folder"
  | "animated-gif"
  | "duplicate"
  | "near-duplicate"
  | "blurred"
  | "over-exposed"
  | "pixel-bomb";

export const allBadFileKinds: readonly BadFileKind[] = [
  "not-an-image",
  "truncated-jpeg",
  "zero-bytes",
  "macosx",
  "dot-files",
  "nested-folder",
  "animated-gif",
  "duplicate",
  "near-duplicate",
  "blurred",
  "over-exposed",
  "pixel-bomb",
];

export interface InjectedFile {
  kind: BadFileKind;
  path: string;
  /** The clean image it was made from (duplicate, near-duplicate, blurred, over-exposed). */
  source?: string;
}

export interface TextureDatasetOptions {
  /** Number of classes, 1 to 8 (default 4). */
  classes?: number;
  /** Clean images per class (default 5). */
  imagesPerClass?: number;
  seed?: number;
  /** Image sides are drawn from [minSide, maxSide] (default 96 to 160). */
  minSide?: number;
  maxSide?: number;
  /** Bad files to add; each lands in the first class folder unless its kind says otherwise. */
  inject?: readonly BadFileKind[];
}

export interface TextureDataset {
  classNames: string[];
  /** Every file in archive order: the clean images first, then the injected ones. */
  files: DatasetFile[];
  /** The clean images, with what an analysis must find. */
  images: GeneratedImage[];
  injected: InjectedFile[];
}

type Pattern = "stripes" | "checkerboard" | "dots" | "noise" | "gradient";
type Rgb = readonly [number, number, number];

interface ClassSpec {
  name: string;
  pattern: Pattern;
  /** Degrees; rotates stripes, checkerboards and gradients. */
  angle: number;
  colour: Rgb;
}

const classSpecs: readonly ClassSpec[] = [
  { name: "red-stripes", pattern: "stripes", angle: 0, colour: [220, 40, 40] },
  { name: "green-checkerboard", pattern: "checkerboard", angle: 0, colour: [40, 200, 60] },
  { name: "blue-dots", pattern: "dots", angle: 0, colour: [40, 80, 230] },
  { name: "yellow-gradient", pattern: "gradient", angle: 45, colour: [230, 210, 40] },
  { name: "purple-noise", pattern: "noise", angle: 0, colour: [150, 50, 200] },
  { name: "cyan-stripes", pattern: "stripes", angle: 90, colour: [40, 210, 220] },
  { name: "orange-checkerboard", pattern: "checkerboard", angle: 45, colour: [240, 140, 30] },
  { name: "grey-gradient", pattern: "gradient", angle: 180, colour: [200, 200, 200] },
];

export const maxTextureClasses = classSpecs.length;

export async function generateTextureDataset(options: TextureDatasetOptions = {}): Promise<TextureDataset> {
  const classCount = options.classes ?? 4;
  if (!Number.isInteger(classCount) || classCount < 1 || classCount > classSpecs.length) {
    throw new RangeError(`classes must be 1 to ${classSpecs.length}, got ${classCount}`);
  }
  const perClass = options.imagesPerClass ?? 5;
  const random = seededRandom(options.seed ?? 1);
  const minSide = options.minSide ?? 96;
  const maxSide = options.maxSide ?? 160;
  const specs = classSpecs.slice(0, classCount);
  const files: DatasetFile[] = [];
  const images: GeneratedImage[] = [];
  for (const spec of specs) {
    for (let index = 0; index < perClass; index += 1) {
      const width = between(random, minSide, maxSide);
      const height = between(random, minSide, maxSide);
      const variation = drawVariation(random);
      const format = index % 3 === 2 ? "png" : "jpeg";
      const path = `${spec.name}/${spec.name}-${String(index).padStart(3, "0")}.${format === "png" ? "png" : "jpg"}`;
      const pixels = renderTexture(spec, variation, width, height, random);
      files.push({
        path,
        bytes: await encode(sharp(pixels, { raw: { width, height, channels: 3 } }), format),
      });
      images.push({ path, className: spec.name, format, width, height });
    }
  }
  const injected = await injectBadFiles(options.inject ?? [], specs, files, images, random);
  return { classNames: specs.map((spec) => spec.name), files, images, injected };
}

/** The files as a ZIP built with the gateway's own writer (stored entries, fixed timestamps). */
export async function zipDatasetFiles(files: readonly DatasetFile[]): Promise<Buffer> {
  const stream = createZipStream(
    files.map((file) => ({
      path: file.path,
      sizeBytes: file.bytes.length,
      open: () => Readable.from([file.bytes]),
    })),
    { modifiedAt: new Date("2024-01-01T00:00:00Z") },
  );
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A PNG whose header declares width×height but which holds one row of data: decoding it must never start. */
export function pixelBombPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(Buffer.alloc(1 + Math.min(width, 4096)))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

interface Variation {
  cycles: number;
  phase: number;
  angleJitter: number;
  shade: number;
  noise: number;
}

function drawVariation(random: () => number): Variation {
  return {
    cycles: 1.5 + random() * 1.5,
    phase: random(),
    angleJitter: (random() - 0.5) * 20,
    shade: 0.8 + random() * 0.2,
    noise: random() * 12,
  };
}

/** RGB bytes: the pattern's intensity (0..1) mixes a dark shade of the class colour with a bright one. */
function renderTexture(
  spec: ClassSpec,
  variation: Variation,
  width: number,
  height: number,
  random: () => number,
) {
  const intensity = patternFunction(spec, variation, random);
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const t = intensity(x / width, y / height);
      const jitter = (random() - 0.5) * 2 * variation.noise;
      for (let channel = 0; channel < 3; channel += 1) {
        const bright = spec.colour[channel] as number;
        const value = bright * (0.15 + 0.85 * t) * variation.shade + jitter;
        pixels[(y * width + x) * 3 + channel] = Math.max(0, Math.min(255, Math.round(value)));
      }
    }
  }
  return pixels;
}

function patternFunction(
  spec: ClassSpec,
  variation: Variation,
  random: () => number,
): (u: number, v: number) => number {
  const radians = ((spec.angle + variation.angleJitter) * Math.PI) / 180;
  const [cos, sin] = [Math.cos(radians), Math.sin(radians)];
  const { cycles, phase } = variation;
  const along = (u: number, v: number) => u * cos + v * sin;
  const across = (u: number, v: number) => -u * sin + v * cos;
  switch (spec.pattern) {
    case "stripes":
      return (u, v) => 0.5 + 0.5 * Math.sin(2 * Math.PI * (along(u, v) * cycles + phase));
    case "checkerboard":
      return (u, v) => {
        const cell = Math.floor(along(u, v) * cycles + phase) + Math.floor(across(u, v) * cycles + phase);
        return cell % 2 === 0 ? 1 : 0;
      };
    case "dots":
      return (u, v) => {
        const du = ((u * cycles + phase) % 1) - 0.5;
        const dv = ((v * cycles + phase) % 1) - 0.5;
        return Math.hypot(du, dv) < 0.3 ? 1 : 0;
      };
    case "gradient":
      return (u, v) => Math.max(0, Math.min(1, along(u - 0.5, v - 0.5) + 0.5 + (phase - 0.5) * 0.3));
    case "noise":
      return smoothNoise(Math.round(cycles + 2), random);
  }
}

/** Value noise on a coarse grid, smoothly interpolated: blotches a few per image across. */
function smoothNoise(gridSide: number, random: () => number): (u: number, v: number) => number {
  const grid = Array.from({ length: (gridSide + 1) ** 2 }, () => random());
  const at = (gx: number, gy: number) => grid[gy * (gridSide + 1) + gx] as number;
  const smooth = (t: number) => t * t * (3 - 2 * t);
  return (u, v) => {
    const [x, y] = [u * gridSide, v * gridSide];
    const [gx, gy] = [Math.floor(x), Math.floor(y)];
    const [fx, fy] = [smooth(x - gx), smooth(y - gy)];
    const top = at(gx, gy) * (1 - fx) + at(gx + 1, gy) * fx;
    const bottom = at(gx, gy + 1) * (1 - fx) + at(gx + 1, gy + 1) * fx;
    return top * (1 - fy) + bottom * fy;
  };
}

async function injectBadFiles(
  kinds: readonly BadFileKind[],
  specs: readonly ClassSpec[],
  files: DatasetFile[],
  images: readonly GeneratedImage[],
  random: () => number,
): Promise<InjectedFile[]> {
  const injected: InjectedFile[] = [];
  const folder = (specs[0] as ClassSpec).name;
  const add = (kind: BadFileKind, path: string, bytes: Buffer, source?: string) => {
    files.push({ path, bytes });
    injected.push(source ? { kind, path, source } : { kind, path });
  };
  const clean = (offset: number) => {
    const image = images[(offset * 7) % images.length];
    if (!image) throw new RangeError("injecting derived images needs at least one clean image");
    return { image, bytes: (files.find((file) => file.path === image.path) as DatasetFile).bytes };
  };
  for (const kind of new Set(kinds)) {
    switch (kind) {
      case "not-an-image":
        add(kind, `${folder}/not-an-image.jpg`, Buffer.from("These are notes, not a picture.\n"));
        break;
      case "truncated-jpeg": {
        const jpeg = await encode(
          sharp(renderTexture(specs[0] as ClassSpec, drawVariation(random), 128, 128, random), {
            raw: { width: 128, height: 128, channels: 3 },
          }),
          "jpeg",
        );
        add(kind, `${folder}/truncated.jpg`, jpeg.subarray(0, Math.floor(jpeg.length / 2)));
        break;
      }
      case "zero-bytes":
        add(kind, `${folder}/empty.png`, Buffer.alloc(0));
        break;
      case "macosx":
        add(kind, `__MACOSX/${folder}/._${folder}-000.jpg`, appleDouble());
        break;
      case "dot-files":
        add(kind, `${folder}/.DS_Store`, Buffer.from("Bud1\0\0\0\0"));
        add(kind, `.hidden/secret.jpg`, clean(0).bytes);
        break;
      case "nested-folder": {
        const { image, bytes } = clean(1);
        add(kind, `${folder}/nested/deeper.${extension(image)}`, bytes, image.path);
        break;
      }
      case "animated-gif":
        add(kind, `${folder}/animated.gif`, await animatedGif(specs[0] as ClassSpec, random));
        break;
      case "duplicate": {
        const { image, bytes } = clean(2);
        add(kind, `${image.className}/duplicate-of-${basename(image.path)}`, bytes, image.path);
        break;
      }
      case "near-duplicate": {
        const { image, bytes } = clean(3);
        const smaller = sharp(bytes).resize(Math.round(image.width * 0.75), Math.round(image.height * 0.75));
        add(
          kind,
          `${image.className}/near-duplicate.jpg`,
          await smaller.jpeg({ quality: 70 }).toBuffer(),
          image.path,
        );
        break;
      }
      case "blurred": {
        const { image, bytes } = clean(4);
        add(
          kind,
          `${image.className}/blurred.jpg`,
          await sharp(bytes).blur(4).jpeg({ quality: 90 }).toBuffer(),
          image.path,
        );
        break;
      }
      case "over-exposed": {
        const { image, bytes } = clean(5);
        const blown = sharp(bytes).linear(2, 220);
        add(
          kind,
          `${image.className}/over-exposed.jpg`,
          await blown.jpeg({ quality: 90 }).toBuffer(),
          image.path,
        );
        break;
      }
      case "pixel-bomb":
        add(kind, `${folder}/huge.png`, pixelBombPng(100_000, 100_000));
        break;
    }
  }
  return injected;
}

async function animatedGif(spec: ClassSpec, random: () => number): Promise<Buffer> {
  const [side, frames] = [96, 3];
  const pixels = Buffer.concat(
    Array.from({ length: frames }, () => renderTexture(spec, drawVariation(random), side, side, random)),
  );
  return sharp(pixels, { raw: { width: side, height: side * frames, channels: 3, pageHeight: side } })
    .gif({ delay: [100, 100, 100], loop: 0 })
    .toBuffer();
}

/** What macOS's Archive Utility writes for a file's resource fork: magic 00051607. */
function appleDouble(): Buffer {
  return Buffer.concat([Buffer.from([0x00, 0x05, 0x16, 0x07, 0x00, 0x02, 0x00, 0x00]), Buffer.alloc(74)]);
}

function encode(image: Sharp, format: "jpeg" | "png"): Promise<Buffer> {
  return format === "png"
    ? image.png({ compressionLevel: 6 }).toBuffer()
    : image.jpeg({ quality: 90 }).toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

function extension(image: GeneratedImage): string {
  return image.format === "png" ? "png" : "jpg";
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** mulberry32: small, fast and the same on every platform. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
