import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { gunzipSync } from "node:zlib";
import sharp from "sharp";
import type { LabelledImages } from "../training/texture-classes";

/** The UCI handwritten digits as Debian's python3-sklearn ships them: 1,797 rows of 64 pixels (0…16) and a label. */
export const DIGITS_PATH = "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";
const DIGITS_PACKAGE = "python3-sklearn";

/** Installs python3-sklearn with apt-get when the file is missing, saying so; throws if it cannot. */
export function ensureDigits(): void {
  if (fs.existsSync(DIGITS_PATH)) return;
  console.log(
    `${DIGITS_PATH} is missing: installing ${DIGITS_PACKAGE} with apt-get (its data file only is read)`,
  );
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", DIGITS_PACKAGE], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (!fs.existsSync(DIGITS_PATH))
    throw new Error(`${DIGITS_PACKAGE} installed but ${DIGITS_PATH} is absent`);
}

/**
 * The digits as 8×8 greyscale PNGs, dark ink on white paper as scanned (value 16 → black), in the
 * file's order, with at most `limit` images.
 */
export async function loadDigits(limit = Infinity): Promise<LabelledImages> {
  const rows = gunzipSync(fs.readFileSync(DIGITS_PATH)).toString("utf8").trim().split("\n");
  const images: Buffer[] = [];
  const labels: number[] = [];
  for (const row of rows.slice(0, limit)) {
    const values = row.split(",").map(Number);
    if (values.length !== 65 || values.some((value) => !Number.isFinite(value))) continue;
    const pixels = Buffer.from(values.slice(0, 64).map((value) => Math.round(255 - (value * 255) / 16)));
    images.push(
      await sharp(pixels, { raw: { width: 8, height: 8, channels: 1 } })
        .png()
        .toBuffer(),
    );
    labels.push(values[64]!);
  }
  return { classNames: Array.from({ length: 10 }, (_, digit) => String(digit)), images, labels };
}
