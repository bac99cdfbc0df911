import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../src/errors";
import { createThumbnail } from "../../../src/datasets/images/thumbnail";
import { generateTextureDataset } from "../../support/texture-dataset";

const limits = { maxPixels: 50_000_000 };

describe("createThumbnail", () => {
  it("fits a large image into 256 px on the long side as WebP, the same bytes every time", async () => {
    const large = await sharp({ create: { width: 1000, height: 400, channels: 3, background: "#804020" } })
      .jpeg()
      .toBuffer();
    const first = await createThumbnail(large, limits);
    const second = await createThumbnail(large, limits);
    expect(first).toMatchObject({ format: "webp", width: 256, height: 102 });
    expect(first.bytes.subarray(8, 12).toString("ascii")).toBe("WEBP");
    expect(first.bytes.equals(second.bytes)).toBe(true);
    expect(await sharp(first.bytes).metadata()).toMatchObject({ format: "webp", width: 256, height: 102 });
  });

  it("keeps a small image's size, applies EXIF orientation and takes the first frame of an animation", async () => {
    const sideways = await sharp({ create: { width: 120, height: 40, channels: 3, background: "#336699" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect(await createThumbnail(sideways, limits)).toMatchObject({ width: 40, height: 120 });
    const { files, injected } = await generateTextureDataset({
      classes: 1,
      imagesPerClass: 1,
      inject: ["animated-gif"],
    });
    const gif = files.find((file) => file.path === injected[0]!.path)!.bytes;
    const thumbnail = await createThumbnail(gif, limits);
    expect(thumbnail).toMatchObject({ width: 96, height: 96 });
    expect((await sharp(thumbnail.bytes).metadata()).pages ?? 1).toBe(1);
  });

  it("refuses bytes that are not an image as bad input", async () => {
    await expect(createThumbnail(Buffer.from("hello"), limits)).rejects.toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
    });
  });
});
