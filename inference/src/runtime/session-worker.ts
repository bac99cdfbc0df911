import { parentPort, workerData } from "node:worker_threads";
import * as ort from "onnxruntime-node";
import { buffersOf } from "./batch-tensors";
import type { Tensor } from "./model-runner";
import type {
  SessionRunReply,
  SessionRunRequest,
  SessionWorkerData,
  SessionWorkerStartup,
} from "./session-worker-protocol";
import { dataTypeOfOrt, ortDataType } from "./tensor-types";

/**
 * One model instance: an onnxruntime session in its own thread. Creating a session and running it
 * are synchronous native work in onnxruntime-node, so here they stall only this thread, never the
 * tier's gRPC event loop. Runs arrive one at a time (the pool sends the next after the answer).
 */
const port = parentPort!;
const settings = workerData as SessionWorkerData;

const session = await createSession(settings);
if (session) port.on("message", (request: SessionRunRequest) => void run(session, request));

/**
 * Tries the providers in order and drops the first one that fails until only "cpu" is left. A
 * provider whose libraries are missing (CUDA on a CPU host) fails the whole create, so this is how
 * an unavailable one falls back. When even "cpu" fails the file itself is at fault: that reason wins.
 */
async function createSession(data: SessionWorkerData): Promise<ort.InferenceSession | null> {
  const fallbacks: string[] = [];
  for (let first = 0; first < data.executionProviders.length; first++) {
    const providers = data.executionProviders.slice(first);
    try {
      const created = await ort.InferenceSession.create(data.modelPath, {
        executionProviders: providers,
        intraOpNumThreads: data.intraOpThreads,
        interOpNumThreads: 1,
        graphOptimizationLevel: "all",
        // Idle ORT threads otherwise spin for work, taking the cores the gRPC thread and the other
        // instances need: measured here, spinning doubled the tier's CPU time per request.
        extra: { session: { intra_op: { allow_spinning: "0" } } },
        // Failures come back as exceptions with the same text; ORT's own log would only repeat them on stderr.
        logSeverityLevel: 4,
      });
      send({
        type: "ready",
        metadata: { inputs: [...created.inputMetadata], outputs: [...created.outputMetadata] },
        providers,
        fallbacks,
      });
      return created;
    } catch (error) {
      if (providers.length === 1) {
        send({ type: "failed", reason: readableReason(error, data.modelPath) });
        return null;
      }
      fallbacks.push(`"${providers[0]}" is unavailable: ${readableReason(error, data.modelPath)}`);
    }
  }
  send({ type: "failed", reason: "no execution provider was configured" });
  return null;
}

async function run(created: ort.InferenceSession, request: SessionRunRequest): Promise<void> {
  try {
    const started = process.hrtime.bigint();
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(request.feeds)) {
      feeds[name] = new ort.Tensor(
        ortDataType(tensor.dataType) as ort.Tensor.Type,
        tensor.data,
        tensor.shape,
      );
    }
    const inputsReady = process.hrtime.bigint();
    const results = await created.run(feeds, request.fetches);
    const inferred = process.hrtime.bigint();
    const outputs: Record<string, Tensor> = {};
    for (const name of request.fetches) {
      const value = results[name] as ort.Tensor;
      outputs[name] = {
        dataType: dataTypeOfOrt(value.type)!,
        shape: [...value.dims],
        data: value.data as Tensor["data"],
      };
    }
    const outputBuffers = buffersOf(Object.values(outputs));
    // onnxruntime copies outputs into fresh buffers; should one ever share an input's memory, that
    // buffer stays with the answer instead of going back for reuse.
    const inputBuffers = buffersOf(Object.values(request.feeds)).filter(
      (buffer) => !outputBuffers.includes(buffer),
    );
    const timings = {
      inputNs: Number(inputsReady - started),
      inferNs: Number(inferred - inputsReady),
      outputNs: Number(process.hrtime.bigint() - inferred),
    };
    send({ type: "result", id: request.id, outputs, timings, inputBuffers }, [
      ...outputBuffers,
      ...inputBuffers,
    ]);
  } catch (error) {
    send({ type: "error", id: request.id, reason: readableReason(error, settings.modelPath) });
  }
}

function send(message: SessionWorkerStartup | SessionRunReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

/** ORT's message without the cache path, which means nothing to a client. */
function readableReason(error: unknown, modelPath: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(`Load model from ${modelPath} failed:`, "")
    .replaceAll(modelPath, "model.onnx")
    .trim();
}
