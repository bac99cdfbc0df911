import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createZipStream } from "../../gateway/src/archives/zip-writer";
import { generateTextureDataset, maxTextureClasses } from "../../gateway/test/support/texture-dataset";
import { timed } from "../lib/measure";
import { MAX_SIDE, MIN_SIDE } from "./texture-zip";

/**
 * `texture-zip-main.ts <zip path> <images> <seed>`: writes the texture ZIP of texture-zip.ts to
 * disk and prints `{ images, classes, zipBytes, generateSeconds }` as JSON. Run in a process of its
 * own so the images never sit in the memory of the process whose RSS the ingest bench measures.
 */
async function main(zipPath: string, images: number, seed: number) {
  const classes = Math.min(maxTextureClasses, images);
  const imagesPerClass = Math.max(1, Math.round(images / classes));
  const { value: files, seconds } = await timed(async () => {
    const dataset = await generateTextureDataset({
      classes,
      imagesPerClass,
      seed,
      minSide: MIN_SIDE,
      maxSide: MAX_SIDE,
    });
    const zip = createZipStream(
      dataset.files.map((file) => ({
        path: file.path,
        sizeBytes: file.bytes.length,
        open: () => Readable.from([file.bytes]),
      })),
      { modifiedAt: new Date("2024-01-01T00:00:00Z") },
    );
    await pipeline(zip, fs.createWriteStream(zipPath));
    return dataset.files.length;
  });
  const zipBytes = (await fs.promises.stat(zipPath)).size;
  console.log(JSON.stringify({ images: files, classes, zipBytes, generateSeconds: seconds }));
}

const [zipPath, images, seed] = process.argv.slice(2);
await main(path.resolve(zipPath!), Number(images), Number(seed));
