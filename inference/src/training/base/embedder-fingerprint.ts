import { createHash } from "node:crypto";
import sharp from "sharp";
import type { FeatureEmbedderVersion } from "../../tasks/embedding/built-in-model";
import type { FeatureEmbedder } from "../../tasks/embedding/feature-embedder";

/** Probe size: not square and not the descriptor's size, so decoding and stretching count too. */
const probeWidth = 61;
const probeHeight = 37;

let probe: Promise<Uint8Array> | undefined;

/**
 * A fixed PNG with colour, edges in several directions and texture: any change to how the
 * embedder decodes, stretches, describes or projects an image changes its vector.
 */
function probeImage(): Promise<Uint8Array> {
  probe ??= (async () => {
    const pixels = Buffer.alloc(probeWidth * probeHeight * 3);
    for (let y = 0; y < probeHeight; y++) {
      for (let x = 0; x < probeWidth; x++) {
        const offset = (y * probeWidth + x) * 3;
        const stripe = (x + 2 * y) % 9 < 4 ? 200 : 40;
        pixels[offset] = x < probeWidth / 2 ? stripe : (x * 7 + y * 3) & 255;
        pixels[offset + 1] = y < probeHeight / 2 ? (x * y) & 255 : 255 - stripe;
        pixels[offset + 2] = ((x - 30) ** 2 + (y - 18) ** 2 < 120 ? 230 : 20) ^ (x & 8 ? 16 : 0);
      }
    }
    const png = await sharp(pixels, { raw: { width: probeWidth, height: probeHeight, channels: 3 } })
      .png()
      .toBuffer();
    return new Uint8Array(png);
  })();
  return probe;
}

const fingerprints = new WeakMap<object, Map<string, Promise<string>>>();

/**
 * What one version of the built-in embedder computes, as 12 hex digits: a hash of its vector for
 * a fixed probe image at `dimension`, worked out once per embedder and version. The version's
 * name alone does not say that: a descriptor changed without a new version (while it was being
 * written, or fixed since) gives other vectors under the same name, and the training feature
 * cache lives on disk across tier restarts and upgrades. Keying it by this fingerprint too means
 * vectors computed by another descriptor are never read back as this one's.
 */
export function embedderFingerprint(
  embedder: Pick<FeatureEmbedder, "embed">,
  version: FeatureEmbedderVersion,
  dimension: number,
): Promise<string> {
  let byVersion = fingerprints.get(embedder);
  if (!byVersion) fingerprints.set(embedder, (byVersion = new Map()));
  const memoKey = `${version}:${dimension}`;
  let fingerprint = byVersion.get(memoKey);
  if (!fingerprint) {
    fingerprint = (async () => {
      const [vector] = await embedder.embed([await probeImage()], { dimension, version });
      const bytes = new Uint8Array(vector!.buffer, vector!.byteOffset, vector!.byteLength);
      return createHash("sha256").update(bytes).digest("hex").slice(0, 12);
    })();
    // A failed probe (an aborted or closed embedder) is not remembered: the next base tries again.
    fingerprint.catch(() => byVersion.delete(memoKey));
    byVersion.set(memoKey, fingerprint);
  }
  return fingerprint;
}
