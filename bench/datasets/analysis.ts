import os from "node:os";
import sharp from "sharp";
import { analyzeImage } from "../../gateway/src/datasets/images/analyze-image";
import { generateTextureDataset } from "../../gateway/test/support/texture-dataset";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import { GATEWAY_INGEST_CONCURRENCY } from "./ingest";
import { MAX_SIDE, MIN_SIDE } from "./texture-zip";

/** Images per set: enough for a few seconds of work per pass on 2 cores. */
const SMALL_IMAGES = 1_200;
const LARGE_IMAGES = 48;
const LARGE_SIDES = { minSide: 800, maxSide: 1_600 };
const limits = { maxPixels: 50_000_000 };

interface Pass {
  seconds: number;
  /** CPU time of the whole process (every thread) per image: steadier than wall time under load. */
  cpuMsPerImage: number;
}

/**
 * (d) analyzeImage (header, the 256×256 greyscale rendering, pHash, blur, exposure, sha256) vs
 * decoding the same files to raw pixels with sharp and nothing else, both with as many images in
 * flight as the gateway's ingest. Two sets: the ingest bench's small generated images (the ratio)
 * and a few large ones, where a JPEG's rendering is decoded at reduced scale by libjpeg.
 */
export async function benchAnalysis(): Promise<Ratio[]> {
  console.log(
    `\n(d) analyzeImage vs sharp decode only, ${GATEWAY_INGEST_CONCURRENCY} images in flight; ` +
      `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)}`,
  );
  const small = await images(SMALL_IMAGES, { minSide: MIN_SIDE, maxSide: MAX_SIDE });
  const large = await images(LARGE_IMAGES, LARGE_SIDES);
  const ratios: Ratio[] = [];
  for (const [name, files, sides] of [
    ["small", small, `${MIN_SIDE}–${MAX_SIDE} px`],
    ["large", large, `${LARGE_SIDES.minSide}–${LARGE_SIDES.maxSide} px`],
  ] as const) {
    await run(files, decodeOnly); // warm-up: libvips' first calls and the JIT
    const first = await run(files, decodeOnly);
    const analysed = await run(files, analyse);
    const second = await run(files, decodeOnly);
    const decode = {
      seconds: (first.seconds + second.seconds) / 2,
      cpuMsPerImage: (first.cpuMsPerImage + second.cpuMsPerImage) / 2,
    };
    const row = (label: string, pass: Pass) => [
      label,
      String(files.length),
      formatNumber(pass.seconds),
      formatNumber(files.length / pass.seconds),
      formatNumber(pass.cpuMsPerImage),
    ];
    printTable(
      `${name} images (${sides}, JPEG and PNG, load average ${os.loadavg()[0]!.toFixed(2)})`,
      ["work", "images", "seconds", "images/s", "CPU ms/image"],
      [
        row("analyzeImage", analysed),
        row("sharp decode only, pass 1", first),
        row("sharp decode only, pass 2", second),
      ],
    );
    ratios.push({
      name: `datasets.analysis${name === "small" ? "" : ".large"}`,
      subject: { label: "analyzeImage", value: files.length / analysed.seconds, unit: "images/s" },
      baseline: { label: "sharp decode only", value: files.length / decode.seconds, unit: "images/s" },
      note: `CPU ${formatNumber(analysed.cpuMsPerImage)} vs ${formatNumber(decode.cpuMsPerImage)} ms/image`,
    });
  }
  return ratios;
}

async function images(count: number, sides: { minSide: number; maxSide: number }): Promise<Buffer[]> {
  const classes = 8;
  const dataset = await generateTextureDataset({
    classes,
    imagesPerClass: Math.max(1, Math.round(count / classes)),
    seed: 5,
    ...sides,
  });
  return dataset.files.map((file) => file.bytes);
}

async function decodeOnly(bytes: Buffer): Promise<void> {
  await sharp(bytes).raw().toBuffer();
}

async function analyse(bytes: Buffer): Promise<void> {
  const result = await analyzeImage(bytes, limits);
  if (!result.ok) throw new Error(`analyzeImage rejected a generated image: ${result.rejection.message}`);
}

async function run(files: readonly Buffer[], work: (bytes: Buffer) => Promise<void>): Promise<Pass> {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let next = 0;
  const worker = async () => {
    while (next < files.length) await work(files[next++]!);
  };
  await Promise.all(Array.from({ length: GATEWAY_INGEST_CONCURRENCY }, worker));
  const used = process.cpuUsage(cpu);
  return {
    seconds: Number(process.hrtime.bigint() - start) / 1e9,
    cpuMsPerImage: (used.user + used.system) / 1000 / files.length,
  };
}
