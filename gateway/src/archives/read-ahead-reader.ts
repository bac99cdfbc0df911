import { close, fstat, open, read } from "node:fs";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import yauzl from "yauzl";

const windowBytes = 64 * 1024;

/**
 * The file under a yauzl ZipFile. yauzl reads every central-directory record with two tiny reads;
 * one syscall each makes 100 000 entries take seconds. Those reads are sequential, so a read-ahead
 * window serves thousands of them.
 */
export class ReadAheadReader extends yauzl.RandomAccessReader {
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;
  private readsInFlight = 0;
  private onIdle: (() => void) | null = null;

  private constructor(
    private readonly fd: number,
    readonly sizeBytes: number,
  ) {
    super();
  }

  static async open(filePath: string): Promise<ReadAheadReader> {
    const fd = await promisify(open)(filePath, "r");
    try {
      return new ReadAheadReader(fd, (await promisify(fstat)(fd)).size);
    } catch (error) {
      close(fd, () => {});
      throw error;
    }
  }

  /** `end` is exclusive. Destroying the stream leaves the shared descriptor open (fs streams would close it). */
  override _readStreamForRange(start: number, end: number): Readable {
    let position = start;
    const stream: Readable = new Readable({
      highWaterMark: windowBytes,
      read: (size) => {
        const length = Math.min(size, end - position);
        if (length <= 0) return void stream.push(null);
        this.readAt(Buffer.allocUnsafe(length), position, (error, chunk) => {
          if (stream.destroyed) return;
          if (error) return void stream.destroy(error);
          if (chunk.length === 0) return void stream.destroy(new Error("unexpected EOF"));
          position += chunk.length;
          stream.push(chunk);
        });
      },
    });
    return stream;
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: Error | null) => void,
  ): void {
    const from = position - this.windowStart;
    if (from >= 0 && from + length <= this.window.length) {
      this.window.copy(buffer, offset, from, from + length);
      // Still asynchronous, as yauzl expects; the next window miss yields to the event loop.
      queueMicrotask(() => callback(null));
      return;
    }
    this.readAt(Buffer.allocUnsafe(Math.max(length, windowBytes)), position, (error, chunk) => {
      if (error) return callback(error);
      this.window = chunk;
      this.windowStart = position;
      if (chunk.length < length) return callback(new Error("unexpected EOF"));
      chunk.copy(buffer, offset, 0, length);
      callback(null);
    });
  }

  /** Waits for reads in flight: the descriptor number could otherwise be reused under them. */
  override close(callback: (error: Error | null) => void): void {
    if (this.readsInFlight > 0) {
      this.onIdle = () => this.close(callback);
      return;
    }
    close(this.fd, callback);
  }

  private readAt(
    buffer: Buffer,
    position: number,
    callback: (error: Error | null, chunk: Buffer) => void,
  ): void {
    this.readsInFlight += 1;
    read(this.fd, buffer, 0, buffer.length, position, (error, bytesRead) => {
      this.readsInFlight -= 1;
      callback(error, buffer.subarray(0, bytesRead));
      if (this.readsInFlight === 0 && this.onIdle) {
        const onIdle = this.onIdle;
        this.onIdle = null;
        onIdle();
      }
    });
  }
}
