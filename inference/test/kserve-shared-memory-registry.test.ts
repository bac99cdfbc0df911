import fs from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { loadTierConfig, TierConfigError } from "../src/config";
import { SharedMemoryObject } from "../src/kserve/shared-memory-client";
import { SystemSharedMemory } from "../src/kserve/system-shared-memory";
import { TierError } from "../src/runtime/errors";

// The registry's own guarantees, in-process: what a region reads is the object it opened at
// registration, and its descriptor lives until the last request using it lets go.

const prefix = `tessera-registry-${process.pid}`;
const objects: SharedMemoryObject[] = [];

async function object(name: string, bytes: number[]): Promise<SharedMemoryObject> {
  const created = await SharedMemoryObject.create(`/${prefix}-${name}`, bytes.length);
  objects.push(created);
  await created.write(0, Uint8Array.from(bytes));
  return created;
}

/** Descriptors this process has open on `key`'s file. */
async function descriptorsOn(key: string): Promise<number> {
  const entries = await fs.readdir("/proc/self/fd");
  const targets = await Promise.all(
    entries.map((entry) => fs.readlink(`/proc/self/fd/${entry}`).catch(() => "")),
  );
  return targets.filter((target) => target.startsWith(`/dev/shm${key}`)).length;
}

function codeOf(error: unknown): string {
  if (!(error instanceof TierError)) throw error;
  return error.code;
}

afterEach(async () => {
  await Promise.all(objects.splice(0).map((each) => each.destroy()));
});

describe("system shared memory regions", () => {
  it("keeps reading the object it opened after the client unlinks the name and makes a new one", async () => {
    const registry = new SystemSharedMemory(true);
    const first = await object("swap", [1, 2, 3, 4, 5, 6, 7, 8]);
    await registry.register({ name: "r", key: first.key, offset: 2, byte_size: 4 });
    await fs.rm(`/dev/shm${first.key}`);
    const impostor = await SharedMemoryObject.create(first.key, 8);
    objects.push(impostor);
    await impostor.write(0, Uint8Array.from([9, 9, 9, 9, 9, 9, 9, 9]));

    const region = registry.acquire("r", 'input "x"');
    expect([...new Uint8Array(await region.read(0, 4))]).toEqual([3, 4, 5, 6]);
    region.release();
    await registry.close();
  });

  it("closes a region's descriptor only once the last request using it lets go", async () => {
    const registry = new SystemSharedMemory(true);
    const shared = await object("held", [10, 20, 30, 40]);
    await registry.register({ name: "held", key: shared.key, offset: 0, byte_size: 4 });
    // The client's own descriptor and the tier's.
    expect(await descriptorsOn(shared.key)).toBe(2);

    const region = registry.acquire("held", 'input "x"');
    await registry.unregister("held");
    expect(registry.status("")).toEqual([]);
    expect(await descriptorsOn(shared.key)).toBe(2);
    expect([...new Uint8Array(await region.read(1, 2))]).toEqual([20, 30]);

    region.release();
    await expect.poll(() => descriptorsOn(shared.key)).toBe(1);
    await registry.close();
  });

  it("closes every descriptor at shutdown and refuses registrations after it", async () => {
    const registry = new SystemSharedMemory(true);
    const shared = await object("shutdown", [1, 2, 3, 4]);
    await registry.register({ name: "a", key: shared.key, offset: 0, byte_size: 2 });
    await registry.register({ name: "b", key: shared.key, offset: 2, byte_size: 2 });
    expect(await descriptorsOn(shared.key)).toBe(3);
    await registry.close();
    expect(await descriptorsOn(shared.key)).toBe(1);
    expect(registry.size).toBe(0);
  });

  it("lets only the first of two registrations of one name in while it opens the object", async () => {
    const registry = new SystemSharedMemory(true);
    const shared = await object("race", [1, 2, 3, 4]);
    const outcomes = await Promise.allSettled([
      registry.register({ name: "same", key: shared.key, offset: 0, byte_size: 4 }),
      registry.register({ name: "same", key: shared.key, offset: 0, byte_size: 4 }),
    ]);
    expect(outcomes[0]!.status).toBe("fulfilled");
    expect(codeOf((outcomes[1] as PromiseRejectedResult).reason)).toBe("ALREADY_EXISTS");
    expect(await descriptorsOn(shared.key)).toBe(2);
    await registry.close();
  });

  it("reads and writes tensors over 8 MiB (through the thread pool) byte for byte", async () => {
    const registry = new SystemSharedMemory(true);
    const size = 9 * 1024 * 1024;
    const shared = await SharedMemoryObject.create(`/${prefix}-large`, size + 16);
    objects.push(shared);
    const pattern = Buffer.alloc(size);
    for (let index = 0; index < size; index++) pattern[index] = (index * 7) % 251;
    await shared.write(16, pattern);
    await registry.register({ name: "large", key: shared.key, offset: 8, byte_size: size + 8 });

    const region = registry.acquire("large", 'input "x"');
    expect(Buffer.from(await region.read(8, size)).equals(pattern)).toBe(true);
    const reversed = Buffer.from(pattern).reverse();
    await region.write(8, reversed);
    region.release();
    expect((await shared.read(16, size)).equals(reversed)).toBe(true);
    expect([...(await shared.read(0, 16))]).toEqual(new Array(16).fill(0));
    await registry.close();
  });

  it("refuses a read past the end of an object the client truncated after registering it", async () => {
    const registry = new SystemSharedMemory(true);
    const shared = await object("shrunk", [1, 2, 3, 4, 5, 6, 7, 8]);
    await registry.register({ name: "shrunk", key: shared.key, offset: 0, byte_size: 8 });
    await fs.truncate(`/dev/shm${shared.key}`, 4);
    const region = registry.acquire("shrunk", 'input "x"');
    const error = await region.read(0, 8).catch((caught: unknown) => caught);
    expect(codeOf(error)).toBe("FAILED_PRECONDITION");
    expect((error as Error).message).toBe(
      `region "shrunk": ${shared.key} ended before byte 8; the object was truncated after it was registered`,
    );
    region.release();
    await registry.close();
  });
});

describe("INFERENCE_ALLOW_CLIENT_SHM", () => {
  it("is off unless set to true, and names itself when it is neither true nor false", () => {
    expect(loadTierConfig({}).allowClientShm).toBe(false);
    expect(loadTierConfig({ INFERENCE_ALLOW_CLIENT_SHM: "true" }).allowClientShm).toBe(true);
    expect(loadTierConfig({ INFERENCE_ALLOW_CLIENT_SHM: "false" }).allowClientShm).toBe(false);
    expect(() => loadTierConfig({ INFERENCE_ALLOW_CLIENT_SHM: "yes" })).toThrow(
      new TierConfigError('INFERENCE_ALLOW_CLIENT_SHM must be "true" or "false", got "yes"'),
    );
  });
});
