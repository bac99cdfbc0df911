import { createHash } from "node:crypto";
import sharp from "sharp";

export interface DatasetImage {
  sha256: string;
  data: Buffer;
  label: number;
  split: "TRAIN" | "VALIDATION";
}

export const datasetLabels = ["red-stripes", "green-checks", "blue-speckles"];

/** A seeded generator, so every run draws the same images. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/**
 * An easy three-class set: red stripes, green checks and blue speckles, `perClass` of each at
 * 32–47 px, brightness, period and noise drawn per image; the last quarter of each class is
 * VALIDATION.
 */
export async function imageDataset(perClass: number, seed = 1): Promise<DatasetImage[]> {
  const next = random(seed);
  const jobs: Promise<DatasetImage>[] = [];
  for (let label = 0; label < datasetLabels.length; label++) {
    for (let index = 0; index < perClass; index++) {
      const split = index < perClass * 0.75 ? "TRAIN" : "VALIDATION";
      jobs.push(drawImage(label, next).then((data) => ({ data, label, split, sha256: sha256Of(data) })));
    }
  }
  return Promise.all(jobs);
}

export const sha256Of = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

function drawImage(label: number, next: () => number): Promise<Buffer> {
  const width = 32 + Math.floor(next() * 16);
  const height = 32 + Math.floor(next() * 16);
  const brightness = 0.75 + next() * 0.5;
  const period = 3 + Math.floor(next() * 4);
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const on =
        label === 0
          ? Math.floor(x / period) % 2 === 0
          : label === 1
            ? (Math.floor(x / period) + Math.floor(y / period)) % 2 === 0
            : next() < 0.3;
      const colour = on ? ([200, 200, 200] as const) : ([40, 40, 40] as const);
      const tint = [label === 0 ? 1 : 0.3, label === 1 ? 1 : 0.3, label === 2 ? 1 : 0.3];
      for (let channel = 0; channel < 3; channel++) {
        const level = colour[channel]! * tint[channel]! * brightness + (next() - 0.5) * 16;
        data[(y * width + x) * 3 + channel] = Math.max(0, Math.min(255, Math.round(level)));
      }
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}
