import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openImage } from "../../src/images/decode-image";
import { featureEmbedderDescription } from "../../src/tasks/embedding/built-in-model";
import { FeatureEmbedder } from "../../src/tasks/embedding/feature-embedder";
import { descriptorImageSize, embedPixels } from "../../src/tasks/embedding/image-descriptor";
import { proceduralSet, type ProceduralImage } from "./support/procedural-images";
import { pngOf } from "./support/test-images";

const norm = (vector: Float32Array) => Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
const cosine = (a: Float32Array, b: Float32Array) =>
  a.reduce((sum, value, index) => sum + value * b[index]!, 0);

/** Share of images whose nearest other image (by cosine) has the same key. */
function leaveOneOutAccuracy(vectors: Float32Array[], keys: string[]): number {
  let correct = 0;
  vectors.forEach((vector, index) => {
    let best = -1;
    let bestSimilarity = -Infinity;
    vectors.forEach((other, otherIndex) => {
      if (otherIndex === index) return;
      const similarity = cosine(vector, other);
      if (similarity > bestSimilarity) [best, bestSimilarity] = [otherIndex, similarity];
    });
    if (keys[best] === keys[index]) correct++;
  });
  return correct / vectors.length;
}

describe("the built-in feature embedder", () => {
  let embedder: FeatureEmbedder;
  let images: ProceduralImage[];
  let vectors: Float32Array[];

  beforeAll(async () => {
    embedder = new FeatureEmbedder({ workers: 2 });
    // 3 patterns × 4 colours × 8 images: random sizes, periods, orientations, shades, PNG or JPEG.
    images = await proceduralSet(8);
    vectors = await embedder.embed(images.map((image) => image.bytes));
  });

  afterAll(() => embedder?.close());

  it("tells textures and colours apart: leave-one-out nearest neighbours share the class", () => {
    const byClass = leaveOneOutAccuracy(
      vectors,
      images.map((image) => `${image.pattern}/${image.colour}`),
    );
    const byPattern = leaveOneOutAccuracy(
      vectors,
      images.map((image) => image.pattern),
    );
    const byColour = leaveOneOutAccuracy(
      vectors,
      images.map((image) => image.colour),
    );
    expect(byClass).toBeGreaterThanOrEqual(0.9);
    expect(byPattern).toBeGreaterThanOrEqual(0.9);
    expect(byColour).toBeGreaterThanOrEqual(0.95);
  });

  it("gives unit vectors of 256 values by default and of any dimension asked for", async () => {
    for (const vector of vectors) {
      expect(vector).toHaveLength(256);
      expect(norm(vector)).toBeCloseTo(1, 6);
    }
    const bytes = [images[0]!.bytes];
    for (const dimension of [1, 64, 300, 600]) {
      const [vector] = await embedder.embed(bytes, { dimension });
      expect(vector).toHaveLength(dimension);
      expect(norm(vector!)).toBeCloseTo(1, 6);
    }
  });

  it("gives the same image the same vector bit for bit, in any batch, in any worker or in this thread", async () => {
    const picked = [images[5]!, images[40]!, images[77]!];
    const again = await embedder.embed([...picked].reverse().map((image) => image.bytes));
    expect(again.reverse().map((vector) => [...vector])).toEqual(
      [vectors[5]!, vectors[40]!, vectors[77]!].map((vector) => [...vector]),
    );
    const pixels = await (
      await openImage(images[40]!.bytes)
    ).rgb({
      width: descriptorImageSize,
      height: descriptorImageSize,
      fit: "stretch",
    });
    expect([...embedPixels(pixels, 256)]).toEqual([...vectors[40]!]);
  });

  it("keeps the event loop free while a large batch is described", async () => {
    const batch = [...images, ...images].map((image) => image.bytes);
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const started = performance.now();
    await embedder.embed(batch);
    const elapsed = performance.now() - started;
    // The histogram records a stall when its timer next fires: let it fire before reading.
    await new Promise((resolve) => setTimeout(resolve, 20));
    delay.disable();
    // 192 images at 2 ms or more of arithmetic each: done on the event loop, it would stall for
    // most of the time the batch takes.
    expect(delay.max / 1e6).toBeLessThan(Math.max(100, elapsed / 4));
  });

  it("answers INVALID_ARGUMENT for a dimension out of range and names a bad image in the batch", async () => {
    const good = await pngOf(8, 8, () => [10, 20, 30]);
    await expect(embedder.embed([good], { dimension: 0 })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message: "The embedding dimension must be an integer from 1 to 4096; got 0",
    });
    await expect(embedder.embed([good], { dimension: 5000 })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
    await expect(embedder.embed([good, Buffer.from("GIF89a but nothing after")])).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringMatching(/^Image 1: The GIF image/),
    });
  });

  it("describes itself as the built-in embedding model the registry lists", () => {
    expect(embedder.model).toMatchObject({ name: "feature-embedder", version: "1", task: "embedding" });
    expect(featureEmbedderDescription(128)).toMatchObject({
      name: "feature-embedder",
      version: "1",
      task: "embedding",
      outputs: [{ name: "embedding", dataType: "FLOAT32", shape: [128] }],
    });
  });
});
