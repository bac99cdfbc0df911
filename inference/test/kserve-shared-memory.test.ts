import fs from "node:fs/promises";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SharedMemoryObject } from "../src/kserve/shared-memory-client";
import { limits } from "../src/limits";
import { callError, connectKServe, type KServeTestClient } from "./helpers/kserve-client";
import { startTierProcess, type TierProcess } from "./helpers/tier-process";

// Triton's system shared-memory extension (docs/protocol/extension_shared_memory.md): the
// Status, Register and Unregister RPCs, against the tier as its own process.

const prefix = `tessera-shm-${process.pid}`;
const objects: SharedMemoryObject[] = [];

async function sharedObject(name: string, byteSize: number): Promise<SharedMemoryObject> {
  const created = await SharedMemoryObject.create(`/${prefix}-${name}`, byteSize);
  objects.push(created);
  return created;
}

afterAll(async () => {
  await Promise.all(objects.map((each) => each.destroy()));
});

describe("system shared memory, allowed (INFERENCE_ALLOW_CLIENT_SHM=true)", () => {
  let tier: TierProcess;
  let client: KServeTestClient;
  let object: SharedMemoryObject;

  beforeAll(async () => {
    tier = await startTierProcess(0, { INFERENCE_ALLOW_CLIENT_SHM: "true" });
    client = connectKServe(tier.port);
    object = await sharedObject("main", 1024);
  });

  afterAll(async () => {
    client?.close();
    await tier?.stop();
  });

  const status = (name = "") => client.call("SystemSharedMemoryStatus", { name });
  const register = (name: string, key: string, offset: number, byteSize: number) =>
    client.call("SystemSharedMemoryRegister", { name, key, offset, byte_size: byteSize });

  it("lists system_shared_memory among its extensions", async () => {
    const metadata = await client.call("ServerMetadata", {});
    expect(metadata.extensions).toEqual([
      "model_repository",
      "model_configuration",
      "statistics",
      "system_shared_memory",
    ]);
  });

  it("registers regions, reports them as Triton does, and unregisters one or all", async () => {
    expect(await status()).toEqual({ regions: {} });
    await register("input", object.key, 0, 512);
    await register("output", object.key, 512, 512);
    expect(await status()).toEqual({
      regions: {
        input: { name: "input", key: object.key, offset: 0, byte_size: 512 },
        output: { name: "output", key: object.key, offset: 512, byte_size: 512 },
      },
    });
    expect(await status("output")).toEqual({
      regions: { output: { name: "output", key: object.key, offset: 512, byte_size: 512 } },
    });

    await client.call("SystemSharedMemoryUnregister", { name: "input" });
    expect(Object.keys((await status()).regions)).toEqual(["output"]);
    // As Triton: unregistering a name that is not registered is no error.
    await client.call("SystemSharedMemoryUnregister", { name: "input" });

    await register("again", object.key, 0, 16);
    await client.call("SystemSharedMemoryUnregister", { name: "" });
    expect(await status()).toEqual({ regions: {} });
  });

  it("answers NOT_FOUND for the status of a region that is not registered", async () => {
    const error = await callError(status("nowhere"));
    expect(error.code).toBe(grpc.status.NOT_FOUND);
    expect(error.details).toBe('no system shared memory region named "nowhere" is registered');
  });

  describe("refuses a registration and keeps what was registered", () => {
    let before: unknown;

    beforeAll(async () => {
      await register("kept", object.key, 0, 8);
      before = await status();
    });

    afterAll(async () => {
      await client.call("SystemSharedMemoryUnregister", { name: "" });
    });

    async function refused(request: () => Promise<unknown>, code: grpc.status): Promise<string> {
      const error = await callError(request());
      expect(error.code).toBe(code);
      expect(await status()).toEqual(before);
      return error.details;
    }

    it("of a name already registered (ALREADY_EXISTS)", async () => {
      expect(await refused(() => register("kept", object.key, 8, 8), grpc.status.ALREADY_EXISTS)).toBe(
        'a system shared memory region named "kept" is already registered',
      );
    });

    it("that would end past the object's size", async () => {
      expect(await refused(() => register("long", object.key, 1000, 25), grpc.status.INVALID_ARGUMENT)).toBe(
        `region "long" would end at byte 1025 of ${object.key}, which holds 1024 bytes; offset + byte_size must fit in the object`,
      );
    });

    it("of no bytes, or without a name", async () => {
      expect(await refused(() => register("empty", object.key, 0, 0), grpc.status.INVALID_ARGUMENT)).toBe(
        'region "empty" has byte_size 0; expected at least 1 byte',
      );
      expect(await refused(() => register("", object.key, 0, 8), grpc.status.INVALID_ARGUMENT)).toBe(
        'a region needs a name; the empty name means "every region" to Status and Unregister',
      );
      const long = "n".repeat(limits.sharedMemory.nameLength + 1);
      expect(await refused(() => register(long, object.key, 0, 8), grpc.status.INVALID_ARGUMENT)).toBe(
        `a region's name has ${long.length} characters; at most ${limits.sharedMemory.nameLength} are allowed`,
      );
    });

    it.each([
      ["a second component", `/${prefix}-main/x`],
      ["a parent directory", "/.."],
      ["a path out of /dev/shm", "/../etc/passwd"],
      ["no leading slash", `${prefix}-main`],
      ["the bare slash", "/"],
      ["a name over 255 characters", `/${"k".repeat(256)}`],
    ])("whose key has %s", async (_, key) => {
      expect(await refused(() => register("bad-key", key, 0, 8), grpc.status.INVALID_ARGUMENT)).toBe(
        `region "bad-key" has key "${key}", which is not a POSIX shared-memory name: expected "/" and ` +
          '1 to 255 letters, digits, ".", "_" or "-", with no other "/" and not starting with "."',
      );
    });

    it("of an object that does not exist", async () => {
      const key = `/${prefix}-missing`;
      expect(await refused(() => register("missing", key, 0, 8), grpc.status.NOT_FOUND)).toBe(
        `region "missing": no shared-memory object ${key} exists on the tier's host`,
      );
    });

    it("whose key is a symbolic link, even to an object of the tier's user", async () => {
      const link = `/${prefix}-link`;
      await fs.symlink(`/dev/shm${object.key}`, `/dev/shm${link}`);
      try {
        expect(await refused(() => register("link", link, 0, 8), grpc.status.INVALID_ARGUMENT)).toBe(
          `region "link": ${link} is a symbolic link; the tier opens only the object itself`,
        );
      } finally {
        await fs.rm(`/dev/shm${link}`);
      }
    });

    it("whose key is a directory", async () => {
      const directory = `/${prefix}-directory`;
      await fs.mkdir(`/dev/shm${directory}`);
      try {
        expect(await refused(() => register("dir", directory, 0, 8), grpc.status.INVALID_ARGUMENT)).toBe(
          `region "dir": ${directory} is a directory, not a shared-memory object`,
        );
      } finally {
        await fs.rmdir(`/dev/shm${directory}`);
      }
    });

    it.skipIf(process.getuid?.() !== 0)("of an object another user owns", async () => {
      const foreign = await sharedObject("foreign", 64);
      await fs.chown(`/dev/shm${foreign.key}`, 65534, 65534);
      expect(await refused(() => register("foreign", foreign.key, 0, 8), grpc.status.PERMISSION_DENIED)).toBe(
        `region "foreign": ${foreign.key} belongs to user 65534; the tier accepts only objects of its own user (0)`,
      );
    });

    it(`past ${limits.sharedMemory.regions} regions (RESOURCE_EXHAUSTED)`, async () => {
      const room = limits.sharedMemory.regions - Object.keys((before as { regions: object }).regions).length;
      for (let index = 0; index < room; index++) await register(`slot-${index}`, object.key, index, 1);
      const full = await status();
      const error = await callError(register("one-too-many", object.key, 0, 1));
      expect(error.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      expect(error.details).toBe(
        `${limits.sharedMemory.regions} system shared memory regions are registered, the most a tier holds; unregister one first`,
      );
      expect(await status()).toEqual(full);
      await Promise.all(
        Array.from({ length: room }, (_, index) =>
          client.call("SystemSharedMemoryUnregister", { name: `slot-${index}` }),
        ),
      );
      expect(await status()).toEqual(before);
    });
  });
});

describe("system shared memory, off by default", () => {
  let tier: TierProcess;
  let client: KServeTestClient;

  beforeAll(async () => {
    tier = await startTierProcess(0);
    client = connectKServe(tier.port);
  });

  afterAll(async () => {
    client?.close();
    await tier?.stop();
  });

  it("does not list the extension, refuses Register and Unregister as Triton does, and lists no region", async () => {
    expect((await client.call("ServerMetadata", {})).extensions).toEqual([
      "model_repository",
      "model_configuration",
      "statistics",
    ]);
    const object = await sharedObject("off", 64);
    const disabled =
      "client shared memory is disabled on this tier; start it with INFERENCE_ALLOW_CLIENT_SHM=true to enable it";
    for (const answer of [
      client.call("SystemSharedMemoryRegister", { name: "off", key: object.key, offset: 0, byte_size: 64 }),
      client.call("SystemSharedMemoryUnregister", { name: "" }),
    ]) {
      const error = await callError(answer);
      expect(error.code).toBe(grpc.status.UNIMPLEMENTED);
      expect(error.details).toBe(disabled);
    }
    expect(await client.call("SystemSharedMemoryStatus", { name: "" })).toEqual({ regions: {} });
  });
});
