import { createHash } from "node:crypto";
import { acceptedFormats, describeLeadingBytes, sniffImageFormat } from "../../images/image-format";
import { failedPrecondition, invalidArgument, type TierError } from "../../runtime/errors";
import { DiskStore } from "./disk-store";

const sha256Pattern = /^[0-9a-f]{64}$/;

/** Throws INVALID_ARGUMENT unless `sha256` is 64 lower-case hex digits; `field` names it. */
export function checkSha256(sha256: string, field: string): void {
  if (sha256Pattern.test(sha256)) return;
  throw invalidArgument(`${field} must be 64 lower-case hex digits (a sha256); got "${sha256.slice(0, 80)}"`);
}

/** FAILED_PRECONDITION for images a run needs that are not in the cache: the gateway stages them and retries. */
export function notStaged(sha256s: readonly string[]): TierError {
  const count = sha256s.length;
  const which = count === 1 ? "1 training image is" : `${count} training images are`;
  const first = sha256s.slice(0, 3).join(", ");
  return failedPrecondition(
    `${which} not staged; send ${count === 1 ? "it" : "them"} with PutImages (${count > 3 ? `first: ${first}, …` : first})`,
  );
}

/**
 * The training images the gateway staged with PutImages, content-addressed by the sha256 of
 * their bytes (so the same image staged twice is stored once), on disk under a size cap.
 */
export class TrainingImageCache {
  private constructor(private readonly store: DiskStore) {}

  static async open(dir: string, maxBytes: number): Promise<TrainingImageCache> {
    return new TrainingImageCache(await DiskStore.open(dir, maxBytes));
  }

  /** The sha256s of `wanted` that are not stored, each once, in the order asked. */
  missing(wanted: readonly string[]): string[] {
    const absent = new Set<string>();
    wanted.forEach((sha256, index) => {
      checkSha256(sha256, `sha256[${index}]`);
      if (!this.store.has(keyOf(sha256))) absent.add(sha256);
    });
    return [...absent];
  }

  /**
   * Stores an image after checking that its bytes hash to `sha256` and are an image the bases
   * can decode; either failure is INVALID_ARGUMENT naming the sha256.
   */
  async put(sha256: string, data: Uint8Array): Promise<void> {
    checkSha256(sha256, "images[].sha256");
    const actual = createHash("sha256").update(data).digest("hex");
    if (actual !== sha256) {
      throw invalidArgument(
        `Image ${sha256} does not match its bytes: the ${data.byteLength} bytes sent hash to ${actual}`,
      );
    }
    if (!sniffImageFormat(data)) {
      throw invalidArgument(
        `Image ${sha256} is not a ${acceptedFormats} image (${data.byteLength} bytes starting ${describeLeadingBytes(data)})`,
      );
    }
    if (!this.store.has(keyOf(sha256))) await this.store.write(keyOf(sha256), data);
  }

  /** The image's bytes, or null when it is not stored (never staged, or evicted since). */
  read(sha256: string): Promise<Buffer | null> {
    return this.store.read(keyOf(sha256));
  }

  /** Keeps these images from eviction while a run reads them. */
  pin(sha256s: Iterable<string>): () => void {
    return this.store.pin([...sha256s].map(keyOf));
  }
}

/** Two hex digits of fan-out keep folders small with millions of images. */
function keyOf(sha256: string): string {
  return `${sha256.slice(0, 2)}/${sha256}`;
}
