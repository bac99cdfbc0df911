import type { Readable } from "node:stream";
import sharp from "sharp";
import type { PrismaClient } from "../../generated/prisma/client";
import type { BlobStore } from "../../storage/blob-store";
import type { ReportChart } from "./report-charts";

/** PNGs are rendered at twice the SVG's CSS size, for sharp text on dense screens and in print. */
export const pngScale = 2;
const thumbnailSide = 96;
/** A thumbnail's source may be an original image: never decode more than this. */
const maxInputPixels = 64 * 1024 * 1024;

/** One chart as a PNG (librsvg through sharp: no browser), `pngScale` × its SVG size. */
export function renderPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: 72 * pngScale })
    .png({ compressionLevel: 9 })
    .toBuffer();
}

export async function renderPngs(charts: ReportChart[]): Promise<Array<{ name: string; png: Buffer }>> {
  const rendered: Array<{ name: string; png: Buffer }> = [];
  // One at a time: libvips already spreads one render over the cores.
  for (const chart of charts) rendered.push({ name: chart.name, png: await renderPng(chart.svg) });
  return rendered;
}

/**
 * Small JPEG data: URIs of the samples (from their stored thumbnail, else the image), keyed by
 * sample id: JPEG because librsvg draws JPEG and PNG but not WebP. A sample whose bytes cannot
 * be read is left out (the sheet draws an empty frame).
 */
export async function thumbnailUris(
  prisma: PrismaClient,
  store: BlobStore,
  sampleIds: readonly string[],
): Promise<Map<string, string>> {
  const samples = await prisma.sample.findMany({
    where: { id: { in: [...sampleIds] } },
    select: { id: true, sha256: true, thumbnailSha256: true },
  });
  const uris = new Map<string, string>();
  for (const sample of samples) {
    try {
      const bytes = await readAll(await store.openRead(sample.thumbnailSha256 ?? sample.sha256));
      const jpeg = await sharp(bytes, { limitInputPixels: maxInputPixels, animated: false })
        .resize(thumbnailSide, thumbnailSide, { fit: "inside" })
        .flatten({ background: "#ffffff" })
        .jpeg({ quality: 80 })
        .toBuffer();
      uris.set(sample.id, `data:image/jpeg;base64,${jpeg.toString("base64")}`);
    } catch {
      continue;
    }
  }
  return uris;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
