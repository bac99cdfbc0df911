import sharp from "sharp";
import { openImage, type ImageLimits } from "../../images/decode-image";
import { invalidArgument, TierError } from "../../runtime/errors";
import type { PinholeCamera, Vec3 } from "../contracts";

/**
 * A frame's photo as width × height × 3 RGB bytes, alpha composited on the run's background (what
 * an RGBA NeRF-synthetic photo means), or INVALID_ARGUMENT naming the frame: bytes that are not an
 * image, a pixel bomb, or a size other than its camera's.
 */
export async function decodeFrame(
  bytes: Uint8Array,
  camera: Pick<PinholeCamera, "width" | "height">,
  background: Vec3,
  limits: ImageLimits,
  what: string,
): Promise<Uint8Array> {
  const opened = await openImage(bytes, limits).catch((error: unknown) => {
    throw error instanceof TierError ? invalidArgument(`${what}: ${error.message}`) : error;
  });
  if (opened.width !== camera.width || opened.height !== camera.height) {
    throw invalidArgument(
      `${what} is ${opened.width}×${opened.height} pixels but its camera is ${camera.width}×${camera.height}`,
    );
  }
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [r, g, b] = background.map((channel) => Math.round(channel * 255));
  try {
    const { data, info } = await sharp(input, {
      failOn: "error",
      limitInputPixels: limits.maxInputPixels,
      autoOrient: true,
    })
      .flatten({ background: { r: r!, g: g!, b: b! } })
      .toColourspace("srgb")
      .removeAlpha()
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`${info.channels} channels after flattening`);
    return new Uint8Array(data.buffer, data.byteOffset, data.length);
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw invalidArgument(`${what} is truncated or corrupt: ${reason}`);
  }
}
