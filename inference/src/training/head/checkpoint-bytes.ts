import { CheckpointError } from "../contracts";

/** Little-endian writes into a buffer sized in advance. */
export class CheckpointWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private at = 0;

  constructor(length: number) {
    this.bytes = new Uint8Array(length);
    this.view = new DataView(this.bytes.buffer);
  }

  u8(value: number): void {
    this.view.setUint8(this.at, value);
    this.at += 1;
  }

  u32(value: number): void {
    this.view.setUint32(this.at, value, true);
    this.at += 4;
  }

  f64(value: number): void {
    this.view.setFloat64(this.at, value, true);
    this.at += 8;
  }

  f32s(values: Float32Array): void {
    for (const value of values) {
      this.view.setFloat32(this.at, value, true);
      this.at += 4;
    }
  }
}

/** Little-endian reads that fail with a CheckpointError, never a RangeError, past the end. */
export class CheckpointReader {
  private readonly view: DataView;
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }

  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }

  f64(): number {
    return this.view.getFloat64(this.take(8), true);
  }

  f32s(count: number): Float32Array {
    const start = this.take(4 * count);
    const values = new Float32Array(count);
    for (let index = 0; index < count; index++) values[index] = this.view.getFloat32(start + 4 * index, true);
    return values;
  }

  private take(count: number): number {
    const at = this.at;
    if (at + count > this.bytes.byteLength) {
      throw new CheckpointError(
        `checkpoint ends at byte ${this.bytes.byteLength}, its header goes on past it`,
      );
    }
    this.at += count;
    return at;
  }
}
