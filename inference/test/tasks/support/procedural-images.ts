import sharp from "sharp";

/** Texture classes the built-in embedder must tell apart, each drawn in several colours. */
export const patterns = ["stripes", "checkerboard", "noise"] as const;
export type Pattern = (typeof patterns)[number];

/** Base colours (sRGB); each image varies brightness and hue a little around its colour. */
export const colours = {
  red: [200, 40, 40],
  green: [40, 170, 60],
  blue: [40, 70, 200],
  yellow: [220, 200, 40],
} as const satisfies Record<string, readonly [number, number, number]>;
export type ColourName = keyof typeof colours;

export interface ProceduralImage {
  pattern: Pattern;
  colour: ColourName;
  /** PNG or JPEG (quality 75), half each. */
  bytes: Buffer;
}

/** A seeded generator, so every test run draws the same images. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/**
 * An image of `pattern` in `colour` on a darker shade of it, everything else drawn at random:
 * size 96…223 px (rarely square), period 6…21 px, orientation 0°, 45°, 90° or 135°, brightness
 * ±20 %, shade 20…50 %, pixel noise ±10 levels, and PNG or JPEG encoding.
 */
export async function proceduralImage(
  pattern: Pattern,
  colour: ColourName,
  seed: number,
): Promise<ProceduralImage> {
  const next = random(seed);
  const width = 96 + Math.floor(next() * 128);
  const height = 96 + Math.floor(next() * 128);
  const tint = colours[colour].map((channel) => channel * (0.8 + next() * 0.4));
  const shadeFactor = 0.2 + next() * 0.3;
  const shade = tint.map((channel) => channel * shadeFactor);
  const half = (6 + Math.floor(next() * 16)) / 2;
  const angle = (Math.floor(next() * 4) * Math.PI) / 4;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const along = Math.floor((x * cos + y * sin) / half);
      const across = Math.floor((y * cos - x * sin) / half);
      const on =
        pattern === "stripes"
          ? along % 2 === 0
          : pattern === "checkerboard"
            ? (along + across) % 2 === 0
            : next() < 0.5;
      const base = on ? tint : shade;
      for (let channel = 0; channel < 3; channel++) {
        const noisy = base[channel]! + (next() - 0.5) * 20;
        data[(y * width + x) * 3 + channel] = Math.max(0, Math.min(255, Math.round(noisy)));
      }
    }
  }
  const image = sharp(data, { raw: { width, height, channels: 3 } });
  const bytes = next() < 0.5 ? await image.jpeg({ quality: 75 }).toBuffer() : await image.png().toBuffer();
  return { pattern, colour, bytes };
}

/** `perClass` images of every pattern × colour, seeds derived from `seed`. */
export async function proceduralSet(perClass: number, seed = 1): Promise<ProceduralImage[]> {
  const jobs: Promise<ProceduralImage>[] = [];
  for (const pattern of patterns) {
    for (const colour of Object.keys(colours) as ColourName[]) {
      for (let index = 0; index < perClass; index++) {
        jobs.push(proceduralImage(pattern, colour, seed * 100_003 + jobs.length * 7919));
      }
    }
  }
  return Promise.all(jobs);
}
