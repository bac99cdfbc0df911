/**
 * Reusable memory for the inputs of a model version's batches. A batch's merged inputs are
 * transferred to the session worker, which transfers the buffers back with the answer; they wait
 * here for the next batch. Before, every batch allocated (and zero-filled) fresh buffers of its
 * whole input size: with ModelInfer batches of 8 images at 224×224 (4.8 MB each) the tier's main
 * thread spent more time in the garbage collector (collections forced by external memory) than in
 * every copy it made, in a CPU profile of 40 calls.
 *
 * Sizes are rounded up to a power of two so that batches of varying size reuse the same buffers;
 * at most `capacity` buffers are kept (one per instance plus one being filled is enough), so what
 * is held stays within 2 × capacity × the largest batch's input bytes.
 */
export class InputBuffers {
  private readonly free: ArrayBuffer[] = [];

  constructor(private readonly capacity: number) {}

  /** A buffer of at least `byteLength` bytes, reused when one is free. Its contents are stale. */
  take(byteLength: number): ArrayBuffer {
    let best = -1;
    this.free.forEach((buffer, index) => {
      if (buffer.byteLength < byteLength) return;
      if (best < 0 || buffer.byteLength < this.free[best]!.byteLength) best = index;
    });
    if (best >= 0) return this.free.splice(best, 1)[0]!;
    return new ArrayBuffer(roundedSize(byteLength));
  }

  /** Hands buffers back once nothing reads them any more; the smallest go when there are too many. */
  give(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) {
      // A detached buffer (transferred elsewhere) has no memory left to reuse.
      if (buffer.byteLength > 0) this.free.push(buffer);
    }
    if (this.free.length <= this.capacity) return;
    this.free.sort((a, b) => b.byteLength - a.byteLength);
    this.free.length = this.capacity;
  }

  /** Buffers waiting for reuse (for tests). */
  get size(): number {
    return this.free.length;
  }
}

const minimumSize = 4096;

function roundedSize(byteLength: number): number {
  let size = minimumSize;
  while (size < byteLength) size *= 2;
  return size;
}
