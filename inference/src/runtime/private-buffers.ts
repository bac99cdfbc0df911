import type { Tensor } from "./model-runner";

/**
 * Buffers that belong to one request's tensor alone: made when a ModelInfer input had to be copied
 * out of the gRPC message (its bytes were not aligned for their type), so nothing else holds them.
 * A batch of that one request can take them to the session worker as they are instead of copying
 * them again; buffers of any other origin (message views, a task's own arrays) are never moved,
 * as their owner may still read them. Weak: a mark never keeps a buffer alive.
 */
const privateBuffers = new WeakSet<ArrayBuffer>();

export function markPrivate(buffer: ArrayBuffer): void {
  privateBuffers.add(buffer);
}

/** Whether every input is a whole private buffer, so the inputs may be handed over without a copy. */
export function ownsItsBuffers(inputs: Record<string, Tensor>): boolean {
  const buffers = new Set<ArrayBuffer>();
  for (const tensor of Object.values(inputs)) {
    const buffer = tensor.data.buffer as ArrayBuffer;
    const whole = tensor.data.byteOffset === 0 && tensor.data.byteLength === buffer.byteLength;
    if (!whole || !privateBuffers.has(buffer) || buffers.has(buffer)) return false;
    buffers.add(buffer);
  }
  return buffers.size > 0;
}
