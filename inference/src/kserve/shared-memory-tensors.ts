import type {
  InferParameter,
  InferParameter__Output,
} from "@tessera/proto/generated/inference/InferParameter";
import type {
  _inference_ModelInferRequest_InferInputTensor__Output as InferInputTensor,
  _inference_ModelInferRequest_InferRequestedOutputTensor__Output as InferRequestedOutputTensor,
} from "@tessera/proto/generated/inference/ModelInferRequest";
import { invalidArgument } from "../runtime/errors";
import type { Tensor, TensorDataType } from "../runtime/model-runner";
import { markPrivate } from "../runtime/private-buffers";
import { formatShape, wireDataType } from "../runtime/tensor-types";
import type { SharedMemoryRegion, SystemSharedMemory } from "./system-shared-memory";
import { rawBytes, tensorFromRaw, type ExternalInputs } from "./tensor-codec";

/** Where a tensor lies in a registered region: Triton's three tensor parameters. */
export interface SharedMemoryPlacement {
  region: string;
  offset: number;
  byteSize: number;
}

/**
 * The shared-memory parameters of an input or requested output, or null when it has none.
 * As Triton: "shared_memory_region" (string_param) needs "shared_memory_byte_size" (int64_param);
 * "shared_memory_offset" (int64_param) is optional, 0 when absent; neither size nor offset may
 * come without a region.
 */
export function sharedMemoryPlacement(
  what: string,
  parameters: Record<string, InferParameter__Output>,
): SharedMemoryPlacement | null {
  const region = parameters.shared_memory_region;
  const offset = parameters.shared_memory_offset;
  const size = parameters.shared_memory_byte_size;
  if (!region) {
    const stray = offset ? "shared_memory_offset" : size ? "shared_memory_byte_size" : null;
    if (stray) throw invalidArgument(`${what} has "${stray}" but no "shared_memory_region"`);
    return null;
  }
  if (region.parameter_choice !== "string_param") {
    throw invalidArgument(`${what} has a "shared_memory_region" that is not a string_param`);
  }
  if (!size) {
    throw invalidArgument(
      `${what} has "shared_memory_region" but no "shared_memory_byte_size"; both are required`,
    );
  }
  return {
    region: region.string_param!,
    offset: offset ? bytes(what, "shared_memory_offset", offset) : 0,
    byteSize: bytes(what, "shared_memory_byte_size", size),
  };
}

function bytes(what: string, name: string, parameter: InferParameter__Output): number {
  const value = parameter.int64_param;
  if (parameter.parameter_choice !== "int64_param" || value === undefined) {
    throw invalidArgument(`${what} has a "${name}" that is not an int64_param`);
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalidArgument(`${what} has "${name}" ${value}; expected a whole number of bytes`);
  }
  return value;
}

/** The part of a region a tensor was placed at, checked against what the client registered. */
interface HeldPlacement extends SharedMemoryPlacement {
  held: SharedMemoryRegion;
}

/**
 * One ModelInfer request's use of shared memory. Every region it names is held from the check
 * until `release` (after the answer's outputs are written), so an Unregister in between waits
 * for it, as in Triton.
 */
export class SharedMemoryRequest implements ExternalInputs {
  private readonly inputs = new Map<string, HeldPlacement & { dataType: TensorDataType; shape: number[] }>();
  private readonly outputs = new Map<string, HeldPlacement>();
  private readonly held: SharedMemoryRegion[] = [];

  constructor(private readonly registry: SystemSharedMemory) {}

  holds(input: InferInputTensor): boolean {
    return sharedMemoryPlacement(`input "${input.name}"`, input.parameters) !== null;
  }

  /** Checks an input the codec found in shared memory: its region, its bounds, its byte size. */
  add(input: InferInputTensor, dataType: TensorDataType, shape: number[], byteLength: number): void {
    const what = `input "${input.name}"`;
    const placement = this.place(what, sharedMemoryPlacement(what, input.parameters)!);
    if (placement.byteSize !== byteLength) {
      throw invalidArgument(
        `${what} has shared_memory_byte_size ${placement.byteSize}; shape ${formatShape(shape)} of ` +
          `${wireDataType(dataType)} needs ${byteLength}`,
      );
    }
    this.inputs.set(input.name, { ...placement, dataType, shape });
  }

  /** Checks the requested outputs that go to shared memory, before anything runs. */
  addOutputs(outputs: InferRequestedOutputTensor[]): void {
    for (const output of outputs) {
      const what = `output "${output.name}"`;
      const placement = sharedMemoryPlacement(what, output.parameters);
      if (placement) this.outputs.set(output.name, this.place(what, placement));
    }
  }

  get hasOutputs(): boolean {
    return this.outputs.size > 0;
  }

  /**
   * Reads every input placed in shared memory, each into a buffer of its own that the batcher may
   * move to the session worker as it is (see private-buffers.ts).
   */
  async readInputs(): Promise<Record<string, Tensor>> {
    const entries = await Promise.all(
      [...this.inputs].map(async ([name, input]) => {
        const buffer = await input.held.read(input.offset, input.byteSize);
        markPrivate(buffer);
        const what = `input "${name}"`;
        return [name, tensorFromRaw(what, input.dataType, input.shape, new Uint8Array(buffer))] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  /**
   * Writes the outputs requested in shared memory, after checking that every one fits its place,
   * so a too-small place leaves every region as it was. Answers each written output's parameters.
   */
  async writeOutputs(outputs: Record<string, Tensor>): Promise<Map<string, Record<string, InferParameter>>> {
    const writes = [...this.outputs].map(([name, placement]) => {
      const bytes = rawBytes(outputs[name]!);
      if (bytes.byteLength > placement.byteSize) {
        throw invalidArgument(
          `output "${name}" has ${bytes.byteLength} bytes, more than its shared_memory_byte_size ` +
            `${placement.byteSize} in region "${placement.region}"; nothing was written`,
        );
      }
      return { name, placement, bytes };
    });
    await Promise.all(writes.map(({ placement, bytes }) => placement.held.write(placement.offset, bytes)));
    return new Map(
      writes.map(({ name, placement, bytes }) => [
        name,
        {
          shared_memory_region: { string_param: placement.region },
          shared_memory_offset: { int64_param: placement.offset },
          shared_memory_byte_size: { int64_param: bytes.byteLength },
        },
      ]),
    );
  }

  /** Lets go of every region; call once the request is answered, whatever happened. */
  release(): void {
    for (const region of this.held.splice(0)) region.release();
  }

  private place(what: string, placement: SharedMemoryPlacement): HeldPlacement {
    const held = this.registry.acquire(placement.region, what);
    this.held.push(held);
    if (placement.offset >= held.byteSize || placement.byteSize > held.byteSize - placement.offset) {
      throw invalidArgument(
        `${what} would take bytes ${placement.offset} to ${placement.offset + placement.byteSize} of region ` +
          `"${placement.region}", which has ${held.byteSize} bytes; offset + byte size must fit in the region`,
      );
    }
    return { ...placement, held };
  }
}
