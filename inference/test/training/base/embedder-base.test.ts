import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EmbedOptions, FeatureEmbedder } from "../../../src/tasks/embedding/feature-embedder";
import { FeatureEmbedder as BuiltInEmbedder } from "../../../src/tasks/embedding/feature-embedder";
import { embedderFeatureBase } from "../../../src/training/base/embedder-base";
import { FeatureCache } from "../../../src/training/service/feature-cache";
import { extractFeatures } from "../../../src/training/service/feature-extraction";
import { TrainingImageCache } from "../../../src/training/service/image-cache";
import { pngOf } from "../../tasks/support/test-images";
import { sha256Of } from "../service/support/image-dataset";

const signal = new AbortController().signal;

/**
 * The built-in embedder with its version-2 descriptor as it is, or as a revision of it computed
 * (a descriptor changed without a new version): same name, other vectors.
 */
function revisedEmbedder(real: FeatureEmbedder, revision: number): Pick<FeatureEmbedder, "embed"> {
  return {
    async embed(images: readonly Uint8Array[], options: EmbedOptions = {}) {
      const vectors = await real.embed(images, options);
      return revision === 0 ? vectors : vectors.map((vector) => vector.map((value) => -value));
    },
  };
}

describe("embedderFeatureBase", () => {
  let embedder: BuiltInEmbedder;
  let dir: string;

  beforeAll(() => {
    embedder = new BuiltInEmbedder({ workers: 1 });
  });
  afterAll(() => embedder?.close());
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "tessera-embedder-base-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keys its features by version and by what that version computes, the same in every tier", async () => {
    const [v1, v2] = await Promise.all([embedderFeatureBase(embedder), embedderFeatureBase(embedder, "2")]);
    expect(v1.key).toMatch(/^feature-embedder\/v1@[0-9a-f]{12}$/);
    expect(v2.key).toMatch(/^feature-embedder\/v2@[0-9a-f]{12}$/);
    const other = new BuiltInEmbedder({ workers: 1 });
    try {
      expect((await embedderFeatureBase(other, "2")).key).toBe(v2.key);
    } finally {
      await other.close();
    }
  });

  it("never reads back vectors a changed descriptor of the same version cached (a disk cache outlives the tier)", async () => {
    const png = await pngOf(40, 24, (x, y) =>
      ((x >> 2) + (y >> 2)) % 2 === 0 ? [220, 40, 40] : [30, 60, 200],
    );
    const sha256 = sha256Of(png);
    const images = await TrainingImageCache.open(path.join(dir, "images"), 1 << 20);
    await images.put(sha256, png);
    const extract = async (revision: number) => {
      const base = await embedderFeatureBase(revisedEmbedder(embedder, revision), "2");
      const cache = await FeatureCache.open(path.join(dir, "features"), 1 << 20, 1 << 20);
      const found = await extractFeatures([{ sha256, variant: 0 }], {
        base,
        images,
        cache,
        seed: 1,
        batchSize: 8,
        signal,
        onProgress: async () => {},
      });
      return { key: base.key, vector: found.get(`${sha256}:0`)! };
    };

    const before = await extract(1);
    const now = await extract(0);
    expect(now.key).not.toBe(before.key);
    const [served] = await embedder.embed([png], { dimension: 256, version: "2" });
    expect(now.vector).toEqual(served);
    expect(now.vector).not.toEqual(before.vector);
  });
});
