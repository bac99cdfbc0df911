import sharp from "sharp";
import { seededRandom } from "../../gateway/src/training/search/seeded-random";
import { generateTextureDataset } from "../../gateway/test/support/texture-dataset";

export interface LabelledImages {
  classNames: string[];
  /** Encoded JPEG images, as a user uploads them. */
  images: Buffer[];
  /** Index into classNames, per image. */
  labels: number[];
}

/** The texture generator's first 8 classes (all it had when this bench was written). */
const GENERATED_CLASSES = 8;

/**
 * Hue turns that make two more classes out of generated ones: a pattern another class has, in
 * another colour (green stripes beside red and cyan ones; magenta squares beside green and
 * orange ones), so neither colour nor pattern alone tells every class apart.
 */
const hueTurned = [
  { from: "red-stripes", degrees: 120, name: "green-stripes" },
  { from: "green-checkerboard", degrees: 180, name: "magenta-checkerboard" },
] as const;

/**
 * Lighting and colour vary per image as they do between photos: each image's hue turns by up to
 * ±HUE_JITTER degrees, its saturation and brightness scale by up to ±SCALE_JITTER. Without this
 * the classes are so far apart that any classifier gets every image right and the bench compares
 * nothing.
 */
const HUE_JITTER = 90;
const SCALE_JITTER = 0.5;

/**
 * `perClass` images of each of 10 classes: the texture generator's 8, plus 2 made by turning the
 * hue of a second, differently seeded draw of two of them. Small sides keep generating and
 * embedding hundreds of images to seconds.
 */
export async function generateTextureClasses(perClass: number, seed: number): Promise<LabelledImages> {
  const sides = { minSide: 64, maxSide: 128, imagesPerClass: perClass };
  const base = await generateTextureDataset({ classes: GENERATED_CLASSES, seed, ...sides });
  const classNames = [...base.classNames, ...hueTurned.map((turn) => turn.name)];
  const random = seededRandom(seed);
  const images: Buffer[] = [];
  const labels: number[] = [];
  for (const [index, image] of base.images.entries()) {
    images.push(await jitter(base.files[index]!.bytes, 0, random));
    labels.push(base.classNames.indexOf(image.className));
  }

  const sources = await generateTextureDataset({ classes: 2, seed: seed + 1, ...sides });
  for (const [index, turn] of hueTurned.entries()) {
    const label = GENERATED_CLASSES + index;
    for (const image of sources.images.filter((candidate) => candidate.className === turn.from)) {
      const bytes = sources.files.find((file) => file.path === image.path)!.bytes;
      images.push(await jitter(bytes, turn.degrees, random));
      labels.push(label);
    }
  }
  return { classNames, images, labels };
}

/** The image with its hue turned by `degrees` plus jitter, saturation and brightness jittered. */
function jitter(bytes: Buffer, degrees: number, random: () => number): Promise<Buffer> {
  const spread = () => 1 + (random() * 2 - 1) * SCALE_JITTER;
  const hue = Math.round(degrees + (random() * 2 - 1) * HUE_JITTER + 360) % 360;
  return sharp(bytes)
    .modulate({ hue, saturation: spread(), brightness: spread() })
    .jpeg({ quality: 90 })
    .toBuffer();
}
