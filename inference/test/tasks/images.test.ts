import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { defaultImageLimits, openImage } from "../../src/images/decode-image";
import { batchOfPixels, decodeImages } from "../../src/images/image-batch";
import { writeNormalisedPixels } from "../../src/images/image-tensor";
import { pngDeclaring, pngOf } from "./support/test-images";

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

describe("decoding images", () => {
  it("applies EXIF orientation: a 4×2 JPEG tagged 'rotate 90°' comes out 2×4", async () => {
    const raw = Buffer.alloc(4 * 2 * 3, 128);
    const jpeg = await sharp(raw, { raw: { width: 4, height: 2, channels: 3 } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const image = await openImage(jpeg);
    expect([image.format, image.width, image.height]).toEqual(["jpeg", 2, 4]);
    const pixels = await image.rgb();
    expect([pixels.width, pixels.height, pixels.data.length]).toEqual([2, 4, 24]);
  });

  it("drops alpha, expands greyscale to RGB and reads 16-bit PNGs as 8-bit", async () => {
    const rgba = await sharp(Buffer.from([10, 20, 30, 0, 40, 50, 60, 255]), {
      raw: { width: 2, height: 1, channels: 4 },
    })
      .png()
      .toBuffer();
    expect([...(await (await openImage(rgba)).rgb()).data]).toEqual([10, 20, 30, 40, 50, 60]);

    const grey = await sharp(Buffer.from([0, 100, 255]), { raw: { width: 3, height: 1, channels: 1 } })
      .toColourspace("b-w")
      .png()
      .toBuffer();
    expect([...(await (await openImage(grey)).rgb()).data]).toEqual([0, 0, 0, 100, 100, 100, 255, 255, 255]);

    const deep = await sharp(Uint16Array.from([65535, 0, 32896]), {
      raw: { width: 1, height: 1, channels: 3 },
    })
      .toColourspace("rgb16")
      .png()
      .toBuffer();
    expect([...(await (await openImage(deep)).rgb()).data]).toEqual([255, 0, 128]);
  });

  it("reads lossless WebP pixel for pixel", async () => {
    const raw = Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 99, 199]);
    const webp = await sharp(raw, { raw: { width: 2, height: 2, channels: 3 } })
      .webp({ lossless: true })
      .toBuffer();
    const image = await openImage(webp);
    expect(image.format).toBe("webp");
    expect([...(await image.rgb()).data]).toEqual([...raw]);
  });

  it("takes the first frame of an animated GIF", async () => {
    const red = Buffer.alloc(2 * 2 * 3).map((_, index) => (index % 3 === 0 ? 255 : 0));
    const blue = Buffer.alloc(2 * 2 * 3).map((_, index) => (index % 3 === 2 ? 255 : 0));
    const gif = await sharp(Buffer.concat([red, blue]), {
      raw: { width: 2, height: 4, channels: 3, pageHeight: 2 },
    })
      .gif()
      .toBuffer();
    const image = await openImage(gif);
    expect([image.format, image.width, image.height]).toEqual(["gif", 2, 2]);
    expect([...(await image.rgb()).data]).toEqual([...red]);
  });

  it("stretches or centre-crops to a target size", async () => {
    // Left half black, right half white, 8×4: a 4×4 cover crop keeps the middle, black then white.
    const png = await pngOf(8, 4, (x) => (x < 4 ? [0, 0, 0] : [255, 255, 255]));
    const image = await openImage(png);
    const stretched = await image.rgb({ width: 2, height: 2, fit: "stretch" });
    const cropped = await image.rgb({ width: 4, height: 4, fit: "cover" });
    expect([stretched.width, stretched.height]).toEqual([2, 2]);
    expect([...cropped.data.subarray(0, 12)]).toEqual([0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255]);
  });

  it("answers INVALID_ARGUMENT saying what is wrong with bytes that are no image", async () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ["empty", new Uint8Array(0), /The image is empty/],
      [
        "random bytes",
        Buffer.from("not an image at all, just text"),
        /not a JPEG, PNG, WebP or GIF image \(30 bytes starting 6e 6f 74/,
      ],
      ["SVG", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), /not a JPEG, PNG, WebP or GIF image/],
    ];
    for (const [, bytes, message] of cases) {
      const error = await rejection(openImage(bytes));
      expect(error).toMatchObject({
        code: "INVALID_ARGUMENT",
        message: expect.stringMatching(message),
      });
    }
  });

  it("answers INVALID_ARGUMENT for truncated PNG and JPEG data", async () => {
    const png = await pngOf(64, 64, (x, y) => [(x * 4) % 256, (y * 4) % 256, (x * y) % 256]);
    const jpeg = await sharp(png).jpeg().toBuffer();
    for (const [format, bytes] of [
      ["PNG", png],
      ["JPEG", jpeg],
    ] as const) {
      const truncated = bytes.subarray(0, Math.floor(bytes.length / 2));
      const error = await rejection(openImage(truncated).then((image) => image.rgb()));
      expect(error).toMatchObject({
        code: "INVALID_ARGUMENT",
        message: expect.stringContaining(`The ${format} image is truncated or corrupt`),
      });
    }
  });

  it("refuses a PNG declaring 100000×100000 pixels before decoding it, and honours a configured limit", async () => {
    const error = await rejection(openImage(pngDeclaring(100_000, 100_000)));
    expect(error).toMatchObject({
      code: "INVALID_ARGUMENT",
      message: "The image is 100000×100000 pixels (10000 MP); at most 50 MP are accepted",
    });
    const small = await pngOf(20, 10, () => [1, 2, 3]);
    expect(await rejection(openImage(small, { ...defaultImageLimits, maxInputPixels: 199 }))).toMatchObject({
      message: "The image is 20×10 pixels (0 MP); at most 0 MP are accepted",
    });
    expect((await openImage(small, { ...defaultImageLimits, maxInputPixels: 200 })).width).toBe(20);
  });

  it("names the image at fault in a batch", async () => {
    const good = await pngOf(2, 2, () => [0, 0, 0]);
    const error = await rejection(
      decodeImages([good, Buffer.from("junk")], { width: 2, height: 2, fit: "stretch" }),
    );
    expect(error).toMatchObject({ message: expect.stringMatching(/^Image 1: The bytes are not/) });
  });
});

describe("normalising pixels into tensors", () => {
  const pixels = { width: 2, height: 1, data: Uint8Array.from([255, 0, 51, 0, 102, 255]) };
  const identity = { mean: [0, 0, 0], std: [1, 1, 1] } as {
    mean: [number, number, number];
    std: [number, number, number];
  };

  it("writes NCHW planes in RGB order as pixel / 255", () => {
    const target = new Float32Array(6);
    writeNormalisedPixels(pixels, { layout: "NCHW", colorOrder: "RGB", ...identity }, target);
    expect([...target]).toEqual([1, 0, 0, 0.4, 0.2, 1].map(Math.fround));
  });

  it("writes NHWC in BGR order with mean and std in the model's channel order", () => {
    const target = new Float32Array(6);
    writeNormalisedPixels(
      pixels,
      { layout: "NHWC", colorOrder: "BGR", mean: [0.5, 0, 0], std: [0.5, 1, 2] },
      target,
    );
    // Pixel 0: B=51 → (0.2 - 0.5) / 0.5, G=0 → 0, R=255 → 1 / 2. Pixel 1: B=255, G=102, R=0.
    expect([...target]).toEqual([-0.6, 0, 0.5, 1, 0.4, 0].map(Math.fround));
  });

  it("batches images of one size back to back and refuses mixed sizes", () => {
    const batch = batchOfPixels([pixels, pixels], { layout: "NCHW", colorOrder: "RGB", ...identity });
    expect(batch.length).toBe(12);
    expect([...batch.subarray(6)]).toEqual([...batch.subarray(0, 6)]);
    const other = { width: 1, height: 1, data: Uint8Array.from([0, 0, 0]) };
    expect(() => batchOfPixels([pixels, other], { layout: "NCHW", colorOrder: "RGB", ...identity })).toThrow(
      "Images of one batch must share a size: image 0 is 2×1, image 1 is 1×1",
    );
  });
});
