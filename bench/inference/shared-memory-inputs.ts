import type { InferParameter } from "@tessera/proto/generated/inference/InferParameter";
import {
  inSharedMemory,
  SharedMemoryObject,
  unregisterSharedMemory,
} from "../../inference/src/kserve/shared-memory-client";
import { deferCleanup } from "../lib/cleanup";
import type { TierUnderTest } from "./tier-under-test";

/** One client's input in system shared memory, registered with the tier under test. */
export interface SharedInput {
  /** The input's `parameters`: region, byte size. */
  parameters: Record<string, InferParameter>;
  /** Writes the tensor again, as a client that produces a new one per call would. */
  write(): Promise<void>;
  destroy(): Promise<void>;
}

let created = 0;

/**
 * A POSIX shared-memory object of the tensor's size holding `tensor`, registered as a region of
 * its own: each client of a load test gets one, as perf_analyzer gives each of its own.
 */
export async function sharedInput(tier: TierUnderTest, tensor: Float32Array): Promise<SharedInput> {
  created += 1;
  const name = `bench-${process.pid}-${created}`;
  const object = await SharedMemoryObject.create(`/tessera-${name}`, tensor.byteLength);
  const destroy = deferCleanup(async () => {
    await unregisterSharedMemory(tier.kserve, name).catch(() => {});
    await object.destroy();
  });
  await object.write(0, tensor);
  await object.register(tier.kserve, name);
  return {
    parameters: inSharedMemory(name, tensor.byteLength),
    write: () => object.write(0, tensor),
    destroy,
  };
}
