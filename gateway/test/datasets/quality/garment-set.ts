import sharp from "sharp";
import { seededRandom } from "@tessera/seeded-random";
import { analyzeImage } from "../../../src/datasets/images/analyze-image";
import { measureNativeSharpness } from "../../../src/datasets/quality/native-sharpness";
import type { QualitySample } from "../../../src/datasets/quality/quality-input";
import type { DatasetFile } from "../../support/texture-dataset";

/**
 * A Fashion-MNIST-like set for the quality checks: 28×28 greyscale PNGs of garment silhouettes on
 * black, 10 classes that differ in shape only. Each image varies by a seeded offset, rotation,
 * scale, shade, shading direction and a few seams, so two members of a class look alike at 28 px
 * (as two boots do) without being copies. The same seed always gives the same bytes.
 */

/** SVG path data in a 28×28 box; strokes draw thin parts (straps, handles). */
const garments: Record<string, { fill: string; stroke?: string }> = {
  "t-shirt": { fill: "M8,4 L11,3 Q14,6 17,3 L20,4 L26,9 L23,12 L20,10 L20,25 L8,25 L8,10 L5,12 L2,9 Z" },
  trouser: { fill: "M9,2 L19,2 L20,26 L15.5,26 L14,9 L12.5,26 L8,26 Z" },
  pullover: { fill: "M8,4 L20,4 L26,24 L22,25 L20,12 L20,25 L8,25 L8,12 L6,25 L2,24 Z" },
  dress: { fill: "M11,2 L17,2 L17,7 L23,26 L5,26 L11,7 Z" },
  coat: { fill: "M7,3 L21,3 L26,25 L22,25 L21,13 L21,26 L7,26 L7,13 L6,25 L2,25 Z", stroke: "M14,4 L14,26" },
  sandal: { fill: "M2,20 L26,20 L26,23 L2,23 Z", stroke: "M6,20 L12,12 L20,20 M16,20 L22,14" },
  shirt: { fill: "M9,3 L12,3 L14,7 L16,3 L19,3 L25,22 L22,23 L19,11 L19,25 L9,25 L9,11 L6,23 L3,22 Z" },
  sneaker: { fill: "M2,16 L10,13 L15,10 L20,13 L26,16 L26,21 L2,21 Z" },
  bag: { fill: "M4,11 L24,11 L24,25 L4,25 Z", stroke: "M9,11 Q14,1 19,11" },
  "ankle-boot": { fill: "M6,4 L15,4 L15,15 L25,18 L26,24 L6,24 Z" },
};

export const garmentClasses = Object.keys(garments);

export type PlantedProblem =
  "black" | "exact-duplicate" | "blurred" | "near-duplicate" | "washed-out" | "mislabelled";

export interface PlantedFile {
  problem: PlantedProblem;
  path: string;
  /** The clean image it was made from (duplicates, blurred, washed out). */
  source?: string;
}

export interface GarmentSet {
  /** Clean images first (class by class), then the planted ones. */
  files: DatasetFile[];
  clean: string[];
  planted: PlantedFile[];
}

interface Look {
  dx: number;
  dy: number;
  angle: number;
  scale: number;
  shade: number;
  shadow: number;
  shadeAngle: number;
  seams: string;
}

function drawLook(random: () => number): Look {
  const seams = Array.from({ length: 2 + Math.floor(random() * 4) }, () => {
    const [x1, y1, x2, y2] = [0, 0, 0, 0].map(() => (4 + random() * 20).toFixed(1));
    const grey = Math.round(20 + random() * 90);
    return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="rgb(${grey},${grey},${grey})" stroke-width="${(0.5 + random()).toFixed(2)}" stroke-opacity="0.6"/>`;
  }).join("");
  return {
    dx: (random() - 0.5) * 3,
    dy: (random() - 0.5) * 3,
    angle: (random() - 0.5) * 12,
    scale: 0.85 + random() * 0.2,
    shade: Math.round(110 + random() * 120),
    shadow: 0.55 + random() * 0.35,
    shadeAngle: random() * 360,
    seams,
  };
}

function garmentSvg(name: string, look: Look): Buffer {
  const { fill, stroke } = garments[name]!;
  const dark = Math.round(look.shade * look.shadow);
  const colour = (g: number) => `rgb(${g},${g},${g})`;
  const transform =
    `translate(${(14 + look.dx).toFixed(2)},${(14 + look.dy).toFixed(2)}) ` +
    `rotate(${look.angle.toFixed(2)}) scale(${look.scale.toFixed(3)}) translate(-14,-14)`;
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="28" height="28" viewBox="0 0 28 28">` +
      `<defs><linearGradient id="g" gradientTransform="rotate(${look.shadeAngle.toFixed(1)},0.5,0.5)">` +
      `<stop offset="0" stop-color="${colour(look.shade)}"/><stop offset="1" stop-color="${colour(dark)}"/></linearGradient>` +
      `<clipPath id="c"><path d="${fill}"/></clipPath></defs>` +
      `<rect width="28" height="28" fill="black"/>` +
      `<g transform="${transform}"><path d="${fill}" fill="url(#g)"/>` +
      (stroke ? `<path d="${stroke}" fill="none" stroke="url(#g)" stroke-width="1.6"/>` : "") +
      `<g clip-path="url(#c)">${look.seams}</g></g></svg>`,
  );
}

const renderGarment = (name: string, look: Look) =>
  sharp(garmentSvg(name, look)).greyscale().png().toBuffer();

/**
 * `perClass` clean images of each garment class, then one of each planted problem: an all-black
 * shirt, a byte copy of a t-shirt, a blurred sneaker (σ 1.2 px), a re-encoded JPEG of a dress
 * (a near-duplicate), a washed-out bag and an ankle boot filed under "bag".
 */
export async function generateGarmentSet(perClass: number, seed = 13): Promise<GarmentSet> {
  const random = seededRandom(seed);
  const files: DatasetFile[] = [];
  const bytesOf = new Map<string, Buffer>();
  for (const name of garmentClasses) {
    for (let index = 0; index < perClass; index += 1) {
      const path = `${name}/${name}-${String(index).padStart(3, "0")}.png`;
      const bytes = await renderGarment(name, drawLook(random));
      files.push({ path, bytes });
      bytesOf.set(path, bytes);
    }
  }
  const clean = files.map((file) => file.path);
  const source = (name: string, index: number) => `${name}/${name}-${String(index).padStart(3, "0")}.png`;
  const plant = async (problem: PlantedProblem, path: string, bytes: Buffer, from?: string) => {
    files.push({ path, bytes });
    planted.push({ problem, path, ...(from ? { source: from } : {}) });
  };
  const planted: PlantedFile[] = [];
  await plant(
    "black",
    "shirt/shirt-black.png",
    await sharp({ create: { width: 28, height: 28, channels: 3, background: "black" } })
      .greyscale()
      .png()
      .toBuffer(),
  );
  await plant(
    "exact-duplicate",
    "t-shirt/t-shirt-copy.png",
    bytesOf.get(source("t-shirt", 3))!,
    source("t-shirt", 3),
  );
  await plant(
    "blurred",
    "sneaker/sneaker-blurred.png",
    await sharp(bytesOf.get(source("sneaker", 5))!)
      .blur(1.2)
      .png()
      .toBuffer(),
    source("sneaker", 5),
  );
  await plant(
    "near-duplicate",
    "dress/dress-reencoded.jpg",
    await sharp(bytesOf.get(source("dress", 7))!)
      .jpeg({ quality: 85 })
      .toBuffer(),
    source("dress", 7),
  );
  await plant(
    "washed-out",
    "bag/bag-washed-out.png",
    await sharp(bytesOf.get(source("bag", 4))!)
      .linear(0.35, 200)
      .png()
      .toBuffer(),
    source("bag", 4),
  );
  await plant("mislabelled", "bag/bag-boot.png", await renderGarment("ankle-boot", drawLook(random)));
  return { files, clean, planted };
}

/**
 * The files measured as ingestion measures them (analyzeImage), labelled by folder, plus each
 * image's sharpness at its own size as the quality service measures small images.
 */
export async function measureFiles(files: readonly DatasetFile[]) {
  const measured = await Promise.all(files.map(measureFile));
  return {
    samples: measured.map(({ sample }) => sample),
    nativeSharpness: new Map(
      measured.flatMap(({ sample, sharpness }) => (sharpness === undefined ? [] : [[sample.id, sharpness]])),
    ),
  };
}

async function measureFile({ path, bytes }: DatasetFile) {
  const [result, sharpness] = await Promise.all([
    analyzeImage(bytes, { maxPixels: 1_000_000 }),
    measureNativeSharpness(bytes, 1_000_000),
  ]);
  if (!result.ok) throw new Error(`${path}: ${result.rejection.message}`);
  const { image } = result;
  const className = path.split("/")[0]!;
  const sample: QualitySample = {
    id: path,
    classId: `class:${className}`,
    className,
    originalPath: path,
    sha256: image.sha256,
    perceptualHash: image.perceptualHash,
    width: image.width,
    height: image.height,
    blurScore: image.blurScore,
    meanLuma: image.exposure.meanLuma,
    clippedDarkFraction: image.exposure.clippedDarkFraction,
    clippedBrightFraction: image.exposure.clippedBrightFraction,
  };
  return { sample, sharpness };
}
