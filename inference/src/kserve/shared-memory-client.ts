import fs from "node:fs";
import path from "node:path";
import type { InferParameter } from "@tessera/proto/generated/inference/InferParameter";
import type { SystemSharedMemoryRegisterRequest } from "@tessera/proto/generated/inference/SystemSharedMemoryRegisterRequest";
import { posixSharedMemoryDirectory } from "./system-shared-memory";

/** What registering needs of a KServe client: the tier's own KServeClient or any generated one. */
export interface SharedMemoryRpcs {
  call(rpc: "SystemSharedMemoryRegister", request: SystemSharedMemoryRegisterRequest): Promise<unknown>;
  call(rpc: "SystemSharedMemoryUnregister", request: { name: string }): Promise<unknown>;
}

/**
 * The client's side of Triton's system shared memory, for a client on the tier's host: a POSIX
 * shared-memory object ("/key" is /dev/shm/key, as shm_open names it) that tensors are written to
 * and read from with positional I/O, registered with the tier as one region. The object is the
 * client's: it creates it (mode 0600, so only the tier's user, which must be the client's, can
 * open it), and unlinks it in `destroy`.
 */
export class SharedMemoryObject {
  private constructor(
    readonly key: string,
    readonly byteSize: number,
    private readonly file: fs.promises.FileHandle,
    private readonly filePath: string,
  ) {}

  /** Creates the object, `byteSize` zero bytes; fails if one with the key exists. */
  static async create(
    key: string,
    byteSize: number,
    directory = posixSharedMemoryDirectory,
  ): Promise<SharedMemoryObject> {
    if (!/^\/[^/]+$/.test(key))
      throw new Error(`"${key}" is not a POSIX shared-memory name ("/" and one name)`);
    const filePath = path.join(directory, key.slice(1));
    const { O_RDWR, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
    const file = await fs.promises.open(filePath, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    try {
      await file.truncate(byteSize);
    } catch (error) {
      await file.close();
      await fs.promises.unlink(filePath);
      throw error;
    }
    return new SharedMemoryObject(key, byteSize, file, filePath);
  }

  /** Writes a tensor's bytes (any typed array or Buffer) at `offset` bytes into the object. */
  async write(offset: number, data: ArrayBufferView): Promise<void> {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let done = 0;
    while (done < bytes.byteLength) {
      const { bytesWritten } = await this.file.write(bytes, done, bytes.byteLength - done, offset + done);
      done += bytesWritten;
    }
  }

  /** Reads `byteLength` bytes at `offset` bytes into the object (an output the tier wrote). */
  async read(offset: number, byteLength: number): Promise<Buffer> {
    const bytes = Buffer.alloc(byteLength);
    let done = 0;
    while (done < byteLength) {
      const { bytesRead } = await this.file.read(bytes, done, byteLength - done, offset + done);
      if (bytesRead === 0) throw new Error(`${this.key} ends before byte ${offset + byteLength}`);
      done += bytesRead;
    }
    return bytes;
  }

  /** Registers bytes `offset` to `offset + byteSize` (the whole object by default) as region `name`. */
  async register(client: SharedMemoryRpcs, name: string, offset = 0, byteSize = this.byteSize - offset) {
    await client.call("SystemSharedMemoryRegister", { name, key: this.key, offset, byte_size: byteSize });
  }

  /** Closes the client's descriptor and removes the name; a tier that registered it keeps its own. */
  async destroy(): Promise<void> {
    await this.file.close();
    await fs.promises.rm(this.filePath, { force: true });
  }
}

/** Unregisters region `name` on the tier ("" for every region). */
export async function unregisterSharedMemory(client: SharedMemoryRpcs, name: string): Promise<void> {
  await client.call("SystemSharedMemoryUnregister", { name });
}

/**
 * The `parameters` of an input or requested output that lies in a registered region: Triton's
 * shared_memory_region, shared_memory_byte_size and shared_memory_offset.
 */
export function inSharedMemory(region: string, byteSize: number, offset = 0): Record<string, InferParameter> {
  return {
    shared_memory_region: { string_param: region },
    shared_memory_byte_size: { int64_param: byteSize },
    ...(offset !== 0 && { shared_memory_offset: { int64_param: offset } }),
  };
}
