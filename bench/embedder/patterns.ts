import sharp from "sharp";
import { seededRandom } from "@tessera/seeded-random";
import type { LabelledImages } from "../training/texture-classes";

export const PATTERN_CLASSES = ["checker", "dots", "stripes"] as const;
type Pattern = (typeof PATTERN_CLASSES)[number];

/**
 * `perClass` images of each pattern: a checkerboard, a grid of dots, stripes. Every image draws
 * its own two colours (any hue, lightness and saturation, at least a little apart), its period
 * (6 to 40 pixels), its angle (stripes and checkerboards turn freely; dot grids too), its phase
 * and its side (64 to 160 pixels): only the pattern tells the classes apart, as a person sees it.
 */
export async function generatePatternImages(perClass: number, seed: number): Promise<LabelledImages> {
  const random = seededRandom(seed);
  const images: Buffer[] = [];
  const labels: number[] = [];
  for (let index = 0; index < perClass; index++) {
    for (const [label, pattern] of PATTERN_CLASSES.entries()) {
      images.push(await drawPattern(pattern, random));
      labels.push(label);
    }
  }
  return { classNames: [...PATTERN_CLASSES], images, labels };
}

async function drawPattern(pattern: Pattern, random: () => number): Promise<Buffer> {
  const side = 64 + Math.floor(random() * 97);
  const [background, foreground] = twoColours(random);
  const period = 6 + random() * 34;
  const angle = random() * Math.PI;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const [phaseU, phaseV] = [random() * period, random() * period];
  const radius = period * (0.2 + random() * 0.15);
  const data = Buffer.alloc(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const u = (x * cos + y * sin + phaseU) / period;
      const v = (-x * sin + y * cos + phaseV) / period;
      const on = inPattern(pattern, u, v, radius / period);
      data.set(on ? foreground : background, (y * side + x) * 3);
    }
  }
  return sharp(data, { raw: { width: side, height: side, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

function inPattern(pattern: Pattern, u: number, v: number, radius: number): boolean {
  const [fu, fv] = [u - Math.floor(u), v - Math.floor(v)];
  switch (pattern) {
    case "stripes":
      return fu < 0.5;
    case "checker":
      return fu < 0.5 !== fv < 0.5;
    case "dots":
      return Math.hypot(fu - 0.5, fv - 0.5) < radius;
  }
}

/** Two random sRGB colours whose channels differ by at least 60 levels somewhere. */
function twoColours(random: () => number): [number[], number[]] {
  const colour = () => [0, 1, 2].map(() => Math.floor(random() * 256));
  for (;;) {
    const [first, second] = [colour(), colour()];
    if (first.some((value, channel) => Math.abs(value - second[channel]!) >= 60)) return [first, second];
  }
}
