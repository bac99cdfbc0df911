import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { defaultImageLimits } from "../../../src/images/decode-image";
import { decodeFrame } from "../../../src/reconstruction/service/decode-frame";

describe("decodeFrame", () => {
  it("composites an RGBA photo on the run's background", async () => {
    // Opaque red, half-transparent green, fully transparent (its colour must not show).
    const rgba = Buffer.from([255, 0, 0, 255, 0, 255, 0, 128, 9, 9, 9, 0]);
    const png = await sharp(rgba, { raw: { width: 3, height: 1, channels: 4 } })
      .png()
      .toBuffer();
    const rgb = await decodeFrame(png, { width: 3, height: 1 }, [0, 0, 1], defaultImageLimits, "frame 0");
    expect([...rgb]).toEqual([255, 0, 0, 0, 128, 127, 0, 0, 255]);
  });

  it("keeps an opaque photo's bytes", async () => {
    const pixels = Buffer.from([10, 20, 30, 40, 50, 60]);
    const png = await sharp(pixels, { raw: { width: 1, height: 2, channels: 3 } })
      .png()
      .toBuffer();
    expect([
      ...(await decodeFrame(png, { width: 1, height: 2 }, [1, 1, 1], defaultImageLimits, "frame 0")),
    ]).toEqual([...pixels]);
  });

  it("refuses a pixel bomb before decoding it, naming the frame", async () => {
    const header = await sharp({ create: { width: 1, height: 1, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    // The IHDR's width and height (bytes 16…23) rewritten to 100000 × 100000.
    const bomb = Buffer.from(header);
    bomb.writeUInt32BE(100_000, 16);
    bomb.writeUInt32BE(100_000, 20);
    await expect(
      decodeFrame(
        bomb,
        { width: 100_000, height: 100_000 },
        [1, 1, 1],
        defaultImageLimits,
        "The image of frame 4",
      ),
    ).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message:
        "The image of frame 4: The image is 100000×100000 pixels (10000 MP); at most 50 MP are accepted",
    });
  });
});
