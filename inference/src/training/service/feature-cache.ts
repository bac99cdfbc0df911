import { createHash } from "node:crypto";
import { DiskStore } from "./disk-store";

/** What a feature vector depends on: the base (and its output), the image, and the variant drawn. */
export interface FeatureKey {
  /** FeatureBase.key. */
  base: string;
  sha256: string;
  /** "0" for the image as it is; an augmented copy names its index, seed and augmentation version. */
  variant: string;
}

/**
 * Feature vectors already extracted, in memory (most recently used kept, up to a byte cap) and on
 * disk, so that the next trial of a search and a run resumed after a restart skip the base model.
 */
export class FeatureCache {
  /** Map order is use order, oldest first. */
  private readonly memory = new Map<string, Float32Array>();
  private memoryBytes = 0;

  constructor(
    private readonly maxMemoryBytes: number,
    private readonly disk: DiskStore | null,
  ) {}

  /** A disk store of `diskBytes` under `dir` (none when 0) behind `memoryBytes` of memory. */
  static async open(dir: string, memoryBytes: number, diskBytes: number): Promise<FeatureCache> {
    return new FeatureCache(memoryBytes, diskBytes > 0 ? await DiskStore.open(dir, diskBytes) : null);
  }

  async get(key: FeatureKey): Promise<Float32Array | null> {
    const name = nameOf(key);
    const inMemory = this.memory.get(name);
    if (inMemory) {
      this.memory.delete(name);
      this.memory.set(name, inMemory);
      return inMemory;
    }
    const bytes = await this.disk?.read(name);
    if (!bytes) return null;
    // A copy: a Buffer from readFile may sit at an offset that is not a multiple of 4.
    const vector = new Float32Array(bytes.byteLength / Float32Array.BYTES_PER_ELEMENT);
    new Uint8Array(vector.buffer).set(bytes);
    this.remember(name, vector);
    return vector;
  }

  async put(key: FeatureKey, vector: Float32Array): Promise<void> {
    const name = nameOf(key);
    this.remember(name, vector);
    await this.disk?.write(name, new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength));
  }

  private remember(name: string, vector: Float32Array): void {
    const previous = this.memory.get(name);
    if (previous) {
      this.memory.delete(name);
      this.memoryBytes -= previous.byteLength;
    }
    if (vector.byteLength > this.maxMemoryBytes) return;
    this.memory.set(name, vector);
    this.memoryBytes += vector.byteLength;
    for (const [oldest, oldestVector] of this.memory) {
      if (this.memoryBytes <= this.maxMemoryBytes) break;
      this.memory.delete(oldest);
      this.memoryBytes -= oldestVector.byteLength;
    }
  }
}

/**
 * `<base>/<sha256[0:2]>/<sha256>.<variant>`: the base key is hashed because it may hold any
 * characters (model names, output names) and must become one folder name.
 */
function nameOf(key: FeatureKey): string {
  const base = createHash("sha256").update(key.base).digest("hex").slice(0, 32);
  return `${base}/${key.sha256.slice(0, 2)}/${key.sha256}.${key.variant}`;
}
