import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { TierError } from "../../../src/runtime/errors";
import { FeatureEmbedder } from "../../../src/tasks/embedding/feature-embedder";
import { requestedEmbedderVersion } from "../../../src/tasks/embedding/requested-version";
import { featureEmbedderFeaturesOf, versionOfFeatures } from "../../../src/tasks/embedding/built-in-model";

const side = 48;
const levels = Buffer.from(
  Array.from({ length: side * side }, (_, i) => ((i % side) * 5 + Math.floor(i / side) * 3) % 256),
);
const greyPng = () =>
  sharp(levels, { raw: { width: side, height: side, channels: 1 } })
    .png()
    .toBuffer();
const rgbPng = () => {
  const rgb = Buffer.alloc(side * side * 3);
  levels.forEach((level, index) => rgb.fill(level, index * 3, index * 3 + 3));
  return sharp(rgb, { raw: { width: side, height: side, channels: 3 } })
    .png()
    .toBuffer();
};

describe("the feature embedder's versions", () => {
  const embedder = new FeatureEmbedder({ workers: 1 });
  afterAll(() => embedder.close());

  it("gives a one-channel grey PNG and its three-channel copy the same vector, in each version", async () => {
    const [grey, rgb] = await Promise.all([greyPng(), rgbPng()]);
    for (const version of ["1", "2"] as const) {
      const [fromGrey, fromRgb] = await embedder.embed([grey, rgb], { version });
      expect(fromGrey).toEqual(fromRgb);
    }
  });

  it("keeps version 1 the default and gives version 2 other vectors, the same on every call", async () => {
    const image = await rgbPng();
    const [unnamed] = await embedder.embed([image]);
    const [first] = await embedder.embed([image], { version: "1" });
    const [second, again] = await embedder.embed([image, image], { version: "2" });
    expect(unnamed).toEqual(first);
    expect(second).toEqual(again);
    expect(second).not.toEqual(first);
    expect(second).toHaveLength(256);
  });

  it("reads the version a request names, and refuses one that does not exist", () => {
    expect(requestedEmbedderVersion("", "")).toBe("1");
    expect(requestedEmbedderVersion("feature-embedder", "")).toBe("1");
    expect(requestedEmbedderVersion("feature-embedder", "2")).toBe("2");
    expect(requestedEmbedderVersion("resnet", "3")).toBeNull();
    expect(() => requestedEmbedderVersion("feature-embedder", "3")).toThrow(TierError);
    expect(() => requestedEmbedderVersion("", "9")).toThrow(/has versions "1", "2"; got "9"/);
  });

  it("names each version's features for trained models, and reads the name back", () => {
    expect(featureEmbedderFeaturesOf("2")).toBe("feature-embedder/v2");
    expect(versionOfFeatures("feature-embedder/v1")).toBe("1");
    expect(versionOfFeatures("feature-embedder/v2")).toBe("2");
    expect(versionOfFeatures("feature-embedder/v7")).toBeNull();
    expect(versionOfFeatures("other/v1")).toBeNull();
    expect(versionOfFeatures(undefined)).toBeNull();
  });
});
