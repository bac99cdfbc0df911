import { readImageSignature } from "../../datasets/images/image-signature";
import type { BlobStore } from "../../storage/blob-store";

/** Bytes enough to tell JPEG, PNG, GIF and WebP apart. */
const SIGNATURE_BYTES = 16;

/** Signatures read at once: each is a small ranged read of the blob store. */
const CONCURRENCY = 16;

/**
 * The logged images that may join a dataset as far as their first bytes tell: a JPEG, PNG, WebP
 * or GIF still in the store. The tier classifies encodings a dataset does not take (a BMP, a
 * TIFF), and one such image in a batch would refuse its whole submit; so a prediction pool drops
 * them before the selection, at the cost of a 16-byte read per image. What only decoding finds (a
 * corrupt body, too many pixels) is left to submitLabels, which names the item.
 */
export async function datasetReadyImages(store: BlobStore, hashes: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(hashes)];
  const ready = new Set<string>();
  let next = 0;
  const work = async () => {
    while (next < unique.length) {
      const sha256 = unique[next++]!;
      if (await hasDatasetSignature(store, sha256)) ready.add(sha256);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, unique.length) }, work));
  return ready;
}

async function hasDatasetSignature(store: BlobStore, sha256: string): Promise<boolean> {
  const stat = await store.stat(sha256);
  if (!stat || stat.sizeBytes === 0) return false;
  const chunks: Buffer[] = [];
  const end = Math.min(SIGNATURE_BYTES, stat.sizeBytes) - 1;
  for await (const chunk of await store.openRead(sha256, { start: 0, end })) chunks.push(chunk as Buffer);
  return readImageSignature(Buffer.concat(chunks)).kind === "accepted";
}
