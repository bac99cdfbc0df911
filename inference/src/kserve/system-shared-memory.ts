import fs from "node:fs";
import path from "node:path";
import type { _inference_SystemSharedMemoryStatusResponse_RegionStatus__Output as RegionStatus } from "@tessera/proto/generated/inference/SystemSharedMemoryStatusResponse";
import type { SystemSharedMemoryRegisterRequest__Output as RegisterRequest } from "@tessera/proto/generated/inference/SystemSharedMemoryRegisterRequest";
import { limits } from "../limits";
import {
  failedPrecondition,
  invalidArgument,
  notFound,
  resourceExhausted,
  TierError,
  unavailable,
  unimplemented,
} from "../runtime/errors";

/** Where POSIX shm_open keeps its objects on Linux: key "/name" is the file /dev/shm/name. */
export const posixSharedMemoryDirectory = "/dev/shm";

/**
 * "/" and one path component of letters, digits, ".", "_" and "-", not starting with "." (so never
 * "." or ".."), at most 255 characters after the slash (NAME_MAX): what shm_open accepts, less
 * anything that could leave the directory.
 */
const keyPattern = /^\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}$/;

/** Tensors up to this size are read and written without leaving the event loop (see `io`). */
const synchronousBytes = 8 * 1024 * 1024;

const disabled =
  "client shared memory is disabled on this tier; start it with INFERENCE_ALLOW_CLIENT_SHM=true to enable it";

/**
 * Triton's system shared-memory extension: the regions clients on the same host registered, by
 * name. A region is opened when it is registered and its descriptor kept, as Triton maps it then:
 * what the client later does to the name (unlinks it, creates another object under it) does not
 * change what the region reads and writes. Only regular files owned by the tier's own user are
 * accepted, opened without following a symbolic link, and only the bytes the client registered
 * are ever touched.
 *
 * Off unless INFERENCE_ALLOW_CLIENT_SHM is true (Triton's --allow-client-shm): then Register and
 * Unregister answer UNIMPLEMENTED as Triton answers, and Status lists nothing.
 */
export class SystemSharedMemory {
  private readonly regions = new Map<string, SharedMemoryRegion>();
  /** Names whose registration is opening its object, so a second one with the same name waits its turn. */
  private readonly opening = new Set<string>();
  private closed = false;

  constructor(
    readonly allowed: boolean,
    private readonly directory = posixSharedMemoryDirectory,
  ) {}

  /** Every region ("" as Triton's empty name) or the one named; NOT_FOUND for an unknown name. */
  status(name: string): RegionStatus[] {
    if (name === "") return [...this.regions.values()].map((region) => region.status());
    const region = this.regions.get(name);
    if (!region) throw notFound(`no system shared memory region named "${name}" is registered`);
    return [region.status()];
  }

  async register(request: RegisterRequest): Promise<void> {
    if (!this.allowed) throw unimplemented(disabled);
    const { name, key, offset, byte_size: byteSize } = request;
    checkName(name);
    if (!keyPattern.test(key)) {
      throw invalidArgument(
        `region "${name}" has key "${key}", which is not a POSIX shared-memory name: expected "/" and ` +
          `1 to 255 letters, digits, ".", "_" or "-", with no other "/" and not starting with "."`,
      );
    }
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw invalidArgument(`region "${name}" has offset ${offset}; expected a whole number of bytes`);
    }
    if (!Number.isSafeInteger(byteSize) || byteSize < 1) {
      throw invalidArgument(`region "${name}" has byte_size ${byteSize}; expected at least 1 byte`);
    }
    if (this.regions.has(name) || this.opening.has(name)) {
      throw new TierError(
        "ALREADY_EXISTS",
        `a system shared memory region named "${name}" is already registered`,
      );
    }
    if (this.regions.size + this.opening.size >= limits.sharedMemory.regions) {
      throw resourceExhausted(
        `${limits.sharedMemory.regions} system shared memory regions are registered, the most a tier holds; unregister one first`,
      );
    }
    this.opening.add(name);
    try {
      const file = await openObject(name, key, offset + byteSize, path.join(this.directory, key.slice(1)));
      if (this.closed) {
        await file.close();
        throw unavailable("the tier is stopping");
      }
      this.regions.set(name, new SharedMemoryRegion(name, key, offset, byteSize, file));
    } finally {
      this.opening.delete(name);
    }
  }

  /**
   * Unregisters one region, or every one for "" (as Triton, an unknown name is no error). A region
   * a request is still reading or writing keeps its descriptor until that request is answered.
   */
  async unregister(name: string): Promise<void> {
    if (!this.allowed) throw unimplemented(disabled);
    const names = name === "" ? [...this.regions.keys()] : [name];
    await Promise.all(names.map((each) => this.remove(each)));
  }

  /**
   * The region named by a request's tensor, held until the caller's `release`. With the extension
   * off no region can exist, and the answer says why.
   */
  acquire(name: string, what: string): SharedMemoryRegion {
    const region = this.regions.get(name);
    if (!region) {
      throw notFound(
        `${what} names system shared memory region "${name}", which is not registered` +
          (this.allowed ? "" : ` (${disabled})`),
      );
    }
    region.hold();
    return region;
  }

  /** Regions registered now (for tests). */
  get size(): number {
    return this.regions.size;
  }

  /** Closes every descriptor at shutdown, after the calls have drained. */
  async close(): Promise<void> {
    this.closed = true;
    const regions = [...this.regions.values()];
    this.regions.clear();
    await Promise.all(regions.map((region) => region.closeNow()));
  }

  private async remove(name: string): Promise<void> {
    const region = this.regions.get(name);
    if (!region) return;
    this.regions.delete(name);
    await region.unregister();
  }
}

function checkName(name: string): void {
  if (name === "") {
    throw invalidArgument(
      'a region needs a name; the empty name means "every region" to Status and Unregister',
    );
  }
  if (name.length > limits.sharedMemory.nameLength) {
    throw invalidArgument(
      `a region's name has ${name.length} characters; at most ${limits.sharedMemory.nameLength} are allowed`,
    );
  }
}

/**
 * Opens the object read-write without following a symbolic link (a FIFO or device would not block:
 * O_NONBLOCK) and checks it is a regular file of the tier's user holding at least `end` bytes.
 */
async function openObject(
  name: string,
  key: string,
  end: number,
  file: string,
): Promise<fs.promises.FileHandle> {
  const { O_RDWR, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, O_RDWR | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    throw openError(name, key, error as NodeJS.ErrnoException);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw invalidArgument(`region "${name}": ${key} is not a regular file, so not a shared-memory object`);
    }
    const uid = process.getuid?.();
    if (uid !== undefined && stats.uid !== uid) {
      throw new TierError(
        "PERMISSION_DENIED",
        `region "${name}": ${key} belongs to user ${stats.uid}; the tier accepts only objects of its own user (${uid})`,
      );
    }
    if (end > stats.size) {
      throw invalidArgument(
        `region "${name}" would end at byte ${end} of ${key}, which holds ${stats.size} bytes; offset + byte_size must fit in the object`,
      );
    }
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

function openError(name: string, key: string, error: NodeJS.ErrnoException): TierError {
  switch (error.code) {
    case "ENOENT":
      return notFound(`region "${name}": no shared-memory object ${key} exists on the tier's host`);
    case "ELOOP":
      return invalidArgument(
        `region "${name}": ${key} is a symbolic link; the tier opens only the object itself`,
      );
    case "EACCES":
    case "EPERM":
      return new TierError("PERMISSION_DENIED", `region "${name}": the tier may not read and write ${key}`);
    case "EISDIR":
      return invalidArgument(`region "${name}": ${key} is a directory, not a shared-memory object`);
    default:
      return invalidArgument(`region "${name}": cannot open ${key} (${error.code ?? error.message})`);
  }
}

/** One registered region: its object's descriptor and the window of it the client registered. */
export class SharedMemoryRegion {
  private users = 0;
  private unregistered = false;
  private closing: Promise<void> | null = null;

  constructor(
    readonly name: string,
    readonly key: string,
    readonly offset: number,
    readonly byteSize: number,
    private readonly file: fs.promises.FileHandle,
  ) {}

  status(): RegionStatus {
    return { name: this.name, key: this.key, offset: this.offset, byte_size: this.byteSize };
  }

  /**
   * Copies `byteLength` bytes from `at` bytes into the region into an ArrayBuffer of exactly that
   * size (a fresh one starts aligned for every element type). The caller checked the bounds.
   */
  async read(at: number, byteLength: number): Promise<ArrayBuffer> {
    // Not zero-filled (a tenth of a millisecond per 4.8 MB): every byte is read over, or it throws.
    const bytes = Buffer.allocUnsafeSlow(byteLength);
    let done = 0;
    // One pread normally; Linux returns at most 2 GiB − 4 KiB per call.
    while (done < byteLength) {
      const position = this.offset + at + done;
      const bytesRead = await this.io(
        byteLength,
        (fd) => fs.readSync(fd, bytes, done, byteLength - done, position),
        async () => (await this.file.read(bytes, done, byteLength - done, position)).bytesRead,
      );
      if (bytesRead === 0) {
        throw failedPrecondition(
          `region "${this.name}": ${this.key} ended before byte ${this.offset + at + byteLength}; ` +
            "the object was truncated after it was registered",
        );
      }
      done += bytesRead;
    }
    return bytes.buffer as ArrayBuffer;
  }

  /** Writes `bytes` at `at` bytes into the region. The caller checked they fit. */
  async write(at: number, bytes: Uint8Array): Promise<void> {
    const length = bytes.byteLength;
    let done = 0;
    while (done < length) {
      const position = this.offset + at + done;
      done += await this.io(
        length,
        (fd) => fs.writeSync(fd, bytes, done, length - done, position),
        async () => (await this.file.write(bytes, done, length - done, position)).bytesWritten,
      );
    }
  }

  hold(): void {
    this.users += 1;
  }

  /** Ends one request's use; the descriptor closes once an unregistered region has no user left. */
  release(): void {
    this.users -= 1;
    if (this.unregistered && this.users === 0) void this.closeNow();
  }

  async unregister(): Promise<void> {
    this.unregistered = true;
    if (this.users === 0) await this.closeNow();
  }

  /**
   * Closes the descriptor. A FileHandle waits for reads and writes under way and refuses later
   * ones, so a descriptor number reused by another file is never written by mistake.
   */
  closeNow(): Promise<void> {
    this.closing ??= this.file.close().catch(() => {});
    return this.closing;
  }

  /**
   * One positional read or write. Up to `synchronousBytes` it runs on the calling thread: a trip
   * through libuv's thread pool cost more than the copy itself (0.35 ms at the median for 4.8 MB on
   * a busy 2-core host), and the loop is blocked no longer than decoding the same bytes from a
   * message would block it. The check of `closing` and the synchronous call cannot be separated
   * by a close, which is only ever started on this thread.
   */
  private async io(
    byteLength: number,
    synchronous: (fd: number) => number,
    asynchronous: () => Promise<number>,
  ): Promise<number> {
    if (this.closing) throw this.closed();
    try {
      return byteLength <= synchronousBytes ? synchronous(this.file.fd) : await asynchronous();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EBADF") throw this.closed();
      throw error;
    }
  }

  private closed(): TierError {
    return unavailable(`region "${this.name}" was closed while in use: the tier is stopping`);
  }
}
